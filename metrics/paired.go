package metrics

import (
	"fmt"
	"math"
	"slices"
)

// Comparison tests.
const (
	ComparePairedBootstrap = "paired-bootstrap"
	CompareMcNemarExact    = "mcnemar-exact"
)

// pairCells are the joint outcome cells of two models on their common clips: (truth, baseline
// prediction, candidate prediction); per common judge (baseline cell, candidate cell); and
// (baseline MI cell, candidate MI cell).
type pairCells struct {
	n     int64
	rec   []int64
	judge [][nCells * nCells]int64
	mi    [9]int64
}

// compare is the paired comparison of candidate c with baseline a on the clips both have an
// output for (the last output of a clip, under either protocol) and that have a label.
func (b *Builder) compare(a, c *view, mi []MIClass) ([]Comparison, error) {
	k, w := b.k, b.k+1
	var judges []int // judge indexes both models have
	var names []string
	for _, j := range a.judges {
		if slices.Contains(c.judges, j) {
			judges = append(judges, j)
			names = append(names, b.judges[j])
		}
	}
	pc := &pairCells{rec: make([]int64, k*w*w), judge: make([][nCells * nCells]int64, len(judges))}
	for clip := range b.clipTruth {
		ra, ok1 := lastRec(a.run, int32(clip))
		rc, ok2 := lastRec(c.run, int32(clip))
		if !ok1 || !ok2 || ra.truth < 0 || rc.truth < 0 {
			continue
		}
		if ra.truth != rc.truth {
			return nil, fmt.Errorf("metrics: clip has label %s in model %s but %s in model %s",
				b.opts.Labels.Labels[ra.truth], a.run.name, b.opts.Labels.Labels[rc.truth], c.run.name)
		}
		pc.n++
		pc.rec[(int(ra.truth)*w+int(ra.pred))*w+int(rc.pred)]++
		for i, j := range judges {
			pc.judge[i][b.cell(ra, a.run.judged[j])*nCells+b.cell(rc, c.run.judged[j])]++
		}
		m := mi[clip]
		pc.mi[miCell(ra, m)*3+miCell(rc, m)]++
	}
	keys := headlineKeys(names)
	e := newEvaluator(k)
	ta, tc := newTallies(k, len(judges)), newTallies(k, len(judges))
	base, cand := make([]float64, len(keys)), make([]float64, len(keys))
	pc.split(ta, tc)
	e.headline(ta, base)
	e.headline(tc, cand)

	var ci [][2]float64
	var pValues []float64
	if reps := b.opts.Bootstrap; reps > 0 && pc.n > 0 {
		ci, pValues = b.pairedBootstrap(pc, len(keys), "pair/"+a.run.name+"/"+c.run.name)
	}
	var out []Comparison
	mk := func(i int, test string) Comparison {
		cmp := Comparison{Baseline: a.run.name, Candidate: c.run.name, Metric: keys[i], N: int(pc.n),
			Base: base[i], Cand: cand[i], Delta: cand[i] - base[i], Test: test}
		if ci != nil {
			cmp.CI = ci[i]
		}
		return cmp
	}
	if ci != nil {
		for i := range keys {
			cmp := mk(i, ComparePairedBootstrap)
			cmp.PValue = pValues[i]
			out = append(out, cmp)
		}
	}
	// McNemar on correctness, and on TF under each judge.
	var aOnly, cOnly int64
	for code, x := range pc.rec {
		t, pa, pcand := code/(w*w), code/w%w, code%w
		aOK, cOK := pa == t, pcand == t
		if aOK && !cOK {
			aOnly += x
		} else if cOK && !aOK {
			cOnly += x
		}
	}
	cmp := mk(0, CompareMcNemarExact)
	cmp.PValue = McNemarExact(aOnly, cOnly)
	out = append(out, cmp)
	for i := range judges {
		aOnly, cOnly = 0, 0
		for code, x := range pc.judge[i] {
			aTF, cTF := code/nCells == cellTF, code%nCells == cellTF
			if aTF && !cTF {
				aOnly += x
			} else if cTF && !aTF {
				cOnly += x
			}
		}
		cmp := mk(3+i*len(quarterKeys)+1, CompareMcNemarExact) // <judge>.tf
		cmp.PValue = McNemarExact(aOnly, cOnly)
		out = append(out, cmp)
	}
	return out, nil
}

// split turns joint cells into each model's tallies.
func (pc *pairCells) split(ta, tc *tallies) {
	ta.reset()
	tc.reset()
	w := ta.k + 1
	for code, x := range pc.rec {
		if x == 0 {
			continue
		}
		t, pa, pcand := code/(w*w), code/w%w, code%w
		ta.rec[(t+1)*w+pa] += x
		tc.rec[(t+1)*w+pcand] += x
	}
	for j := range pc.judge {
		for code, x := range pc.judge[j] {
			ta.judge[j][code/nCells] += x
			tc.judge[j][code%nCells] += x
		}
	}
	for code, x := range pc.mi {
		ta.mi[code/3] += x
		tc.mi[code%3] += x
	}
}

// pairedBootstrap resamples the joint cells and returns, per headline metric, the percentile
// interval of the difference candidate − baseline and its two-sided bootstrap p-value,
// 2·(min(#Δ*≤0, #Δ*≥0)+1)/(B+1) capped at 1.
func (b *Builder) pairedBootstrap(pc *pairCells, nKeys int, task string) ([][2]float64, []float64) {
	deltas := b.pairedDeltas(pc, nKeys, task)
	ci := make([][2]float64, nKeys)
	p := make([]float64, nKeys)
	for i, d := range deltas {
		var le, ge int
		for _, x := range d {
			if x <= 0 {
				le++
			}
			if x >= 0 {
				ge++
			}
		}
		p[i] = math.Min(1, 2*float64(min(le, ge)+1)/float64(len(d)+1))
		ci[i] = percentileInterval(d, b.opts.Alpha)
	}
	return ci, p
}

// pairedDeltas returns, per headline metric, candidate − baseline in each resample.
func (b *Builder) pairedDeltas(pc *pairCells, nKeys int, task string) [][]float64 {
	reps := b.opts.Bootstrap
	w := b.k + 1
	// Each group's observed joint cells, with where a drawn count goes in either model's tallies.
	type group struct {
		cells      *cellSet
		out        []int64
		dstA, dstC []int32
	}
	mkGroup := func(dense []int64, decode func(code int) (a, c int)) *group {
		g := &group{cells: newCellSet(dense)}
		g.out = make([]int64, len(g.cells.codes))
		for _, code := range g.cells.codes {
			a, c := decode(int(code))
			g.dstA, g.dstC = append(g.dstA, int32(a)), append(g.dstC, int32(c))
		}
		return g
	}
	rec := mkGroup(pc.rec, func(code int) (int, int) {
		t := code / (w * w)
		return (t+1)*w + code/w%w, (t+1)*w + code%w
	})
	judges := make([]*group, len(pc.judge))
	for j := range pc.judge {
		judges[j] = mkGroup(pc.judge[j][:], func(code int) (int, int) { return code / nCells, code % nCells })
	}
	mi := mkGroup(pc.mi[:], func(code int) (int, int) { return code / 3, code % 3 })

	e := newEvaluator(b.k)
	ta, tc := newTallies(b.k, len(pc.judge)), newTallies(b.k, len(pc.judge))
	base, cand := make([]float64, nKeys), make([]float64, nKeys)
	deltas := make([][]float64, nKeys)
	for i := range deltas {
		deltas[i] = make([]float64, reps)
	}
	r := newRand(b.opts.Seed, task)
	for rep := 0; rep < reps; rep++ {
		ta.reset()
		tc.reset()
		rec.cells.draw(r, rec.out)
		for i, x := range rec.out {
			ta.rec[rec.dstA[i]] += x
			tc.rec[rec.dstC[i]] += x
		}
		for j, g := range judges {
			g.cells.draw(r, g.out)
			for i, x := range g.out {
				ta.judge[j][g.dstA[i]] += x
				tc.judge[j][g.dstC[i]] += x
			}
		}
		mi.cells.draw(r, mi.out)
		for i, x := range mi.out {
			ta.mi[mi.dstA[i]] += x
			tc.mi[mi.dstC[i]] += x
		}
		e.headline(ta, base)
		e.headline(tc, cand)
		for i := range deltas {
			deltas[i][rep] = cand[i] - base[i]
		}
	}
	return deltas
}

// McNemarExact is the exact two-sided McNemar test of b discordant pairs one way and c the other:
// 2·P(X ≤ min(b, c)) for X ~ Binomial(b+c, 1/2), capped at 1 (1 when there are no discordant
// pairs).
func McNemarExact(b, c int64) float64 {
	n := b + c
	if n == 0 {
		return 1
	}
	k := min(b, c)
	// P(X = k) in logs, then the smaller terms relative to it: pmf(i−1)/pmf(i) = i/(n−i+1).
	lgN, _ := math.Lgamma(float64(n + 1))
	lgK, _ := math.Lgamma(float64(k + 1))
	lgNK, _ := math.Lgamma(float64(n - k + 1))
	logPK := lgN - lgK - lgNK - float64(n)*math.Ln2
	sum, term := 1.0, 1.0
	for i := k; i > 0; i-- {
		term *= float64(i) / float64(n-i+1)
		sum += term
		if term < 1e-17*sum {
			break
		}
	}
	return math.Min(1, 2*math.Exp(logPK)*sum)
}
