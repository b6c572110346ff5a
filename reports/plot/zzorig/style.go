package plot

import (
	"image/color"
	"math"
	"strconv"

	stdfont "golang.org/x/image/font"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// sansFont is the typeface of every figure: Liberation Sans, bundled with gonum, so rendering
// needs no system fonts.
var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Label lengths, in runes, beyond which names are cut with '…'.
const (
	maxNameRunes  = 28 // model and judge names in legends and tick labels
	maxTitleRunes = 90
)

// modelColors is the Okabe–Ito palette, distinguishable under the common colour-vision
// deficiencies; models keep their colour across all figures.
var modelColors = []color.Color{
	rgb(0x0072B2), // blue
	rgb(0xE69F00), // orange
	rgb(0x009E73), // bluish green
	rgb(0xD55E00), // vermillion
	rgb(0x56B4E9), // sky blue
	rgb(0xCC79A7), // reddish purple
	rgb(0xF0E442), // yellow
	rgb(0x000000), // black
}

// Glyph shapes for line plots: with colour they keep lines apart in grey-scale print too.
var modelGlyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{},
	draw.PyramidGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{},
}

var (
	gridColor    = rgb(0xDDDDDD)
	neutralGry   = rgb(0xBBBBBB)
	syntheticRed = rgb(0xB2182B)
)

func rgb(v uint32) color.Color {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xFF}
}

func modelColor(i int) color.Color { return modelColors[i%len(modelColors)] }

// textStyle is a Liberation Sans style of the given size.
func textStyle(size vg.Length, bold bool) text.Style {
	f := sansFont
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return text.Style{
		Color:   color.Black,
		Font:    font.From(f, size),
		Handler: gplot.DefaultTextHandler,
	}
}

// contrastText is black or white, whichever reads better on background bg.
func contrastText(bg color.Color) color.Color {
	r, g, b, _ := bg.RGBA()
	lum := 0.2126*linear(r) + 0.7152*linear(g) + 0.0722*linear(b)
	if lum > 0.32 {
		return color.Black
	}
	return color.White
}

func linear(c uint32) float64 {
	v := float64(c) / 0xFFFF
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// newPlot returns a plot with the report's fonts, no title (the Figure draws it) and light axes.
func newPlot(xLabel, yLabel string) *gplot.Plot {
	p := gplot.New()
	p.BackgroundColor = nil
	for _, ax := range []*gplot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sansFont, 10)
		ax.Tick.Label.Font = font.From(sansFont, 9)
		ax.LineStyle.Color = rgb(0x555555)
		ax.Tick.LineStyle.Color = rgb(0x555555)
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	return p
}

// percentAxis fixes an axis to 0–100 % with ticks every 20 (or to hi when data exceed 100).
func percentAxis(ax *gplot.Axis, hi float64) {
	ax.Min, ax.Max = 0, math.Max(100, hi)
	ax.Tick.Marker = gplot.ConstantTicks(percentTicks(ax.Max))
}

func percentTicks(hi float64) []gplot.Tick {
	var ticks []gplot.Tick
	for v := 0.0; v <= hi+1e-9; v += 20 {
		ticks = append(ticks, gplot.Tick{Value: v, Label: formatFloat(v, 0)})
		if v+10 <= hi {
			ticks = append(ticks, gplot.Tick{Value: v + 10})
		}
	}
	return ticks
}

// nominalTicks labels integer positions 0..len(names)-1 (or the given positions).
func nominalTicks(names []string, positions []float64) gplot.ConstantTicks {
	ticks := make(gplot.ConstantTicks, len(names))
	for i, n := range names {
		v := float64(i)
		if positions != nil {
			v = positions[i]
		}
		ticks[i] = gplot.Tick{Value: v, Label: n}
	}
	return ticks
}

func formatFloat(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }

// finite replaces NaN and ±Inf, which gonum refuses, by 0.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// yGrid draws light horizontal grid lines at the major y ticks; xGrid the vertical ones.
func yGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal = draw.LineStyle{Color: gridColor, Width: 0.5}
	return g
}

func xGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Horizontal.Color = nil
	g.Vertical = draw.LineStyle{Color: gridColor, Width: 0.5}
	return g
}

// slantTicks turns x tick labels by 30° so long class names do not overlap.
func slantTicks(ax *gplot.Axis) {
	ax.Tick.Label.Rotation = math.Pi / 6
	ax.Tick.Label.XAlign = draw.XRight
	ax.Tick.Label.YAlign = draw.YTop
}

func inches(v float64) vg.Length { return vg.Length(v * 72) }
