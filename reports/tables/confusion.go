package tables

import (
	"fmt"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/table"
)

// Confusion returns a model's confusion matrix twice, with its unknown column: counts
// ("confusion-<model>") and row-normalised percentages ("confusion-norm-<model>"). It returns
// no tables when the model has no matrix, and an error when the matrix does not fit its labels.
func Confusion(s *metrics.Summary, model string) ([]*table.Table, error) {
	ms := s.Models[model]
	if ms == nil {
		return nil, fmt.Errorf("confusion table: no model %q in the summary", model)
	}
	cm := ms.Confusion
	if len(cm.Labels) == 0 && len(cm.Matrix) == 0 {
		return nil, nil
	}
	if len(cm.Matrix) > len(cm.Labels) {
		return nil, fmt.Errorf("confusion matrix of %q: %d rows for %d labels", model, len(cm.Matrix), len(cm.Labels))
	}
	for i, row := range cm.Matrix {
		if len(row) != len(cm.Labels) {
			return nil, fmt.Errorf("confusion matrix of %q: row %d (%s) has %d columns, want %d", model, i+1, cm.Labels[i], len(row), len(cm.Labels))
		}
		for _, n := range row {
			if n < 0 {
				return nil, fmt.Errorf("confusion matrix of %q: negative count in row %d (%s)", model, i+1, cm.Labels[i])
			}
		}
	}
	id := table.Slug(model)
	counts := confusionTable(cm, "confusion-"+id, "Confusion matrix of "+model+" (counts): "+scope(s), func(n, _ int) table.Cell {
		return table.Count(n)
	})
	norm := confusionTable(cm, "confusion-norm-"+id, "Confusion matrix of "+model+" (% of the true class): "+scope(s), func(n, support int) table.Cell {
		if support == 0 {
			return table.Str(notAvailable)
		}
		return table.Num(100*float64(n)/float64(support), "%.2f")
	})
	return []*table.Table{finish(s, counts), finish(s, norm)}, nil
}

func confusionTable(cm metrics.Confusion, id, title string, cell func(n, support int) table.Cell) *table.Table {
	t := &table.Table{ID: id, Title: title, Columns: []table.Column{{Header: "true \\ predicted"}}}
	for _, l := range cm.Labels {
		t.Columns = append(t.Columns, table.Column{Header: l, Align: table.Right})
	}
	t.Columns = append(t.Columns, table.Column{Header: "Support", Align: table.Right})
	for i, row := range cm.Matrix {
		support := 0
		for _, n := range row {
			support += n
		}
		cells := []table.Cell{table.Str(cm.Labels[i])}
		for j, n := range row {
			c := cell(n, support)
			c.Emph = i == j
			cells = append(cells, c)
		}
		cells = append(cells, table.Count(support))
		t.Rows = append(t.Rows, table.Row{Cells: cells})
	}
	t.Notes = append(t.Notes, "Rows: true class; columns: predicted class, with unknown for answers outside the label set. Bold: correct predictions.")
	return t
}
