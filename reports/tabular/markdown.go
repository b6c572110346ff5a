package tabular

import (
	"bufio"
	"strings"
)

// renderMarkdown writes a GitHub-flavoured Markdown table under a "###" heading, with notes as
// paragraphs. Emphasised cells are bold; reported rows are italic with a dagger.
func (t *Table) renderMarkdown(w *bufio.Writer) error {
	if title := strings.TrimSpace(Sanitize(t.Title)); title != "" {
		w.WriteString("### ")
		w.WriteString(strings.ReplaceAll(EscapeMarkdown(title), "#", `\#`))
		w.WriteString("\n\n")
	}
	w.WriteByte('|')
	for _, c := range t.Columns {
		w.WriteByte(' ')
		w.WriteString(EscapeMarkdown(strings.TrimSpace(Sanitize(c.Header))))
		w.WriteString(" |")
	}
	w.WriteString("\n|")
	for _, c := range t.Columns {
		switch c.Align {
		case Right:
			w.WriteString(" ---: |")
		case Center:
			w.WriteString(" :---: |")
		default:
			w.WriteString(" :--- |")
		}
	}
	w.WriteByte('\n')
	for _, r := range t.Rows {
		w.WriteByte('|')
		for j, c := range r.Cells {
			w.WriteByte(' ')
			w.WriteString(markdownCell(c, r.Reported, j == 0))
			w.WriteString(" |")
		}
		w.WriteByte('\n')
	}
	for _, n := range t.notes() {
		if n = strings.TrimSpace(Sanitize(n)); n == "" {
			continue
		}
		w.WriteByte('\n')
		w.WriteString(escapeBlockStart(EscapeMarkdown(n)))
		w.WriteByte('\n')
	}
	return nil
}

func markdownCell(c Cell, reported, first bool) string {
	text := strings.TrimSpace(Sanitize(c.Text))
	s := EscapeMarkdown(text)
	if text != "" {
		if c.Emph {
			s = "**" + s + "**"
		}
		if reported {
			s = "*" + s + "*"
		}
	}
	if reported && first {
		s += " †"
	}
	return s
}

// EscapeMarkdown escapes text for inline Markdown, in a paragraph or a table cell, and only what
// Markdown needs, so that it still reads well as plain text ("p <0.0001" stays as it is):
// backslash, pipe and the inline markup characters are backslash-escaped; '<' only where it could
// open an HTML tag, comment or autolink, and '&' only where it could start an entity, so that no
// raw HTML or entity reaches the reader; line breaks become <br>. Sanitize text from outside
// first. Block markers at the start of a line are the caller's concern.
func EscapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch r {
		case '\\', '|', '*', '_', '`', '[', ']', '~', '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			if next := nextByte(s, i); isASCIILetter(next) || next == '/' || next == '!' || next == '?' {
				b.WriteByte('\\')
			}
			b.WriteByte('<')
		case '&':
			if next := nextByte(s, i); isASCIILetter(next) || next == '#' {
				b.WriteByte('\\')
			}
			b.WriteByte('&')
		case '\n':
			b.WriteString("<br>")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func nextByte(s string, i int) byte {
	if i+1 < len(s) {
		return s[i+1]
	}
	return 0
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// escapeBlockStart escapes a marker that would make a paragraph's first line a heading, list
// item, quote or rule. Indentation that would make code is assumed trimmed already.
func escapeBlockStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '>', '+', '-', '=':
		return `\` + s
	}
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}
