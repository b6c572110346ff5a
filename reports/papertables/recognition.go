package papertables

import (
	"fmt"
	"strings"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/reference"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Recognition is the models side by side: N, WAR, UAR, macro-F1 (percent, three decimals),
// unknown answers, intervals when the summary has them; then, with opt.Reference, the published
// rows of docs/reference.md §7 for the data set, marked reported.
func Recognition(s *metrics.Summary, opt Options) *tabular.Table {
	names := models(s)
	keys := []string{"war", "uar", "macro_f1"}
	t := &tabular.Table{
		ID:    "recognition",
		Title: "Recognition: " + scope(s),
		Columns: []tabular.Column{
			{Header: "Model"}, {Header: "N", Align: tabular.Right},
			{Header: "WAR (%)", Align: tabular.Right}, {Header: "UAR (%)", Align: tabular.Right},
			{Header: "macro-F1 (%)", Align: tabular.Right}, {Header: "Unknown", Align: tabular.Right},
			{Header: "Failed", Align: tabular.Right},
		},
	}
	var ciKeys []string
	for _, k := range keys {
		if anyCI(s, names, k) {
			ciKeys = append(ciKeys, k)
			t.Columns = append(t.Columns, tabular.Column{Header: MetricLabel(k) + " " + CILabel(s), Align: tabular.Right})
		}
	}
	var missing, extra []string
	for _, m := range names {
		ms := s.Models[m]
		p := percentsOf(s, ms)
		cells := []tabular.Cell{tabular.Str(m), tabular.Count(ms.N), percentCell(p.war, 3), percentCell(p.uar, 3), pct(ms.MacroF1, 3), tabular.Count(ms.Unknown), tabular.Count(ms.Failed)}
		for _, k := range ciKeys {
			ci, ok := ms.CI[k]
			cells = append(cells, ciCell(ci, ok))
		}
		t.Rows = append(t.Rows, tabular.Row{Cells: cells})
		if ms.Missing > 0 {
			missing = append(missing, fmt.Sprintf("%s %d", m, ms.Missing))
		}
		if ms.Extra > 0 && s.Protocol == "migr" {
			extra = append(extra, fmt.Sprintf("%s %d", m, ms.Extra))
		}
	}
	for col := 2; col <= 4; col++ {
		emphasize(t.Rows, col, false)
	}
	t.Notes = append(t.Notes, "WAR = correct / N (accuracy); UAR = mean of per-class recall; unknown answers count as wrong and stay in N. Bold: best computed value.")
	if len(missing) > 0 {
		how := "not scored"
		if s.Protocol == "robust" {
			how = "scored as unknown"
		}
		t.Notes = append(t.Notes, fmt.Sprintf("Clips of the split without output (%s): %s.", how, strings.Join(missing, ", ")))
	}
	if len(extra) > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("Outputs for clips outside the split (in N as wrong, in no class and not in Unknown): %s.", strings.Join(extra, ", ")))
	}
	if len(ciKeys) > 0 {
		t.Notes = append(t.Notes, ciNote(s))
	}
	if opt.Reference {
		addReportedRecognition(s, t, len(ciKeys))
	}
	return finish(s, t)
}

func addReportedRecognition(s *metrics.Summary, t *tabular.Table, ciColumns int) {
	refs := reference.RecognitionFor(s.Dataset)
	if len(refs) == 0 {
		return
	}
	var bySource []string
	models := map[string][]string{}
	for i, r := range refs {
		cells := []tabular.Cell{tabular.Str(r.Model), tabular.Str(notAvailable), reportedCell(r.WAR.Text, ""), reportedCell(r.UAR.Text, "")}
		cells = append(cells, fill(3+ciColumns, notAvailable)...)
		t.Rows = append(t.Rows, tabular.Row{Cells: cells, Reported: true, Rule: i == 0})
		src := r.Source.String()
		if models[src] == nil {
			bySource = append(bySource, src)
		}
		models[src] = append(models[src], r.Model)
	}
	for _, src := range bySource {
		t.Notes = append(t.Notes, fmt.Sprintf("Reported %s: %s.", strings.Join(models[src], ", "), src))
	}
	t.Notes = append(t.Notes, "Published numbers are printed with their sources' digits; "+notAvailable+" not reported.")
}
