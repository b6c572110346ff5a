package plot

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/emoeval/emoeval/internal/slug"
	"github.com/emoeval/emoeval/metrics"
)

// agreeDashes marks the "agrees with the model's answer" curves; grounded curves are solid.
var agreeDashes = []vg.Length{5, 3}

// Drift draws the drift curves of one sentence-labelling judge: by relative sentence position in
// the explanation, the share of sentences whose emotion is the ground truth (solid) and the
// share that agrees with the model's own answer (dashed), one colour and marker per model, each
// point with the Wilson score interval of its bin's sentences (solid or dashed as its curve). A
// table under the plot gives each bin's number of sentences per model. Bins without sentences
// are not drawn; the curves are set slightly apart so that their whiskers do not overlap.
func Drift(s *metrics.Summary, judge string) (*Figure, error) {
	series := driftData(s, judge)
	if len(series) == 0 {
		return nil, ErrNoData
	}
	p := newPlot("relative sentence position (0 = first, 1 = last)", "share of sentences (%)")
	p.Add(yGrid())
	var legend []LegendEntry
	var counts []CountRow
	disp := make([]string, len(series))
	for k, ds := range series {
		disp[k] = ds.model
	}
	for k, name := range displayNames(disp) {
		ds := series[k]
		col, glyph := modelColor(ds.index), modelGlyphs[ds.index%len(modelGlyphs)]
		for _, curve := range []struct {
			pts    driftPoints
			dashes []vg.Length
		}{{ds.grounded, nil}, {ds.agree, agreeDashes}} {
			if len(curve.pts.XYs) == 0 {
				continue
			}
			line, scatter, err := plotter.NewLinePoints(curve.pts.XYs)
			if err != nil {
				return nil, err
			}
			line.LineStyle = draw.LineStyle{Color: col, Width: 1.5, Dashes: curve.dashes}
			scatter.GlyphStyle = draw.GlyphStyle{Color: col, Radius: 2.5, Shape: glyph}
			bars, err := plotter.NewYErrorBars(curve.pts)
			if err != nil {
				return nil, err
			}
			bars.LineStyle = draw.LineStyle{Color: col, Width: 1, Dashes: curve.dashes}
			bars.CapWidth = 3
			p.Add(line, bars, scatter)
		}
		legend = append(legend, LegendEntry{Label: name, Color: col, Line: true, Glyph: glyph})
		counts = append(counts, CountRow{Color: col, Glyph: glyph, X: ds.bins, Text: ds.n})
	}
	legend = append(legend,
		LegendEntry{Label: "solid: sentence names the true emotion", Color: rgb(0x555555), Line: true},
		LegendEntry{Label: "dashed: sentence names the model's answer", Color: rgb(0x555555), Line: true, Dashes: agreeDashes})
	p.X.Min, p.X.Max = 0, 1
	percentAxis(&p.Y, 100)
	note := fmt.Sprintf("n: sentences that name an emotion, per bin and model (rows as in the legend). "+
		"Whiskers: %s Wilson interval from n, treating sentences as independent (too narrow when "+
		"one explanation's sentences agree). Empty bins are not drawn; curves are set slightly apart.",
		levelText(s))
	return withExtras(&Figure{
		Name: "drift-" + slug.Of(judge), Title: "Reasoning drift, judge: " + label(judge, maxNameRunes),
		Plot: p, Legend: legend, Synthetic: s.Synthetic, Counts: counts, Note: note,
		Width: inches(6.5), Height: inches(3.9),
	}), nil
}

// driftSeries is one model's drift data under a judge, ready to draw.
type driftSeries struct {
	model string
	index int // in report order: the model's colour and glyph
	// grounded and agree are the two curves' points (percent) with their Wilson intervals.
	grounded, agree driftPoints
	// bins are the bin centres and n the sentences in each, as text ("0" for an empty bin).
	bins []float64
	n    []string
}

// driftPoints are points with asymmetric errors (the distances down and up to the interval's
// bounds), as plotter.YErrorBars takes them.
type driftPoints struct {
	plotter.XYs
	plotter.YErrors
}

// driftData builds the drift series of every model with data under judge, in report order.
// A point is drawn only for a bin with a known, positive number of sentences and a finite share
// and position; a model without such a point is left out.
func driftData(s *metrics.Summary, judge string) []driftSeries {
	type cand struct {
		name  string
		index int
		d     *metrics.Drift
	}
	var with []cand
	for i, name := range models(s) {
		if d := s.Models[name].Drift[judge]; d != nil {
			with = append(with, cand{name, i, d})
		}
	}
	z := zScore(level(s))
	var out []driftSeries
	for k, c := range with {
		d := c.d
		w := binWidth(d)
		ds := driftSeries{model: c.name, index: c.index}
		ds.grounded = driftCurve(d, d.Grounded, dodgeOffset(2*k, 2*len(with), w), z)
		ds.agree = driftCurve(d, d.AgreeAnswer, dodgeOffset(2*k+1, 2*len(with), w), z)
		if len(ds.grounded.XYs) == 0 && len(ds.agree.XYs) == 0 {
			continue
		}
		for i, x := range d.Bins {
			if !isFinite(x) || i >= len(d.Sentences) {
				continue
			}
			ds.bins = append(ds.bins, x)
			ds.n = append(ds.n, countText(max(d.Sentences[i], 0)))
		}
		out = append(out, ds)
	}
	return out
}

// driftCurve pairs bin centres (moved by dodge) with values in percent and their Wilson
// intervals, for bins with sentences and finite values.
func driftCurve(d *metrics.Drift, values []float64, dodge, z float64) driftPoints {
	var pts driftPoints
	for i, x := range d.Bins {
		if i >= len(values) || i >= len(d.Sentences) || d.Sentences[i] <= 0 || !isFinite(x) {
			continue
		}
		n := d.Sentences[i]
		k := countOf(values[i], n)
		if k < 0 {
			continue
		}
		y := pct(values[i])
		ci := wilsonPct(k, n, z)
		pts.XYs = append(pts.XYs, plotter.XY{X: x + dodge, Y: y})
		pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{math.Max(y-ci[0], 0), math.Max(ci[1]-y, 0)})
	}
	return pts
}

// binWidth is the drift bins' width: the distance between the first two centres, else 1/bins.
func binWidth(d *metrics.Drift) float64 {
	if len(d.Bins) >= 2 {
		if w := math.Abs(d.Bins[1] - d.Bins[0]); isFinite(w) && w > 0 {
			return w
		}
	}
	return 1 / float64(max(len(d.Bins), 1))
}

// dodgeOffset is the x offset of curve k of n (each model's grounded curve, then its agreement
// curve): the curves spread over at most 40% of a bin, 4% of a bin apart at most.
func dodgeOffset(k, n int, width float64) float64 {
	if n <= 1 {
		return 0
	}
	step := width * math.Min(0.04, 0.4/float64(n-1))
	return (float64(k) - float64(n-1)/2) * step
}

// countText is a count short enough for a table cell: 12345 → "12k".
func countText(n int) string {
	if n < 10000 {
		return strconv.Itoa(n)
	}
	return strconv.Itoa((n+500)/1000) + "k"
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
