package plot

import (
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/emoeval/emoeval/metrics"
)

// models returns the summary's models in report order: ModelOrder first, then any others by
// name. Nil entries are skipped.
func models(s *metrics.Summary) []string {
	var out []string
	seen := map[string]bool{}
	for _, name := range s.ModelOrder {
		if s.Models[name] != nil && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	var rest []string
	for name, m := range s.Models {
		if m != nil && !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// judges returns the summary's judges in report order: Judges first, then any others found in
// reliability or drift results, by name.
func judges(s *metrics.Summary) []string {
	var out []string
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, j := range s.Judges {
		add(j)
	}
	var rest []string
	for _, m := range s.Models {
		if m == nil {
			continue
		}
		for j := range m.Reliability {
			rest = append(rest, j)
		}
		for j := range m.Drift {
			rest = append(rest, j)
		}
	}
	sort.Strings(rest)
	for _, j := range rest {
		add(j)
	}
	return out
}

// displayNames cleans names for drawing and keeps them distinct after truncation.
func displayNames(names []string) []string {
	out := make([]string, len(names))
	seen := map[string]int{}
	for i, n := range names {
		d := label(n, maxNameRunes)
		if d == "" {
			d = "(unnamed)"
		}
		if k := seen[d]; k > 0 {
			seen[d] = k + 1
			d = label(n, maxNameRunes-4) + " (" + strconv.Itoa(k+1) + ")"
		} else {
			seen[d] = 1
		}
		out[i] = d
	}
	return out
}

// pct converts a fraction to a finite percentage.
func pct(v float64) float64 { return finite(v) * 100 }

// ciPct returns the model's interval for key in percent, or NaNs when there is none usable.
func ciPct(m *metrics.ModelSummary, key string) [2]float64 {
	ci, ok := m.CI[key]
	lo, hi := ci[0], ci[1]
	if !ok || math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
		return [2]float64{math.NaN(), math.NaN()}
	}
	return [2]float64{lo * 100, hi * 100}
}

// labels returns the label set, or the classes found in per-class results when it is empty.
func labels(s *metrics.Summary) []string {
	if len(s.Labels) > 0 {
		return s.Labels
	}
	var out []string
	for _, m := range s.Models {
		if m == nil {
			continue
		}
		for c := range m.PerClass {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	sort.Strings(out)
	return out
}
