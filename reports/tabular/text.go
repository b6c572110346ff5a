package tabular

import (
	"bufio"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// TerminalWidth is the width terminal output fits by default.
const TerminalWidth = 100

// RenderText writes t for a terminal, fitted to width columns (0: as wide as it is): a table
// wider than that is cut into parts of whole columns, each led by the first column, and notes
// are wrapped. Report files are rendered at their full width (Render with TXT).
func (t *Table) RenderText(w io.Writer, width int) error {
	if err := t.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if err := t.renderText(bw, width); err != nil {
		return err
	}
	return bw.Flush()
}

// renderText draws the table through tablewriter with ASCII borders, sized by display width as
// tablewriter measures it (rune by rune: wide characters count two, combining ones none), which
// wrapping and part-cutting here measure the same way. Emphasised cells are wrapped in '*';
// reported rows carry a dagger in their first cell.
func (t *Table) renderText(w *bufio.Writer, width int) error {
	header := make([]string, len(t.Columns))
	widths := make([]int, len(t.Columns))
	for j, c := range t.Columns {
		header[j] = Sanitize(c.Header)
		widths[j] = maxWidth(lines(header[j]), 0)
	}
	body := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		body[i] = make([]string, len(r.Cells))
		for j, c := range r.Cells {
			text := Sanitize(c.Text)
			if c.Emph && text != "" {
				text = "*" + text + "*"
			}
			if r.Reported && j == 0 {
				text += " †"
			}
			body[i][j] = text
			widths[j] = maxWidth(lines(text), widths[j])
		}
	}
	for _, l := range lines(Sanitize(t.Title)) {
		if l != "" {
			writeWrapped(w, l, width)
		}
	}
	for k, cols := range columnParts(widths, width) {
		if k > 0 {
			w.WriteString("(continued)\n")
		}
		if err := t.drawPart(w, cols, header, body); err != nil {
			return err
		}
	}
	for _, n := range t.notes() {
		for _, l := range lines(Sanitize(n)) {
			writeWrapped(w, l, width)
		}
	}
	return nil
}

// drawPart draws the given columns of the table. tablewriter draws rules only around the header
// and the body; the rules above rows that start a group (Row.Rule: the published rows) are put
// in after, as copies of the top border.
func (t *Table) drawPart(w io.Writer, cols []int, header []string, body [][]string) error {
	aligns := make([]tw.Align, len(cols))
	for i, j := range cols {
		switch t.Columns[j].Align {
		case Right:
			aligns[i] = tw.AlignRight
		case Center:
			aligns[i] = tw.AlignCenter
		default:
			aligns[i] = tw.AlignLeft
		}
	}
	var buf strings.Builder
	tbl := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})),
		// Headers are written as they should read ("macro-F1"), not upper-cased and split.
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{PerColumn: aligns}),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: aligns}),
		tablewriter.WithTrimSpace(tw.Off),
	)
	pick := func(row []string) []string {
		out := make([]string, len(cols))
		for i, j := range cols {
			out[i] = row[j]
		}
		return out
	}
	tbl.Header(pick(header))
	for _, r := range body {
		if err := tbl.Append(pick(r)); err != nil {
			return err
		}
	}
	if err := tbl.Render(); err != nil {
		return err
	}
	out := strings.SplitAfter(buf.String(), "\n")
	height := func(row []string) int {
		h := 1
		for _, j := range cols {
			h = max(h, len(lines(row[j])))
		}
		return h
	}
	line := 2 + height(header) // top border, header, header rule
	for i, r := range t.Rows {
		if r.Rule && i > 0 && line < len(out) {
			out = append(out[:line], append([]string{out[0]}, out[line:]...)...)
			line++
		}
		line += height(body[i])
	}
	_, err := io.WriteString(w, strings.Join(out, ""))
	return err
}

// columnParts cuts the columns into parts that fit width, each starting with column 0 (the row
// names); one part with every column when width is 0 or everything fits.
func columnParts(widths []int, width int) [][]int {
	all := make([]int, len(widths))
	for j := range all {
		all[j] = j
	}
	cost := func(j int) int { return widths[j] + 3 } // "| " + cell + " "
	total := 1
	for j := range widths {
		total += cost(j)
	}
	if width <= 0 || total <= width || len(widths) < 2 {
		return [][]int{all}
	}
	var parts [][]int
	cur, used := []int{0}, 1+cost(0)
	for j := 1; j < len(widths); j++ {
		if len(cur) > 1 && used+cost(j) > width {
			parts = append(parts, cur)
			cur, used = []int{0}, 1+cost(0)
		}
		cur = append(cur, j)
		used += cost(j)
	}
	return append(parts, cur)
}

// writeWrapped writes a line, wrapped at spaces to width display columns (0: not wrapped).
func writeWrapped(w *bufio.Writer, line string, width int) {
	if width <= 0 || twwidth.Width(line) <= width {
		w.WriteString(line)
		w.WriteByte('\n')
		return
	}
	cur, curW := "", 0
	for _, word := range strings.Fields(line) {
		ww := twwidth.Width(word)
		if curW > 0 && curW+1+ww > width {
			w.WriteString(cur)
			w.WriteByte('\n')
			cur, curW = "", 0
		}
		if curW > 0 {
			cur += " "
			curW++
		}
		cur += word
		curW += ww
	}
	if cur != "" {
		w.WriteString(cur)
		w.WriteByte('\n')
	}
}

func maxWidth(ls []string, m int) int {
	for _, l := range ls {
		m = max(m, twwidth.Width(l))
	}
	return m
}
