package plot

import (
	"fmt"
	"math"

	"github.com/emoeval/emoeval/internal/slug"
	"github.com/emoeval/emoeval/metrics"
)

// Confusion draws one model's confusion matrix, each row normalised to the true class's
// samples, with the percentage in every cell. Rows are true classes (with their support),
// columns predicted classes and "unknown".
func Confusion(s *metrics.Summary, model string) (*Figure, error) {
	m := s.Models[model]
	if m == nil || len(m.Confusion.Matrix) == 0 || len(m.Confusion.Labels) == 0 {
		return nil, ErrNoData
	}
	cols := m.Confusion.Labels
	mat := m.Confusion.Matrix
	z := make([][]float64, len(mat))
	cells := make([][]string, len(mat))
	rows := make([]string, len(mat))
	for r, row := range mat {
		if len(row) != len(cols) {
			return nil, fmt.Errorf("confusion of %q: row %d has %d cells for %d labels", model, r, len(row), len(cols))
		}
		total := 0
		for _, n := range row {
			total += max(n, 0)
		}
		z[r] = make([]float64, len(cols))
		cells[r] = make([]string, len(cols))
		for c, n := range row {
			switch {
			case total == 0:
				z[r][c] = math.NaN()
				cells[r][c] = "–"
			default:
				z[r][c] = 100 * float64(max(n, 0)) / float64(total)
				cells[r][c] = percentCell(n, z[r][c])
			}
		}
		name := fmt.Sprintf("row %d", r+1)
		if r < len(cols) {
			name = cols[r]
		}
		rows[r] = fmt.Sprintf("%s (n=%d)", label(name, 20), total)
	}
	pal, err := bluesPalette()
	if err != nil {
		return nil, err
	}
	p, err := heatMap(z, 0, 100, pal, cells, rows, displayNames(cols), "predicted", "true class")
	if err != nil {
		return nil, err
	}
	side := 1.7 + 0.36*float64(len(cols))
	return withExtras(&Figure{
		Name:  "confusion-" + slug.Of(model),
		Title: "Confusion, % of each true class: " + label(model, maxTitleRunes-40),
		Plot:  p, Synthetic: s.Synthetic, Note: confusionNote,
		Width: inches(min(6.5, side+1.2)), Height: inches(min(6.5, side)),
	}), nil
}

// confusionNote is the confusion figure's caption.
const confusionNote = "Cells: % of the row's n clips; blank: none; <1: under 0.5%. " +
	"unknown: answers outside the label set."

// percentCell leaves empty cells blank and marks small non-zero shares "<1".
func percentCell(n int, share float64) string {
	switch {
	case n <= 0:
		return ""
	case share < 0.5:
		return "<1"
	}
	return formatFloat(share, 0)
}
