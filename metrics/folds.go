package metrics

import (
	"maps"
	"math"
	"slices"
)

// foldMean is the mean and sample standard deviation, over folds, of each headline metric
// computed on one fold's samples (fold_aggregation mean). With one fold the deviation is 0. A
// fold on which a metric is undefined does not count in its N; a metric undefined on every fold
// is left out.
func (b *Builder) foldMean(keys []string, byFold map[int32]*tallies) map[string]MeanSD {
	folds := slices.Sorted(maps.Keys(byFold))
	e := newEvaluator(b.k)
	values := make([][]float64, len(keys))
	row := make([]float64, len(keys))
	for _, f := range folds {
		e.headline(byFold[f], row)
		for i, x := range row {
			if !math.IsNaN(x) {
				values[i] = append(values[i], x)
			}
		}
	}
	out := make(map[string]MeanSD, len(keys))
	for i, key := range keys {
		if len(values[i]) > 0 {
			out[key] = meanSD(values[i])
		}
	}
	return out
}

// meanSD needs at least one value.
func meanSD(v []float64) MeanSD {
	m := MeanSD{N: len(v)}
	for _, x := range v {
		m.Mean += x
	}
	m.Mean /= float64(len(v))
	if len(v) > 1 {
		var ss float64
		for _, x := range v {
			d := x - m.Mean
			ss += float64(d * d)
		}
		m.SD = math.Sqrt(ss / float64(len(v)-1))
	}
	return m
}
