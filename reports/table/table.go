// Package table is the format-neutral table model of emoeval's reports and its renderers:
// terminal text, Markdown, LaTeX (booktabs), CSV and HTML. Every cell is escaped for its format,
// because cells can hold model names and model text.
package table

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
// for plots), so that rounding happens only in Text.
type Cell struct {
	Text  string
	Value *float64
	// Emph marks a cell to emphasise (best value in a column, a failed gate).
	Emph bool
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
}
