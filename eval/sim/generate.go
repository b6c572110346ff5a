package sim

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/predictions"
)

// Dominant modalities of a clip.
const (
	DominantVision     = "vision"
	DominantAudio      = "audio"
	DominantMultimodal = "multimodal"
)

// concept maps a label of DFEW, MAFW or a custom set onto its phrase bank's name.
func concept(label string) string {
	switch label {
	case "happiness":
		return "happy"
	case "sadness":
		return "sad"
	case "anger":
		return "angry"
	}
	return label
}

// Dominant returns the clip's dominant modality: a property of the clip (and seed), the same
// for every model, so that modality-importance results mean something.
func (s *Server) Dominant(clipID string) string {
	u := s.draw("dominant", datasets.NormalizeID(clipID)).Float64()
	switch {
	case u < 0.45:
		return DominantVision
	case u < 0.70:
		return DominantAudio
	}
	return DominantMultimodal
}

// modalityFactor scales accuracy for a variant: a single modality loses little on clips it
// dominates and much on the others.
func modalityFactor(dominant, variant string) float64 {
	switch {
	case variant == predictions.VariantAV:
		return 1
	case dominant == DominantMultimodal && variant == predictions.VariantVideo:
		return 0.8
	case dominant == DominantMultimodal:
		return 0.7
	case (dominant == DominantVision) == (variant == predictions.VariantVideo):
		return 0.95
	}
	return 0.5
}

// decision is what a simulated model answers for one request, before wording.
type decision struct {
	truth, pred string // labels
	explain     string // the label the reasoning supports
	drift       bool   // the first cues support pred, the rest explain
	visionFirst bool
}

func (s *Server) decide(m *ModelProfile, clip *datasets.Clip, variant string, sample int64) decision {
	id := datasets.NormalizeID(clip.ClipID)
	dominant := s.Dominant(clip.ClipID)
	acc := min(1, m.Accuracy*s.classScale[clip.Label]*modalityFactor(dominant, variant))
	// Repeated samples mostly agree with the first: one draw per clip, redrawn now and then.
	u := s.draw("correct", m.Name, id).Float64()
	if sample != 0 && s.draw("resample", m.Name, id, itoa(sample)).Float64() < 0.2 {
		u = s.draw("correct", m.Name, id, itoa(sample)).Float64()
	}
	r := s.draw("decide", m.Name, id, variant, itoa(sample))
	d := decision{truth: clip.Label, pred: clip.Label, explain: clip.Label}
	if u >= acc {
		d.pred = s.confuse(r, clip.Label)
		d.explain = d.pred
		if r.Float64() < 0.15 {
			d.explain = d.truth // wrong answer, grounded reasoning: the FT cell
		}
	} else if r.Float64() < m.Inconsistency {
		d.explain = s.confuse(r, clip.Label)
		d.drift = r.Float64() < 0.5
	}
	switch {
	case variant == predictions.VariantVideo:
		d.visionFirst = true
	case variant == predictions.VariantAudio:
		d.visionFirst = false
	case m.OrderPolicy == OrderMI && dominant != DominantMultimodal:
		d.visionFirst = dominant == DominantVision
	default:
		d.visionFirst = r.Float64() < m.VisionFirst
	}
	return d
}

// confuse picks a wrong label, preferring the ones models confuse with the true one.
func (s *Server) confuse(r *rand.Rand, label string) string {
	near := confusable[concept(label)]
	var cands []string
	var weights []float64
	total := 0.0
	for _, l := range s.labels.Labels {
		if l == label {
			continue
		}
		w := 1.0
		for _, n := range near {
			if concept(l) == n {
				w = 4
			}
		}
		cands = append(cands, l)
		weights = append(weights, w)
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return cands[i]
		}
		x -= w
	}
	return cands[len(cands)-1]
}

// writer composes sentences for one output.
type writer struct {
	r     *rand.Rand
	who   person
	scene string
	s     *Server
	used  map[string]bool // fragments already written: no phrase twice in one output
}

// frag picks a fragment not used yet in this output, when there is one.
func (w *writer) frag(xs []string) string {
	start := w.r.IntN(len(xs))
	for i := range xs {
		if x := xs[(start+i)%len(xs)]; !w.used[x] {
			w.used[x] = true
			return x
		}
	}
	return xs[start]
}

func (w *writer) fill(frame string, x string) string {
	var b strings.Builder
	b.Grow(len(frame) + len(x) + 40)
	for {
		i := strings.IndexByte(frame, '{')
		j := strings.IndexByte(frame[i+1:], '}')
		if i < 0 || j < 0 {
			b.WriteString(frame)
			break
		}
		b.WriteString(frame[:i])
		switch frame[i+1 : i+1+j] {
		case "S":
			b.WriteString(w.who.noun)
		case "scene":
			b.WriteString(w.scene)
		case "pro":
			b.WriteString(w.who.pro)
		case "Pro":
			b.WriteString(upperFirst(w.who.pro))
		case "pos":
			b.WriteString(w.who.pos)
		case "Pos":
			b.WriteString(upperFirst(w.who.pos))
		case "G":
			b.WriteString(w.who.gender)
		case "X":
			b.WriteString(x)
		}
		frame = frame[i+j+2:]
	}
	return upperFirst(b.String())
}

func (w *writer) bank(label string) bank { return w.s.bankOf(label) }

func (w *writer) face(label string, open bool) string {
	frames := visualMore
	if open {
		frames = visualOpen
	}
	return w.fill(pick(w.r, frames), w.frag(w.bank(label).face))
}

func (w *writer) body(label string) string {
	return w.fill(pick(w.r, bodyFrames), w.frag(w.bank(label).body))
}

func (w *writer) voice(label string, open bool) string {
	frames := voiceFrames
	if open {
		frames = audioOpen
	}
	return w.fill(pick(w.r, frames), w.frag(w.bank(label).voice))
}

func (w *writer) quote(label string) string {
	return w.fill(pick(w.r, quoteFrames), w.frag(w.bank(label).quote))
}

func (w *writer) hedge(label string) string {
	frames := hedgeFrames
	if concept(label) == "neutral" {
		frames = hedgeFrames[:2] // "overwhelmed by calm composure" reads wrong
	}
	return w.fill(pick(w.r, frames), w.frag(w.bank(label).infer))
}

func (w *writer) mixed(label string) string {
	other := w.s.labels.Labels[w.r.IntN(len(w.s.labels.Labels))]
	if other == label {
		return ""
	}
	frame := pick(w.r, mixedFrames)
	frame = strings.Replace(frame, "{M}", w.frag(w.bank(other).minor), 1)
	return w.fill(frame, w.frag(w.bank(label).infer))
}

func (w *writer) conclude(label, variant string) string {
	frames := concludeAV
	switch variant {
	case predictions.VariantVideo:
		frames = concludeVideo
	case predictions.VariantAudio:
		frames = concludeAudio
	}
	return w.fill(pick(w.r, frames), w.frag(w.bank(label).infer))
}

// cues returns the cue sentences of one modality for a label; open sentences introduce the
// person (visual) or the speaker (audio).
func (w *writer) cues(label string, vision, open bool) []string {
	if vision {
		out := []string{w.face(label, open)}
		if w.r.Float64() < 0.6 {
			out = append(out, w.body(label))
		}
		return out
	}
	out := []string{w.voice(label, open)}
	if w.r.Float64() < 0.6 {
		out = append(out, w.quote(label))
	}
	return out
}

// tail returns the closing sentences: an optional mixed sentence, an optional hedge and a
// conclusion, all supporting label.
func (w *writer) tail(label, variant string) []string {
	var out []string
	if w.r.Float64() < 0.3 {
		if m := w.mixed(label); m != "" {
			out = append(out, m)
		}
	}
	if w.r.Float64() < 0.6 {
		out = append(out, w.hedge(label))
	}
	return append(out, w.conclude(label, variant))
}

// compose writes the raw output of a model for a decision. temperature only changes wording.
func (s *Server) compose(m *ModelProfile, clip *datasets.Clip, variant string, sample int64, temperature float64, d decision) string {
	w := &writer{s: s, used: map[string]bool{}, r: s.draw("words", m.Name, datasets.NormalizeID(clip.ClipID), variant, itoa(sample),
		itoa(int64(math.Float64bits(temperature))))}
	w.who, w.scene = pick(w.r, people), pick(w.r, scenes)
	hasVideo, hasAudio := variant != predictions.VariantAudio, variant != predictions.VariantVideo
	first := d.explain
	if d.drift {
		first = d.pred // reasoning drift: starts grounded, ends elsewhere
	}

	var b strings.Builder
	if m.Style == StyleR1Omni {
		var sents []string
		switch {
		case hasVideo && hasAudio:
			// The person is introduced by the visual cues; the voice opens only when it comes first.
			sents = append(sents, w.cues(first, d.visionFirst, true)...)
			sents = append(sents, w.cues(d.explain, !d.visionFirst, !d.visionFirst)...)
		case hasVideo:
			sents = append(sents, w.cues(first, true, true)...)
			if d.drift {
				sents = append(sents, w.face(d.explain, false))
			}
		default:
			sents = append(sents, w.cues(first, false, true)...)
			if d.drift {
				sents = append(sents, w.voice(d.explain, false))
			}
		}
		sents = append(sents, w.tail(d.explain, variant)...)
		b.WriteString("<think>" + strings.Join(sents, " ") + "</think>\n")
	} else {
		// Descriptions are grounded in what the model saw; the reasoning may drift from them.
		vis, aud := noVideo, noAudio
		if hasVideo {
			vis = strings.Join(w.cues(first, true, true), " ")
		}
		if hasAudio {
			aud = strings.Join(w.cues(first, false, true), " ")
		}
		var lead, restate string
		if d.visionFirst {
			lead, restate = pick(w.r, leadVision), w.face(d.explain, false)
			b.WriteString("<vis_desc>" + vis + "</vis_desc>\n<aud_desc>" + aud + "</aud_desc>\n")
		} else {
			lead, restate = pick(w.r, leadAudio), w.voice(d.explain, false)
			b.WriteString("<aud_desc>" + aud + "</aud_desc>\n<vis_desc>" + vis + "</vis_desc>\n")
		}
		think := append([]string{lead, restate}, w.tail(d.explain, variant)...)
		b.WriteString("<think>" + strings.Join(think, " ") + "</think>\n")
	}
	answer := d.pred
	if syn, ok := answerSynonyms[answer]; ok && w.r.Float64() < m.Synonyms {
		answer = syn
	}
	b.WriteString("<answer>" + answer + "</answer>")
	return b.String()
}

// finish applies the generation's end: a cut (truncation profile or max_tokens) and a trailing
// chat end marker. It returns the text and the finish reason.
func (s *Server) finish(m *ModelProfile, key string, out string, maxTokens int) (string, string) {
	r := s.draw("finish", m.Name, key)
	reason := "stop"
	if r.Float64() < m.Truncation {
		reason = "length"
		if r.Float64() < 0.5 {
			out = strings.TrimSuffix(out, "</answer>")
		} else {
			think := strings.Index(out, "<think>") + len("<think>")
			end := strings.Index(out, "</think>")
			cut := think + int(float64(end-think)*(0.4+0.5*r.Float64()))
			if i := strings.LastIndexByte(out[:cut], ' '); i > think {
				cut = i
			}
			out = out[:cut]
		}
	} else if r.Float64() < m.ImEnd {
		out += "<|im_end|>"
	}
	if maxTokens > 0 && tokens(out) > maxTokens {
		words := strings.SplitAfter(out, " ")
		n := 0
		var b strings.Builder
		for _, wd := range words {
			n += tokens(wd)
			if n > maxTokens {
				break
			}
			b.WriteString(wd)
		}
		out, reason = strings.TrimRight(b.String(), " "), "length"
	}
	return out, reason
}

// tokens estimates a token count: about four characters a token.
func tokens(s string) int { return (len(s) + 3) / 4 }

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
