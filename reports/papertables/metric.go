package papertables

import (
	"fmt"
	"strings"

	"github.com/emoeval/emoeval/metrics"
)

// Metric names are the keys of ModelSummary.CI, Comparison.Metric and compare gates:
//
//	war, uar, macro_f1                   ModelSummary.WAR, UAR, MacroF1
//	<judge>.tt|tf|ft|ff                  Reliability[judge].TT … FF (shares of all samples)
//	<judge>.tf_given_correct|epc|eea     Reliability[judge].TFGivenCorrect, EPC, EEA
//	<judge>.fallback                     Reliability[judge].Fallback
//	<judge>.corrected_tf|corrected_tf_given_correct|corrected_epc
//	                                     Reliability[judge].Corrected (human-corrected rates)
//	mi_aligned                           Modality.MIAligned (only when MI was computed)
//	visual_initiation                    Modality.VisualInitiation
//	format_reward                        Modality.FormatReward (a mean in [-1, 1], not a rate)
//
// A judge name may itself hold dots: the metric is what follows the last one.

// JudgeMetrics are the per-judge metric names, in the quarter table's order, then the
// human-corrected ones.
func JudgeMetrics() []string {
	return []string{"tt", "tf", "ft", "ff", "tf_given_correct", "epc", "eea", "fallback",
		"corrected_tf", "corrected_tf_given_correct", "corrected_epc"}
}

// MetricValue reads a metric of one model; ok is false when the summary does not hold it.
func MetricValue(ms *metrics.ModelSummary, metric string) (v float64, ok bool) {
	if ms == nil {
		return 0, false
	}
	switch metric {
	case "war":
		return ms.WAR, true
	case "uar":
		return ms.UAR, true
	case "macro_f1":
		return ms.MacroF1, true
	case "mi_aligned":
		if ms.Modality == nil || ms.Modality.MISource == "" {
			return 0, false
		}
		return defined(ms.Modality.MIAligned)
	case "visual_initiation":
		if ms.Modality == nil {
			return 0, false
		}
		return defined(ms.Modality.VisualInitiation)
	case "format_reward":
		if ms.Modality == nil {
			return 0, false
		}
		return defined(ms.Modality.FormatReward)
	}
	judge, name, found := cutLast(metric, ".")
	if !found {
		return 0, false
	}
	r := ms.Reliability[judge]
	if r == nil {
		return 0, false
	}
	switch name {
	case "tt":
		return r.TT, true
	case "tf":
		return r.TF, true
	case "ft":
		return r.FT, true
	case "ff":
		return r.FF, true
	case "tf_given_correct":
		return r.TFGivenCorrect, true
	case "epc":
		return r.EPC, true
	case "eea":
		return r.EEA, true
	case "fallback":
		return r.Fallback, true
	case "corrected_tf", "corrected_tf_given_correct", "corrected_epc":
		c := r.Corrected
		if c == nil {
			return 0, false
		}
		switch name {
		case "corrected_tf":
			return c.TF, true
		case "corrected_epc":
			return c.EPC, true
		}
		return defined(c.TFGivenCorrect)
	}
	return 0, false
}

// CheckMetricName reports whether metric is a name MetricValue knows (whatever the judges are).
func CheckMetricName(metric string) error {
	switch metric {
	case "war", "uar", "macro_f1", "mi_aligned", "visual_initiation", "format_reward":
		return nil
	}
	judge, name, found := cutLast(metric, ".")
	if found && judge != "" {
		for _, m := range JudgeMetrics() {
			if name == m {
				return nil
			}
		}
	}
	return fmt.Errorf("unknown metric %q: want war, uar, macro_f1, mi_aligned, visual_initiation, format_reward or <judge>.{%s}",
		metric, strings.Join(JudgeMetrics(), ","))
}

// IsRate reports whether a metric is a fraction in [0, 1], shown in percent and compared in
// percentage points. format_reward is the one that is not.
func IsRate(metric string) bool { return metric != "format_reward" }

// FormatMetric prints a metric value as emoeval's tables do: recognition rates in percent with
// the authors' three decimals ("67.780"), other rates in percent with two ("18.10%"), format
// reward as it is ("0.512").
func FormatMetric(metric string, v float64) string {
	switch {
	case !IsRate(metric):
		return fmt.Sprintf("%.3f", v)
	case isRecognition(metric):
		return fmt.Sprintf("%.3f", 100*v)
	}
	return fmt.Sprintf("%.2f%%", 100*v)
}

// MetricLabel is a metric's name as a table header shows it ("WAR", "gpt TF / correct").
func MetricLabel(metric string) string {
	switch metric {
	case "war":
		return "WAR"
	case "uar":
		return "UAR"
	case "macro_f1":
		return "macro-F1"
	case "mi_aligned":
		return "MI-aligned"
	case "visual_initiation":
		return "visual initiation"
	case "format_reward":
		return "format reward"
	}
	judge, name, found := cutLast(metric, ".")
	if !found {
		return metric
	}
	labels := map[string]string{
		"tt": "TT", "tf": "TF", "ft": "FT", "ff": "FF", "tf_given_correct": "TF / correct",
		"epc": "EPC", "eea": "EEA", "fallback": "fallback",
		"corrected_tf":               "TF (human-corrected)",
		"corrected_tf_given_correct": "TF / correct (human-corrected)",
		"corrected_epc":              "EPC (human-corrected)",
	}
	if l, ok := labels[name]; ok {
		return judge + " " + l
	}
	return metric
}

func isRecognition(metric string) bool {
	return metric == "war" || metric == "uar" || metric == "macro_f1"
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// defined reads a metric that is nil when undefined.
func defined(v *float64) (float64, bool) {
	if v == nil {
		return 0, false
	}
	return *v, true
}
