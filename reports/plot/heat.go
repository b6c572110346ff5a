package plot

import (
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// matrixGrid shows a matrix with its first row at the top: gonum's grid rows grow upwards.
type matrixGrid struct {
	z        [][]float64 // [row][col]
	min, max float64
}

func (g matrixGrid) Dims() (c, r int)   { return len(g.z[0]), len(g.z) }
func (g matrixGrid) Z(c, r int) float64 { return g.z[len(g.z)-1-r][c] }
func (g matrixGrid) X(c int) float64    { return float64(c) }
func (g matrixGrid) Y(r int) float64    { return float64(r) }
func (g matrixGrid) Min() float64       { return g.min }
func (g matrixGrid) Max() float64       { return g.max }

// noValueGrey fills heat-map cells without a value: distinct from every palette's lightest
// colour, so that "n/a" never reads as a low value.
var noValueGrey = rgb(0xE0E0E0)

// bluesPalette is ColorBrewer's sequential Blues, which reads well under colour-vision
// deficiencies and in grey.
func bluesPalette() (palette.Palette, error) {
	return brewer.GetPalette(brewer.TypeSequential, "Blues", 9)
}

// divergingPalette is ColorBrewer's RdBu (red below the middle, blue above), safe under the
// common colour-vision deficiencies.
func divergingPalette() (palette.Palette, error) {
	return brewer.GetPalette(brewer.TypeDiverging, "RdBu", 11)
}

// heatMap builds a plot of matrix z (values in [lo, hi]; NaN = no value) in the colours of pal,
// with the given cell texts, row labels (top to bottom) and column labels.
func heatMap(z [][]float64, lo, hi float64, pal palette.Palette, cells [][]string, rows, cols []string, xLabel, yLabel string) (*gplot.Plot, error) {
	h := plotter.NewHeatMap(matrixGrid{z: z, min: lo, max: hi}, pal)
	h.NaN = noValueGrey
	h.Underflow = rgb(0xF4CCCC)
	h.Overflow = pal.Colors()[len(pal.Colors())-1]
	p := newPlot(xLabel, yLabel)
	p.Add(h)

	var xys plotter.XYs
	var texts []string
	var colors []color.Color
	nr := len(z)
	for r := range z {
		for c := range z[r] {
			xys = append(xys, plotter.XY{X: float64(c), Y: float64(nr - 1 - r)})
			texts = append(texts, cells[r][c])
			colors = append(colors, contrastText(cellColor(h, z[r][c])))
		}
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return nil, err
	}
	size := 9.0
	if len(cols) > 8 {
		size = 7.5
	}
	for i := range lab.TextStyle {
		sty := textStyle(vg.Length(size), false)
		sty.Color = colors[i]
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
		lab.TextStyle[i] = sty
	}
	p.Add(lab)

	rowY := make([]float64, nr)
	for r := range rowY {
		rowY[r] = float64(nr - 1 - r)
	}
	p.Y.Tick.Marker = nominalTicks(rows, rowY)
	p.X.Tick.Marker = nominalTicks(cols, nil)
	p.X.Tick.Length, p.Y.Tick.Length = 0, 0
	p.X.Padding, p.Y.Padding = 0, 0
	if len(cols) > 5 {
		slantTicks(&p.X)
	}
	return p, nil
}

// cellColor is the colour the heat map gives value v.
func cellColor(h *plotter.HeatMap, v float64) color.Color {
	cs := h.Palette.Colors()
	switch {
	case math.IsNaN(v):
		return h.NaN
	case v < h.Min:
		return h.Underflow
	case v > h.Max:
		return h.Overflow
	}
	i := int((v-h.Min)/(h.Max-h.Min)*float64(len(cs)-1) + 0.5)
	return cs[min(max(i, 0), len(cs)-1)]
}
