package tabular

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Formats a table renders to; each is also the file extension.
const (
	TXT  = "txt"  // terminal text with ASCII borders
	MD   = "md"   // GitHub-flavoured Markdown
	TeX  = "tex"  // LaTeX table float with booktabs rules
	CSV  = "csv"  // CSV (encoding/csv, LF line ends), numbers at full precision
	HTML = "html" // a <table> element; WriteHTMLPage makes a standalone page
)

// Formats returns the formats Render accepts, in a stable order.
func Formats() []string { return []string{TXT, MD, TeX, CSV, HTML} }

// Render writes t to w in format (one of Formats). Cell text, headers, title and notes are
// escaped for the format, so any bytes are safe.
func (t *Table) Render(w io.Writer, format string) error {
	if err := t.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case TXT:
		err = t.renderText(bw, 0)
	case MD:
		err = t.renderMarkdown(bw)
	case TeX:
		err = t.renderLaTeX(bw)
	case CSV:
		err = t.renderCSV(bw)
	case HTML:
		err = t.renderHTML(bw)
	default:
		return fmt.Errorf("unknown table format %q (want one of %s)", format, strings.Join(Formats(), ", "))
	}
	if err != nil {
		return fmt.Errorf("render table %q as %s: %w", t.ID, format, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render table %q as %s: %w", t.ID, format, err)
	}
	return nil
}

// notes returns the notes to print: the reported-rows legend first when there are reported rows.
func (t *Table) notes() []string {
	if !t.HasReported() {
		return t.Notes
	}
	return append([]string{ReportedNote}, t.Notes...)
}

// lines splits sanitized text into its lines.
func lines(s string) []string { return strings.Split(s, "\n") }
