package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/emoeval/emoeval/metrics"
)

// Recognition draws WAR, UAR and macro-F1 as grouped bars, one colour per model, with bootstrap
// interval whiskers where the summary has them. A value that is not finite is drawn as n/a.
func Recognition(s *metrics.Summary) (*Figure, error) {
	names, g := recognitionData(s)
	if len(names) == 0 {
		return nil, ErrNoData
	}
	hasCI := false
	for _, series := range g.ci {
		for _, c := range series {
			hasCI = hasCI || !math.IsNaN(c[0])
		}
	}
	title := "Recognition"
	note := "WAR: accuracy over all clips. UAR: mean per-class recall. Macro-F1: mean per-class F1."
	if hasCI {
		title += fmt.Sprintf(" (whiskers: %s bootstrap interval)", levelText(s))
		note += " " + bootstrapNote(s)
	}
	p := newPlot("", "score (%)")
	p.Add(yGrid())
	p.Add(g)
	_, _, _, ymax := g.DataRange()
	percentAxis(&p.Y, ymax)
	p.X.Tick.Marker = nominalTicks([]string{"WAR", "UAR", "macro-F1"}, nil)
	return withExtras(&Figure{
		Name: "recognition", Title: title, Plot: p, Synthetic: s.Synthetic, Note: note,
		Legend: modelLegend(names, g.colors), Width: 6.5 * 72, Height: 3.6 * 72,
	}), nil
}

// recognitionData builds the recognition bars (WAR, UAR, macro-F1 in percent; NaN where not
// finite) and their bootstrap intervals for every model with samples.
func recognitionData(s *metrics.Summary) ([]string, *groupedBars) {
	var names []string
	g := &groupedBars{}
	for i, name := range models(s) {
		m := s.Models[name]
		if m.N <= 0 {
			continue
		}
		names = append(names, name)
		g.colors = append(g.colors, modelColor(i))
		g.values = append(g.values, []float64{pctOrNaN(m.WAR), pctOrNaN(m.UAR), pctOrNaN(m.MacroF1)})
		g.ci = append(g.ci, [][2]float64{ciPct(m, "war"), ciPct(m, "uar"), ciPct(m, "macro_f1")})
	}
	return names, g
}

// bootstrapNote says how the summary's bootstrap intervals were drawn.
func bootstrapNote(s *metrics.Summary) string {
	note := "Whiskers: " + levelText(s) + " percentile bootstrap interval"
	if b := s.Statistics.Bootstrap; b > 0 {
		note += " (" + strconv.Itoa(b) + " resamples"
		if s.Statistics.Resampling != "" {
			note += ", " + s.Statistics.Resampling
		}
		note += ")"
	}
	return note + "."
}

// PerClassRecall draws each class's recall as grouped bars, one colour per model, with the
// Wilson score interval of every recall from the class's support (at the summary's confidence
// level). Each class's tick says its support; a class without samples is n/a for that model.
func PerClassRecall(s *metrics.Summary) (*Figure, error) {
	d := perClassData(s)
	if len(d.models) == 0 || len(d.classes) == 0 {
		return nil, ErrNoData
	}
	p := newPlot("true class (n: its clips)", "recall (%)")
	p.Add(yGrid())
	p.Add(&d.bars)
	_, _, _, ymax := d.bars.DataRange()
	percentAxis(&p.Y, ymax)
	p.X.Tick.Marker = nominalTicks(d.ticks, nil)
	if len(d.classes) > 8 {
		slantTicks(&p.X)
	}
	note := fmt.Sprintf("Whiskers: %s Wilson interval of each recall from the class's n clips.", levelText(s))
	if d.anyNA {
		note += " n/a: no clips of the class (recall undefined)."
	}
	return withExtras(&Figure{
		Name: "per-class-recall", Title: fmt.Sprintf("Per-class recall (whiskers: %s Wilson interval)", levelText(s)),
		Plot: p, Synthetic: s.Synthetic, Note: note,
		Legend: modelLegend(d.models, d.bars.colors), Width: 6.5 * 72, Height: 3.8 * 72,
	}), nil
}

// perClass is the data of the per-class recall figure.
type perClass struct {
	classes []string
	ticks   []string // class name and support
	models  []string
	bars    groupedBars
	anyNA   bool
}

// perClassData builds the per-class recall bars: recall in percent (NaN where the class has no
// clips or the recall is not a rate) and its Wilson interval.
func perClassData(s *metrics.Summary) perClass {
	d := perClass{classes: labels(s)}
	z := zScore(level(s))
	lo, hi := make([]int, len(d.classes)), make([]int, len(d.classes))
	for c := range lo {
		lo[c], hi[c] = math.MaxInt, -1
	}
	for i, name := range models(s) {
		m := s.Models[name]
		if m.N <= 0 || len(m.PerClass) == 0 {
			continue
		}
		vals := make([]float64, len(d.classes))
		ci := make([][2]float64, len(d.classes))
		for c, class := range d.classes {
			cs, ok := m.PerClass[class]
			k := countOf(cs.Recall, cs.Support)
			if !ok || cs.Support <= 0 || k < 0 {
				vals[c], ci[c] = math.NaN(), [2]float64{math.NaN(), math.NaN()}
				d.anyNA = true
			} else {
				vals[c], ci[c] = pct(cs.Recall), wilsonPct(k, cs.Support, z)
			}
			if ok {
				lo[c], hi[c] = min(lo[c], max(cs.Support, 0)), max(hi[c], max(cs.Support, 0))
			}
		}
		d.models = append(d.models, name)
		d.bars.colors = append(d.bars.colors, modelColor(i))
		d.bars.values = append(d.bars.values, vals)
		d.bars.ci = append(d.bars.ci, ci)
	}
	for c, name := range displayNames(d.classes) {
		switch {
		case hi[c] < 0:
			d.ticks = append(d.ticks, name)
		case lo[c] == hi[c]:
			d.ticks = append(d.ticks, fmt.Sprintf("%s\nn=%d", name, hi[c]))
		default:
			d.ticks = append(d.ticks, fmt.Sprintf("%s\nn=%d–%d", name, lo[c], hi[c]))
		}
	}
	return d
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
	l := 100 * level(s)
	return formatFloat(l, decimals(l)) + "%"
}

func decimals(v float64) int {
	if math.Abs(v-math.Round(v)) < 1e-9 {
		return 0
	}
	return 1
}
