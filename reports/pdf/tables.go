package pdf

import (
	"math"
	"strings"

	"github.com/emoeval/emoeval/reports/tabular"
)

// Table layout constants (mm, pt).
const (
	cellPadX = 1.6
	cellPadY = 1.0
)

// layout is how one table is set: page orientation, type size and column widths.
type layout struct {
	landscape bool
	size      float64 // points
	widths    []float64
}

// grid is a table's text, cleaned and padded to a rectangle.
type grid struct {
	header []string
	align  []tabular.Align
	rows   [][]string
	src    []tabular.Row
}

func newGrid(t *tabular.Table) grid {
	n := len(t.Columns)
	for _, r := range t.Rows {
		n = max(n, len(r.Cells))
	}
	g := grid{header: make([]string, n), align: make([]tabular.Align, n), src: t.Rows}
	for i, c := range t.Columns {
		g.header[i] = clean(c.Header, 200)
		g.align[i] = c.Align
	}
	for _, r := range t.Rows {
		row := make([]string, n)
		for i, c := range r.Cells {
			row[i] = clean(c.Text, 1000)
		}
		g.rows = append(g.rows, row)
	}
	return g
}

func (g grid) emph(r, c int) bool {
	return c < len(g.src[r].Cells) && g.src[r].Cells[c].Emph
}

// table prints t: title, header row, rows (reported rows shaded and in italics, emphasised
// cells bold, rules where asked) and notes. The header row repeats after a page break.
func (d *doc) table(t *tabular.Table, markSynthetic bool) {
	g := newGrid(t)
	if len(g.header) == 0 {
		return
	}
	lay := d.fit(g)
	f := d.f
	w, _ := f.GetPageSize()
	if lay.landscape != (w > 250) {
		f.AddPageFormat(orientation(lay.landscape), f.GetPageSizeStr("A4"))
	}
	title := clean(t.Title, 300)
	if title == "" {
		title = clean(t.ID, 100)
	}
	lineH := lay.size * 0.42
	notes := t.Notes
	for _, src := range g.src {
		if src.Reported {
			notes = append(notes[:len(notes):len(notes)], "Shaded rows in italics are published (reported) numbers, not computed by this run.")
			break
		}
	}
	// A table and its notes stay together: the whole table on one page when it fits one, and
	// its last row never apart from the notes under it.
	notesH := d.notesHeight(notes)
	total := 8 + d.rowHeight(g.header, lay, lineH, func(int) string { return "B" }) + notesH
	for r, row := range g.rows {
		total += d.rowHeight(row, lay, lineH, func(c int) string { return d.cellStyle(g, r, c) })
	}
	if total < d.bottom()-marginTop {
		d.ensure(total)
	} else {
		d.ensure(24)
	}
	f.Bookmark(title, 1, -1)
	d.block(title, font{sans, "B", 10.5}, accent, 5.2, false)
	if markSynthetic && d.synthetic() {
		d.use(sans, "B", smallSize)
		d.text(warnRed)
		f.CellFormat(0, 4, "synthetic data, not a real evaluation", "", 1, "L", false, 0, "")
	}
	f.Ln(1)

	d.headerRow(g, lay, lineH, true)
	for r, row := range g.rows {
		src := g.src[r]
		h := d.rowHeight(row, lay, lineH, func(c int) string { return d.cellStyle(g, r, c) })
		need := h
		if r == len(g.rows)-1 {
			need += 1.5 + notesH
		}
		if f.GetY()+need > d.bottom() && r > 0 {
			d.rule(lay, 0.5, ink)
			f.AddPageFormat(orientation(lay.landscape), f.GetPageSizeStr("A4"))
			d.headerRow(g, lay, lineH, false)
		}
		if src.Rule && r > 0 {
			d.rule(lay, 0.2, ruleGrey)
		}
		d.row(row, lay, lineH, h, src.Reported, func(c int) string { return d.cellStyle(g, r, c) }, g.align)
	}
	d.rule(lay, 0.5, ink)
	f.Ln(1.5)
	for _, n := range notes {
		d.block(clean(n, 2000), font{sans, "I", smallSize}, muted, smallSize*0.42, false)
	}
	f.Ln(5)
	d.body()
}

// notesHeight is the height the notes under a table take.
func (d *doc) notesHeight(notes []string) float64 {
	d.use(sans, "I", smallSize)
	h := 0.0
	for _, n := range notes {
		h += float64(len(d.lines(clean(n, 2000), d.contentWidth()-2*d.f.GetCellMargin()))) * smallSize * 0.42
	}
	d.body()
	return h
}

func orientation(landscape bool) string {
	if landscape {
		return "L"
	}
	return "P"
}

func (d *doc) cellStyle(g grid, r, c int) string {
	s := ""
	if g.emph(r, c) {
		s = "B"
	}
	if g.src[r].Reported {
		s += "I"
	}
	return s
}

func (l layout) total() float64 {
	sum := 0.0
	for _, w := range l.widths {
		sum += w
	}
	return sum
}

// rule draws a horizontal rule across the table at the current y.
func (d *doc) rule(l layout, width float64, c rgb) {
	f := d.f
	d.draw(c)
	f.SetLineWidth(width)
	y := f.GetY()
	f.Line(marginX, y, marginX+l.total(), y)
}

func (d *doc) headerRow(g grid, l layout, lineH float64, first bool) {
	style := func(int) string { return "B" }
	h := d.rowHeight(g.header, l, lineH, style)
	if d.f.GetY()+h+lineH*2 > d.bottom() {
		d.f.AddPageFormat(orientation(l.landscape), d.f.GetPageSizeStr("A4"))
	}
	d.rule(l, 0.5, ink)
	d.fill(headFill)
	d.f.Rect(marginX, d.f.GetY(), l.total(), h, "F")
	d.row(g.header, l, lineH, h, false, style, g.align)
	d.rule(l, 0.3, ink)
}

// rowHeight is the height of a row whose cells wrap within their columns.
func (d *doc) rowHeight(cells []string, l layout, lineH float64, style func(int) string) float64 {
	lines := 1
	for c, text := range cells {
		d.use(sans, style(c), l.size)
		lines = max(lines, len(d.wrap(text, l.widths[c])))
	}
	return float64(lines)*lineH + 2*cellPadY
}

// wrap splits text into display lines that fit a column of width w (mm), padding included.
func (d *doc) wrap(text string, w float64) []string {
	return d.lines(text, w-2*cellPadX)
}

func (d *doc) row(cells []string, l layout, lineH, h float64, reported bool, style func(int) string, align []tabular.Align) {
	f := d.f
	y := f.GetY()
	if reported {
		d.fill(reportedF)
		f.Rect(marginX, y, l.total(), h, "F")
	}
	x := marginX
	for c, text := range cells {
		d.use(sans, style(c), l.size)
		d.text(ink)
		for i, line := range d.wrap(text, l.widths[c]) {
			f.SetXY(x+cellPadX-f.GetCellMargin(), y+cellPadY+float64(i)*lineH)
			f.CellFormat(l.widths[c]-2*cellPadX+2*f.GetCellMargin(), lineH, line, "", 0, alignStr(align[c]), false, 0, "")
		}
		x += l.widths[c]
	}
	f.SetXY(marginX, y+h)
}

func alignStr(a tabular.Align) string {
	switch a {
	case tabular.Right:
		return "R"
	case tabular.Center:
		return "C"
	}
	return "L"
}

// fit chooses orientation, type size and column widths. It prefers, in order: portrait with
// every cell on one line; portrait with text columns wrapped at word boundaries; landscape
// with one line; landscape wrapped; and last, landscape with columns scaled down so that long
// words break.
func (d *doc) fit(g grid) layout {
	type try struct {
		landscape bool
		size      float64
		wrap      bool
	}
	tries := []try{
		{false, 8.5, false}, {false, 7.5, false}, {false, 8.5, true}, {false, 7.5, true},
		{true, 8.5, false}, {true, 7.5, false}, {true, 7.5, true}, {true, 6.5, true},
	}
	portrait, landscape := 210-2*marginX, 297-2*marginX
	for _, t := range tries {
		avail := portrait
		if t.landscape {
			avail = landscape
		}
		natural, minimum := d.measure(g, t.size, avail)
		if sum(natural) <= avail {
			return layout{t.landscape, t.size, natural}
		}
		if t.wrap && sum(minimum) <= avail {
			return layout{t.landscape, t.size, spread(natural, minimum, avail)}
		}
	}
	_, minimum := d.measure(g, 6.5, landscape)
	k := landscape / sum(minimum)
	for i := range minimum {
		minimum[i] *= k
	}
	return layout{true, 6.5, minimum}
}

// measure returns each column's one-line width and its narrowest width (its longest word, at
// most a third of the available width), both with padding.
func (d *doc) measure(g grid, size, avail float64) (natural, minimum []float64) {
	n := len(g.header)
	natural = make([]float64, n)
	minimum = make([]float64, n)
	// Left-aligned (text) columns may wrap between words; other columns hold numbers, which
	// wrap only in their header.
	measure := func(c int, text, style string, header bool) {
		d.use(sans, style, size)
		for _, line := range strings.Split(text, "\n") {
			lineW := d.f.GetStringWidth(line) + 2*cellPadX
			natural[c] = math.Max(natural[c], lineW)
			if !header && g.align[c] != tabular.Left {
				minimum[c] = math.Max(minimum[c], math.Min(lineW, avail/3))
				continue
			}
			for _, word := range strings.Fields(line) {
				minimum[c] = math.Max(minimum[c], math.Min(d.f.GetStringWidth(word)+2*cellPadX, avail/3))
			}
		}
	}
	for c, h := range g.header {
		measure(c, h, "B", true)
	}
	for r, row := range g.rows {
		for c, text := range row {
			measure(c, text, d.cellStyle(g, r, c), false)
		}
	}
	for c := range natural {
		natural[c] = math.Max(natural[c], 2*cellPadX+2)
		minimum[c] = math.Max(minimum[c], 2*cellPadX+2)
	}
	return natural, minimum
}

// spread gives each column its minimum plus a share of the remaining width proportional to
// how much more it would need to fit on one line.
func spread(natural, minimum []float64, avail float64) []float64 {
	extra := avail - sum(minimum)
	need := 0.0
	for i := range natural {
		need += natural[i] - minimum[i]
	}
	out := make([]float64, len(natural))
	for i := range natural {
		out[i] = minimum[i]
		if need > 0 {
			out[i] += extra * (natural[i] - minimum[i]) / need
		}
	}
	return out
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}
