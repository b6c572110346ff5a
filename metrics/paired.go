package metrics

import (
	"fmt"
	"math"
	"slices"

	"github.com/emoeval/emoeval/eval/modality"
)

// Comparison tests.
const (
	ComparePairedBootstrap = "paired-bootstrap"
	CompareMcNemarExact    = "mcnemar-exact"
)

// pairCells are the joint outcome cells of two models on their common clips, by the clip's true
// class (the paired bootstrap's stratum; every common clip has one): (truth, baseline
// prediction, candidate prediction); per common judge (truth, baseline cell, candidate cell);
// and (truth, baseline MI cell, candidate MI cell).
type pairCells struct {
	k     int
	n     int64
	rec   []int64   // k × (k+1) × (k+1)
	judge [][]int64 // k × nCells × nCells each
	mi    []int64   // k × nMICells × nMICells
}

// Joint cells per stratum of a judge's group and of the MI group.
const (
	nJudgePairCells = nCells * nCells
	nMIPairCells    = nMICells * nMICells
)

func newPairCells(k, judges int) *pairCells {
	pc := &pairCells{k: k, rec: make([]int64, k*(k+1)*(k+1)), judge: make([][]int64, judges), mi: make([]int64, k*nMIPairCells)}
	for j := range pc.judge {
		pc.judge[j] = make([]int64, k*nJudgePairCells)
	}
	return pc
}

// add counts one common clip of true class truth (≥ 0): both models' predictions, quarter
// cells under each common judge, and MI cells.
func (pc *pairCells) add(truth int, predA, predC int8, cellsA, cellsC []uint8, miA, miC uint8) {
	w := pc.k + 1
	pc.n++
	pc.rec[(truth*w+int(predA))*w+int(predC)]++
	for j := range pc.judge {
		pc.judge[j][truth*nJudgePairCells+int(cellsA[j])*nCells+int(cellsC[j])]++
	}
	pc.mi[truth*nMIPairCells+int(miA)*nMICells+int(miC)]++
}

// Where a joint code goes in either model's tallies: the truth becomes the stratum (truth + 1)
// and the joint cell each model's own cell.
func (pc *pairCells) recDst(code int) (a, c int) {
	w := pc.k + 1
	st := code/(w*w) + 1
	return st*w + code/w%w, st*w + code%w
}

func judgeDst(code int) (a, c int) {
	st, cell := code/nJudgePairCells+1, code%nJudgePairCells
	return st*nCells + cell/nCells, st*nCells + cell%nCells
}

func miDst(code int) (a, c int) {
	st, cell := code/nMIPairCells+1, code%nMIPairCells
	return st*nMICells + cell/nMICells, st*nMICells + cell%nMICells
}

// compare is the paired comparison of candidate c with baseline a on the clips both have an
// output for (the last output of a clip, under either protocol) and that have a label. A metric
// undefined for either model on those clips (mi_aligned without MI-eligible clips,
// tf_given_correct without correct predictions) is not compared.
func (b *Builder) compare(a, c *view, mi []modality.Class) ([]Comparison, error) {
	k, w := b.k, b.k+1
	var judges []int // judge indexes both models have
	var names []string
	for _, j := range a.judges {
		if slices.Contains(c.judges, j) {
			judges = append(judges, j)
			names = append(names, b.judges[j])
		}
	}
	pc := newPairCells(k, len(judges))
	cellsA, cellsC := make([]uint8, len(judges)), make([]uint8, len(judges))
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
		for i, j := range judges {
			cellsA[i], cellsC[i] = b.cell(ra, a.run.judged[j]), b.cell(rc, c.run.judged[j])
		}
		pc.add(int(ra.truth), ra.pred, rc.pred, cellsA, cellsC, miCell(ra, mi[clip], a.descTags), miCell(rc, mi[clip], c.descTags))
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
			if math.IsNaN(base[i]) || math.IsNaN(cand[i]) || math.IsNaN(pValues[i]) {
				continue
			}
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
			cell := code % nJudgePairCells
			aTF, cTF := cell/nCells == cellTF, cell%nCells == cellTF
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
	for code, x := range pc.rec {
		if x != 0 {
			a, c := pc.recDst(code)
			ta.rec[a] += x
			tc.rec[c] += x
		}
	}
	for j := range pc.judge {
		for code, x := range pc.judge[j] {
			a, c := judgeDst(code)
			ta.judge[j][a] += x
			tc.judge[j][c] += x
		}
	}
	for code, x := range pc.mi {
		a, c := miDst(code)
		ta.mi[a] += x
		tc.mi[c] += x
	}
}

// pairedBootstrap resamples the joint cells and returns, per headline metric, the percentile
// interval of the difference candidate − baseline and its two-sided bootstrap p-value,
// 2·(min(#Δ*≤0, #Δ*≥0)+1)/(B+1) capped at 1, over the B resamples in which the metric is
// defined for both models (p NaN when there are none).
func (b *Builder) pairedBootstrap(pc *pairCells, nKeys int, task string) ([][2]float64, []float64) {
	deltas := b.pairedDeltas(pc, nKeys, task)
	ci := make([][2]float64, nKeys)
	p := make([]float64, nKeys)
	for i, d := range deltas {
		d = definedValues(d)
		if len(d) == 0 {
			p[i] = math.NaN()
			continue
		}
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

// pairedDeltas returns, per headline metric, candidate − baseline in each resample (NaN where
// the metric is undefined for either model).
func (b *Builder) pairedDeltas(pc *pairCells, nKeys int, task string) [][]float64 {
	reps := b.opts.Bootstrap
	// Each group's observed joint cells, with where a drawn count goes in either model's tallies.
	type group struct {
		cells      *cellSet
		out        []int64
		dstA, dstC []int32
	}
	mkGroup := func(dense []int64, width int, dst func(code int) (a, c int)) *group {
		g := &group{cells: newCellSet(dense, width)}
		g.out = make([]int64, len(g.cells.codes))
		for _, code := range g.cells.codes {
			a, c := dst(int(code))
			g.dstA, g.dstC = append(g.dstA, int32(a)), append(g.dstC, int32(c))
		}
		return g
	}
	w := b.k + 1
	rec := mkGroup(pc.rec, w*w, pc.recDst)
	judges := make([]*group, len(pc.judge))
	for j := range pc.judge {
		judges[j] = mkGroup(pc.judge[j], nJudgePairCells, judgeDst)
	}
	mi := mkGroup(pc.mi, nMIPairCells, miDst)

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
