package metrics

import "regexp"

// Format says which of the authors' format-reward patterns an output matches.
type Format uint8

const (
	// FormatVision: <vis_desc>…</vis_desc> <aud_desc>…</aud_desc> <think>…</think> <answer>…</answer>.
	FormatVision Format = 1 << iota
	// FormatAudio: the same with the <aud_desc> block first.
	FormatAudio
)

// pyS is Python's \s on str patterns (the characters str.isspace accepts). Go's \s lacks \v,
// U+001C–U+001F, U+0085 and the Unicode spaces.
const pyS = `[\t\n\v\f\r\x1c-\x1f \x{85}\p{Z}]`

var (
	formatVisionRE = regexp.MustCompile(`(?s)^` + pyS + `*<vis_desc>.*?</vis_desc>` + pyS + `*<aud_desc>.*?</aud_desc>` + pyS + `*<think>.*?</think>` + pyS + `*<answer>.*?</answer>` + pyS + `*$`)
	formatAudioRE  = regexp.MustCompile(`(?s)^` + pyS + `*<aud_desc>.*?</aud_desc>` + pyS + `*<vis_desc>.*?</vis_desc>` + pyS + `*<think>.*?</think>` + pyS + `*<answer>.*?</answer>` + pyS + `*$`)
)

// MatchFormat tests a raw output against the two format-reward patterns of docs/reference.md §5
// (re.DOTALL, anchored at both ends). Apply it while streaming and keep the result in
// Sample.Format.
func MatchFormat(raw string) Format {
	var f Format
	if formatVisionRE.MatchString(raw) {
		f |= FormatVision
	}
	if formatAudioRE.MatchString(raw) {
		f |= FormatAudio
	}
	return f
}

// FormatReward is the authors' format reward of one output: for MI vision (audio), 1 when the
// output matches the vision (audio) pattern, else 0; for MI multimodal, 0.5 when it matches
// either, else −1.
func FormatReward(mi MIClass, f Format) float64 {
	switch {
	case mi == MIVision && f&FormatVision != 0, mi == MIAudio && f&FormatAudio != 0:
		return 1
	case mi == MIVision, mi == MIAudio:
		return 0
	case f != 0:
		return 0.5
	}
	return -1
}

// definedShare is a/b, nil when b is 0 (undefined, not 0).
func definedShare(a, b int) *float64 { return definedMean(float64(a), b) }

// definedMean is sum/n, nil when n is 0.
func definedMean(sum float64, n int) *float64 {
	if n == 0 {
		return nil
	}
	v := sum / float64(n)
	return &v
}

func (r rec) format() Format {
	var f Format
	if r.flags&flagFormatVision != 0 {
		f |= FormatVision
	}
	if r.flags&flagFormatAudio != 0 {
		f |= FormatAudio
	}
	return f
}

// modality computes the modality metrics over a view's outputs (missing clips are no outputs).
// Clips absent from the MI table, and every clip when there is no table, count as multimodal.
func (b *Builder) modality(v *view, mi []MIClass) *Modality {
	var outputs, visual, cued int
	var reward float64
	var orders [len(orderNames)]int
	var miCount [4]int
	var miOrder [4][len(orderNames)]int
	var align [nMICells]int
	for _, r := range v.recs {
		if !r.output() {
			continue
		}
		outputs++
		c := mi[r.clip]
		orders[r.order]++
		miCount[c]++
		miOrder[c][r.order]++
		reward += FormatReward(c, r.format())
		align[miCell(r, c)]++
		if r.order == orderNoDesc && r.cue != CueNone {
			cued++
			if r.cue == CueVisual {
				visual++
			}
		}
	}
	m := &Modality{
		Order:             map[string]float64{},
		FormatReward:      definedMean(reward, outputs),
		MIAligned:         definedShare(align[miAligned], align[miAligned]+align[miMisaligned]),
		VisualInitiation:  definedShare(visual, cued),
		VisualInitiationN: cued,
	}
	for o, name := range orderNames {
		if outputs > 0 {
			m.Order[name] = ratio(int64(orders[o]), int64(outputs))
		}
	}
	if b.mi != nil {
		m.MISource = b.mi.Source
		m.MI = map[string]float64{}
		m.MIOrder = map[string]map[string]int{}
		for _, c := range []MIClass{MIVision, MIAudio, MIMultimodal} {
			if outputs > 0 {
				m.MI[c.String()] = ratio(int64(miCount[c]), int64(outputs))
			}
			row := map[string]int{}
			for o, name := range orderNames {
				row[name] = miOrder[c][o]
			}
			m.MIOrder[c.String()] = row
		}
	}
	return m
}
