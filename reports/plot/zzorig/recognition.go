package plot

import (
	"fmt"
	"image/color"
	"math"

	"github.com/emoeval/emoeval/metrics"
)

// Recognition draws WAR, UAR and macro-F1 as grouped bars, one colour per model, with bootstrap
// interval whiskers where the summary has them.
func Recognition(s *metrics.Summary) (*Figure, error) {
	all := models(s)
	var names []string
	var g groupedBars
	hasCI := false
	for i, name := range all {
		m := s.Models[name]
		if m.N <= 0 {
			continue
		}
		names = append(names, name)
		g.colors = append(g.colors, modelColor(i))
		g.values = append(g.values, []float64{pct(m.WAR), pct(m.UAR), pct(m.MacroF1)})
		ci := [][2]float64{ciPct(m, "war"), ciPct(m, "uar"), ciPct(m, "macro_f1")}
		for _, c := range ci {
			hasCI = hasCI || !math.IsNaN(c[0])
		}
		g.ci = append(g.ci, ci)
	}
	if len(names) == 0 {
		return nil, ErrNoData
	}
	title := "Recognition"
	if hasCI {
		title += fmt.Sprintf(" (whiskers: %s bootstrap interval)", levelText(s))
	}
	p := newPlot("", "score (%)")
	p.Add(yGrid())
	p.Add(&g)
	_, _, _, ymax := g.DataRange()
	percentAxis(&p.Y, ymax)
	p.X.Tick.Marker = nominalTicks([]string{"WAR", "UAR", "macro-F1"}, nil)
	return &Figure{
		Name: "recognition", Title: title, Plot: p, Synthetic: s.Synthetic,
		Legend: modelLegend(names, g.colors), Width: 6.5 * 72, Height: 3.6 * 72,
	}, nil
}

// PerClassRecall draws each class's recall as grouped bars, one colour per model.
func PerClassRecall(s *metrics.Summary) (*Figure, error) {
	classes := labels(s)
	all := models(s)
	var names []string
	var g groupedBars
	for i, name := range all {
		m := s.Models[name]
		if m.N <= 0 || len(m.PerClass) == 0 {
			continue
		}
		vals := make([]float64, len(classes))
		for c, class := range classes {
			vals[c] = pct(m.PerClass[class].Recall)
		}
		names = append(names, name)
		g.colors = append(g.colors, modelColor(i))
		g.values = append(g.values, vals)
	}
	if len(names) == 0 || len(classes) == 0 {
		return nil, ErrNoData
	}
	p := newPlot("true class", "recall (%)")
	p.Add(yGrid())
	p.Add(&g)
	_, _, _, ymax := g.DataRange()
	percentAxis(&p.Y, ymax)
	p.X.Tick.Marker = nominalTicks(displayNames(classes), nil)
	if len(classes) > 8 {
		slantTicks(&p.X)
	}
	return &Figure{
		Name: "per-class-recall", Title: "Per-class recall", Plot: p, Synthetic: s.Synthetic,
		Legend: modelLegend(names, g.colors), Width: 6.5 * 72, Height: 3.8 * 72,
	}, nil
}

func modelLegend(names []string, colors []color.Color) []LegendEntry {
	out := make([]LegendEntry, len(names))
	for i, d := range displayNames(names) {
		out[i] = LegendEntry{Label: d, Color: colors[i]}
	}
	return out
}

// levelText is the interval's confidence level, e.g. "95%".
func levelText(s *metrics.Summary) string {
	a := s.Statistics.Alpha
	if a <= 0 || a >= 1 || math.IsNaN(a) {
		a = 0.05
	}
	return formatFloat(100*(1-a), decimals(100*(1-a))) + "%"
}

func decimals(v float64) int {
	if v == math.Trunc(v) {
		return 0
	}
	return 1
}
