package pdf

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"codeberg.org/go-fonts/liberation/liberationmonoregular"
	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansbolditalic"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"

	"github.com/emoeval/emoeval/reports/plot"
)

// Font families registered in every document.
const (
	sans = "sans"
	mono = "mono"
)

// Page geometry in millimetres (A4) and type sizes in points.
const (
	marginX      = 18.0
	marginTop    = 24.0
	marginBottom = 18.0
	bodySize     = 9.5
	bodyLine     = 4.6
	smallSize    = 7.5
)

// RGB colours of the layout.
type rgb struct{ r, g, b int }

var (
	ink       = rgb{0x22, 0x22, 0x22}
	muted     = rgb{0x66, 0x66, 0x66}
	accent    = rgb{0x1F, 0x3A, 0x5F}
	ruleGrey  = rgb{0xBB, 0xBB, 0xBB}
	headFill  = rgb{0xEE, 0xF1, 0xF5}
	boxFill   = rgb{0xF5, 0xF5, 0xF5}
	reportedF = rgb{0xFF, 0xF6, 0xDD}
	warnRed   = rgb{0xB2, 0x18, 0x2B}
)

// doc is one report being laid out.
type doc struct {
	f  *fpdf.Fpdf
	in Input
	// runName is the cleaned run name of the page header.
	runName string
	// fonts holds the faces registered so far: each is added when first used, because
	// registering a face costs more than laying out a page.
	fonts map[string]bool
}

// fontFiles are the faces the report may use, by family and style.
var fontFiles = map[string][]byte{
	sans + "":   liberationsansregular.TTF,
	sans + "B":  liberationsansbold.TTF,
	sans + "I":  liberationsansitalic.TTF,
	sans + "BI": liberationsansbolditalic.TTF,
	mono + "":   liberationmonoregular.TTF,
}

// use selects a font, registering its face on first use.
func (d *doc) use(family, style string, size float64) {
	key := family + style
	if !d.fonts[key] {
		d.fonts[key] = true
		d.f.AddUTF8FontFromBytes(family, style, fontFiles[key])
	}
	d.f.SetFont(family, style, size)
}

func newDoc(in Input) *doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(marginX, marginTop, marginX)
	f.SetAutoPageBreak(true, marginBottom)
	f.SetCellMargin(1.2)
	d := &doc{f: f, in: in, runName: clean(in.Meta.RunName, 80), fonts: map[string]bool{}}
	if d.runName == "" {
		d.runName = "emoeval run"
	}
	f.SetTitle("emoeval report: "+d.runName, true)
	f.SetCreator("emoeval "+clean(in.Meta.ToolVersion, 40), true)
	f.SetSubject("Evaluation of reasoning-based multimodal emotion models", true)
	if !in.Meta.Date.IsZero() {
		f.SetCreationDate(in.Meta.Date)
		f.SetModificationDate(in.Meta.Date)
	}
	f.SetCatalogSort(true)
	f.AliasNbPages("{nb}")
	f.SetHeaderFuncMode(d.header, true)
	f.SetFooterFunc(d.footer)
	return d
}

func (d *doc) synthetic() bool { return d.in.Summary.Synthetic }

func (d *doc) header() {
	f := d.f
	w, h := f.GetPageSize()
	if d.synthetic() {
		d.watermark(w, h)
		d.fill(warnRed)
		f.Rect(0, 0, w, 8, "F")
		d.use(sans, "B", 9)
		d.text(rgb{0xFF, 0xFF, 0xFF})
		f.SetXY(0, 1.5)
		f.CellFormat(w, 5, plot.SyntheticNotice, "", 0, "C", false, 0, "")
	}
	d.use(sans, "", smallSize)
	d.text(muted)
	f.SetXY(marginX, 11)
	nameW := (w - 2*marginX) * 0.7
	f.CellFormat(nameW, 4, plot.VisualOrder(d.fitWidth(d.runName, nameW-2*f.GetCellMargin())), "", 0, "L", false, 0, "")
	f.SetXY(marginX, 11)
	f.CellFormat(w-2*marginX, 4, "emoeval evaluation report", "", 0, "R", false, 0, "")
	d.draw(ruleGrey)
	f.SetLineWidth(0.2)
	f.Line(marginX, 16, w-marginX, 16)
	f.SetXY(marginX, marginTop)
	d.body()
}

// watermark sets a large, faint diagonal mark under the page's content.
func (d *doc) watermark(w, h float64) {
	f := d.f
	f.TransformBegin()
	f.TransformRotate(35, w/2, h/2)
	f.SetAlpha(0.07, "Normal")
	d.use(sans, "B", 64)
	d.text(warnRed)
	const mark = "SYNTHETIC DATA"
	f.Text(w/2-f.GetStringWidth(mark)/2, h/2+8, mark)
	f.SetAlpha(1, "Normal")
	f.TransformEnd()
}

func (d *doc) footer() {
	f := d.f
	w, h := f.GetPageSize()
	d.use(sans, "", smallSize)
	d.text(muted)
	f.SetXY(marginX, h-12)
	version := "emoeval"
	if v := clean(d.in.Meta.ToolVersion, 40); v != "" {
		version += " " + v
	}
	f.CellFormat((w-2*marginX)/2, 4, version, "", 0, "L", false, 0, "")
	f.SetXY(marginX, h-12)
	f.CellFormat(w-2*marginX, 4, "page "+strconv.Itoa(f.PageNo())+" of {nb}", "", 0, "R", false, 0, "")
}

// fitWidth cuts s with '…' until it is at most w mm wide in the current font.
func (d *doc) fitWidth(s string, w float64) string {
	if d.f.GetStringWidth(s) <= w {
		return s
	}
	runes := []rune(s)
	for len(runes) > 0 && d.f.GetStringWidth(string(runes)+"…") > w {
		runes = runes[:len(runes)-1]
	}
	return strings.TrimRight(string(runes), " ") + "…"
}

// Style helpers.

func (d *doc) body() {
	d.use(sans, "", bodySize)
	d.text(ink)
}

func (d *doc) text(c rgb) { d.f.SetTextColor(c.r, c.g, c.b) }
func (d *doc) fill(c rgb) { d.f.SetFillColor(c.r, c.g, c.b) }
func (d *doc) draw(c rgb) { d.f.SetDrawColor(c.r, c.g, c.b) }

// contentWidth is the width between the margins of the current page.
func (d *doc) contentWidth() float64 {
	w, _ := d.f.GetPageSize()
	return w - 2*marginX
}

// bottom is the lowest y content may reach on the current page.
func (d *doc) bottom() float64 {
	_, h := d.f.GetPageSize()
	return h - marginBottom
}

// ensure starts a new page unless height mm still fit on this one.
func (d *doc) ensure(height float64) {
	if d.f.GetY()+height > d.bottom() {
		d.f.AddPage()
	}
}

// section starts a new portrait page with a first-level heading and an outline entry.
func (d *doc) section(title string) {
	d.f.AddPageFormat("P", d.f.GetPageSizeStr("A4"))
	d.heading(title)
}

func (d *doc) heading(title string) {
	f := d.f
	f.Bookmark(title, 0, -1)
	d.use(sans, "B", 15)
	d.text(accent)
	f.CellFormat(0, 8, title, "", 1, "L", false, 0, "")
	d.draw(accent)
	f.SetLineWidth(0.5)
	y := f.GetY() + 0.5
	f.Line(marginX, y, marginX+d.contentWidth(), y)
	f.SetY(y + 4)
	d.body()
}

func (d *doc) subheading(title string) {
	d.ensure(18)
	d.f.Bookmark(title, 1, -1)
	d.block(title, font{sans, "B", 11}, accent, 5.5, false)
	d.f.Ln(1)
	d.body()
}

// paragraph prints wrapped body text.
func (d *doc) paragraph(s string) {
	d.block(s, font{sans, "", bodySize}, ink, bodyLine, false)
	d.f.Ln(2)
}

// font is a family, style and size (points).
type font struct {
	family, style string
	size          float64
}

func (d *doc) setFont(ft font) { d.use(ft.family, ft.style, ft.size) }

// lines wraps cleaned text (logical order) to width w mm in the current font and returns the
// lines in display order. Line breaks in the text are kept.
func (d *doc) lines(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		// SplitText leaves room for the cell margin on both sides; ask for w of text.
		wrapped := d.f.SplitText(para, w+2*d.f.GetCellMargin())
		if len(wrapped) == 0 {
			wrapped = []string{""}
		}
		for _, l := range wrapped {
			out = append(out, plot.VisualOrder(l))
		}
	}
	return out
}

// block prints text across the content width, line by line, starting new pages as needed.
// boxed shades the lines and draws an accent rule on their left.
func (d *doc) block(text string, ft font, c rgb, lineH float64, boxed bool) {
	f := d.f
	const pad = 2.5 // text inset from the box's rule
	d.setFont(ft)
	x, w := marginX, d.contentWidth()
	if boxed {
		x, w = marginX+pad, w-2*pad
	}
	lines := d.lines(text, w-2*f.GetCellMargin())
	for i, l := range lines {
		if f.GetY()+lineH > d.bottom() {
			f.AddPage()
		}
		y := f.GetY()
		if boxed {
			top, h := y, lineH
			if i == 0 {
				top, h = y-1, h+1
			}
			if i == len(lines)-1 {
				h++
			}
			d.fill(boxFill)
			f.Rect(marginX, top, d.contentWidth(), h, "F")
			d.draw(accent)
			f.SetLineWidth(0.6)
			f.Line(marginX+0.3, top, marginX+0.3, top+h)
		}
		d.setFont(ft)
		d.text(c)
		f.SetXY(x, y)
		f.CellFormat(w, lineH, l, "", 0, "L", false, 0, "")
		f.SetXY(marginX, y+lineH)
	}
	if boxed {
		f.SetY(f.GetY() + 1)
	}
}

// clean makes untrusted text printable with the report's fonts (see plot.CleanText), keeping
// line breaks (at most one blank line in a row); maxRunes <= 0 keeps any length.
func clean(s string, maxRunes int) string {
	if !strings.ContainsAny(s, "\n\r") {
		return plot.CleanText(s, maxRunes)
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var out []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = plot.CleanText(l, 0)
		if l == "" {
			blank = true
			continue
		}
		if blank && len(out) > 0 {
			out = append(out, "")
		}
		blank = false
		out = append(out, l)
	}
	text := strings.Join(out, "\n")
	if maxRunes > 0 && utf8.RuneCountInString(text) > maxRunes {
		text = string([]rune(text)[:maxRunes-1]) + "…"
	}
	return text
}
