package datasets

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WriteText renders the inspection as plain text: a summary, a table of counts (one row per
// fold and split kind, one column per class) and the findings.
func (in *Inspection) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	summary := [][]string{
		{"dataset", printable(in.Dataset)},
		{"rows", strconv.Itoa(in.Rows)},
		{"clips", strconv.Itoa(in.Clips)},
	}
	if in.Synthetic && in.Seed != nil {
		summary = append(summary, []string{"synthetic", fmt.Sprintf("yes (seed %d)", *in.Seed)})
	}
	writeAligned(bw, summary, 2)
	bw.WriteString("\n")

	labels := in.columnLabels()
	header := []string{"fold", "split", "total"}
	for _, l := range labels {
		header = append(header, printable(l))
	}
	table := [][]string{header}
	row := func(fold string, kind string, c SplitCounts) []string {
		r := []string{fold, kind, strconv.Itoa(c.Total)}
		for _, l := range labels {
			r = append(r, strconv.Itoa(c.PerClass[l]))
		}
		return r
	}
	for _, fc := range in.Folds {
		f := strconv.Itoa(int(fc.Fold))
		table = append(table, row(f, Train, fc.Train), row(f, Test, fc.Test))
	}
	if len(in.Folds) > 1 {
		table = append(table, row("all", Train, in.Totals.Train), row("all", Test, in.Totals.Test))
	}
	writeAligned(bw, table, 2)
	bw.WriteString("\n")

	counts := map[string]int{}
	for _, f := range in.Findings {
		counts[f.Severity]++
	}
	fmt.Fprintf(bw, "findings: %s, %s, %s\n", plural(counts[SeverityError], "error"),
		plural(counts[SeverityWarning], "warning"), plural(counts[SeverityInfo], "note"))
	var findings [][]string
	for _, f := range in.Findings {
		msg := f.Message
		if len(f.Clips) > 0 {
			msg += ": " + strings.Join(f.Clips, ", ")
			if f.Count > len(f.Clips) {
				msg += ", …"
			}
		}
		findings = append(findings, []string{"  " + f.Severity, f.Code, printable(msg)})
	}
	writeAligned(bw, findings, 3)
	return bw.Flush()
}

// columnLabels are the table's class columns: the label set in order, then other labels found.
func (in *Inspection) columnLabels() []string {
	labels := slices.Clone(in.Labels)
	var extra []string
	for _, c := range []SplitCounts{in.Totals.Train, in.Totals.Test} {
		for l := range c.PerClass {
			if !slices.Contains(labels, l) && !slices.Contains(extra, l) {
				extra = append(extra, l)
			}
		}
	}
	slices.Sort(extra)
	return append(labels, extra...)
}

// printable escapes the control and other non-printing characters a user's file may hold, so
// that they cannot act on a terminal.
func printable(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// writeAligned writes rows as columns separated by two spaces; the first `left` columns are
// left-aligned, the others right-aligned. The last column is never padded on the right.
func writeAligned(w *bufio.Writer, rows [][]string, left int) {
	var widths []int
	for _, r := range rows {
		for i, cell := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, r := range rows {
		for i, cell := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i > 0 {
				w.WriteString("  ")
			}
			if i < left {
				w.WriteString(cell)
				if i < len(r)-1 {
					w.WriteString(pad)
				}
			} else {
				w.WriteString(pad + cell)
			}
		}
		w.WriteString("\n")
	}
}
