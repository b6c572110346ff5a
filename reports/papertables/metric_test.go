package papertables

import (
	"math"
	"testing"

	"github.com/emoeval/emoeval/metrics"
)

func TestMetricValue(t *testing.T) {
	ms := dfewSummary().Models["migr"]
	r := ms.Reliability["gpt"]
	cases := []struct {
		metric string
		want   float64
		ok     bool
	}{
		{"war", ms.WAR, true}, {"uar", ms.UAR, true}, {"macro_f1", ms.MacroF1, true},
		{"gpt.tt", r.TT, true}, {"gpt.tf", r.TF, true}, {"gpt.ft", r.FT, true}, {"gpt.ff", r.FF, true},
		{"gpt.tf_given_correct", r.TFGivenCorrect, true}, {"gpt.epc", r.EPC, true}, {"gpt.eea", r.EEA, true},
		{"gpt.fallback", r.Fallback, true},
		{"mi_aligned", 0.8275, true}, {"format_reward", 0.512, true}, {"visual_initiation", 0, false}, // no output without description tags: undefined
		{"nobody.tf", 0, false}, {"gpt.recall", 0, false}, {"accuracy", 0, false},
	}
	for _, c := range cases {
		v, ok := MetricValue(ms, c.metric)
		if ok != c.ok || v != c.want {
			t.Errorf("%s = %v, %v; want %v, %v", c.metric, v, ok, c.want, c.ok)
		}
		if c.ok && CheckMetricName(c.metric) != nil {
			t.Errorf("CheckMetricName(%s) rejects a metric MetricValue reads", c.metric)
		}
	}
	// A judge whose name holds dots; modality metrics without MI.
	ms.Reliability["gpt-4.1-mini"] = r
	if v, ok := MetricValue(ms, "gpt-4.1-mini.tf"); !ok || v != r.TF {
		t.Errorf("dotted judge: %v, %v", v, ok)
	}
	ms.Modality.MISource = ""
	if _, ok := MetricValue(ms, "mi_aligned"); ok {
		t.Error("mi_aligned without MI")
	}
	if _, ok := MetricValue(ms, "format_reward"); !ok {
		t.Error("format_reward needs no MI")
	}
	if _, ok := MetricValue(&metrics.ModelSummary{}, "format_reward"); ok {
		t.Error("format_reward without modality metrics")
	}
	if _, ok := MetricValue(nil, "war"); ok {
		t.Error("a value from a nil model")
	}
}

func TestFormatting(t *testing.T) {
	cases := []struct{ got, want string }{
		{FormatMetric("war", 0.677777), "67.778"},
		{FormatMetric("gpt.tf", 0.18104), "18.10%"},
		{FormatMetric("format_reward", -0.25), "-0.250"},
		{MetricLabel("gpt-4.1-mini.tf_given_correct"), "gpt-4.1-mini TF / correct"},
		{MetricLabel("macro_f1"), "macro-F1"},
		{DeltaCell("uar", -0.0123).Text, "-1.23"},
		{DeltaCell("format_reward", 0.5).Text, "+0.500"},
		{DeltaCell("war", math.NaN()).Text, "–"},
		{DeltaCI("war", 0.02, [2]float64{0.01, 0.03}), "[+1.00, +3.00]"},
		{DeltaCI("war", 0.02, [2]float64{}), "–"},
		{DeltaCI("war", 0, [2]float64{}), "[+0.00, +0.00]"},
		{PValueCell(0.04999).Text, "0.0500"},
		{PValueCell(0.00001).Text, "<0.0001"},
		{PValueCell(math.NaN()).Text, "–"},
		{CILabel(&metrics.Summary{}), "95% CI"},
		{CILabel(&metrics.Summary{Statistics: metrics.Statistics{Alpha: 0.01}}), "99% CI"},
		{CILabel(&metrics.Summary{Statistics: metrics.Statistics{Alpha: 0.1}}), "90% CI"},
		{foldsText([]int32{5}), "fold 5"},
		{foldsText([]int32{3, 1, 2, 4, 5}), "folds 1–5"},
		{foldsText([]int32{1, 3}), "folds 1, 3"},
		{pct(math.NaN(), 3).Text, "–"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}
