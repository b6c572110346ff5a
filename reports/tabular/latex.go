package tabular

import (
	"bufio"
	"strings"

	"github.com/emoeval/emoeval/internal/slug"
)

// renderLaTeX writes a table float with a booktabs tabular (\usepackage{booktabs}). Emphasised
// cells are bold, reported rows italic with a dagger, multi-line cells nested one-column tabulars.
// Non-ASCII text is kept as UTF-8 (compile with XeLaTeX or LuaLaTeX for arbitrary scripts).
func (t *Table) renderLaTeX(w *bufio.Writer) error {
	w.WriteString("\\begin{table}[htbp]\n\\centering\n")
	if title := strings.TrimSpace(Sanitize(t.Title)); title != "" {
		w.WriteString("\\caption{")
		w.WriteString(EscapeLaTeX(strings.ReplaceAll(title, "\n", " ")))
		w.WriteString("}\n")
	}
	if t.ID != "" {
		w.WriteString("\\label{tab:")
		w.WriteString(slug.Of(t.ID))
		w.WriteString("}\n")
	}
	w.WriteString("\\begin{tabular}{")
	for _, c := range t.Columns {
		w.WriteByte(alignLetter(c.Align))
	}
	w.WriteString("}\n\\toprule\n")
	for j, c := range t.Columns {
		if j > 0 {
			w.WriteString(" & ")
		}
		w.WriteString(latexCell(Sanitize(c.Header), c.Align, ""))
	}
	w.WriteString(" \\\\\n\\midrule\n")
	for i, r := range t.Rows {
		if r.Rule && i > 0 {
			w.WriteString("\\midrule\n")
		}
		for j, c := range r.Cells {
			if j > 0 {
				w.WriteString(" & ")
			}
			style := ""
			switch {
			case c.Emph && r.Reported:
				style = "\\textit{\\textbf{"
			case c.Emph:
				style = "\\textbf{"
			case r.Reported:
				style = "\\textit{"
			}
			w.WriteString(latexCell(Sanitize(c.Text), t.Columns[j].Align, style))
			if r.Reported && j == 0 {
				w.WriteString("$^\\dagger$")
			}
		}
		w.WriteString(" \\\\\n")
	}
	w.WriteString("\\bottomrule\n\\end{tabular}\n")
	for _, n := range t.notes() {
		if n = strings.TrimSpace(Sanitize(n)); n == "" {
			continue
		}
		w.WriteString("\\par\\smallskip{\\footnotesize ")
		w.WriteString(strings.ReplaceAll(EscapeLaTeX(n), "\n", "\\newline "))
		w.WriteString("\\par}\n")
	}
	w.WriteString("\\end{table}\n")
	return nil
}

func alignLetter(a Align) byte {
	switch a {
	case Right:
		return 'r'
	case Center:
		return 'c'
	}
	return 'l'
}

// latexCell escapes sanitized text for a tabular cell; style is an opening markup command whose
// braces are closed here ("\textbf{"). A multi-line cell becomes a nested tabular.
func latexCell(text string, a Align, style string) string {
	closing := strings.Repeat("}", strings.Count(style, "{"))
	ls := lines(text)
	for i, l := range ls {
		if l != "" {
			ls[i] = style + EscapeLaTeX(l) + closing
		}
	}
	if len(ls) == 1 {
		return ls[0]
	}
	return "\\begin{tabular}[t]{@{}" + string(alignLetter(a)) + "@{}}" + strings.Join(ls, " \\\\ ") + "\\end{tabular}"
}

// latexSymbol spells the non-ASCII symbols emoeval's own tables use, so that pdfLaTeX needs no
// Unicode set-up for them.
func latexSymbol(r rune) (string, bool) {
	switch r {
	case '–':
		return "{--}", true
	case '—':
		return "{---}", true
	case '−':
		return "$-$", true
	case 'Δ':
		return `$\Delta$`, true
	case '±':
		return `$\pm$`, true
	case '×':
		return `$\times$`, true
	case '†':
		return `$^\dagger$`, true
	case 'α':
		return `$\alpha$`, true
	case 'κ':
		return `$\kappa$`, true
	case '→':
		return `$\rightarrow$`, true
	}
	return "", false
}

// EscapeLaTeX escapes text for LaTeX's text mode: the ten special characters, the characters
// OT1 fonts print wrongly (< > |), brackets and a leading '*' (which \\ would take as its
// optional argument or star) and the "--" ligature; the few symbols of latexSymbol become
// LaTeX commands. Sanitize text from outside first.
func EscapeLaTeX(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '{', '}', '&', '%', '$', '#', '_':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		case '<':
			b.WriteString(`\textless{}`)
		case '>':
			b.WriteString(`\textgreater{}`)
		case '|':
			b.WriteString(`\textbar{}`)
		case '[', ']':
			b.WriteByte('{')
			b.WriteRune(r)
			b.WriteByte('}')
		case '*':
			if i == 0 {
				b.WriteString("{*}")
			} else {
				b.WriteByte('*')
			}
		case '-':
			b.WriteByte('-')
			if i+1 < len(s) && s[i+1] == '-' {
				b.WriteString("{}")
			}
		default:
			if sym, ok := latexSymbol(r); ok {
				b.WriteString(sym)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
