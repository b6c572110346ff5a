package tabular

import (
	"bufio"
	"strings"

	"github.com/clipperhouse/displaywidth"
)

// renderText writes an ASCII-bordered table sized by display width (wide and combined characters
// count as the terminal shows them). Emphasised cells are wrapped in '*'; reported rows carry a
// dagger in their first cell.
func (t *Table) renderText(w *bufio.Writer) error {
	header := make([][]string, len(t.Columns))
	widths := make([]int, len(t.Columns))
	for j, c := range t.Columns {
		header[j] = lines(Sanitize(c.Header))
		widths[j] = maxWidth(header[j], widths[j])
	}
	body := make([][][]string, len(t.Rows))
	for i, r := range t.Rows {
		body[i] = make([][]string, len(r.Cells))
		for j, c := range r.Cells {
			text := Sanitize(c.Text)
			if c.Emph && text != "" {
				text = "*" + text + "*"
			}
			if r.Reported && j == 0 {
				text += " †"
			}
			body[i][j] = lines(text)
			widths[j] = maxWidth(body[i][j], widths[j])
		}
	}

	for _, l := range lines(Sanitize(t.Title)) {
		if l != "" {
			w.WriteString(l)
			w.WriteByte('\n')
		}
	}
	rule := func(fill byte) {
		for _, wd := range widths {
			w.WriteByte('+')
			w.WriteString(strings.Repeat(string(fill), wd+2))
		}
		w.WriteString("+\n")
	}
	rule('-')
	t.textRow(w, header, widths)
	rule('=')
	for i, r := range t.Rows {
		if r.Rule && i > 0 {
			rule('-')
		}
		t.textRow(w, body[i], widths)
	}
	rule('-')
	for _, n := range t.notes() {
		for _, l := range lines(Sanitize(n)) {
			w.WriteString(l)
			w.WriteByte('\n')
		}
	}
	return nil
}

// textRow writes one table row, as many lines high as its tallest cell.
func (t *Table) textRow(w *bufio.Writer, cells [][]string, widths []int) {
	height := 1
	for _, c := range cells {
		height = max(height, len(c))
	}
	for k := 0; k < height; k++ {
		for j, c := range cells {
			line := ""
			if k < len(c) {
				line = c[k]
			}
			w.WriteString("| ")
			pad := widths[j] - displaywidth.String(line)
			left := 0
			switch t.Columns[j].Align {
			case Right:
				left = pad
			case Center:
				left = pad / 2
			}
			w.WriteString(strings.Repeat(" ", left))
			w.WriteString(line)
			w.WriteString(strings.Repeat(" ", pad-left+1))
		}
		w.WriteString("|\n")
	}
}

func maxWidth(ls []string, m int) int {
	for _, l := range ls {
		m = max(m, displaywidth.String(l))
	}
	return m
}
