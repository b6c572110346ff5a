// Package plot draws emoeval's figures from a metrics.Summary with gonum/plot, as PNG, SVG or
// PDF: recognition bars with bootstrap whiskers, per-class recall with Wilson whiskers,
// prediction × explanation quarter bars per judge, row-normalised confusion heat maps per model,
// drift curves per judge with per-bin n and Wilson whiskers, MI-aligned and visual-initiation
// rates, description order by modality importance, and judge agreement with a colour scale.
// Colours are the Okabe–Ito palette and ColorBrewer Blues and RdBu (safe under colour-vision
// deficiencies); legends sit above the data and a caption under it says what whiskers and marks
// mean; identifiers of categories are drawn as words (words.go); a metric undefined for a model
// is left out or drawn as "n/a", never as 0; every label is cleaned of untrusted bytes
// (CleanText) and cut when long.
package plot

import (
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	stdfont "golang.org/x/image/font"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/emoeval/emoeval/internal/atomicfile"
)

// ErrNoData is returned by a figure builder when the summary holds nothing to draw (no judges for
// a quarter plot, no drift data, …). All skips such figures.
var ErrNoData = errors.New("no data for this figure")

// knownFormats are the output formats Save and Write know.
var knownFormats = []string{"png", "svg", "pdf"}

// PNGDPI is the resolution of PNG output: sharp when the PNG is placed at its natural size in the
// PDF report.
const PNGDPI = 150

// Figure is a chart ready to save: a gonum plot plus a title and a legend, which are drawn above
// the data area so that the legend never covers data.
type Figure struct {
	// Name is a file-name stem, unique among the figures of one summary ("confusion-migr").
	Name  string
	Title string
	Plot  *gplot.Plot
	// Legend entries are laid out left to right under the title, wrapping as needed.
	Legend []LegendEntry
	// Synthetic adds a band saying the data are synthetic.
	Synthetic bool
	// Note is the caption, drawn under the plot in small type and wrapped to the width: what
	// whiskers, marks and abbreviations mean. A newline starts a new line.
	Note string
	// Scale, when set, is drawn right of the plot: the colour scale of a heat map.
	Scale *ColorScale
	// Counts are rows of numbers drawn under the plot, each number under its x position in the
	// data (the sample size of each point of a curve), one row per series.
	Counts []CountRow
	// Width and Height are the default size, used when Save is given zero lengths.
	Width, Height vg.Length
}

// ColorScale is the legend of a heat map's colours: Colors are evenly spaced from Min to Max,
// and a value is drawn in the colour nearest to it, as gonum's heat map does.
type ColorScale struct {
	Label    string
	Min, Max float64
	Colors   []color.Color
	// Ticks are the values labelled on the scale.
	Ticks []float64
}

// CountRow is one row of Figure.Counts: Text[i] is drawn under data x position X[i]; the row
// starts with a sample of its series' line and glyph.
type CountRow struct {
	Color color.Color
	Glyph draw.GlyphDrawer
	X     []float64
	Text  []string
}

// LegendEntry is one legend item: a filled swatch, or a line sample with an optional glyph.
type LegendEntry struct {
	Label  string
	Color  color.Color
	Line   bool
	Dashes []vg.Length
	Glyph  draw.GlyphDrawer
}

// Save writes the figure to path atomically, in the format named by the extension (.png, .svg,
// .pdf). Zero w or h means the figure's default size.
func Save(f *Figure, path string, w, h vg.Length) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	return atomicfile.Write(path, func(out io.Writer) error {
		if err := Write(out, f, format, w, h); err != nil {
			return fmt.Errorf("figure %s: %w", path, err)
		}
		return nil
	})
}

// Write renders the figure in format (png, svg or pdf) to out. Zero w or h means the figure's
// default size. Standalone PDF figures use gonum's Windows-1252 font encoding: characters
// outside it show as '?' there (PNG and SVG keep them).
func Write(out io.Writer, f *Figure, format string, w, h vg.Length) (err error) {
	if w <= 0 {
		w = f.Width
	}
	if h <= 0 {
		h = f.Height
	}
	if w <= 0 || h <= 0 {
		return fmt.Errorf("figure %q: no size", f.Name)
	}
	defer func() {
		// gonum panics on some degenerate input; no panic may reach the user.
		if r := recover(); r != nil {
			err = fmt.Errorf("render figure %q: %v", f.Name, r)
		}
	}()
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = pngCanvas{vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PNGDPI),
			vgimg.UseBackgroundColor(color.White))}
	case "svg":
		c = vgsvg.New(w, h)
	case "pdf":
		c = pdfCanvas{vgpdf.New(w, h)}
	default:
		return fmt.Errorf("unknown figure format %q (want one of %s)", format, strings.Join(knownFormats, ", "))
	}
	f.draw(draw.New(c))
	_, err = c.WriteTo(out)
	return err
}

// pdfCanvas works around two limits of gonum's PDF canvas: it writes strings as Windows-1252
// bytes, so text is re-encoded; and it embeds the first font file for every face of a document
// (a second face, bold, draws with the first one's glyphs, or fails as an "undefined font"), so
// all text is drawn in the regular face.
type pdfCanvas struct{ *vgpdf.Canvas }

func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != stdfont.WeightNormal || f.Font.Style != stdfont.StyleNormal {
		f = font.DefaultCache.Lookup(sansFont, f.Font.Size)
	}
	c.Canvas.FillString(f, pt, cp1252(s))
}

// pngCanvas encodes with the fastest compression: gonum's default level spends more time
// compressing than drawing, for files a few per cent smaller.
type pngCanvas struct{ *vgimg.Canvas }

func (c pngCanvas) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	err := enc.Encode(cw, c.Image())
	return cw.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

const (
	figPad     = vg.Length(6)
	swatchW    = vg.Length(16)
	swatchH    = vg.Length(9)
	legendGap  = vg.Length(14)
	legendLine = vg.Length(14)
	// legendRows caps the legend so that many models cannot crowd out the data.
	legendRows = 4
)

func (f *Figure) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	top := c.Max.Y - figPad
	width := c.Max.X - c.Min.X - 2*figPad
	if f.Synthetic {
		top = drawSyntheticBand(c, top)
	}
	if f.Title != "" {
		sty := textStyle(12, true)
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		title := fitText(sty, f.Title, width)
		c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top}, title)
		top -= sty.Height(title) + 4
	}
	top = f.drawLegend(c, top, width)
	// The caption and the count table give way, the caption first, when drawing them would
	// leave the plot less than minPlotHeight (a figure drawn much smaller than its default size).
	bottom := c.Min.Y + figPad
	var note []string
	if f.Note != "" {
		note = noteLines(noteStyle(), f.Note, width)
	}
	counts := f.countsHeight()
	if top-bottom-noteHeight(note)-counts < minPlotHeight {
		note = nil
	}
	if top-bottom-counts < minPlotHeight {
		counts = 0
	}
	bottom = drawNote(c, note, bottom)
	bottom += counts
	right := c.Max.X - figPad
	if f.Scale != nil {
		right -= scaleWidth
	}
	area := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: c.Min.X + figPad, Y: bottom},
		Max: vg.Point{X: right, Y: top},
	}}
	f.Plot.Draw(area)
	if f.Scale == nil && counts == 0 {
		return
	}
	data := f.Plot.DataCanvas(area)
	if f.Scale != nil {
		f.Scale.draw(c, right+scaleGap, data.Min.Y, data.Max.Y)
	}
	if counts > 0 {
		f.drawCounts(c, area, data, bottom)
	}
}

// Caption, colour scale and count table metrics.
const (
	noteSize   = vg.Length(8)
	noteLine   = vg.Length(10)
	scaleWidth = vg.Length(56) // gap, bar, ticks and their labels
	scaleGap   = vg.Length(10)
	scaleBar   = vg.Length(12)
	countsSize = vg.Length(7.5)
	countsLine = vg.Length(11)
	// minPlotHeight is the least height the plot keeps when a caption or count table is drawn.
	minPlotHeight = vg.Length(100)
)

// noteStyle is the caption's type.
func noteStyle() text.Style {
	sty := textStyle(noteSize, false)
	sty.Color = rgb(0x333333)
	return sty
}

// noteLines wraps the caption into lines at most width wide (a word longer than that is cut).
// Words are measured once each; a line's width is the sum of its words and spaces.
func noteLines(sty text.Style, note string, width vg.Length) []string {
	var lines []string
	space := sty.Width(" ")
	for _, para := range strings.Split(note, "\n") {
		var line []string
		var lineW vg.Length
		for _, word := range strings.Fields(para) {
			w := sty.Width(word)
			if len(line) > 0 && lineW+space+w > width {
				lines = append(lines, fitText(sty, strings.Join(line, " "), width))
				line, lineW = nil, 0
			}
			if len(line) > 0 {
				lineW += space
			}
			line = append(line, word)
			lineW += w
		}
		if len(line) > 0 {
			lines = append(lines, fitText(sty, strings.Join(line, " "), width))
		}
	}
	return lines
}

// noteHeight is the height of a caption of these lines, with the gap above it.
func noteHeight(lines []string) vg.Length {
	if len(lines) == 0 {
		return 0
	}
	return vg.Length(len(lines))*noteLine + 4
}

// drawNote draws the caption's lines upwards from bottom and returns the y above them.
func drawNote(c draw.Canvas, lines []string, bottom vg.Length) vg.Length {
	sty := noteStyle()
	sty.YAlign = draw.YBottom
	for i := range lines {
		line := lines[len(lines)-1-i]
		c.FillText(sty, vg.Point{X: c.Min.X + figPad, Y: bottom + vg.Length(i)*noteLine}, line)
	}
	return bottom + noteHeight(lines)
}

func (f *Figure) countsHeight() vg.Length {
	if len(f.Counts) == 0 {
		return 0
	}
	return vg.Length(len(f.Counts)+1)*countsLine + 4
}

// countsHeader heads the count table; the builder says what is counted in the caption.
const countsHeader = "n per point:"

// drawCounts draws the count table in the band from bottom up to the plot's area, each number
// under its x position in the data canvas.
func (f *Figure) drawCounts(c draw.Canvas, area, data draw.Canvas, bottom vg.Length) {
	trX, _ := f.Plot.Transforms(&data)
	sty := textStyle(countsSize, false)
	sty.YAlign = draw.YCenter
	y := bottom - 4 - countsLine/2 - vg.Length(len(f.Counts))*countsLine
	head := sty
	head.Font = textStyle(countsSize, true).Font
	c.FillText(head, vg.Point{X: area.Min.X, Y: bottom - 4 - countsLine/2}, countsHeader)
	num := sty
	num.XAlign = draw.XCenter
	for r, row := range f.Counts {
		y = bottom - 4 - countsLine/2 - vg.Length(r+1)*countsLine
		drawSwatch(c, LegendEntry{Color: row.Color, Line: true, Glyph: row.Glyph}, data.Min.X-swatchW-8, y)
		num.Color = row.Color
		if row.Color == nil {
			num.Color = color.Black
		}
		for i, x := range row.X {
			if i < len(row.Text) && x >= f.Plot.X.Min && x <= f.Plot.X.Max {
				c.FillText(num, vg.Point{X: trX(x), Y: y}, row.Text[i])
			}
		}
	}
}

// colorAt is the colour of value v on the scale: the nearest of the evenly spaced colours.
func (s *ColorScale) colorAt(v float64) color.Color {
	n := len(s.Colors)
	i := int((v-s.Min)/(s.Max-s.Min)*float64(n-1) + 0.5)
	return s.Colors[min(max(i, 0), n-1)]
}

// draw draws the scale as a vertical bar from y0 to y1 with its ticks right of it and its label
// above it.
func (s *ColorScale) draw(c draw.Canvas, x, y0, y1 vg.Length) {
	n := len(s.Colors)
	if n == 0 || !(s.Max > s.Min) || y1 <= y0 {
		return
	}
	yOf := func(v float64) vg.Length { return y0 + vg.Length((v-s.Min)/(s.Max-s.Min))*(y1-y0) }
	step := (s.Max - s.Min) / float64(max(n-1, 1))
	for i, col := range s.Colors {
		lo := math.Max(s.Min, s.Min+(float64(i)-0.5)*step)
		hi := math.Min(s.Max, s.Min+(float64(i)+0.5)*step)
		if n == 1 {
			lo, hi = s.Min, s.Max
		}
		r := vg.Rectangle{Min: vg.Point{X: x, Y: yOf(lo)}, Max: vg.Point{X: x + scaleBar, Y: yOf(hi)}}
		c.SetColor(col)
		c.Fill(r.Path())
	}
	frame := draw.LineStyle{Color: rgb(0x555555), Width: 0.5}
	c.StrokeLines(frame, []vg.Point{{X: x, Y: y0}, {X: x + scaleBar, Y: y0}, {X: x + scaleBar, Y: y1}, {X: x, Y: y1}, {X: x, Y: y0}})
	sty := textStyle(8, false)
	sty.YAlign = draw.YCenter
	for _, t := range s.Ticks {
		if t < s.Min || t > s.Max {
			continue
		}
		y := yOf(t)
		c.StrokeLine2(frame, x+scaleBar, y, x+scaleBar+3, y)
		c.FillText(sty, vg.Point{X: x + scaleBar + 5, Y: y}, tickText(t))
	}
	if s.Label != "" {
		head := textStyle(9, true)
		head.XAlign, head.YAlign = draw.XCenter, draw.YBottom
		c.FillText(head, vg.Point{X: x + scaleBar/2, Y: y1 + 3}, s.Label)
	}
}

// tickText formats a scale value with as few decimals as it needs (at most 2) and an ASCII minus.
func tickText(v float64) string {
	for prec := 0; prec < 2; prec++ {
		if t := formatFloat(v, prec); math.Abs(mustParse(t)-v) < 1e-9 {
			return t
		}
	}
	return formatFloat(v, 2)
}

func mustParse(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// withExtras adds to the figure's default height the room its caption and count table take at
// its default width, so that the plot keeps its size.
func withExtras(f *Figure) *Figure {
	if f.Note != "" {
		f.Height += noteHeight(noteLines(noteStyle(), f.Note, f.Width-2*figPad))
	}
	f.Height += f.countsHeight()
	return f
}

// SyntheticNotice is the mark on every figure and page made from synthetic data.
const SyntheticNotice = "SYNTHETIC DATA — not a real evaluation"

func drawSyntheticBand(c draw.Canvas, top vg.Length) vg.Length {
	sty := textStyle(9, true)
	sty.Color = color.White
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	h := sty.Height(SyntheticNotice) + 6
	band := vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: top - h}, Max: vg.Point{X: c.Max.X, Y: top}}
	c.SetColor(syntheticRed)
	c.Fill(band.Path())
	c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top - h/2}, SyntheticNotice)
	return top - h - 4
}

// drawLegend lays the entries out in centred rows and returns the y below them.
func (f *Figure) drawLegend(c draw.Canvas, top, width vg.Length) vg.Length {
	if len(f.Legend) == 0 {
		return top
	}
	sty := textStyle(9, false)
	sty.YAlign = draw.YCenter
	var rows [][]legendItem
	var rowW []vg.Length
	for i, e := range f.Legend {
		label := fitText(sty, e.Label, width-swatchW-4)
		it := legendItem{e, label, swatchW + 4 + sty.Width(label)}
		n := len(rows)
		if n == 0 || rowW[n-1]+legendGap+it.w > width {
			if n == legendRows {
				rows[n-1], rowW[n-1] = withMore(rows[n-1], rowW[n-1], len(f.Legend)-i, sty, width)
				break
			}
			rows = append(rows, nil)
			rowW = append(rowW, -legendGap)
			n++
		}
		rows[n-1] = append(rows[n-1], it)
		rowW[n-1] += legendGap + it.w
	}
	for r, row := range rows {
		y := top - legendLine/2
		x := (c.Min.X+c.Max.X)/2 - rowW[r]/2
		for _, it := range row {
			drawSwatch(c, it.e, x, y)
			c.FillText(sty, vg.Point{X: x + swatchW + 4, Y: y}, it.label)
			x += it.w + legendGap
		}
		top -= legendLine
	}
	return top - 4
}

type legendItem struct {
	e     LegendEntry
	label string
	w     vg.Length // swatch, gap and label
}

// withMore ends a full legend row with "… n more", dropping entries from it until that fits.
func withMore(row []legendItem, rowW vg.Length, n int, sty text.Style, width vg.Length) ([]legendItem, vg.Length) {
	for {
		more := fmt.Sprintf("… %d more", n)
		it := legendItem{LegendEntry{Color: color.White}, more, swatchW + 4 + sty.Width(more)}
		if rowW+legendGap+it.w <= width || len(row) == 0 {
			return append(row, it), rowW + legendGap + it.w
		}
		rowW -= legendGap + row[len(row)-1].w
		row = row[:len(row)-1]
		n++
	}
}

func drawSwatch(c draw.Canvas, e LegendEntry, x, y vg.Length) {
	if !e.Line {
		r := vg.Rectangle{Min: vg.Point{X: x, Y: y - swatchH/2}, Max: vg.Point{X: x + swatchW, Y: y + swatchH/2}}
		c.SetColor(e.Color)
		c.Fill(r.Path())
		return
	}
	ls := draw.LineStyle{Color: e.Color, Width: 1.5, Dashes: e.Dashes}
	c.StrokeLine2(ls, x, y, x+swatchW, y)
	if e.Glyph != nil {
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: e.Color, Radius: 2.5, Shape: e.Glyph}, vg.Point{X: x + swatchW/2, Y: y})
	}
}

// fitText cuts s with '…' until it is at most w wide in sty.
func fitText(sty text.Style, s string, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes)
	for lo < hi { // longest prefix that fits with the ellipsis
		mid := (lo + hi + 1) / 2
		if sty.Width(string(runes[:mid])+string(ellipsis)) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(runes[:lo]), " ") + string(ellipsis)
}
