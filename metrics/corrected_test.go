package metrics

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
)

// A human sample drawn at equal rates within one judge's quarter cells (as the viewer draws it)
// over-represents that judge's rare cells. Corrected rates under any judge must then use the
// sampling judge's cells as strata: with them, the estimate of TF under another judge lands near
// the census value; with the other judge's own cells, as if the sample were drawn within those,
// it does not.
func TestCorrectedUsesTheSamplingStrata(t *testing.T) {
	ls := datasets.DFEW()
	r := rand.New(rand.NewPCG(7, 7))
	const n = 4000
	split := make([]datasets.Clip, n)
	pred, e1, e2, reading := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	other := func(not string) string {
		for {
			if l := ls.Labels[r.IntN(4)]; l != not {
				return l
			}
		}
	}
	for i := range split {
		split[i] = datasets.Clip{ClipID: itoa(i + 1), Fold: 1, Label: ls.Labels[r.IntN(4)]}
		pred[i] = split[i].Label
		if r.IntN(10) < 3 {
			pred[i] = other(split[i].Label)
		}
		// What the explanation supports, as a person reads it: mostly the prediction.
		reading[i] = pred[i]
		if r.IntN(10) < 2 {
			reading[i] = other(pred[i])
		}
		e1[i], e2[i] = reading[i], reading[i]
		if r.IntN(20) == 0 {
			e1[i] = other(reading[i])
		}
		if r.IntN(3) == 0 {
			e2[i] = pred[i] // j2 leans on the prediction
		}
	}
	var censusTF float64
	for i, c := range split {
		if pred[i] == c.Label && reading[i] != c.Label {
			censusTF++
		}
	}
	censusTF /= n
	// 40 explanations from each of j1's quarter cells.
	taken := map[string]int{}
	labels := map[string]string{}
	for i, c := range split {
		cell := QuarterCellOf(parse.ProtocolRobust, ls, c.Label, pred[i], pred[i], e1[i], false)
		if taken[cell] < 40 {
			taken[cell]++
			labels[c.ClipID] = reading[i]
		}
	}
	estimate := func(stratifiedBy string) *Corrected {
		b, err := NewBuilder(Options{Labels: ls, Protocol: parse.ProtocolRobust, Folds: []int32{1}}, split)
		if err != nil {
			t.Fatal(err)
		}
		must(t, b.AddModel("m", "", "av"))
		for i, c := range split {
			must(t, b.AddSample("m", Sample{ClipID: c.ClipID, Pred: pred[i], QuarterPred: pred[i]}))
			must(t, b.AddJudgment("m", "j1", c.ClipID, JudgeOutcome{Emotion: e1[i]}))
			must(t, b.AddJudgment("m", "j2", c.ClipID, JudgeOutcome{Emotion: e2[i]}))
		}
		must(t, b.AddHuman(HumanLabels{Name: "human", Labels: labels, StratifiedBy: stratifiedBy}))
		s, err := b.Summary()
		if err != nil {
			t.Fatal(err)
		}
		c := s.Models["m"].Reliability["j2"].Corrected
		if c == nil {
			t.Fatalf("no corrected rates (stratified by %q)", stratifiedBy)
		}
		return c
	}
	good, naive := estimate("j1"), estimate("")
	t.Logf("census %.4f good %.4f %v naive %.4f %v", censusTF, good.TF, good.CI["tf"], naive.TF, naive.CI["tf"])
	if good.Strata != StrataJudgeCell+" of j1" || naive.Strata != StrataJudgeCell {
		t.Errorf("strata %q and %q", good.Strata, naive.Strata)
	}
	if ci := good.CI["tf"]; censusTF < ci[0] || censusTF > ci[1] {
		t.Errorf("TF %.4f [%.4f, %.4f] misses the census %.4f", good.TF, ci[0], ci[1], censusTF)
	}
	if math.Abs(naive.TF-censusTF) < 2*math.Abs(good.TF-censusTF) {
		t.Errorf("the naive strata are as close (%.4f) as the sampling strata (%.4f) to %.4f: the test does not tell them apart", naive.TF, good.TF, censusTF)
	}
}

func TestHumanLabelsStratifiedByAJudgeTheRunLacks(t *testing.T) {
	b := smallRun(t, 10, parse.ProtocolRobust, 0, 1)
	err := b.AddHuman(HumanLabels{Name: "human:a", Labels: map[string]string{"1": "happy"}, StratifiedBy: "gpt"})
	if err == nil || !strings.Contains(err.Error(), `judge "gpt", which this run does not have (judges: j)`) {
		t.Errorf("err = %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
