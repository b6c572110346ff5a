package papertables

import (
	"github.com/emoeval/emoeval/metrics"
)

// recognition fills a model's recognition metrics from a confusion matrix (rows: true class in
// label order; columns: the labels then unknown), the way the metrics package defines them.
func recognition(labels []string, matrix [][]int) *metrics.ModelSummary {
	ms := &metrics.ModelSummary{
		Variant:   "av",
		PerClass:  map[string]metrics.ClassStats{},
		Confusion: metrics.Confusion{Labels: append(append([]string(nil), labels...), "unknown"), Matrix: matrix},
	}
	predicted := make([]int, len(labels)+1)
	for _, row := range matrix {
		for j, n := range row {
			predicted[j] += n
		}
	}
	var sumRecall, sumF1 float64
	for i, l := range labels {
		support := 0
		for _, n := range matrix[i] {
			support += n
		}
		correct := matrix[i][i]
		cs := metrics.ClassStats{Support: support, Correct: correct, Predicted: predicted[i]}
		if support > 0 {
			cs.Recall = float64(correct) / float64(support)
		}
		if predicted[i] > 0 {
			cs.Precision = float64(correct) / float64(predicted[i])
		}
		if cs.Precision+cs.Recall > 0 {
			cs.F1 = 2 * cs.Precision * cs.Recall / (cs.Precision + cs.Recall)
		}
		ms.PerClass[l] = cs
		ms.N += support
		ms.Correct += correct
		ms.Unknown += matrix[i][len(labels)]
		sumRecall += cs.Recall
		sumF1 += cs.F1
	}
	ms.WAR = float64(ms.Correct) / float64(ms.N)
	ms.UAR = sumRecall / float64(len(labels))
	ms.MacroF1 = sumF1 / float64(len(labels))
	return ms
}

// quarter fills a quarter table from its counts.
func quarter(tt, tf, ft, ff, epc int, fallback float64, errors, unknown int) *metrics.Reliability {
	n := tt + tf + ft + ff
	share := func(k int) float64 { return float64(k) / float64(n) }
	return &metrics.Reliability{
		N: n, TT: share(tt), TF: share(tf), FT: share(ft), FF: share(ff),
		Counts:         metrics.QuarterCounts{TT: tt, TF: tf, FT: ft, FF: ff, EPC: epc},
		TFGivenCorrect: float64(tf) / float64(tt+tf), EPC: share(epc), EEA: share(tt + ft),
		Fallback: fallback, Errors: errors, Unknown: unknown,
	}
}

// dfewSummary is a DFEW fold-5 run of two models under two judges, with intervals, modality,
// judge agreement and comparisons.
func dfewSummary() *metrics.Summary {
	labels := []string{"happy", "sad", "neutral", "angry", "surprise", "disgust", "fear"}
	r1 := recognition(labels, [][]int{
		{401, 12, 40, 15, 15, 1, 3, 2},
		{20, 290, 45, 8, 5, 0, 10, 0},
		{60, 55, 350, 30, 20, 2, 15, 1},
		{25, 10, 45, 330, 15, 3, 6, 0},
		{30, 8, 30, 20, 195, 0, 10, 0},
		{6, 4, 6, 6, 2, 3, 2, 0},
		{12, 25, 20, 10, 25, 0, 88, 0},
	})
	r1.CI = map[string][2]float64{"war": {0.6901, 0.7282}, "uar": {0.5880, 0.6302}, "gpt.tf": {0.1652, 0.1970}, "gpt.tt": {0.47, 0.51}}
	r1.Reliability = map[string]*metrics.Reliability{
		"gpt":     quarter(1122, 425, 160, 629, 1780, 0.012, 2, 0),
		"lexicon": quarter(1201, 346, 190, 599, 1850, 0, 0, 0),
	}
	r1.Modality = &metrics.Modality{DescriptionTags: true,
		Order:        map[string]float64{"vision_first": 0.02, "audio_first": 0.01, "no_desc": 0.97},
		FormatReward: ptr(-0.955), MISource: "variants", MIAligned: ptr(0.3125),
		MI:               map[string]float64{"vision": 0.31, "audio": 0.12, "multimodal": 0.57},
		MIOrder:          map[string]map[string]int{"vision": {"vision_first": 10, "no_desc": 714}, "audio": {"audio_first": 5, "no_desc": 275}, "multimodal": {"vision_first": 37, "audio_first": 18, "no_desc": 1277}},
		VisualInitiation: ptr(0.8812), VisualInitiationN: 2101,
	}
	migr := recognition(labels, [][]int{
		{420, 10, 35, 10, 10, 1, 3, 0},
		{15, 300, 40, 8, 5, 0, 10, 0},
		{50, 50, 370, 30, 20, 3, 10, 0},
		{20, 10, 40, 345, 12, 3, 4, 0},
		{25, 8, 25, 20, 205, 0, 10, 0},
		{5, 4, 5, 5, 2, 6, 2, 0},
		{10, 20, 20, 10, 20, 0, 100, 0},
	})
	migr.CI = map[string][2]float64{"war": {0.7290, 0.7650}, "uar": {0.6370, 0.6780}, "macro_f1": {0.6520, 0.6930}, "gpt.tf": {0.0630, 0.0850}, "mi_aligned": {0.80, 0.85}}
	migr.Reliability = map[string]*metrics.Reliability{
		"gpt":     quarter(1480, 172, 80, 604, 2050, 0.004, 0, 1),
		"lexicon": quarter(1500, 152, 70, 614, 2080, 0, 0, 0),
	}
	migr.Modality = &metrics.Modality{DescriptionTags: true,
		Order:        map[string]float64{"vision_first": 0.61, "audio_first": 0.38, "no_desc": 0.01},
		FormatReward: ptr(0.512), MISource: "variants", MIAligned: ptr(0.8275),
		MI:                map[string]float64{"vision": 0.31, "audio": 0.12, "multimodal": 0.57},
		MIOrder:           map[string]map[string]int{"vision": {"vision_first": 650, "audio_first": 70, "no_desc": 4}, "audio": {"vision_first": 40, "audio_first": 238, "no_desc": 2}, "multimodal": {"vision_first": 735, "audio_first": 580, "no_desc": 17}},
		VisualInitiationN: 0,
	}
	return &metrics.Summary{
		Schema: metrics.SummarySchema, Dataset: "dfew", Folds: []int32{5}, Protocol: "migr",
		FoldAggregation: metrics.FoldsSingle, Labels: labels,
		ModelOrder: []string{"r1-omni", "migr"}, Judges: []string{"gpt", "lexicon"},
		Models: map[string]*metrics.ModelSummary{"r1-omni": r1, "migr": migr},
		Agreement: []metrics.Agreement{
			{A: "gpt", B: "lexicon", N: 4672, Kappa: 0.7312, Agree: 0.7901},
			{A: "gpt", B: "lexicon", Model: "migr", N: 2336, Kappa: 0.7788, Agree: 0.8322},
		},
		Comparisons: []metrics.Comparison{
			{Baseline: "r1-omni", Candidate: "migr", Metric: "war", N: 2336, Base: r1.WAR, Cand: migr.WAR, Delta: migr.WAR - r1.WAR, CI: [2]float64{0.021, 0.052}, PValue: 0.00001, Test: "paired-bootstrap"},
			{Baseline: "r1-omni", Candidate: "migr", Metric: "war", N: 2336, Base: r1.WAR, Cand: migr.WAR, Delta: migr.WAR - r1.WAR, PValue: 0.00002, Test: "mcnemar-exact"},
			{Baseline: "r1-omni", Candidate: "migr", Metric: "gpt.tf", N: 2336, Base: 425.0 / 2336, Cand: 172.0 / 2336, Delta: (172.0 - 425) / 2336, CI: [2]float64{-0.125, -0.092}, PValue: 0, Test: "mcnemar-exact"},
			{Baseline: "r1-omni", Candidate: "migr", Metric: "format_reward", N: 2336, Base: -0.955, Cand: 0.512, Delta: 1.467, CI: [2]float64{1.41, 1.52}, PValue: 0.2, Test: "paired-bootstrap"},
		},
		Statistics: metrics.Statistics{Bootstrap: 1000, Seed: 1, Alpha: 0.05},
	}
}

// mafwSummary is a synthetic five-fold MAFW run with a hostile model name, missing clips, fold
// means and no intervals.
func mafwSummary() *metrics.Summary {
	labels := []string{"anger", "disgust", "fear", "happiness", "neutral", "sadness", "surprise", "contempt", "anxiety", "helplessness", "disappointment"}
	matrix := make([][]int, len(labels))
	for i := range matrix {
		matrix[i] = make([]int, len(labels)+1)
		matrix[i][i] = 100 + 10*i
		matrix[i][(i+1)%len(labels)] = 30
		matrix[i][len(labels)] = i % 3
	}
	matrix[7] = make([]int, len(labels)+1) // a class without samples
	evil := recognition(labels, matrix)
	evil.Missing = 4
	evil.Reliability = map[string]*metrics.Reliability{"gpt-4.1-mini": quarter(900, 150, 100, 300, 1000, 0.05, 3, 7)}
	evil.FoldMean = map[string]metrics.MeanSD{
		"war": {Mean: 0.561, SD: 0.0123, N: 5}, "uar": {Mean: 0.402, SD: 0.021, N: 5},
		"gpt-4.1-mini.tf": {Mean: 0.103, SD: 0.011, N: 5}, "format_reward": {Mean: 0.2, SD: 0.05, N: 5},
	}
	plain := recognition(labels, matrix)
	plain.FoldMean = map[string]metrics.MeanSD{"war": {Mean: 0.55, SD: 0.01, N: 5}}
	return &metrics.Summary{
		Schema: metrics.SummarySchema, Dataset: "mafw", Folds: []int32{1, 2, 3, 4, 5}, Protocol: "robust",
		FoldAggregation: metrics.FoldsMean, Synthetic: true, Labels: labels,
		ModelOrder: []string{"<b>evil|model</b>\n\x1b[31m", "plain"},
		Models:     map[string]*metrics.ModelSummary{"<b>evil|model</b>\n\x1b[31m": evil, "plain": plain},
		Statistics: metrics.Statistics{Alpha: 0.01},
	}
}

func ptr(v float64) *float64 { return &v }
