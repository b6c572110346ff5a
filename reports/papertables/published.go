package papertables

import (
	"fmt"
	"strings"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/reference"
	"github.com/emoeval/emoeval/reports/tabular"
)

// The published TF rates were judged by gpt-4.1-mini under the authors' protocol; a rate from
// another judge or protocol measures something else.
const (
	publishedJudge    = "gpt-4.1-mini"
	publishedProtocol = "migr"
)

// PublishedVsRun sets the published TF rates (correct prediction, inconsistent explanation)
// beside this run's, each row saying which judge and protocol made it and whether it can be
// compared with the published ones. Nothing in it is ranked: rows made differently are not on
// one scale. Nil when the data set has no published rates.
func PublishedVsRun(s *metrics.Summary, judgeModels map[string]string) *tabular.Table {
	refs := reference.InconsistencyFor(s.Dataset)
	if len(refs) == 0 {
		return nil
	}
	t := &tabular.Table{
		ID:    "published-vs-run",
		Title: "Published vs this run: TF (correct prediction, inconsistent explanation), " + scope(s),
		Columns: []tabular.Column{
			{Header: "Row"}, {Header: "TF, share of all", Align: tabular.Right}, {Header: "TF / correct", Align: tabular.Right},
			{Header: "Judge"}, {Header: "Protocol"}, {Header: "Comparable with the published rows?"},
		},
	}
	var sources []string
	for _, r := range refs {
		quoted := notAvailable
		if r.TFQuoted.Reported() {
			quoted = r.TFQuoted.Text + "% (baseline " + r.BaselineQuoted.Text + "%, as quoted)"
		}
		t.Rows = append(t.Rows, tabular.Row{Reported: true, Cells: []tabular.Cell{
			tabular.Str(r.Model), reportedCell(r.TFAll.Text, "%"), tabular.Str(quoted),
			tabular.Str(publishedJudge), tabular.Str(publishedProtocol), tabular.Str("published (" + r.Source.Name + ")"),
		}})
		sources = append(sources, r.Model+": "+r.Source.String())
	}
	first := true
	for _, m := range models(s) {
		for _, j := range judges(s) {
			r := s.Models[m].Reliability[j]
			if r == nil {
				continue
			}
			judge := j
			if id := judgeModels[j]; id != "" {
				judge += " (" + id + ")"
			}
			t.Rows = append(t.Rows, tabular.Row{Rule: first, Cells: []tabular.Cell{
				tabular.Str(m), quarterPct(r.TF), quarterPct(r.TFGivenCorrect), tabular.Str(judge), tabular.Str(s.Protocol),
				tabular.Str(comparability(s, judgeModels[j])),
			}})
			first = false
		}
	}
	t.Notes = append(t.Notes, "Published: "+strings.Join(sources, "; ")+".")
	t.Notes = append(t.Notes, "Which normalisation the quoted 18.10% → 7.37% uses is not published; emoeval reports TF over all samples and over correct predictions. Rows are not ranked: a rate measured by another judge, under another protocol, or on synthetic data is a different measurement.")
	return finish(s, t)
}

// comparability says whether this run's TF is measured as the published rates were.
func comparability(s *metrics.Summary, judgeModel string) string {
	var why []string
	if s.Synthetic {
		why = append(why, "synthetic data")
	}
	if !strings.EqualFold(judgeModel, publishedJudge) {
		why = append(why, "another judge")
	}
	if s.Protocol != publishedProtocol {
		why = append(why, fmt.Sprintf("the %s protocol", s.Protocol))
	}
	if len(s.Folds) != 1 || s.Folds[0] != 5 {
		why = append(why, "other folds")
	}
	if len(why) == 0 {
		return "yes (same judge, protocol and fold)"
	}
	return "no: " + strings.Join(why, ", ")
}
