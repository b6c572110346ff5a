package metrics

import (
	"math"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
)

// TestKappa uses textbook examples (the two 2×2 tables of Wikipedia's "Cohen's kappa" article,
// and Cohen's own 3-category example as quoted by Fleiss, Levin & Paik).
func TestKappa(t *testing.T) {
	cases := []struct {
		name  string
		cm    []int64
		w     int
		kappa float64
		agree float64
	}{
		{"wikipedia 20/5/10/15", []int64{20, 5, 10, 15}, 2, 0.4, 0.7},
		{"wikipedia 45/15/25/15", []int64{45, 15, 25, 15}, 2, 0.1304347826086956, 0.6},
		{"wikipedia 25/35/5/35", []int64{25, 35, 5, 35}, 2, 0.2592592592592593, 0.6},
		// Proportions .44 .07 .09 / .05 .20 .05 / .01 .03 .06 of 100 items: κ ≈ 0.492.
		{"three categories", []int64{44, 7, 9, 5, 20, 5, 1, 3, 6}, 3, (0.70 - 0.41) / (1 - 0.41), 0.70},
		{"perfect", []int64{3, 0, 0, 4}, 2, 1, 1},
		{"one category only", []int64{5, 0, 0, 0}, 2, 1, 1},
		{"empty", []int64{0, 0, 0, 0}, 2, 0, 0},
	}
	for _, tc := range cases {
		k, a, _ := Kappa(tc.cm, tc.w)
		if math.Abs(k-tc.kappa) > 1e-12 || math.Abs(a-tc.agree) > 1e-12 {
			t.Errorf("%s: kappa %v agree %v, want %v %v", tc.name, k, a, tc.kappa, tc.agree)
		}
	}
}

func TestAgreement(t *testing.T) {
	ls := datasets.DFEW()
	split := splitOf("happy", "sad", "sad", "angry")
	models := []ModelInput{
		{Name: "a", Samples: samples("1:happy 2:sad 3:sad 4:sad"), Judgments: map[string]map[string]JudgeOutcome{
			"x": {"1": {Emotion: "happy"}, "2": {Emotion: "sad"}, "3": {Emotion: "angry"}, "4": {Emotion: "sad"}},
			"y": {"1": {Emotion: "happy"}, "2": {Emotion: "sad"}, "3": {Emotion: "sad"}, "4": {Emotion: "neutral", Err: true}},
		}},
		{Name: "b", Samples: samples("1:happy 2:happy"), Judgments: map[string]map[string]JudgeOutcome{
			"x": {"1": {Emotion: "happy"}, "2": {Emotion: "unknown"}},
			"y": {"1": {Emotion: "happy"}, "2": {Emotion: "happy"}},
		}},
	}
	human := HumanLabels{Name: "human", Model: "a", Labels: map[string]string{"1": "happy", "2": "sad", "3": "angry", "9": "sad"}}
	s, err := Build(Input{Clips: split, Models: models, Human: []HumanLabels{human}},
		Options{Labels: ls, Protocol: parse.ProtocolMigr})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ a, b, model string }
	got := map[key]Agreement{}
	for _, ag := range s.Agreement {
		got[key{ag.A, ag.B, ag.Model}] = ag
	}
	want := []struct {
		k     key
		n     int
		agree float64
	}{
		{key{"x", "y", "a"}, 3, 2.0 / 3}, // clip 4's y failed
		{key{"x", "y", "b"}, 2, 0.5},     // x's unknown is a category
		{key{"x", "y", ""}, 5, 3.0 / 5},
		{key{"x", "human", "a"}, 3, 1},
		{key{"y", "human", "a"}, 3, 2.0 / 3},
	}
	if len(got) != len(want) {
		t.Errorf("%d agreement entries, want %d: %+v", len(got), len(want), s.Agreement)
	}
	for _, w := range want {
		ag, ok := got[w.k]
		if !ok {
			t.Errorf("no entry %+v", w.k)
			continue
		}
		if ag.N != w.n || !near(ag.Agree, w.agree) {
			t.Errorf("%+v: n %d agree %v, want %d %v", w.k, ag.N, ag.Agree, w.n, w.agree)
		}
		var sum int
		for _, row := range ag.Matrix {
			for _, c := range row {
				sum += c
			}
		}
		if sum != ag.N || len(ag.Labels) != 8 || ag.Labels[7] != datasets.Unknown {
			t.Errorf("%+v: matrix sums to %d, labels %v", w.k, sum, ag.Labels)
		}
	}
	// x vs y on model a: happy/happy, sad/sad, angry/sad → κ from the 8×8 table.
	cm := make([]int64, 64)
	cm[0*8+0], cm[1*8+1], cm[3*8+1] = 1, 1, 1
	k, _, _ := Kappa(cm, 8)
	if !near(got[key{"x", "y", "a"}].Kappa, k) {
		t.Errorf("kappa %v, want %v", got[key{"x", "y", "a"}].Kappa, k)
	}
}
