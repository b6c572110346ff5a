package metrics

import (
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
)

// FormatReward is the authors' format reward of one output: for MI vision (audio), 1 when the
// output matches the vision (audio) pattern, else 0; for MI multimodal, 0.5 when it matches
// either, else −1.
func FormatReward(mi modality.Class, f parse.Format) float64 {
	switch {
	case mi == modality.Vision && f&parse.FormatVision != 0, mi == modality.Audio && f&parse.FormatAudio != 0:
		return 1
	case mi == modality.Vision, mi == modality.Audio:
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

func (r rec) format() parse.Format {
	var f parse.Format
	if r.flags&flagFormatVision != 0 {
		f |= parse.FormatVision
	}
	if r.flags&flagFormatAudio != 0 {
		f |= parse.FormatAudio
	}
	return f
}

// modality computes the modality metrics over a view's outputs (missing clips are no outputs).
// Clips absent from the MI table, and every clip when there is no table, count as multimodal.
func (b *Builder) modality(v *view, mi []modality.Class) *Modality {
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
		align[miCell(r, c, v.descTags)]++
		if r.order == orderNoDesc && r.cue != parse.CueNone {
			cued++
			if r.cue == parse.CueVisual {
				visual++
			}
		}
	}
	m := &Modality{
		DescriptionTags:   v.descTags,
		VisualInitiation:  definedShare(visual, cued),
		VisualInitiationN: cued,
	}
	if b.mi != nil {
		m.MISource = b.mi.Source
		m.MI = map[string]float64{}
		m.MIOrder = map[string]map[string]int{}
		for _, c := range []modality.Class{modality.Vision, modality.Audio, modality.Multimodal} {
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
	if !v.descTags {
		// Order, format reward and MI alignment measure where descriptions start: for a model
		// that writes none they would be numbers without meaning (format reward −1, MI-aligned
		// 0%), so they are absent.
		return m
	}
	m.Order = map[string]float64{}
	m.FormatReward = definedMean(reward, outputs)
	m.MIAligned = definedShare(align[miAligned], align[miAligned]+align[miMisaligned])
	for o, name := range orderNames {
		if outputs > 0 {
			m.Order[name] = ratio(int64(orders[o]), int64(outputs))
		}
	}
	return m
}
