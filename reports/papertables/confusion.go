package papertables

import (
	"fmt"

	"github.com/emoeval/emoeval/internal/slug"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Confusion returns a model's confusion matrix twice, with its unknown column: counts
// ("confusion-<model>") and row-normalised percentages ("confusion-norm-<model>"). It returns
// no tables when the model has no matrix, and an error when the matrix does not fit its labels.
func Confusion(s *metrics.Summary, model string) ([]*tabular.Table, error) {
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
	id := slug.Of(model)
	counts := confusionTable(cm, "confusion-"+id, "Confusion matrix of "+model+" (counts): "+scope(s), func(n, _ int) tabular.Cell {
		return tabular.Count(n)
	})
	norm := confusionTable(cm, "confusion-norm-"+id, "Confusion matrix of "+model+" (% of the true class): "+scope(s), func(n, support int) tabular.Cell {
		if support == 0 {
			return tabular.Str(notAvailable)
		}
		return tabular.Num(100*float64(n)/float64(support), "%.2f")
	})
	return []*tabular.Table{finish(s, counts), finish(s, norm)}, nil
}

func confusionTable(cm metrics.Confusion, id, title string, cell func(n, support int) tabular.Cell) *tabular.Table {
	t := &tabular.Table{ID: id, Title: title, Columns: []tabular.Column{{Header: "true \\ predicted"}}}
	for _, l := range cm.Labels {
		t.Columns = append(t.Columns, tabular.Column{Header: l, Align: tabular.Right})
	}
	t.Columns = append(t.Columns, tabular.Column{Header: "Support", Align: tabular.Right})
	for i, row := range cm.Matrix {
		support := 0
		for _, n := range row {
			support += n
		}
		cells := []tabular.Cell{tabular.Str(cm.Labels[i])}
		for j, n := range row {
			c := cell(n, support)
			c.Emph = i == j
			cells = append(cells, c)
		}
		cells = append(cells, tabular.Count(support))
		t.Rows = append(t.Rows, tabular.Row{Cells: cells})
	}
	t.Notes = append(t.Notes, "Rows: true class; columns: predicted class, with unknown for answers outside the label set. Bold: correct predictions.")
	return t
}
