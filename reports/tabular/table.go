// Package table is the format-neutral table model of emoeval's reports and its renderers:
// terminal text, Markdown, LaTeX (booktabs), CSV and HTML. Every cell is escaped for its format,
// because cells can hold model names and model text.
package tabular

import "fmt"

// Align is a column's alignment.
type Align int

const (
	Left Align = iota
	Right
	Center
)

// Column is a table column.
type Column struct {
	Header string
	Align  Align
}

// Cell is one cell. Text is what is shown; Value, when set, is the number behind it (for CSV and
// for plots), so that rounding happens only in Text. Value is in the unit Text shows: a
// percentage cell "67.780" holds 67.78…, not 0.6778.
type Cell struct {
	Text  string
	Value *float64
	// Emph marks a cell to emphasise (best value in a column, a failed gate).
	Emph bool
	// Interval, when set, is the interval the cell shows ("[62.80, 66.65]"), in the unit Text
	// shows: CSV writes it as two numeric columns, lo and hi.
	Interval *[2]float64
}

// Row is one table row. Reported rows hold published numbers, not numbers computed here.
type Row struct {
	Cells    []Cell
	Reported bool
	// Rule draws a separating rule above this row.
	Rule bool
}

// Table is a titled table with notes.
type Table struct {
	// ID is a stable file-name stem ("recognition", "quarter-gpt").
	ID      string
	Title   string
	Columns []Column
	Rows    []Row
	// Notes are printed under the table (definitions, "reported" marks, synthetic-data warnings).
	Notes []string
	// Synthetic marks a table computed from synthetic data (see MarkSynthetic).
	Synthetic bool
}

// SyntheticMark is put before the title of a table made from synthetic data.
const SyntheticMark = "SYNTHETIC DATA"

// SyntheticNote is the note added to a table made from synthetic data.
const SyntheticNote = "SYNTHETIC DATA: these numbers come from generated data, not from a real data set or model."

// ReportedNote is the legend renderers print under a table with reported rows.
const ReportedNote = "† Reported: published numbers from the cited sources, not computed by emoeval."

// Str is a text cell.
func Str(text string) Cell { return Cell{Text: text} }

// Num is a numeric cell whose text is v printed with format (e.g. "%.3f").
func Num(v float64, format string) Cell {
	return Cell{Text: fmt.Sprintf(format, v), Value: &v}
}

// Count is an integer cell.
func Count(n int) Cell {
	v := float64(n)
	return Cell{Text: fmt.Sprint(n), Value: &v}
}

// MarkSynthetic sets Synthetic and puts the visible marks in the title and the notes, so every
// consumer of the table shows them. Calling it again changes nothing.
func (t *Table) MarkSynthetic() {
	if t.Synthetic {
		return
	}
	t.Synthetic = true
	if t.Title == "" {
		t.Title = SyntheticMark
	} else {
		t.Title = SyntheticMark + ": " + t.Title
	}
	t.Notes = append(t.Notes, SyntheticNote)
}

// HasReported reports whether any row holds published numbers.
func (t *Table) HasReported() bool {
	for _, r := range t.Rows {
		if r.Reported {
			return true
		}
	}
	return false
}

// Validate checks the table's shape: at least one column and every row as wide as the header.
func (t *Table) Validate() error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("table %q has no columns", t.ID)
	}
	for i, r := range t.Rows {
		if len(r.Cells) != len(t.Columns) {
			return fmt.Errorf("table %q row %d has %d cells, want %d", t.ID, i+1, len(r.Cells), len(t.Columns))
		}
	}
	return nil
}
