package papertables

import (
	"fmt"
	"strings"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/tabular"
)

// JudgeValidity sets each judge's raw explanation rates beside the rates corrected with human
// labels (prediction-powered inference) and the human labels' own estimate, with intervals, and
// says how many human labels the judge is worth. Nil when no model has human labels. The
// judge-versus-human agreement (κ, confusion) is in the agreement table.
func JudgeValidity(s *metrics.Summary) *tabular.Table {
	t := &tabular.Table{
		ID:    "judge-validity",
		Title: "Judge validity: raw and human-corrected TF, " + scope(s),
		Columns: []tabular.Column{
			{Header: "Model"}, {Header: "Judge"}, {Header: "Humans", Align: tabular.Right},
			{Header: "TF raw", Align: tabular.Right}, {Header: "TF corrected", Align: tabular.Right},
			{Header: "TF human only", Align: tabular.Right}, {Header: "TF / correct corrected", Align: tabular.Right},
			{Header: "EPC corrected", Align: tabular.Right}, {Header: "Labels worth", Align: tabular.Right},
		},
	}
	var strata []string
	for _, m := range models(s) {
		for _, j := range judges(s) {
			r := s.Models[m].Reliability[j]
			if r == nil || r.Corrected == nil {
				continue
			}
			c := r.Corrected
			tfgc := tabular.Str(notAvailable)
			if c.TFGivenCorrect != nil {
				tfgc = withCI(*c.TFGivenCorrect, c.CI["tf_given_correct"])
			}
			t.Rows = append(t.Rows, tabular.Row{Cells: []tabular.Cell{
				tabular.Str(m), tabular.Str(j), tabular.Count(c.NHuman), quarterPct(r.TF),
				withCI(c.TF, c.CI["tf"]), withCI(c.HumanOnly.TF, c.HumanOnly.CI["tf"]), tfgc,
				withCI(c.EPC, c.CI["epc"]), tabular.Num(c.EffectiveN, "%.0f"),
			}})
			strata = append(strata, fmt.Sprintf("%s/%s: %s by %s", m, j, c.Strata, c.Human))
		}
	}
	if len(t.Rows) == 0 {
		return nil
	}
	t.Notes = append(t.Notes,
		"TF = correct prediction whose explanation does not support the true emotion, as a share of all samples. Raw: as the judge reads the explanations (the quarter table's rule). Corrected: the judge's reading corrected with the human labels on a sample (prediction-powered inference with power tuning, stratified by the quarter cells the human sample was drawn in), with a 95% interval that holds however wrong the judge is. Human only: the same from the human labels alone.",
		"Labels worth: how many human labels the human-only estimate of TF would need to be as precise as the corrected one. Strata and labels: "+strings.Join(strata, "; ")+".")
	return finish(s, t)
}

// withCI is a percentage with its interval: "8.00% [6.10, 9.90]".
func withCI(v float64, ci [2]float64) tabular.Cell {
	c := tabular.Str(fmt.Sprintf("%.2f%% [%.2f, %.2f]", 100*v, 100*ci[0], 100*ci[1]))
	c.Interval = &[2]float64{100 * ci[0], 100 * ci[1]}
	return c
}
