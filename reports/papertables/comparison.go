package papertables

import (
	"fmt"
	"math"
	"sort"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Agreement is judge agreement: Cohen's kappa and raw agreement of each pair of judges (or a
// judge and human labels), per model or pooled. Nil when the summary has none.
func Agreement(s *metrics.Summary) *tabular.Table {
	if len(s.Agreement) == 0 {
		return nil
	}
	t := &tabular.Table{
		ID:    "agreement",
		Title: "Judge agreement: " + scope(s),
		Columns: []tabular.Column{
			{Header: "Judge A"}, {Header: "Judge B"}, {Header: "Model"}, {Header: "n", Align: tabular.Right},
			{Header: "Agreement", Align: tabular.Right}, {Header: "Cohen's κ", Align: tabular.Right},
		},
		Notes: []string{"Agreement: share of explanations both name the same emotion for; κ corrects it for chance agreement."},
	}
	for _, a := range s.Agreement {
		model := a.Model
		if model == "" {
			model = "all models"
		}
		kappa := tabular.Str(notAvailable)
		if !math.IsNaN(a.Kappa) && !math.IsInf(a.Kappa, 0) {
			kappa = tabular.Num(a.Kappa, "%.3f")
		}
		t.Rows = append(t.Rows, tabular.Row{Cells: []tabular.Cell{
			tabular.Str(a.A), tabular.Str(a.B), tabular.Str(model), tabular.Count(a.N), quarterPct(a.Agree), kappa,
		}})
	}
	return finish(s, t)
}

// Comparisons lists the paired comparisons: both values, the difference Δ = candidate −
// baseline in percentage points for rates, its interval, the p-value and the test. Bold: p below
// the summary's alpha. Nil when there are none.
func Comparisons(s *metrics.Summary) *tabular.Table {
	if len(s.Comparisons) == 0 {
		return nil
	}
	t := &tabular.Table{
		ID:    "comparisons",
		Title: "Paired comparisons: " + scope(s),
		Columns: []tabular.Column{
			{Header: "Baseline"}, {Header: "Candidate"}, {Header: "Metric"}, {Header: "N", Align: tabular.Right},
			{Header: "Baseline value", Align: tabular.Right}, {Header: "Candidate value", Align: tabular.Right},
			{Header: "Δ (pp)", Align: tabular.Right}, {Header: "Δ " + CILabel(s), Align: tabular.Right},
			{Header: "p", Align: tabular.Right}, {Header: "Test"},
		},
	}
	alpha := Alpha(s)
	for _, c := range s.Comparisons {
		p := PValueCell(c.PValue)
		p.Emph = c.PValue < alpha
		t.Rows = append(t.Rows, tabular.Row{Cells: []tabular.Cell{
			tabular.Str(c.Baseline), tabular.Str(c.Candidate), tabular.Str(c.Metric), tabular.Count(c.N),
			MetricCell(c.Metric, c.Base), MetricCell(c.Metric, c.Cand),
			DeltaCell(c.Metric, c.Delta), tabular.Str(DeltaCI(c.Metric, c.Delta, c.CI)), p, tabular.Str(c.Test),
		}})
	}
	t.Notes = append(t.Notes,
		fmt.Sprintf("Δ = candidate − baseline on their common clips, in percentage points (format_reward: in its own units). Bold p: below α = %g.", alpha),
		"paired-bootstrap: percentile interval and two-sided p of the paired bootstrap difference; mcnemar-exact: exact McNemar test on the discordant pairs.")
	return finish(s, t)
}

// Alpha is the summary's significance level, 0.05 when unset.
func Alpha(s *metrics.Summary) float64 {
	if a := s.Statistics.Alpha; a > 0 && a < 1 {
		return a
	}
	return 0.05
}

// MetricCell prints a metric value as FormatMetric does, with the displayed number as Value.
func MetricCell(metric string, v float64) tabular.Cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return tabular.Str(notAvailable)
	}
	shown := v
	if IsRate(metric) {
		shown = 100 * v
	}
	return tabular.Cell{Text: FormatMetric(metric, v), Value: &shown}
}

// DeltaCell prints a difference: percentage points with a sign for rates ("+1.25"), the raw
// difference otherwise.
func DeltaCell(metric string, d float64) tabular.Cell {
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return tabular.Str(notAvailable)
	}
	if IsRate(metric) {
		return tabular.Num(100*d, "%+.2f")
	}
	return tabular.Num(d, "%+.3f")
}

// DeltaCI prints a difference's interval in the units of DeltaCell: "[-0.40, +2.10]". An
// interval of [0, 0] around a non-zero difference is one the test did not compute (McNemar).
func DeltaCI(metric string, delta float64, ci [2]float64) string {
	if ci[0] == 0 && ci[1] == 0 && delta != 0 || math.IsNaN(ci[0]) || math.IsNaN(ci[1]) {
		return notAvailable
	}
	if IsRate(metric) {
		return fmt.Sprintf("[%+.2f, %+.2f]", 100*ci[0], 100*ci[1])
	}
	return fmt.Sprintf("[%+.3f, %+.3f]", ci[0], ci[1])
}

// PValueCell prints a p-value with four decimals, or "<0.0001".
func PValueCell(p float64) tabular.Cell {
	if math.IsNaN(p) || p < 0 || p > 1 {
		return tabular.Str(notAvailable)
	}
	c := tabular.Num(p, "%.4f")
	if p < 0.0001 {
		c.Text = "<0.0001"
	}
	return c
}

// FoldMean is the mean ± standard deviation over folds of each model's per-fold values. Nil when
// the summary has none.
func FoldMean(s *metrics.Summary) *tabular.Table {
	var names []string
	keySet := map[string]bool{}
	folds := 0
	for _, m := range models(s) {
		if fm := s.Models[m].FoldMean; len(fm) > 0 {
			names = append(names, m)
			for k, v := range fm {
				keySet[k] = true
				folds = max(folds, v.N)
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	var keys []string
	for _, k := range []string{"war", "uar", "macro_f1"} {
		if keySet[k] {
			keys = append(keys, k)
			delete(keySet, k)
		}
	}
	var rest []string
	for k := range keySet {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	keys = append(keys, rest...)

	t := &tabular.Table{
		ID:      "fold-mean",
		Title:   fmt.Sprintf("Mean ± sd over %d folds: %s", folds, scope(s)),
		Columns: []tabular.Column{{Header: "Model"}},
		Notes:   []string{"Mean and sample standard deviation of per-fold values; rates in percent."},
	}
	for _, k := range keys {
		h := MetricLabel(k)
		if IsRate(k) {
			h += " (%)"
		}
		t.Columns = append(t.Columns, tabular.Column{Header: h, Align: tabular.Right})
	}
	for _, m := range names {
		cells := []tabular.Cell{tabular.Str(m)}
		for _, k := range keys {
			v, ok := s.Models[m].FoldMean[k]
			cells = append(cells, meanSDCell(k, v, ok))
		}
		t.Rows = append(t.Rows, tabular.Row{Cells: cells})
	}
	return finish(s, t)
}

func meanSDCell(metric string, v metrics.MeanSD, ok bool) tabular.Cell {
	if !ok || math.IsNaN(v.Mean) {
		return tabular.Str(notAvailable)
	}
	mean, sd, digits := v.Mean, v.SD, 3
	if IsRate(metric) {
		mean, sd = 100*mean, 100*sd
		if !isRecognition(metric) {
			digits = 2
		}
	}
	c := tabular.Num(mean, fmt.Sprintf("%%.%df", digits))
	if v.N > 1 && !math.IsNaN(sd) {
		c.Text += fmt.Sprintf(" ± %.*f", digits, sd)
	}
	return c
}
