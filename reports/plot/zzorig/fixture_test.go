package plot

import (
	"math"

	"github.com/emoeval/emoeval/metrics"
)

// fixtureSummary is a hand-made DFEW fold-5 summary: three models (one with a name full of
// markup and non-ASCII letters), two judges, intervals, MI and order data, drift curves and
// judge agreement. Counts are consistent: WAR, UAR, per-class stats and quarters follow from the
// confusion matrices.
func fixtureSummary() *metrics.Summary {
	labels := []string{"happy", "sad", "neutral", "angry", "surprise", "disgust", "fear"}
	support := []int{489, 378, 533, 434, 293, 29, 180}
	s := &metrics.Summary{
		Schema: metrics.SummarySchema, Dataset: "dfew", Folds: []int32{5}, Protocol: "migr",
		FoldAggregation: metrics.FoldsSingle, Synthetic: true, Labels: labels,
		ModelOrder: []string{"r1-omni", "migr", "ERV-7B «Ωμέγα» <b>&amp;</b>"},
		Judges:     []string{"lexicon", "gpt"},
		Models:     map[string]*metrics.ModelSummary{},
		Statistics: metrics.Statistics{Bootstrap: 1000, Seed: 1, Alpha: 0.05},
	}
	recalls := [][]float64{
		{0.86, 0.74, 0.71, 0.70, 0.62, 0.10, 0.42}, // r1-omni
		{0.88, 0.76, 0.70, 0.73, 0.66, 0.24, 0.48}, // migr
		{0.84, 0.78, 0.66, 0.72, 0.65, 0.21, 0.50}, // erv
	}
	tf := [][]float64{{0.181, 0.120}, {0.074, 0.052}, {0.1375, 0.10}}
	for mi, name := range s.ModelOrder {
		m := buildModel(labels, support, recalls[mi])
		m.Backend = []string{"openai", "openai", "replay"}[mi]
		for ji, j := range s.Judges {
			m.Reliability[j] = quarter(m, tf[mi][ji])
			ci := 0.012 + 0.004*float64(ji)
			m.CI[j+".tf"] = [2]float64{tf[mi][ji] - ci, tf[mi][ji] + ci}
		}
		m.Modality = modality(mi)
		m.Drift = map[string]*metrics.Drift{"lexicon": drift(mi)}
		s.Models[name] = m
	}
	s.Agreement = []metrics.Agreement{
		{A: "lexicon", B: "gpt", N: 2336 * 3, Kappa: 0.61, Agree: 0.68},
		{A: "gpt", B: "human", N: 300, Kappa: 0.74, Agree: 0.79},
	}
	return s
}

func buildModel(labels []string, support []int, recall []float64) *metrics.ModelSummary {
	k := len(labels)
	m := &metrics.ModelSummary{
		Variant: "av", PerClass: map[string]metrics.ClassStats{},
		Confusion:   metrics.Confusion{Labels: append(append([]string{}, labels...), "unknown")},
		ParseStatus: map[string]int{}, Reliability: map[string]*metrics.Reliability{},
		CI: map[string][2]float64{},
	}
	predicted := make([]int, k+1)
	for i, n := range support {
		row := make([]int, k+1)
		row[i] = int(math.Round(float64(n) * recall[i]))
		rest := n - row[i]
		row[k] = rest / 20            // a few unknown answers
		row[2] += (rest - row[k]) / 2 // neutral absorbs half the errors (unless it is the true class)
		if i == 2 {
			row[(i+1)%k] += (rest - row[k]) / 2
		}
		left := n
		for _, v := range row {
			left -= v
		}
		row[(i+3)%k] += left
		m.Confusion.Matrix = append(m.Confusion.Matrix, row)
		for j, v := range row {
			predicted[j] += v
		}
		m.N += n
		m.Correct += row[i]
		m.Unknown += row[k]
	}
	for i, c := range labels {
		cs := metrics.ClassStats{Support: support[i], Correct: m.Confusion.Matrix[i][i], Predicted: predicted[i]}
		cs.Recall = float64(cs.Correct) / float64(cs.Support)
		if cs.Predicted > 0 {
			cs.Precision = float64(cs.Correct) / float64(cs.Predicted)
		}
		if cs.Recall+cs.Precision > 0 {
			cs.F1 = 2 * cs.Recall * cs.Precision / (cs.Recall + cs.Precision)
		}
		m.PerClass[c] = cs
		m.UAR += cs.Recall / float64(k)
		m.MacroF1 += cs.F1 / float64(k)
	}
	m.WAR = float64(m.Correct) / float64(m.N)
	m.ParseStatus["ok"] = m.N - m.Unknown
	m.ParseStatus["unknown_label"] = m.Unknown
	m.CI["war"] = [2]float64{m.WAR - 0.019, m.WAR + 0.019}
	m.CI["uar"] = [2]float64{m.UAR - 0.031, m.UAR + 0.029}
	m.CI["macro_f1"] = [2]float64{m.MacroF1 - 0.03, m.MacroF1 + 0.03}
	return m
}

func quarter(m *metrics.ModelSummary, tf float64) *metrics.Reliability {
	n := m.N
	r := &metrics.Reliability{N: n}
	r.Counts.TF = int(math.Round(tf * float64(n)))
	r.Counts.TT = m.Correct - r.Counts.TF
	r.Counts.FT = (n - m.Correct) / 5
	r.Counts.FF = n - m.Correct - r.Counts.FT
	r.TT = float64(r.Counts.TT) / float64(n)
	r.TF = float64(r.Counts.TF) / float64(n)
	r.FT = float64(r.Counts.FT) / float64(n)
	r.FF = float64(r.Counts.FF) / float64(n)
	r.TFGivenCorrect = r.TF / (r.TT + r.TF)
	r.EEA = r.TT + r.FT
	r.Counts.EPC = r.Counts.TT + r.Counts.FF/3
	r.EPC = float64(r.Counts.EPC) / float64(n)
	r.Fallback = 0.012
	return r
}

func modality(mi int) *metrics.Modality {
	orders := []map[string]map[string]int{
		{ // r1-omni writes no description tags
			"vision": {"no_desc": 612}, "audio": {"no_desc": 287}, "multimodal": {"no_desc": 1437},
		},
		{ // migr follows MI
			"vision":     {"vision_first": 551, "audio_first": 49, "no_desc": 12},
			"audio":      {"vision_first": 71, "audio_first": 209, "no_desc": 7},
			"multimodal": {"vision_first": 1080, "audio_first": 330, "no_desc": 27},
		},
		{ // erv: descriptions in a fixed order
			"vision":     {"vision_first": 600, "no_desc": 12},
			"audio":      {"vision_first": 280, "no_desc": 7},
			"multimodal": {"vision_first": 1410, "no_desc": 27},
		},
	}[mi]
	m := &metrics.Modality{
		MIOrder: orders, MISource: "variants",
		MI:    map[string]float64{"vision": 612.0 / 2336, "audio": 287.0 / 2336, "multimodal": 1437.0 / 2336},
		Order: map[string]float64{},
	}
	counts := map[string]int{} // summed as integers: map order must not change the floats
	for _, byOrder := range orders {
		for o, n := range byOrder {
			counts[o] += n
		}
	}
	for o, n := range counts {
		m.Order[o] = float64(n) / 2336
	}
	m.MIAligned = ptr([]float64{0, (551.0 + 209) / (612 + 287), 600.0 / (612 + 287)}[mi])
	m.FormatReward = ptr([]float64{-0.38, 0.71, 0.42}[mi])
	m.VisualInitiation = ptr([]float64{0.83, 0.55, 0.8}[mi])
	m.VisualInitiationN = []int{2100, 40, 39}[mi]
	return m
}

func drift(mi int) *metrics.Drift {
	d := &metrics.Drift{Bins: []float64{0.1, 0.3, 0.5, 0.7, 0.9}, Sentences: []int{2336, 2200, 2100, 1900, 2336}}
	start, slope := []float64{0.62, 0.66, 0.64}[mi], []float64{-0.22, -0.06, -0.14}[mi]
	for _, x := range d.Bins {
		g := start + slope*x
		d.Grounded = append(d.Grounded, g)
		d.AgreeAnswer = append(d.AgreeAnswer, g+0.08+0.1*x*float64(2-mi)/2)
		d.Grounding += g / float64(len(d.Bins))
	}
	return d
}

func ptr(v float64) *float64 { return &v }
