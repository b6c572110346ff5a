package plot

import (
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// groupedBars draws, for each category on the x axis, one bar per series side by side, with
// optional interval whiskers. Widths are in data units and positions are computed at draw time,
// so bars and whiskers stay aligned at any canvas size (gonum's BarChart offsets are in points).
// A NaN value is undefined: no bar, and "n/a" where the bar would stand.
type groupedBars struct {
	values [][]float64    // [series][category]; NaN = undefined
	ci     [][][2]float64 // [series][category] low, high; nil or NaN = no whisker
	colors []color.Color
	// labels are small texts at the foot of each bar (its n), drawn where they fit; nil = none.
	labels [][]string // [series][category]
}

const groupSpan = 0.8 // share of a category's width the group of bars fills

// notAvailable marks a metric that is undefined for a model (a rate over no samples).
const notAvailable = "n/a"

func (g *groupedBars) barX(series, cat int) (x0, x1 float64) {
	w := groupSpan / float64(len(g.values))
	x0 = float64(cat) - groupSpan/2 + float64(series)*w
	gap := w * 0.08
	return x0 + gap, x0 + w - gap
}

func (g *groupedBars) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	whisker := draw.LineStyle{Color: color.Black, Width: 1}
	na := textStyle(7, false)
	na.Color = rgb(0x555555)
	na.Rotation = math.Pi / 2
	na.XAlign, na.YAlign = draw.XLeft, draw.YCenter
	for s, vals := range g.values {
		for i, v := range vals {
			x0, x1 := g.barX(s, i)
			if math.IsNaN(v) {
				x := trX((x0 + x1) / 2)
				if x >= c.Min.X && x <= c.Max.X {
					c.FillText(na, vg.Point{X: x, Y: trY(0) + 3}, notAvailable)
				}
				continue
			}
			r := []vg.Point{{X: trX(x0), Y: trY(0)}, {X: trX(x0), Y: trY(v)}, {X: trX(x1), Y: trY(v)}, {X: trX(x1), Y: trY(0)}}
			c.FillPolygon(g.colors[s], c.ClipPolygonXY(r))
			g.drawLabel(c, s, i, trX(x0), trX(x1), trY(0), trY(v))
			if g.ci == nil {
				continue
			}
			lo, hi := g.ci[s][i][0], g.ci[s][i][1]
			if math.IsNaN(lo) || math.IsNaN(hi) {
				continue
			}
			xm := trX((x0 + x1) / 2)
			cap := (trX(x1) - trX(x0)) / 4
			c.StrokeLines(whisker, c.ClipLinesXY(
				[]vg.Point{{X: xm, Y: trY(lo)}, {X: xm, Y: trY(hi)}},
				[]vg.Point{{X: xm - cap, Y: trY(lo)}, {X: xm + cap, Y: trY(lo)}},
				[]vg.Point{{X: xm - cap, Y: trY(hi)}, {X: xm + cap, Y: trY(hi)}},
			)...)
		}
	}
}

// drawLabel draws bar (s, i)'s label at its foot: inside the bar in a contrasting colour when
// it fits, else just above it in black; not at all when it is wider than the bar.
func (g *groupedBars) drawLabel(c draw.Canvas, s, i int, x0, x1, y0, y1 vg.Length) {
	if s >= len(g.labels) || i >= len(g.labels[s]) || g.labels[s][i] == "" {
		return
	}
	txt := g.labels[s][i]
	sty := textStyle(7, false)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
	if sty.Width(txt) > x1-x0 {
		return
	}
	y := y0 + 2
	if y1-y0 >= sty.Height(txt)+4 {
		sty.Color = contrastText(g.colors[s])
	} else {
		y = y1 + 2
	}
	c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: y}, txt)
}

func (g *groupedBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	n := 0
	for s, vals := range g.values {
		n = max(n, len(vals))
		for i, v := range vals {
			if !math.IsNaN(v) {
				ymax = math.Max(ymax, v)
			}
			if g.ci != nil && !math.IsNaN(g.ci[s][i][1]) {
				ymax = math.Max(ymax, g.ci[s][i][1])
			}
		}
	}
	return -0.5, float64(n) - 0.5, 0, ymax
}

// hBars draws horizontal bars made of stacked segments, one bar per row at the given y
// positions, with each segment's value printed inside it when there is room.
type hBars struct {
	y         []float64
	segments  [][]float64 // [row][segment]
	colors    []color.Color
	thickness float64 // bar height in data units
	// label formats a segment value; nil = no labels.
	label func(float64) string
}

func (h *hBars) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := textStyle(8, false)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	for r, segs := range h.segments {
		y0, y1 := trY(h.y[r]-h.thickness/2), trY(h.y[r]+h.thickness/2)
		left := 0.0
		for s, v := range segs {
			if v <= 0 {
				continue
			}
			x0, x1 := trX(left), trX(left+v)
			col := h.colors[s%len(h.colors)]
			c.FillPolygon(col, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}}))
			if h.label != nil {
				txt := h.label(v)
				if sty.Width(txt)+4 <= x1-x0 && sty.Height(txt)+2 <= y1-y0 {
					ts := sty
					ts.Color = contrastText(col)
					c.FillText(ts, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, txt)
				}
			}
			left += v
		}
	}
}

func (h *hBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for r, segs := range h.segments {
		sum := 0.0
		for _, v := range segs {
			sum += math.Max(v, 0)
		}
		xmax = math.Max(xmax, sum)
		ymin = math.Min(ymin, h.y[r]-h.thickness/2)
		ymax = math.Max(ymax, h.y[r]+h.thickness/2)
	}
	return 0, xmax, ymin, ymax
}
