package papertables

import (
	"slices"
	"sort"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Normalizations counts what the robust protocol normalised: for each normalisation, the
// samples of each model whose answer it was applied to, then, per judge, the replies. Nil when
// nothing was normalised (always under migr, which normalises nothing).
func Normalizations(s *metrics.Summary) *tabular.Table {
	names := models(s)
	t := &tabular.Table{
		ID:      "normalizations",
		Title:   "Normalisations applied, " + scope(s),
		Columns: []tabular.Column{{Header: "Of"}, {Header: "Normalisation"}},
	}
	for _, m := range names {
		t.Columns = append(t.Columns, tabular.Column{Header: m, Align: tabular.Right})
	}
	addRows := func(of string, counts func(m string) map[string]int) {
		var kinds []string
		for _, m := range names {
			for k := range counts(m) {
				if !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
			}
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			cells := []tabular.Cell{tabular.Str(of), tabular.Str(k)}
			for _, m := range names {
				cells = append(cells, tabular.Count(counts(m)[k]))
			}
			t.Rows = append(t.Rows, tabular.Row{Cells: cells})
		}
	}
	addRows("answers", func(m string) map[string]int { return s.Models[m].Normalizations })
	for _, j := range judges(s) {
		addRows("judge "+j, func(m string) map[string]int {
			if r := s.Models[m].Reliability[j]; r != nil {
				return r.Normalizations
			}
			return nil
		})
	}
	if len(t.Rows) == 0 {
		return nil
	}
	t.Notes = append(t.Notes, "Samples whose model answer or judge reply the robust protocol had to normalise to read a label (docs/protocol.md lists each normalisation); under the migr protocol these answers and replies are read as the authors' scripts read them.")
	return finish(s, t)
}
