package metrics

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// The bootstrap is stratified by true class: a resample redraws each class's samples (and the
// samples outside the split, if any, as one more stratum) with replacement, keeping the class's
// size. Class-balanced metrics need this: resampling the pooled samples leaves a small class out
// of some resamples, its recall then counts as 0, and UAR's interval can miss the estimate
// (one correct clip per class: UAR 1, interval [0.43, 0.86]). With the class sizes fixed every
// class keeps its support, and WAR and the quarter shares keep their denominator N.
//
// It resamples counts, not samples. A stratum's resample of n samples with replacement has, per
// outcome cell, a multinomial count with the stratum's observed cell shares as probabilities;
// drawing that multinomial directly costs one binomial per observed cell instead of n draws.
// Each metric depends on one group of cells only (recognition: truth × prediction; a judge: its
// quarter cells with EPC; MI alignment), each kept by stratum, and a multinomial's margins are
// multinomial, so drawing each group on its own gives every metric exactly the distribution a
// joint draw would, at far less cost.

// cellSet is the observed cells of one group: per stratum, a multinomial over its non-empty
// cells with the stratum's total fixed.
type cellSet struct {
	codes  []int32 // dense code of each non-empty cell, stratum by stratum
	counts []int64
	// prob[i] = counts[i] / (counts[i] + counts[i+1] + … to the stratum's end): cell i's share
	// of what is left of its stratum, the same in every resample.
	prob   []float64
	strata []stratumCells
}

// stratumCells are the cells [end of the previous stratum, end) of a cellSet, n samples in all.
type stratumCells struct {
	end int
	n   int64
}

// newCellSet keeps the non-empty cells of dense counts whose code is stratum·width + cell. In
// each stratum cells go largest first (so the remaining total shrinks fast), ties by code for a
// stable order.
func newCellSet(dense []int64, width int) *cellSet {
	cs := &cellSet{}
	for lo := 0; lo < len(dense); lo += width {
		first := len(cs.codes)
		var n int64
		for code, c := range dense[lo : lo+width] {
			if c > 0 {
				cs.codes = append(cs.codes, int32(lo+code))
				cs.counts = append(cs.counts, c)
				n += c
			}
		}
		if n == 0 {
			continue
		}
		codes, counts := cs.codes[first:], cs.counts[first:]
		idx := make([]int, len(codes))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return counts[idx[a]] > counts[idx[b]] })
		origCodes, origCounts := slices.Clone(codes), slices.Clone(counts)
		rest := n
		for i, j := range idx {
			codes[i], counts[i] = origCodes[j], origCounts[j]
			cs.prob = append(cs.prob, float64(origCounts[j])/float64(rest))
			rest -= origCounts[j]
		}
		cs.strata = append(cs.strata, stratumCells{end: len(cs.codes), n: n})
	}
	return cs
}

// draw fills out with one resample of the counts: per stratum a multinomial, as a chain of
// conditional binomials (cell i gets Binomial(remaining draws, count_i / remaining count)); the
// stratum's last cell takes what remains.
func (cs *cellSet) draw(r *stream, out []int64) {
	i := 0
	for _, st := range cs.strata {
		rem := st.n
		for ; i < st.end-1; i++ {
			x := binomial(r, rem, cs.prob[i])
			out[i] = x
			rem -= x
		}
		out[i] = rem
		i++
	}
}

// newRand returns the random stream of one bootstrap task: the run's seed, and the task's name
// hashed, so that a task's numbers do not depend on which other tasks run or in what order.
func newRand(seed uint64, task string) *stream {
	h := fnv.New64a()
	h.Write([]byte(task))
	return &stream{pcg: rand.NewPCG(seed, h.Sum64())}
}

// stream is a PCG random stream; calling the generator directly, rather than through
// rand.Rand's interface, is measurably faster in the sampler's inner loops.
type stream struct{ pcg *rand.PCG }

// float64 is uniform in [0, 1), exactly as rand.Rand.Float64 computes it.
func (s *stream) float64() float64 { return float64(s.pcg.Uint64()<<11>>11) / (1 << 53) }

// modelCells splits tallies into their cell groups.
type modelCells struct {
	rec   *cellSet
	judge []*cellSet
	mi    *cellSet
	// buffers for draws
	recOut   []int64
	judgeOut [][]int64
	miOut    []int64
}

func newModelCells(t *tallies) *modelCells {
	mc := &modelCells{rec: newCellSet(t.rec, t.k+1), mi: newCellSet(t.mi, nMICells)}
	mc.recOut = make([]int64, len(mc.rec.codes))
	mc.miOut = make([]int64, len(mc.mi.codes))
	for _, j := range t.judge {
		cs := newCellSet(j, nCells)
		mc.judge = append(mc.judge, cs)
		mc.judgeOut = append(mc.judgeOut, make([]int64, len(cs.codes)))
	}
	return mc
}

// resample draws every group once into t.
func (mc *modelCells) resample(r *stream, t *tallies) {
	t.reset()
	mc.rec.draw(r, mc.recOut)
	for i, code := range mc.rec.codes {
		t.rec[code] = mc.recOut[i]
	}
	for j, cs := range mc.judge {
		cs.draw(r, mc.judgeOut[j])
		for i, code := range cs.codes {
			t.judge[j][code] = mc.judgeOut[j][i]
		}
	}
	mc.mi.draw(r, mc.miOut)
	for i, code := range mc.mi.codes {
		t.mi[code] = mc.miOut[i]
	}
}

// intervals returns the bootstrap percentile interval of each headline metric of t, keyed as
// keys, for the metrics defined on t. A resample in which a defined metric is undefined (the
// MI-eligible or the correct samples of a stratum all left out) does not count: the interval is
// conditional on the metric being defined, as its estimate is.
func (b *Builder) intervals(t *tallies, keys []string, task string) map[string][2]float64 {
	point := make([]float64, len(keys))
	newEvaluator(b.k).headline(t, point)
	values := b.bootstrapValues(t, task)
	out := make(map[string][2]float64, len(keys))
	for i, v := range values {
		if math.IsNaN(point[i]) {
			continue
		}
		if ci, ok := definedInterval(v, b.opts.Alpha); ok {
			out[keys[i]] = ci
		}
	}
	return out
}

// bootstrapValues returns, per headline metric, its value in each of the resamples (NaN where
// it is undefined).
func (b *Builder) bootstrapValues(t *tallies, task string) [][]float64 {
	reps := b.opts.Bootstrap
	mc := newModelCells(t)
	e := newEvaluator(b.k)
	nKeys := 3 + len(quarterKeys)*len(t.judge) + 1
	values := make([][]float64, nKeys)
	for i := range values {
		values[i] = make([]float64, reps)
	}
	rt := newTallies(b.k, len(t.judge))
	row := make([]float64, nKeys)
	r := newRand(b.opts.Seed, task)
	for rep := 0; rep < reps; rep++ {
		mc.resample(r, rt)
		e.headline(rt, row)
		for i, x := range row {
			values[i][rep] = x
		}
	}
	return values
}

// definedInterval is the percentile interval of the values of v that are not NaN (it reorders
// v); false when there are none.
func definedInterval(v []float64, alpha float64) ([2]float64, bool) {
	v = definedValues(v)
	if len(v) == 0 {
		return [2]float64{}, false
	}
	return percentileInterval(v, alpha), true
}

// definedValues moves v's values that are not NaN to its front and returns them.
func definedValues(v []float64) []float64 {
	n := 0
	for _, x := range v {
		if !math.IsNaN(x) {
			v[n] = x
			n++
		}
	}
	return v[:n]
}

// percentileInterval sorts v and returns its α/2 and 1−α/2 quantiles (linear interpolation
// between order statistics, R's type 7).
func percentileInterval(v []float64, alpha float64) [2]float64 {
	sort.Float64s(v)
	return [2]float64{quantile(v, alpha/2), quantile(v, 1-alpha/2)}
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	h := float64(float64(len(sorted)-1) * q)
	lo := int(math.Floor(h))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + float64((h-float64(lo))*(sorted[lo+1]-sorted[lo]))
}
