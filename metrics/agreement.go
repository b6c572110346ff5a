package metrics

import (
	"slices"

	"github.com/emoeval/emoeval/datasets"
)

// agreement compares every pair of judges, and every judge with each set of human labels, on the
// explanations both read: per model, and pooled over models when more than one has items. An
// item is a (model, clip) of the model's scored samples that both raters labelled; judge calls
// that failed or gave no reply are left out. Categories are the labels plus unknown.
func (b *Builder) agreement(views map[string]*view) []Agreement {
	var out []Agreement
	labels := append(slices.Clone(b.opts.Labels.Labels), datasets.Unknown)
	w := b.k + 1
	type rater struct {
		name  string
		label func(m *modelRun, clip int32) (int8, bool)
		model string // human labels for one model only
	}
	var raters []rater
	for j, name := range b.judges {
		raters = append(raters, rater{name: name, label: func(m *modelRun, clip int32) (int8, bool) {
			if j >= len(m.judged) {
				return 0, false
			}
			o := m.judged[j].judgment(clip)
			ok := o.flags&jPresent != 0 && o.flags&jErr == 0 && o.emotion >= 0
			return o.emotion, ok
		}})
	}
	nJudges := len(raters)
	for _, h := range b.human {
		byClip := make(map[int32]int8, len(h.Labels))
		for id, l := range h.Labels {
			c, ok := b.clipIdx[datasets.NormalizeID(id)]
			if !ok {
				continue
			}
			byClip[c] = int8(b.k)
			if i, ok := b.labelIdx[l]; ok {
				byClip[c] = i
			}
		}
		raters = append(raters, rater{name: h.Name, model: h.Model, label: func(_ *modelRun, clip int32) (int8, bool) {
			l, ok := byClip[clip]
			return l, ok
		}})
	}
	for a := 0; a < nJudges; a++ {
		for c := a + 1; c < len(raters); c++ {
			ra, rb := raters[a], raters[c]
			pooled := make([]int64, w*w)
			models := 0
			for _, m := range b.models {
				if rb.model != "" && rb.model != m.name {
					continue
				}
				cm := make([]int64, w*w)
				var n int64
				seen := make([]bool, len(b.clipTruth))
				for _, r := range views[m.name].recs {
					if seen[r.clip] {
						continue
					}
					seen[r.clip] = true
					la, ok1 := ra.label(m, r.clip)
					lb, ok2 := rb.label(m, r.clip)
					if ok1 && ok2 {
						cm[int(la)*w+int(lb)]++
						n++
					}
				}
				if n == 0 {
					continue
				}
				models++
				for i, x := range cm {
					pooled[i] += x
				}
				out = append(out, agreementOf(ra.name, rb.name, m.name, labels, cm))
			}
			if models > 1 {
				out = append(out, agreementOf(ra.name, rb.name, "", labels, pooled))
			}
		}
	}
	return out
}

func agreementOf(a, b, model string, labels []string, cm []int64) Agreement {
	w := len(labels)
	ag := Agreement{A: a, B: b, Model: model, Labels: labels, Matrix: make([][]int, w)}
	kappa, agree, n := Kappa(cm, w)
	ag.Kappa, ag.Agree, ag.N = kappa, agree, int(n)
	for i := range ag.Matrix {
		ag.Matrix[i] = make([]int, w)
		for j := range ag.Matrix[i] {
			ag.Matrix[i][j] = int(cm[i*w+j])
		}
	}
	return ag
}

// Kappa returns Cohen's kappa, the raw agreement and the number of items of a w×w confusion
// table (row-major: [rater A's category][rater B's]). When chance agreement is 1 (both raters
// used one and the same category throughout) kappa is undefined; it is reported as 1, the
// agreement being perfect. With no items all three are 0.
func Kappa(cm []int64, w int) (kappa, agree float64, n int64) {
	rows := make([]int64, w)
	cols := make([]int64, w)
	var diag int64
	for i := 0; i < w; i++ {
		for j := 0; j < w; j++ {
			c := cm[i*w+j]
			rows[i] += c
			cols[j] += c
			n += c
		}
		diag += cm[i*w+i]
	}
	if n == 0 {
		return 0, 0, 0
	}
	nf := float64(n)
	agree = float64(diag) / nf
	var chance float64
	for i := range rows {
		chance += float64(float64(rows[i])*float64(cols[i])) / (nf * nf)
	}
	if chance >= 1 {
		return 1, agree, n
	}
	return (agree - chance) / (1 - chance), agree, n
}
