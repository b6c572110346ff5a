package papertables

import (
	"errors"
	"fmt"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Build returns every table the summary has data for, in report order: recognition, per-class,
// for each judge quarter-<judge> and quarter-ci-<judge>, by-judge, judge-validity, modality, modality-mi, agreement,
// comparisons, fold-mean, then for each model confusion-<model> and confusion-norm-<model>.
// IDs are distinct; when the summary is synthetic every table is marked so.
func Build(s *metrics.Summary, opt Options) ([]*tabular.Table, error) {
	if s == nil {
		return nil, errors.New("build tables: no summary")
	}
	names := models(s)
	if len(names) == 0 {
		return nil, errors.New("build tables: the summary has no models")
	}
	var out []*tabular.Table
	add := func(ts ...*tabular.Table) {
		for _, t := range ts {
			if t != nil {
				out = append(out, t)
			}
		}
	}
	add(Recognition(s, opt), PerClass(s))
	if opt.Reference {
		add(PublishedVsRun(s, s.JudgeModels))
	}
	for _, j := range judges(s) {
		add(Quarter(s, j, opt), QuarterCI(s, j))
	}
	add(ByJudge(s), Normalizations(s))
	add(JudgeValidity(s))
	add(Modality(s), ModalityMI(s), Agreement(s), Comparisons(s), FoldMean(s))
	for _, m := range names {
		cm, err := Confusion(s, m)
		if err != nil {
			return nil, fmt.Errorf("build tables: %w", err)
		}
		add(cm...)
	}
	// Names can make two IDs equal (a judge "ci-gpt" and the intervals of judge "gpt"); later
	// ones get a numeric suffix so that every file name stays distinct.
	seen := map[string]bool{}
	for _, t := range out {
		id := t.ID
		for k := 2; seen[id]; k++ {
			id = fmt.Sprintf("%s-%d", t.ID, k)
		}
		t.ID = id
		seen[id] = true
	}
	return out, nil
}
