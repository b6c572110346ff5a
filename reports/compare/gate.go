// Package compare checks a candidate run against a baseline in CI: it parses gates such as
// "uar:max-drop=1pp", evaluates them on two summaries and their paired comparisons, and renders
// the outcome as Markdown for a pull request and as JUnit XML.
package compare

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/reports/papertables"
)

// Rule is how a gate judges a metric.
type Rule string

const (
	// MaxDrop fails when baseline − candidate exceeds the threshold.
	MaxDrop Rule = "max-drop"
	// MaxRise fails when candidate − baseline exceeds the threshold.
	MaxRise Rule = "max-rise"
	// SignificantDrop fails when the candidate is lower and the paired test's p < alpha.
	SignificantDrop Rule = "significant-drop"
	// SignificantRise fails when the candidate is higher and the paired test's p < alpha.
	SignificantRise Rule = "significant-rise"
	// Min fails when the candidate is below the threshold.
	Min Rule = "min"
	// Max fails when the candidate is above the threshold.
	Max Rule = "max"
)

// Gate is a parsed METRIC:RULE[=VALUE] spec.
type Gate struct {
	Spec   string // as given, trimmed
	Metric string // a metric name of tables.MetricValue: war, uar, gpt.tf, …
	Rule   Rule
	// Threshold is in the metric's own units (a fraction for rates: 1pp is 0.01). For the
	// significant-* rules it is alpha, 0 meaning the summary's.
	Threshold float64
}

// ParseGates parses gate specs; the error names the first bad one.
func ParseGates(specs []string) ([]Gate, error) {
	gates := make([]Gate, 0, len(specs))
	for _, s := range specs {
		g, err := ParseGate(s)
		if err != nil {
			return nil, err
		}
		gates = append(gates, g)
	}
	return gates, nil
}

// ParseGate parses METRIC:RULE[=VALUE]. Values of max-drop, max-rise, min and max are numbers
// in the metric's units (a fraction for rates) or, for rates, percentage points with "pp"
// ("1pp" = 0.01); min and max also take "%" ("60%" = 0.6). A significant-* rule takes an optional
// alpha ("war:significant-drop=0.01"). Errors are *inputerr.Error (exit 2).
func ParseGate(spec string) (Gate, error) {
	spec = strings.TrimSpace(spec)
	bad := func(format string, args ...any) (Gate, error) {
		return Gate{}, &inputerr.Error{Key: "--gate " + strconv.Quote(spec), Msg: fmt.Sprintf(format, args...)}
	}
	i := strings.LastIndex(spec, ":")
	if i < 0 {
		return bad("want METRIC:RULE, e.g. uar:max-drop=1pp")
	}
	g := Gate{Spec: spec, Metric: strings.TrimSpace(spec[:i])}
	if err := papertables.CheckMetricName(g.Metric); err != nil {
		return bad("%v", err)
	}
	ruleText, value, hasValue := strings.Cut(spec[i+1:], "=")
	g.Rule = Rule(strings.TrimSpace(ruleText))
	value = strings.TrimSpace(value)
	rate := papertables.IsRate(g.Metric)

	switch g.Rule {
	case SignificantDrop, SignificantRise:
		if !hasValue {
			return g, nil
		}
		a, err := strconv.ParseFloat(value, 64)
		if err != nil || !(a > 0 && a < 1) {
			return bad("the value of %s is alpha, a number between 0 and 1 (got %q)", g.Rule, value)
		}
		g.Threshold = a
		return g, nil
	case MaxDrop, MaxRise, Min, Max:
	default:
		return bad("unknown rule %q: want max-drop, max-rise, significant-drop, significant-rise, min or max", ruleText)
	}
	if !hasValue || value == "" {
		return bad("%s needs a value, e.g. %s:%s=1pp", g.Rule, g.Metric, g.Rule)
	}
	num, unit := value, ""
	for _, u := range []string{"pp", "%"} {
		if n, ok := strings.CutSuffix(value, u); ok {
			num, unit = strings.TrimSpace(n), u
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return bad("%q is not a number", value)
	}
	limits := g.Rule == Min || g.Rule == Max
	switch {
	case unit != "" && !rate:
		return bad("%s is not a rate: give its threshold without %q", g.Metric, unit)
	case unit == "%" && !limits:
		return bad("give a %s in percentage points (\"1pp\"), not %q, which could be read as relative", g.Rule, value)
	case unit != "":
		v /= 100
	case rate && limits && (v < 0 || v > 1):
		return bad("%s is a fraction in [0, 1]: write %g%% or %g", g.Metric, v, v/100)
	case rate && !limits && math.Abs(v) >= 1:
		return bad("a threshold without unit is a fraction (1 = 100 percentage points): write %gpp for percentage points", v)
	}
	g.Threshold = v
	return g, nil
}
