package tabular

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/emoeval/emoeval/internal/slug"
)

// HTMLStyle is the minimal style sheet of WriteHTMLPage, for pages that embed table fragments.
const HTMLStyle = `body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table.emoeval{border-collapse:collapse;margin:1.5rem 0;font-variant-numeric:tabular-nums}
table.emoeval caption{caption-side:top;text-align:left;font-weight:600;padding-bottom:.4rem}
table.emoeval th,table.emoeval td{padding:.25rem .6rem;vertical-align:top}
table.emoeval thead th{border-top:2px solid #222;border-bottom:1px solid #222}
table.emoeval tbody tr:last-child td{border-bottom:2px solid #222}
table.emoeval tr.rule td{border-top:1px solid #888}
table.emoeval tr.reported td{font-style:italic;color:#555}
table.emoeval tfoot td{font-size:.85em;color:#444;padding-top:.3rem}
table.emoeval .l{text-align:left}table.emoeval .r{text-align:right}table.emoeval .c{text-align:center}
`

// renderHTML writes one <table> element (well-formed XHTML too). Notes go in its <tfoot>.
func (t *Table) renderHTML(w *bufio.Writer) error {
	w.WriteString(`<table class="emoeval`)
	if t.Synthetic {
		w.WriteString(` synthetic`)
	}
	w.WriteString(`"`)
	if t.ID != "" {
		w.WriteString(` id="table-`)
		w.WriteString(slug.Of(t.ID))
		w.WriteString(`"`)
	}
	w.WriteString(">\n")
	if title := strings.TrimSpace(Sanitize(t.Title)); title != "" {
		w.WriteString("<caption>")
		w.WriteString(EscapeHTML(title))
		w.WriteString("</caption>\n")
	}
	w.WriteString("<thead>\n<tr>")
	for _, c := range t.Columns {
		fmt.Fprintf(w, `<th scope="col" class="%c">`, alignLetter(c.Align))
		w.WriteString(EscapeHTML(Sanitize(c.Header)))
		w.WriteString("</th>")
	}
	w.WriteString("</tr>\n</thead>\n<tbody>\n")
	for i, r := range t.Rows {
		var classes []string
		if r.Rule && i > 0 {
			classes = append(classes, "rule")
		}
		if r.Reported {
			classes = append(classes, "reported")
		}
		w.WriteString("<tr")
		if len(classes) > 0 {
			w.WriteString(` class="` + strings.Join(classes, " ") + `"`)
		}
		w.WriteString(">")
		for j, c := range r.Cells {
			fmt.Fprintf(w, `<td class="%c">`, alignLetter(t.Columns[j].Align))
			text := EscapeHTML(Sanitize(c.Text))
			if c.Emph && text != "" {
				text = "<strong>" + text + "</strong>"
			}
			if r.Reported && text != "" {
				text = "<em>" + text + "</em>"
			}
			w.WriteString(text)
			if r.Reported && j == 0 {
				w.WriteString(`<sup title="reported">†</sup>`)
			}
			w.WriteString("</td>")
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</tbody>\n")
	if notes := t.notes(); len(notes) > 0 {
		w.WriteString("<tfoot>\n")
		for _, n := range notes {
			fmt.Fprintf(w, `<tr><td colspan="%d">`, len(t.Columns))
			w.WriteString(EscapeHTML(Sanitize(n)))
			w.WriteString("</td></tr>\n")
		}
		w.WriteString("</tfoot>\n")
	}
	w.WriteString("</table>\n")
	return nil
}

// EscapeHTML escapes text for HTML element content and quoted attribute values (& < > " ')
// and turns line breaks into <br/>. Sanitize text from outside first.
func EscapeHTML(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		case '\n':
			b.WriteString("<br/>")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// WriteHTMLPage writes a standalone UTF-8 HTML page with a heading, the minimal style sheet and
// the tables, in order.
func WriteHTMLPage(w io.Writer, title string, tables ...*Table) error {
	bw := bufio.NewWriter(w)
	title = EscapeHTML(strings.ReplaceAll(strings.TrimSpace(Sanitize(title)), "\n", " "))
	bw.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
	bw.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
	bw.WriteString("<title>" + title + "</title>\n<style>\n" + HTMLStyle + "</style>\n</head>\n<body>\n")
	if title != "" {
		bw.WriteString("<h1>" + title + "</h1>\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write HTML page: %w", err)
	}
	for _, t := range tables {
		if err := t.Render(w, HTML); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, "</body>\n</html>\n"); err != nil {
		return fmt.Errorf("write HTML page: %w", err)
	}
	return nil
}
