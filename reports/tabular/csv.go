package tabular

import (
	"bufio"
	"encoding/csv"
	"strconv"
	"strings"
)

// renderCSV writes the header and the rows; title and notes are left out, since CSV has no place
// for them. A cell with a Value is written as that number at full precision; a column of
// intervals becomes two numeric columns, "<header> lo" and "<header> hi". A "reported" column
// is added when any row is reported, a "synthetic" column when the table is synthetic, so neither
// mark is lost.
func (t *Table) renderCSV(w *bufio.Writer) error {
	cw := csv.NewWriter(w)
	reported, synthetic := t.HasReported(), t.Synthetic
	intervals := make([]bool, len(t.Columns))
	for _, r := range t.Rows {
		for j, c := range r.Cells {
			intervals[j] = intervals[j] || c.Interval != nil
		}
	}
	record := make([]string, 0, 2*len(t.Columns)+2)
	for j, c := range t.Columns {
		if intervals[j] {
			record = append(record, csvText(c.Header+" lo"), csvText(c.Header+" hi"))
			continue
		}
		record = append(record, csvText(c.Header))
	}
	if reported {
		record = append(record, "reported")
	}
	if synthetic {
		record = append(record, "synthetic")
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for _, r := range t.Rows {
		record = record[:0]
		for j, c := range r.Cells {
			switch {
			case !intervals[j]:
				record = append(record, CSVField(c))
			case c.Interval != nil:
				record = append(record, strconv.FormatFloat(c.Interval[0], 'g', -1, 64), strconv.FormatFloat(c.Interval[1], 'g', -1, 64))
			default:
				record = append(record, "", "") // no interval for this row
			}
		}
		if reported {
			record = append(record, strconv.FormatBool(r.Reported))
		}
		if synthetic {
			record = append(record, "true")
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVField is the field Render writes for c in CSV: its Value at full precision when set,
// else its sanitized text, with a leading apostrophe when a spreadsheet would take the text for a
// formula ("=…", "+…", "-…", "@…" that is not a number).
func CSVField(c Cell) string {
	if c.Value != nil {
		return strconv.FormatFloat(*c.Value, 'g', -1, 64)
	}
	return csvText(c.Text)
}

func csvText(s string) string {
	s = Sanitize(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@':
		if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
			return "'" + s
		}
	}
	return s
}
