package papertables

import (
	"fmt"
	"sort"
	"strings"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/tabular"
)

// PerClass is per-class recall: classes as rows in label order, the support, one column per
// model (percent, three decimals), and the UAR (their mean) below a rule.
func PerClass(s *metrics.Summary) *tabular.Table {
	names := models(s)
	t := &tabular.Table{
		ID:      "per-class",
		Title:   "Per-class recall (%): " + scope(s),
		Columns: []tabular.Column{{Header: "Class"}, {Header: "Support", Align: tabular.Right}},
	}
	for _, m := range names {
		t.Columns = append(t.Columns, tabular.Column{Header: m, Align: tabular.Right})
	}
	percents := make([]recognitionPercents, len(names))
	for i, m := range names {
		percents[i] = percentsOf(s, s.Models[m])
	}
	for _, label := range classLabels(s, names) {
		cells := []tabular.Cell{tabular.Str(label), supportCell(s, names, label)}
		for i := range names {
			if r, ok := percents[i].recall[label]; ok {
				cells = append(cells, percentCell(r, 3))
			} else {
				cells = append(cells, tabular.Str(notAvailable))
			}
		}
		t.Rows = append(t.Rows, tabular.Row{Cells: cells})
	}
	uar := []tabular.Cell{tabular.Str("UAR (mean)"), tabular.Str("")}
	for i := range names {
		uar = append(uar, percentCell(percents[i].uar, 3))
	}
	t.Rows = append(t.Rows, tabular.Row{Cells: uar, Rule: true})
	for i := range t.Rows {
		emphasizeRow(&t.Rows[i], 2)
	}
	t.Notes = append(t.Notes, "Recall = correct / support of the true class; unknown answers count as wrong. Bold: best model for the class.")
	return finish(s, t)
}

// classLabels is the summary's label order, then any class a model has that it lacks.
func classLabels(s *metrics.Summary, names []string) []string {
	out := append([]string(nil), s.Labels...)
	seen := map[string]bool{}
	for _, l := range out {
		seen[l] = true
	}
	var extra []string
	for _, m := range names {
		for l := range s.Models[m].PerClass {
			if !seen[l] {
				seen[l] = true
				extra = append(extra, l)
			}
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// supportCell is the class's support, or every model's when they differ ("489 / 488").
func supportCell(s *metrics.Summary, names []string, label string) tabular.Cell {
	var supports []int
	for _, m := range names {
		if cs, ok := s.Models[m].PerClass[label]; ok {
			supports = append(supports, cs.Support)
		}
	}
	if len(supports) == 0 {
		return tabular.Str(notAvailable)
	}
	same := true
	for _, n := range supports {
		same = same && n == supports[0]
	}
	if same {
		return tabular.Count(supports[0])
	}
	texts := make([]string, len(supports))
	for i, n := range supports {
		texts[i] = fmt.Sprint(n)
	}
	return tabular.Str(strings.Join(texts, " / "))
}

// emphasizeRow marks the highest value among a row's cells from column from on (ties all).
func emphasizeRow(r *tabular.Row, from int) {
	var cells []*tabular.Cell
	for j := from; j < len(r.Cells); j++ {
		if r.Cells[j].Value != nil {
			cells = append(cells, &r.Cells[j])
		}
	}
	markBest(cells, false)
}
