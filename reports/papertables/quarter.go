package papertables

import (
	"fmt"
	"strings"

	"github.com/emoeval/emoeval/internal/slug"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/reference"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Quarter is the quarter table of one judge, models as rows: TT, TF, FT, FF as shares of all
// samples, TF over correct predictions, EPC, EEA, the fallback rate ("18.10%": percent, two
// decimals, as the authors' script prints), judge errors, and TF's interval when present. With
// opt.Reference a note points to the published TF rates. Nil when no model has the judge.
func Quarter(s *metrics.Summary, judge string, opt Options) *tabular.Table {
	names := modelsWithJudge(s, judge)
	if len(names) == 0 {
		return nil
	}
	t := &tabular.Table{
		ID:    "quarter-" + slug.Of(judge),
		Title: "Prediction × explanation under judge " + judge + ": " + scope(s),
		Columns: []tabular.Column{
			{Header: "Model"}, {Header: "N", Align: tabular.Right},
			{Header: "TT", Align: tabular.Right}, {Header: "TF", Align: tabular.Right},
			{Header: "FT", Align: tabular.Right}, {Header: "FF", Align: tabular.Right},
			{Header: "TF / correct", Align: tabular.Right}, {Header: "EPC", Align: tabular.Right},
			{Header: "EEA", Align: tabular.Right}, {Header: "Fallback", Align: tabular.Right},
			{Header: "Errors", Align: tabular.Right},
		},
	}
	tfCI := anyCI(s, names, judge+".tf")
	if tfCI {
		t.Columns = append(t.Columns, tabular.Column{Header: "TF " + CILabel(s), Align: tabular.Right})
	}
	var unknown, abstained []string
	for _, m := range names {
		r := s.Models[m].Reliability[judge]
		cells := []tabular.Cell{
			tabular.Str(m), tabular.Count(r.N),
			quarterPct(r.TT), quarterPct(r.TF), quarterPct(r.FT), quarterPct(r.FF),
			quarterPct(r.TFGivenCorrect), quarterPct(r.EPC), quarterPct(r.EEA), quarterPct(r.Fallback),
			tabular.Count(r.Errors),
		}
		if tfCI {
			ci, ok := s.Models[m].CI[judge+".tf"]
			cells = append(cells, ciCell(ci, ok))
		}
		t.Rows = append(t.Rows, tabular.Row{Cells: cells})
		if r.Unknown > r.Abstained {
			unknown = append(unknown, fmt.Sprintf("%s %d", m, r.Unknown-r.Abstained))
		}
		if r.Abstained > 0 {
			abstained = append(abstained, fmt.Sprintf("%s %d", m, r.Abstained))
		}
	}
	emphasize(t.Rows, 3, true)
	emphasize(t.Rows, 6, true)
	emphasize(t.Rows, 7, false)
	emphasize(t.Rows, 8, false)
	t.Notes = append(t.Notes,
		"Prediction correct? × explanation correct? (the judge's emotion for the explanation equals the ground truth), as shares of all N samples; an unparsable answer counts as FF.",
		"TF = correct prediction, inconsistent explanation; TF / correct = TF / (TT + TF); EPC = prediction equals the judge's emotion; EEA = TT + FT; Fallback = judge replies the migr protocol mapped to neutral. Bold: best computed value.")
	if len(unknown) > 0 {
		how := "the explanation counts as not matching the ground truth"
		if s.Protocol == "migr" {
			how = "the sample counts as FF, as in the authors' consistency script"
		}
		t.Notes = append(t.Notes, "Judge replies outside the label set ("+how+"): "+strings.Join(unknown, ", ")+".")
	}
	if len(abstained) > 0 {
		t.Notes = append(t.Notes, "Explanations the judge could not read as one emotion (it abstained; counted as not matching the ground truth): "+strings.Join(abstained, ", ")+".")
	}
	if tfCI {
		t.Notes = append(t.Notes, ciNote(s))
	}
	if opt.Reference && len(reference.InconsistencyFor(s.Dataset)) > 0 {
		// Published TF rates were judged by another judge under one protocol: they stand in a
		// table of their own, each row saying how it was made, not among this judge's rows.
		t.Notes = append(t.Notes, "The published TF rates are in the table \"Published vs this run\", with the judge and protocol behind each.")
	}
	return finish(s, t)
}

// QuarterCI lists the intervals of every quarter-table metric of one judge, models as rows
// ("quarter-ci-<judge>"). Nil when the summary has none.
func QuarterCI(s *metrics.Summary, judge string) *tabular.Table {
	names := modelsWithJudge(s, judge)
	var keys []string
	for _, k := range JudgeMetrics() {
		if anyCI(s, names, judge+"."+k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	t := &tabular.Table{
		ID:      "quarter-ci-" + slug.Of(judge),
		Title:   "Quarter-table intervals (" + CILabel(s) + ", %) under judge " + judge + ": " + scope(s),
		Columns: []tabular.Column{{Header: "Model"}},
		Notes:   []string{ciNote(s)},
	}
	for _, k := range keys {
		t.Columns = append(t.Columns, tabular.Column{Header: strings.TrimPrefix(MetricLabel(judge+"."+k), judge+" "), Align: tabular.Right})
	}
	for _, m := range names {
		cells := []tabular.Cell{tabular.Str(m)}
		for _, k := range keys {
			ci, ok := s.Models[m].CI[judge+"."+k]
			cells = append(cells, ciCell(ci, ok))
		}
		t.Rows = append(t.Rows, tabular.Row{Cells: cells})
	}
	return finish(s, t)
}

func modelsWithJudge(s *metrics.Summary, judge string) []string {
	var out []string
	for _, m := range models(s) {
		if s.Models[m].Reliability[judge] != nil {
			out = append(out, m)
		}
	}
	return out
}

// ByJudge sets the judges side by side: one row per model and judge with the quarter cells, TF
// over correct predictions and EPC, so that a reader sees at once how far the judges agree on
// the headline number. Nil with fewer than two judges.
func ByJudge(s *metrics.Summary) *tabular.Table {
	js := judges(s)
	if len(js) < 2 {
		return nil
	}
	t := &tabular.Table{
		ID:    "quarter-by-judge",
		Title: "Prediction × explanation, judges side by side: " + scope(s),
		Columns: []tabular.Column{
			{Header: "Model"}, {Header: "Judge"},
			{Header: "TT", Align: tabular.Right}, {Header: "TF", Align: tabular.Right},
			{Header: "FT", Align: tabular.Right}, {Header: "FF", Align: tabular.Right},
			{Header: "TF / correct", Align: tabular.Right}, {Header: "EPC", Align: tabular.Right},
		},
	}
	for _, m := range models(s) {
		first := true
		for _, j := range js {
			r := s.Models[m].Reliability[j]
			if r == nil {
				continue
			}
			t.Rows = append(t.Rows, tabular.Row{Rule: first && len(t.Rows) > 0, Cells: []tabular.Cell{
				tabular.Str(m), tabular.Str(j),
				quarterPct(r.TT), quarterPct(r.TF), quarterPct(r.FT), quarterPct(r.FF),
				quarterPct(r.TFGivenCorrect), quarterPct(r.EPC),
			}})
			first = false
		}
	}
	if len(t.Rows) == 0 {
		return nil
	}
	t.Notes = append(t.Notes, "Shares of all N samples; TF = correct prediction, inconsistent explanation; TF / correct = TF / (TT + TF). Judge agreement: see the agreement table.")
	return finish(s, t)
}
