package compare

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/papertables"
)

// Status is a gate's outcome.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	// Error: the gate could not be evaluated (its metric or paired test is missing).
	Error Status = "error"
)

// Result is one evaluated gate.
type Result struct {
	Gate   Gate
	Status Status
	// Base and Cand are the metric's values; NaN when a summary lacks it.
	Base, Cand float64
	// Delta is Cand − Base (from the paired comparison for significant-* gates).
	Delta float64
	// PValue and Test are those of the paired comparison a significant-* gate used; NaN and "" otherwise.
	PValue float64
	Test   string
	// Message says in words what was compared and why the gate passed or failed.
	Message string
}

// tolerance absorbs floating-point error, so that a value exactly at a threshold passes
// (0.70 − 0.69 is 0.010000000000000009). Real differences are at least 1/N, far larger.
const tolerance = 1e-9

// Evaluate checks the gates on baseModel of base against candModel of cand. comparisons are the
// paired comparisons of the two (the significant-* gates need one for their metric). Summaries
// that cannot be compared (another data set, label set, fold, protocol or clip count) or a model
// missing from its summary give an *inputerr.Error. A gate whose metric is not in both
// summaries gets Status Error.
func Evaluate(base, cand *metrics.Summary, baseModel, candModel string, gates []Gate, comparisons []metrics.Comparison) ([]Result, error) {
	if err := CheckComparable(base, cand, baseModel, candModel); err != nil {
		return nil, err
	}
	bm, cm := base.Models[baseModel], cand.Models[candModel]
	results := make([]Result, 0, len(gates))
	for _, g := range gates {
		r := Result{Gate: g, Base: math.NaN(), Cand: math.NaN(), Delta: math.NaN(), PValue: math.NaN()}
		if v, ok := papertables.MetricValue(bm, g.Metric); ok {
			r.Base = v
		}
		if v, ok := papertables.MetricValue(cm, g.Metric); ok {
			r.Cand = v
		}
		r.Delta = r.Cand - r.Base
		evaluate(&r, cand, baseModel, candModel, comparisons)
		results = append(results, r)
	}
	return results, nil
}

func evaluate(r *Result, cand *metrics.Summary, baseModel, candModel string, comparisons []metrics.Comparison) {
	g := r.Gate
	needBase := g.Rule == MaxDrop || g.Rule == MaxRise
	switch {
	case math.IsNaN(r.Cand):
		r.Status, r.Message = Error, fmt.Sprintf("the candidate run has no %s for model %s", g.Metric, candModel)
		return
	case needBase && math.IsNaN(r.Base):
		r.Status, r.Message = Error, fmt.Sprintf("the baseline run has no %s for model %s", g.Metric, baseModel)
		return
	}
	label := papertables.MetricLabel(g.Metric)
	change := fmt.Sprintf("%s %s → %s (Δ %s)", label, value(g.Metric, r.Base), value(g.Metric, r.Cand), delta(g.Metric, r.Delta))
	pass := true
	switch g.Rule {
	case MaxDrop:
		pass = r.Base-r.Cand <= g.Threshold+tolerance
		r.Message = fmt.Sprintf("%s; allowed drop %s", change, amount(g.Metric, g.Threshold))
	case MaxRise:
		pass = r.Cand-r.Base <= g.Threshold+tolerance
		r.Message = fmt.Sprintf("%s; allowed rise %s", change, amount(g.Metric, g.Threshold))
	case Min:
		pass = r.Cand >= g.Threshold-tolerance
		r.Message = fmt.Sprintf("%s %s; minimum %s", label, value(g.Metric, r.Cand), value(g.Metric, g.Threshold))
	case Max:
		pass = r.Cand <= g.Threshold+tolerance
		r.Message = fmt.Sprintf("%s %s; maximum %s", label, value(g.Metric, r.Cand), value(g.Metric, g.Threshold))
	case SignificantDrop, SignificantRise:
		c, ok := findComparison(comparisons, baseModel, candModel, g.Metric)
		if !ok {
			r.Status, r.Message = Error, fmt.Sprintf("no paired comparison of %s between %s and %s", g.Metric, baseModel, candModel)
			return
		}
		alpha := g.Threshold
		if alpha == 0 {
			alpha = papertables.Alpha(cand)
		}
		r.Delta, r.PValue, r.Test = c.Delta, c.PValue, c.Test
		significant := r.PValue < alpha
		if g.Rule == SignificantDrop {
			pass = !(significant && c.Delta < 0)
		} else {
			pass = !(significant && c.Delta > 0)
		}
		p := "p = " + papertables.PValueCell(r.PValue).Text
		if r.PValue < 0.0001 {
			p = "p < 0.0001"
		}
		r.Message = fmt.Sprintf("%s %s → %s (Δ %s), %s (%s), α = %g",
			label, value(g.Metric, r.Base), value(g.Metric, r.Cand), delta(g.Metric, r.Delta), p, c.Test, alpha)
	}
	r.Status = Pass
	if !pass {
		r.Status = Fail
	}
}

// findComparison returns the paired comparison of metric between the two models, preferring the
// exact McNemar test (on per-sample outcomes) to the paired bootstrap. A comparison with the roles
// swapped counts, with its difference negated.
func findComparison(comparisons []metrics.Comparison, baseModel, candModel, metric string) (metrics.Comparison, bool) {
	var found []metrics.Comparison
	for _, c := range comparisons {
		switch {
		case c.Metric != metric:
		case c.Baseline == baseModel && c.Candidate == candModel:
			found = append(found, c)
		case c.Baseline == candModel && c.Candidate == baseModel:
			c.Baseline, c.Candidate = c.Candidate, c.Baseline
			c.Base, c.Cand, c.Delta, c.CI = c.Cand, c.Base, -c.Delta, [2]float64{-c.CI[1], -c.CI[0]}
			found = append(found, c)
		}
	}
	if len(found) == 0 {
		return metrics.Comparison{}, false
	}
	rank := func(test string) int {
		switch test {
		case "mcnemar-exact":
			return 0
		case "paired-bootstrap":
			return 1
		}
		return 2
	}
	slices.SortStableFunc(found, func(a, b metrics.Comparison) int { return rank(a.Test) - rank(b.Test) })
	return found[0], true
}

// CheckComparable returns an *inputerr.Error when the two runs cannot be compared: a model missing
// from its summary, or another data set, label set, fold set, fold aggregation, protocol or
// number of clips.
func CheckComparable(base, cand *metrics.Summary, baseModel, candModel string) error {
	if base == nil || cand == nil {
		return &inputerr.Error{Msg: "compare needs a baseline and a candidate summary"}
	}
	if base.Models[baseModel] == nil {
		return &inputerr.Error{Key: "baseline model", Msg: fmt.Sprintf("no model %q in the baseline run (it has %s)", baseModel, modelList(base))}
	}
	if cand.Models[candModel] == nil {
		return &inputerr.Error{Key: "candidate model", Msg: fmt.Sprintf("no model %q in the candidate run (it has %s)", candModel, modelList(cand))}
	}
	var diffs []string
	differ := func(what string, b, c any) {
		if fmt.Sprint(b) != fmt.Sprint(c) {
			diffs = append(diffs, fmt.Sprintf("%s %v vs %v", what, b, c))
		}
	}
	differ("data set", base.Dataset, cand.Dataset)
	differ("labels", base.Labels, cand.Labels)
	differ("folds", sortedFolds(base.Folds), sortedFolds(cand.Folds))
	differ("fold aggregation", base.FoldAggregation, cand.FoldAggregation)
	differ("protocol", base.Protocol, cand.Protocol)
	differ("clips", clips(base, base.Models[baseModel]), clips(cand, cand.Models[candModel]))
	if len(diffs) > 0 {
		return &inputerr.Error{Msg: "the runs cannot be compared (baseline vs candidate): " + strings.Join(diffs, "; ")}
	}
	return nil
}

// clips is the number of clips of the split a model was scored on: under migr, missing clips are
// not in N; under robust they are, as unknown answers.
func clips(s *metrics.Summary, ms *metrics.ModelSummary) int {
	if s.Protocol == "robust" {
		return ms.N
	}
	return ms.N + ms.Missing
}

func sortedFolds(f []int32) []int32 {
	f = slices.Clone(f)
	slices.Sort(f)
	return f
}

func modelList(s *metrics.Summary) string {
	var names []string
	for m := range s.Models {
		names = append(names, fmt.Sprintf("%q", m))
	}
	if len(names) == 0 {
		return "no models"
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// ResolveModel returns name when the summary has it, or the summary's only model when name is "".
func ResolveModel(s *metrics.Summary, name string) (string, error) {
	if s == nil {
		return "", &inputerr.Error{Msg: "no summary"}
	}
	if name == "" && len(s.Models) == 1 {
		for m := range s.Models {
			return m, nil
		}
	}
	if s.Models[name] == nil {
		if name == "" {
			return "", &inputerr.Error{Key: "model", Msg: fmt.Sprintf("the run has several models (%s): name one", modelList(s))}
		}
		return "", &inputerr.Error{Key: "model", Msg: fmt.Sprintf("no model %q in the run (it has %s)", name, modelList(s))}
	}
	return name, nil
}

// value prints a metric value for a message: "67.780%" for rates, "0.512" otherwise; "–" for NaN.
func value(metric string, v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	s := papertables.FormatMetric(metric, v)
	if papertables.IsRate(metric) && !strings.HasSuffix(s, "%") {
		s += "%"
	}
	return s
}

// delta prints a difference for a message: "+1.25 pp" for rates.
func delta(metric string, d float64) string {
	if math.IsNaN(d) {
		return "–"
	}
	s := papertables.DeltaCell(metric, d).Text
	if papertables.IsRate(metric) {
		s += " pp"
	}
	return s
}

// amount prints a threshold difference: "1.00 pp" for rates.
func amount(metric string, t float64) string {
	if papertables.IsRate(metric) {
		return fmt.Sprintf("%.2f pp", 100*t)
	}
	return fmt.Sprintf("%.3f", t)
}
