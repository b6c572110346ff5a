package plot

import (
	"image/color"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/emoeval/emoeval/metrics"
)

// quarterSegments are the quarter cells in drawing order, with legend text and colour: green for
// both right, vermillion for the cell behind "correct prediction, inconsistent explanation".
var quarterSegments = []struct {
	legend string
	color  color.Color
}{
	{"TT: correct, consistent", rgb(0x009E73)},
	{"TF: correct, inconsistent explanation", rgb(0xD55E00)},
	{"FT: wrong, explanation names the truth", rgb(0x56B4E9)},
	{"FF: wrong, explanation wrong", neutralGry},
}

// Quarter draws, for one judge, each model's samples split into TT, TF, FT and FF as a
// horizontal 100 % bar.
func Quarter(s *metrics.Summary, judge string) (*Figure, error) {
	var names []string
	bars := hBars{thickness: 0.6, label: func(v float64) string { return formatFloat(v, 1) }}
	for _, name := range models(s) {
		r := s.Models[name].Reliability[judge]
		if r == nil || r.N <= 0 {
			continue
		}
		names = append(names, name)
		bars.segments = append(bars.segments, []float64{pct(r.TT), pct(r.TF), pct(r.FT), pct(r.FF)})
	}
	if len(names) == 0 {
		return nil, ErrNoData
	}
	legend := make([]LegendEntry, len(quarterSegments))
	for i, q := range quarterSegments {
		bars.colors = append(bars.colors, q.color)
		legend[i] = LegendEntry{Label: q.legend, Color: q.color}
	}
	p, ys := rowsPlot(displayNames(names), nil, "share of all samples (%)")
	bars.y = ys
	p.Add(&bars)
	return &Figure{
		Name: "quarter-" + slug(judge), Title: "Prediction × explanation, judge: " + label(judge, maxNameRunes),
		Plot: p, Legend: legend, Synthetic: s.Synthetic,
		Width: 6.5 * 72, Height: rowsHeight(len(names), 1.9),
	}, nil
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
