package compare

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/emoeval/emoeval/metrics"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// model is a model summary with the given recognition rates and gpt TF rate.
func model(war, uar, tf float64) *metrics.ModelSummary {
	return &metrics.ModelSummary{
		N: 2336, WAR: war, UAR: uar, MacroF1: uar - 0.01,
		Reliability: map[string]*metrics.Reliability{"gpt": {N: 2336, TF: tf, TT: war - tf, TFGivenCorrect: tf / war}},
		Modality:    &metrics.Modality{DescriptionTags: true, FormatReward: ptr(0.5), MISource: "variants", MIAligned: ptr(0.8)},
	}
}

// run is a one-model DFEW fold-5 summary.
func run(name string, ms *metrics.ModelSummary) *metrics.Summary {
	return &metrics.Summary{
		Schema: metrics.SummarySchema, Dataset: "dfew", Folds: []int32{5}, Protocol: "migr",
		FoldAggregation: metrics.FoldsSingle, Labels: []string{"happy", "sad", "neutral", "angry", "surprise", "disgust", "fear"},
		ModelOrder: []string{name}, Judges: []string{"gpt"},
		Models:     map[string]*metrics.ModelSummary{name: ms},
		Statistics: metrics.Statistics{Bootstrap: 1000, Seed: 1, Alpha: 0.05},
	}
}

func comparison(base, cand, metric string, b, c, p float64, test string) metrics.Comparison {
	return metrics.Comparison{Baseline: base, Candidate: cand, Metric: metric, N: 2336, Base: b, Cand: c,
		Delta: c - b, CI: [2]float64{c - b - 0.01, c - b + 0.01}, PValue: p, Test: test}
}

func mustGates(t *testing.T, specs ...string) []Gate {
	t.Helper()
	g, err := ParseGates(specs)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func ptr(v float64) *float64 { return &v }
