package plot

import (
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/emoeval/emoeval/metrics"
)

// agreeDashes marks the "agrees with the model's answer" curves; grounded curves are solid.
var agreeDashes = []vg.Length{5, 3}

// Drift draws the drift curves of one sentence-labelling judge: by relative sentence position in
// the explanation, the share of sentences whose emotion is the ground truth (solid) and the
// share that agrees with the model's own answer (dashed), one colour and marker per model.
// Bins without sentences are left out.
func Drift(s *metrics.Summary, judge string) (*Figure, error) {
	p := newPlot("relative sentence position (0 = first, 1 = last)", "share of sentences (%)")
	p.Add(yGrid())
	var legend []LegendEntry
	var names []string
	var idx []int
	for i, name := range models(s) {
		if d := s.Models[name].Drift[judge]; d != nil && len(points(d, d.Grounded)) > 0 {
			names = append(names, name)
			idx = append(idx, i)
		}
	}
	if len(names) == 0 {
		return nil, ErrNoData
	}
	for k, disp := range displayNames(names) {
		d := s.Models[names[k]].Drift[judge]
		col, glyph := modelColor(idx[k]), modelGlyphs[idx[k]%len(modelGlyphs)]
		for _, curve := range []struct {
			values []float64
			dashes []vg.Length
		}{{d.Grounded, nil}, {d.AgreeAnswer, agreeDashes}} {
			pts := points(d, curve.values)
			if len(pts) == 0 {
				continue
			}
			line, scatter, err := plotter.NewLinePoints(pts)
			if err != nil {
				return nil, err
			}
			line.LineStyle = draw.LineStyle{Color: col, Width: 1.5, Dashes: curve.dashes}
			scatter.GlyphStyle = draw.GlyphStyle{Color: col, Radius: 2.5, Shape: glyph}
			p.Add(line, scatter)
		}
		legend = append(legend, LegendEntry{Label: disp, Color: col, Line: true, Glyph: glyph})
	}
	legend = append(legend,
		LegendEntry{Label: "solid: emotion = ground truth", Color: rgb(0x555555), Line: true},
		LegendEntry{Label: "dashed: emotion = model's answer", Color: rgb(0x555555), Line: true, Dashes: agreeDashes})
	p.X.Min, p.X.Max = 0, 1
	percentAxis(&p.Y, 100)
	return &Figure{
		Name: "drift-" + slug(judge), Title: "Reasoning drift, judge: " + label(judge, maxNameRunes),
		Plot: p, Legend: legend, Synthetic: s.Synthetic,
		Width: inches(6.5), Height: inches(3.9),
	}, nil
}

// points pairs bin centres with values, skipping bins without sentences and mismatched tails.
func points(d *metrics.Drift, values []float64) plotter.XYs {
	var pts plotter.XYs
	for i, x := range d.Bins {
		if i >= len(values) || (i < len(d.Sentences) && d.Sentences[i] <= 0) {
			continue
		}
		pts = append(pts, plotter.XY{X: finite(x), Y: pct(values[i])})
	}
	return pts
}
