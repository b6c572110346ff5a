package classifier

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/judges"
)

// activate turns one output row into per-class probabilities, in place.
func activate(row []float32, activation string) error {
	for _, v := range row {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("the model output %v, which is not finite", row)
		}
	}
	switch activation {
	case Sigmoid:
		for i, v := range row {
			row[i] = float32(1 / (1 + math.Exp(-float64(v))))
		}
	case Softmax:
		hi := slices.Max(row)
		var sum float64
		for i, v := range row {
			e := math.Exp(float64(v - hi))
			row[i] = float32(e)
			sum += e
		}
		for i := range row {
			row[i] = float32(float64(row[i]) / sum)
		}
	}
	return nil
}

// kept applies the authors' sentence rule (docs/reference.md §5): the classes with probability above
// the threshold, most probable first, else the single most probable class; at most topK.
func kept(p []float32, threshold float64, topK int) []int {
	var idx []int
	for i, v := range p {
		if float64(v) > threshold {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		idx = []int{argmax(p)}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] > p[b]:
			return -1
		case p[a] < p[b]:
			return 1
		}
		return a - b
	})
	return idx[:min(len(idx), topK)]
}

func argmax(p []float32) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

// decide fills a judgment from its sentences' class probabilities. Each sentence's kept classes
// are mapped to labels (classes without a label are dropped); its first mapped label is its
// SentenceLabels entry. The explanation's emotion is the label kept by the most sentences, ties
// broken by the label's summed probability, then by label-set order; with no label at all it is
// neutral (unknown for a label set without neutral), marked as Fallback.
func (j *Judge) decide(jd *judges.Judgment, sentences [][]float32) {
	count := map[string]int{}
	mass := map[string]float64{}
	var raw []string
	for s, p := range sentences {
		var parts []string
		for _, c := range kept(p, j.cfg.Threshold, j.cfg.TopK) {
			parts = append(parts, strconv.Itoa(c)+":"+strconv.FormatFloat(float64(p[c]), 'f', 3, 32))
			label, ok := j.cfg.LabelMap[c]
			if !ok {
				continue
			}
			if jd.SentenceLabels[s] == "" {
				jd.SentenceLabels[s] = label
			}
			count[label]++
			mass[label] += float64(p[c])
		}
		raw = append(raw, "["+strings.Join(parts, " ")+"]")
	}
	jd.ReplyRaw = strings.Join(raw, " ")
	best := ""
	for _, l := range j.cfg.Labels.Labels {
		if count[l] == 0 {
			continue
		}
		if best == "" || count[l] > count[best] || count[l] == count[best] && mass[l] > mass[best] {
			best = l
		}
	}
	if best == "" {
		best, jd.Fallback = "neutral", true
		if !j.cfg.Labels.Contains(best) {
			best = datasets.Unknown
		}
	}
	jd.Emotion = best
}
