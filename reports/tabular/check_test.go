package tabular

import (
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/emoeval/emoeval/internal/slug"
)

// Structural checks of rendered output, used by the golden tests and the fuzz target.

var checks = map[string]func(t *Table, out string) error{
	TXT: checkText, MD: checkMarkdown, CSV: checkCSV, HTML: checkHTML, TeX: checkLaTeX,
}

// checkText: no control character but LF reaches the terminal, and every line of the box has the
// same display width.
var rawMarkupRE = regexp.MustCompile(`(^|[^\\])(<[A-Za-z/!?]|&[A-Za-z#])`)

func checkText(t *Table, out string) error {
	for _, r := range out {
		if r != '\n' && (unicode.IsControl(r) || isUnsafeFormat(r)) {
			return fmt.Errorf("control character %U in terminal output", r)
		}
	}
	height := func(texts []string) int {
		h := 1
		for _, s := range texts {
			h = max(h, len(lines(Sanitize(s))))
		}
		return h
	}
	var headers []string
	for _, c := range t.Columns {
		headers = append(headers, c.Header)
	}
	box := 3 + height(headers)
	for i, r := range t.Rows {
		var texts []string
		for _, c := range r.Cells {
			texts = append(texts, c.Text)
		}
		box += height(texts)
		if r.Rule && i > 0 {
			box++
		}
	}
	all := strings.Split(out, "\n")
	skip := 0
	for _, l := range lines(Sanitize(t.Title)) {
		if l != "" {
			skip++
		}
	}
	if len(all) < skip+box {
		return fmt.Errorf("%d lines, want at least %d", len(all), skip+box)
	}
	width := twwidth.Width(all[skip])
	for k, l := range all[skip : skip+box] {
		if w := twwidth.Width(l); w != width {
			return fmt.Errorf("line %q is %d wide, want %d", l, w, width)
		}
		border := k == 0 || k == box-1
		if border && !strings.HasPrefix(l, "+-") || !border && !strings.HasPrefix(l, "+") && !strings.HasPrefix(l, "| ") {
			return fmt.Errorf("line %q is not part of the box", l)
		}
	}
	return nil
}

// checkMarkdown: one line per table row, each with exactly columns+1 unescaped pipes, and no raw
// HTML but the <br> line breaks.
func checkMarkdown(t *Table, out string) error {
	var rows []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "|") {
			rows = append(rows, l)
		}
	}
	if len(rows) != len(t.Rows)+2 {
		return fmt.Errorf("%d table lines, want %d", len(rows), len(t.Rows)+2)
	}
	for _, l := range rows {
		pipes, escaped := 0, false
		for _, r := range l {
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case r == '|':
				pipes++
			}
		}
		if pipes != len(t.Columns)+1 {
			return fmt.Errorf("line %q has %d unescaped pipes, want %d", l, pipes, len(t.Columns)+1)
		}
	}
	// An unescaped '<' that could open a tag, or '&' that could start an entity, would reach the
	// reader as HTML ("<br>" is the renderer's own line break).
	if rest := strings.ReplaceAll(out, "<br>", ""); rawMarkupRE.MatchString(rest) {
		return fmt.Errorf("raw HTML or entity in Markdown: %q", rawMarkupRE.FindString(rest))
	}
	for _, r := range out {
		if r != '\n' && unicode.IsControl(r) {
			return fmt.Errorf("control character %U in Markdown", r)
		}
	}
	return nil
}

// checkCSV: the output parses back to the header and to exactly the fields CSVField gives.
func checkCSV(t *Table, out string) error {
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		return fmt.Errorf("CSV does not parse: %w", err)
	}
	want := [][]string{{}}
	for _, c := range t.Columns {
		want[0] = append(want[0], csvText(c.Header))
	}
	for _, r := range t.Rows {
		var rec []string
		for _, c := range r.Cells {
			rec = append(rec, CSVField(c))
		}
		want = append(want, rec)
	}
	if len(records) != len(want) {
		return fmt.Errorf("%d records, want %d", len(records), len(want))
	}
	for i := range want {
		if got := records[i][:len(want[i])]; !slices.Equal(got, want[i]) {
			return fmt.Errorf("record %d = %q, want %q", i, got, want[i])
		}
	}
	return nil
}

// checkHTML: the output is well-formed XML with one <tr> per row, one cell per column, and cell
// text that reads back as the sanitized cell text.
func checkHTML(t *Table, out string) error {
	d := xml.NewDecoder(strings.NewReader(out))
	var (
		rows  [][]string
		cell  *strings.Builder
		inSup bool
		depth int
		tbody bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("HTML is not well-formed: %w", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			switch tok.Name.Local {
			case "tbody":
				tbody = true
			case "tr":
				if tbody {
					rows = append(rows, nil)
				}
			case "td":
				if tbody {
					cell = &strings.Builder{}
				}
			case "br":
				if cell != nil {
					cell.WriteByte('\n')
				}
			case "sup":
				inSup = true
			case "script", "style", "iframe", "img":
				return fmt.Errorf("unexpected element <%s>", tok.Name.Local)
			}
		case xml.EndElement:
			depth--
			switch tok.Name.Local {
			case "tbody":
				tbody = false
			case "td":
				if cell != nil {
					rows[len(rows)-1] = append(rows[len(rows)-1], cell.String())
					cell = nil
				}
			case "sup":
				inSup = false
			}
		case xml.CharData:
			if cell != nil && !inSup {
				cell.Write(tok)
			}
		}
	}
	if depth != 0 {
		return fmt.Errorf("unbalanced elements (depth %d)", depth)
	}
	if len(rows) != len(t.Rows) {
		return fmt.Errorf("%d body rows, want %d", len(rows), len(t.Rows))
	}
	for i, r := range t.Rows {
		if len(rows[i]) != len(r.Cells) {
			return fmt.Errorf("row %d has %d cells, want %d", i+1, len(rows[i]), len(r.Cells))
		}
		for j, c := range r.Cells {
			if want := Sanitize(c.Text); rows[i][j] != want {
				return fmt.Errorf("row %d cell %d reads %q, want %q", i+1, j+1, rows[i][j], want)
			}
		}
	}
	return nil
}

var latexCommands = map[string]bool{
	"begin": true, "end": true, "centering": true, "caption": true, "label": true,
	"toprule": true, "midrule": true, "bottomrule": true, "textbf": true, "textit": true,
	"textbackslash": true, "textasciitilde": true, "textasciicircum": true, "textless": true,
	"textgreater": true, "textbar": true, "par": true, "smallskip": true, "footnotesize": true,
	"newline": true,
}

// checkLaTeX: braces balance, only the renderer's own commands appear, no special character is
// unescaped, and every row line has columns-1 alignment tabs.
func checkLaTeX(t *Table, out string) error {
	for _, math := range []string{`$^\dagger$`, `$\Delta$`, `$\pm$`, `$\times$`, `$-$`, `$\alpha$`, `$\kappa$`, `$\rightarrow$`} {
		out = strings.ReplaceAll(out, math, "")
	}
	depth := 0
	rowLines := 0
	for _, line := range strings.Split(out, "\n") {
		if label, ok := strings.CutPrefix(line, `\label{tab:`); ok {
			// Label names may hold '_'; they must be slugs.
			if !slug.Is(strings.TrimSuffix(label, "}")) {
				return fmt.Errorf("label %q is not a slug", line)
			}
			continue
		}
		tabs := 0
		for i := 0; i < len(line); i++ {
			switch c := line[i]; c {
			case '\\':
				i++
				if i >= len(line) {
					return fmt.Errorf("line %q ends in a backslash", line)
				}
				if !isASCIILetter(line[i]) {
					if !strings.ContainsRune(`{}&%$#_\`, rune(line[i])) {
						return fmt.Errorf("unexpected control symbol \\%c in %q", line[i], line)
					}
					continue
				}
				j := i
				for j < len(line) && isASCIILetter(line[j]) {
					j++
				}
				if name := line[i:j]; !latexCommands[name] {
					return fmt.Errorf("unexpected command \\%s in %q", name, line)
				}
				i = j - 1
			case '{':
				depth++
			case '}':
				if depth--; depth < 0 {
					return fmt.Errorf("unbalanced } in %q", line)
				}
			case '&':
				tabs++
			case '%', '$', '#', '_', '^', '~':
				return fmt.Errorf("unescaped %c in %q", c, line)
			}
		}
		if strings.HasSuffix(line, ` \\`) {
			rowLines++
			if tabs != len(t.Columns)-1 {
				return fmt.Errorf("row line %q has %d alignment tabs, want %d", line, tabs, len(t.Columns)-1)
			}
		} else if tabs != 0 {
			return fmt.Errorf("alignment tab outside a row: %q", line)
		}
	}
	if depth != 0 {
		return fmt.Errorf("unbalanced braces (depth %d)", depth)
	}
	if rowLines != len(t.Rows)+1 {
		return fmt.Errorf("%d row lines, want %d", rowLines, len(t.Rows)+1)
	}
	return nil
}
