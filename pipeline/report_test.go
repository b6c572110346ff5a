package pipeline

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/pdf"
)

// The report's examples, picked while streaming the run's files, are those of reading them
// whole: per model, the first n correct-but-inconsistent samples in clip order (ties in file
// order), read with the first judge that judged the model.
func TestFindExamplesPicksTheFirstInClipOrder(t *testing.T) {
	dir := t.TempDir()
	ls := datasets.DFEW()
	r := rand.New(rand.NewPCG(3, 3))
	var preds []predictions.Prediction
	var js []judges.Judgment
	for i := range 700 { // more than one read batch
		model := []string{"a", "b"}[i%2]
		clip := fmt.Sprintf("%05d", r.IntN(300)) // duplicates, out of order
		truth := ls.Labels[r.IntN(3)]
		pred := truth
		if r.IntN(4) == 0 {
			pred = ls.Labels[r.IntN(7)]
		}
		p := predictions.Prediction{Model: model, Variant: "av", ClipID: clip, Label: truth, Pred: pred, PredQuarter: pred,
			Think: fmt.Sprintf("row %d", i)}
		if r.IntN(20) == 0 {
			p.Error = "failed"
		}
		preds = append(preds, p)
		for _, judge := range []string{"j1", "j2"} {
			e := pred
			if r.IntN(3) == 0 {
				e = ls.Labels[r.IntN(7)]
			}
			js = append(js, judges.Judgment{Judge: judge, Model: model, ClipID: clip, Emotion: e})
		}
	}
	pw, err := predictions.NewWriter(filepath.Join(dir, PredictionsFile))
	must(t, err)
	must(t, pw.Write(preds...))
	must(t, pw.Close())
	jw, err := judges.NewWriter(filepath.Join(dir, JudgmentsFile))
	must(t, err)
	must(t, jw.Write(js...))
	must(t, jw.Close())
	s := &metrics.Summary{Dataset: ls.Name, Labels: ls.Labels, Protocol: string(parse.ProtocolMigr), Judges: []string{"j1", "j2"},
		ModelOrder: []string{"a", "b"}, Models: map[string]*metrics.ModelSummary{
			"a": {Reliability: map[string]*metrics.Reliability{"j2": {}}},
			"b": {Reliability: map[string]*metrics.Reliability{"j1": {}, "j2": {}}},
		}}

	got, err := findExamples(dir, s, 4)
	must(t, err)

	judgeOf := map[string]string{"a": "j2", "b": "j1"}
	last := map[string]judges.Judgment{}
	for _, j := range js {
		last[j.Judge+"|"+j.Model+"|"+j.ClipID] = j
	}
	sorted := slices.Clone(preds)
	slices.SortStableFunc(sorted, func(x, y predictions.Prediction) int { return strings.Compare(x.ClipID, y.ClipID) })
	var want []pdf.Example
	for _, model := range s.ModelOrder {
		count := 0
		for _, p := range sorted {
			j := last[judgeOf[model]+"|"+model+"|"+p.ClipID]
			if count == 4 || p.Model != model || p.Error != "" ||
				metrics.QuarterCellOf(parse.ProtocolMigr, ls, p.Label, p.Pred, p.PredQuarter, j.Emotion, false) != "TF" {
				continue
			}
			want = append(want, pdf.Example{Model: model, ClipID: p.ClipID, Truth: p.Label, Pred: p.PredQuarter,
				JudgeEmotion: j.Emotion, Judge: judgeOf[model], Explanation: p.Think})
			count++
		}
	}
	if len(want) != 8 || !slices.Equal(got, want) {
		t.Errorf("examples\n got %+v\nwant %+v", got, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
