package metrics

import (
	"math"
	"math/big"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
)

func TestMcNemarExact(t *testing.T) {
	cases := []struct {
		b, c int64
		want float64
	}{
		{0, 0, 1},
		{1, 6, 2 * (1 + 7) / 128.0},                 // n=7: P(X≤1) = 8/128
		{2, 9, 2 * (1 + 11 + 55) / 2048.0},          // n=11: P(X≤2) = 67/2048
		{9, 2, 2 * (1 + 11 + 55) / 2048.0},          // symmetric
		{0, 10, 2 / 1024.0},                         // n=10: P(X=0)
		{3, 0, 2 / 8.0},                             // n=3
		{5, 5, 1},                                   // 2·P(X≤5) > 1: capped
		{10, 20, 2 * 0.049368573352694511413574219}, // P(X≤10 | n=30) = 53009102/2^30
	}
	for _, tc := range cases {
		if got := McNemarExact(tc.b, tc.c); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("McNemarExact(%d, %d) = %v, want %v", tc.b, tc.c, got, tc.want)
		}
	}
	// Against exact rational arithmetic for every b, c ≤ 60.
	for b := int64(0); b <= 60; b += 3 {
		for c := int64(0); c <= 60; c += 7 {
			want := exactMcNemar(b, c)
			if got := McNemarExact(b, c); math.Abs(got-want) > 1e-12*math.Max(want, 1e-300) && math.Abs(got-want) > 1e-15 {
				t.Errorf("McNemarExact(%d, %d) = %v, exact %v", b, c, got, want)
			}
		}
	}
}

func exactMcNemar(b, c int64) float64 {
	n := b + c
	if n == 0 {
		return 1
	}
	sum := new(big.Int)
	binom := big.NewInt(1)
	for i := int64(0); i <= min(b, c); i++ {
		if i > 0 {
			binom.Mul(binom, big.NewInt(n-i+1))
			binom.Div(binom, big.NewInt(i))
		}
		sum.Add(sum, binom)
	}
	p := new(big.Rat).SetFrac(new(big.Int).Mul(sum, big.NewInt(2)), new(big.Int).Lsh(big.NewInt(1), uint(n)))
	f, _ := p.Float64()
	return math.Min(1, f)
}

func TestCompare(t *testing.T) {
	ls := datasets.DFEW()
	split := splitOf("happy", "happy", "sad", "sad", "angry", "angry")
	base := samples("1:happy 2:sad 3:sad 4:happy 5:angry 6:?")
	// The candidate has no output for clip 6: common clips are 1–5.
	cand := samples("1:happy 2:happy 3:sad 4:sad 5:sad")
	judge := func(e ...string) map[string]map[string]JudgeOutcome {
		out := map[string]JudgeOutcome{}
		for i, x := range e {
			out[itoa(i+1)] = JudgeOutcome{Emotion: x}
		}
		return map[string]map[string]JudgeOutcome{"j": out}
	}
	in := Input{Clips: split, Models: []ModelInput{
		{Name: "base", Samples: base, Judgments: judge("sad", "sad", "sad", "sad", "angry", "sad")},
		{Name: "cand", Samples: cand, Judgments: judge("happy", "happy", "sad", "sad", "sad")},
	}}
	s, err := Build(in, Options{Labels: ls, Protocol: parse.ProtocolRobust, Bootstrap: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]Comparison{}
	for _, c := range s.Comparisons {
		byKey[c.Metric+"/"+c.Test] = c
		if c.Baseline != "base" || c.Candidate != "cand" || c.N != 5 {
			t.Errorf("comparison %+v", c)
		}
	}
	// WAR on clips 1–5: base right on 1,3,5 (3/5); cand on 1,2,3,4 (4/5).
	war := byKey["war/"+ComparePairedBootstrap]
	if !near(war.Base, 0.6) || !near(war.Cand, 0.8) || !near(war.Delta, 0.2) {
		t.Errorf("war %+v", war)
	}
	if !(war.CI[0] <= war.Delta && war.Delta <= war.CI[1]) || war.PValue <= 0 || war.PValue > 1 {
		t.Errorf("war interval %v p %v", war.CI, war.PValue)
	}
	// Discordant: cand alone right on 2 and 4, base alone on 5 → McNemar(1, 2) = 1.
	if m := byKey["war/"+CompareMcNemarExact]; m.PValue != 1 || m.CI != war.CI {
		t.Errorf("mcnemar %+v", m)
	}
	// TF: the base's clip 1 only (happy, explained as sad); the candidate has none. McNemar(1, 0) = 1.
	tf := byKey["j.tf/"+ComparePairedBootstrap]
	if !near(tf.Base, 0.2) || !near(tf.Cand, 0) {
		t.Errorf("tf %+v", tf)
	}
	if m := byKey["j.tf/"+CompareMcNemarExact]; m.PValue != 1 {
		t.Errorf("tf mcnemar %+v", m)
	}
	// Every headline metric but mi_aligned, undefined without MI, and two McNemar tests.
	if _, ok := byKey["mi_aligned/"+ComparePairedBootstrap]; ok || len(s.Comparisons) != len(headlineKeys([]string{"j"}))-1+2 {
		t.Errorf("%d comparisons: %v", len(s.Comparisons), byKey)
	}
}

// TestCompareIdentical: a model compared with itself differs by nothing, with p = 1.
func TestCompareIdentical(t *testing.T) {
	ls := datasets.DFEW()
	ss := samples("1:happy 2:sad 3:sad 4:?")
	s, err := Build(Input{Clips: splitOf("happy", "happy", "sad", "fear"), Models: []ModelInput{{Name: "a", Samples: ss}, {Name: "b", Samples: ss}}},
		Options{Labels: ls, Protocol: parse.ProtocolMigr, Bootstrap: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Comparisons {
		if c.Delta != 0 || c.CI != [2]float64{} || c.PValue != 1 {
			t.Errorf("%+v", c)
		}
	}
}

func TestFoldMean(t *testing.T) {
	ls := datasets.DFEW()
	clips := []datasets.Clip{
		{ClipID: "1", Fold: 1, Label: "happy"}, {ClipID: "2", Fold: 1, Label: "happy"},
		{ClipID: "3", Fold: 2, Label: "happy"}, {ClipID: "4", Fold: 2, Label: "happy"},
		{ClipID: "5", Fold: 3, Label: "happy"}, {ClipID: "6", Fold: 3, Label: "happy"},
	}
	// Per-fold WAR: 1, 0.5, 0.
	ss := samples("1:happy 2:happy 3:happy 4:sad 5:sad 6:sad")
	s, err := Build(Input{Clips: clips, Models: []ModelInput{{Name: "m", Samples: ss}}},
		Options{Labels: ls, Protocol: parse.ProtocolRobust, Folds: []int32{3, 1, 2}, FoldAggregation: FoldsMean})
	if err != nil {
		t.Fatal(err)
	}
	m := s.Models["m"]
	if got := m.FoldMean["war"]; !near(got.Mean, 0.5) || !near(got.SD, 0.5) || got.N != 3 {
		t.Errorf("war over folds %+v", got)
	}
	if !near(m.WAR, 0.5) || s.FoldAggregation != FoldsMean || len(s.Folds) != 3 || s.Folds[0] != 1 {
		t.Errorf("pooled WAR %v, aggregation %s, folds %v", m.WAR, s.FoldAggregation, s.Folds)
	}
	// Pooled (and single) aggregation report no per-fold values.
	s, _ = Build(Input{Clips: clips, Models: []ModelInput{{Name: "m", Samples: ss}}},
		Options{Labels: ls, Protocol: parse.ProtocolRobust, Folds: []int32{1, 2, 3}})
	if s.FoldAggregation != FoldsPooled || s.Models["m"].FoldMean != nil {
		t.Errorf("pooled: %s %v", s.FoldAggregation, s.Models["m"].FoldMean)
	}
}
