package metrics

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// The bootstrap resamples counts, not samples. A resample of N samples with replacement has, per
// outcome cell, a multinomial count with the observed cell shares as probabilities; drawing that
// multinomial directly costs one binomial per observed cell instead of N draws. Each metric
// depends on one group of cells only (recognition: truth × prediction; a judge: its quarter cells
// with EPC; MI alignment), and a multinomial's margins are multinomial, so drawing each group on
// its own gives every metric exactly the distribution a joint draw would, at far less cost.

// cellSet is a multinomial over the observed cells of one group.
type cellSet struct {
	codes  []int32
	counts []int64
	// prob[i] = counts[i] / (counts[i] + counts[i+1] + …): cell i's share of what is left,
	// the same in every resample.
	prob []float64
	n    int64
}

// newCellSet keeps the non-empty cells of dense counts, largest first (so the remaining total
// shrinks fast), ties by code for a stable order.
func newCellSet(dense []int64) *cellSet {
	cs := &cellSet{}
	for code, c := range dense {
		if c > 0 {
			cs.codes = append(cs.codes, int32(code))
			cs.counts = append(cs.counts, c)
			cs.n += c
		}
	}
	idx := make([]int, len(cs.codes))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return cs.counts[idx[a]] > cs.counts[idx[b]] })
	codes, counts := slices.Clone(cs.codes), slices.Clone(cs.counts)
	cs.prob = make([]float64, len(idx))
	rest := cs.n
	for i, j := range idx {
		cs.codes[i], cs.counts[i] = codes[j], counts[j]
		cs.prob[i] = float64(counts[j]) / float64(rest)
		rest -= counts[j]
	}
	return cs
}

// draw fills out with one multinomial resample of the counts, as a chain of conditional
// binomials: cell i gets Binomial(remaining draws, count_i / remaining count).
func (cs *cellSet) draw(r *stream, out []int64) {
	rem := cs.n
	for i, p := range cs.prob {
		out[i] = binomial(r, rem, p)
		rem -= out[i]
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
	mc := &modelCells{rec: newCellSet(t.rec), mi: newCellSet(t.mi[:])}
	mc.recOut = make([]int64, len(mc.rec.codes))
	mc.miOut = make([]int64, len(mc.mi.codes))
	for _, j := range t.judge {
		cs := newCellSet(j[:])
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

// intervals returns the bootstrap percentile interval of every headline metric of t.
func (b *Builder) intervals(t *tallies, task string) [][2]float64 {
	values := b.bootstrapValues(t, task)
	out := make([][2]float64, len(values))
	for i, v := range values {
		out[i] = percentileInterval(v, b.opts.Alpha)
	}
	return out
}

// bootstrapValues returns, per headline metric, its value in each of the resamples.
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
