package plot

import (
	"fmt"
	"image/color"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/emoeval/emoeval/internal/slug"
	"github.com/emoeval/emoeval/metrics"
)

// quarterSegments are the quarter cells in drawing order, with legend text and colour: green for
// both right, vermillion for the cell behind "correct prediction, inconsistent explanation".
var quarterSegments = []struct {
	legend string
	color  color.Color
}{
	{"TT: correct prediction, consistent explanation", rgb(0x009E73)},
	{"TF: correct prediction, inconsistent explanation", rgb(0xD55E00)},
	{"FT: wrong prediction, explanation names the truth", rgb(0x56B4E9)},
	{"FF: wrong prediction, explanation misses the truth", neutralGry},
}

// quarterNote is the quarter figure's caption.
const quarterNote = "First letter: is the answer the true emotion? Second: is the emotion the judge " +
	"reads in the explanation the true emotion? Shares of each model's n samples."

// Quarter draws, for one judge, each model's samples split into TT, TF, FT and FF as a
// horizontal 100 % bar. A model whose shares are not all finite is left out (not drawn as 0).
func Quarter(s *metrics.Summary, judge string) (*Figure, error) {
	var names, rows []string
	var ns []int
	bars := hBars{thickness: 0.6, label: func(v float64) string { return formatFloat(v, 1) }}
	for _, name := range models(s) {
		r := s.Models[name].Reliability[judge]
		if r == nil || r.N <= 0 || !isFinite(r.TT) || !isFinite(r.TF) || !isFinite(r.FT) || !isFinite(r.FF) {
			continue
		}
		names = append(names, name)
		ns = append(ns, r.N)
		bars.segments = append(bars.segments, []float64{pct(r.TT), pct(r.TF), pct(r.FT), pct(r.FF)})
	}
	for i, d := range displayNames(names) {
		rows = append(rows, fmt.Sprintf("%s (n=%d)", d, ns[i]))
	}
	if len(names) == 0 {
		return nil, ErrNoData
	}
	legend := make([]LegendEntry, len(quarterSegments))
	for i, q := range quarterSegments {
		bars.colors = append(bars.colors, q.color)
		legend[i] = LegendEntry{Label: q.legend, Color: q.color}
	}
	p, ys := rowsPlot(rows, nil, "share of all samples (%)")
	bars.y = ys
	p.Add(&bars)
	return withExtras(&Figure{
		Name: "quarter-" + slug.Of(judge), Title: "Prediction × explanation, judge: " + label(judge, maxNameRunes),
		Plot: p, Legend: legend, Synthetic: s.Synthetic, Note: quarterNote,
		Width: 6.5 * 72, Height: rowsHeight(len(names), 1.9),
	}), nil
}

// rowsPlot is a plot of horizontal bars with the given row labels top to bottom, at unit steps
// or at the given positions, and a 0–100 % x axis.
func rowsPlot(labels []string, ys []float64, xLabel string) (*gplot.Plot, []float64) {
	if ys == nil {
		ys = make([]float64, len(labels))
		for i := range ys {
			ys[i] = -float64(i)
		}
	}
	p := newPlot(xLabel, "")
	p.Add(xGrid())
	percentAxis(&p.X, 100)
	p.Y.Tick.Marker = nominalTicks(labels, ys)
	p.Y.Tick.Length = 0
	return p, ys
}

// rowsHeight is a figure height for n bar rows plus fixed space for title, legend and axis.
func rowsHeight(n int, fixedInches float64) vg.Length {
	return vg.Length(72 * (fixedInches + 0.34*float64(n)))
}
