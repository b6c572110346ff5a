package metrics

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
)

// smallRun is a builder with two models of n clips, one judge and an MI table.
func smallRun(t *testing.T, n int, proto parse.Protocol, bootstrap int, seed uint64) *Builder {
	t.Helper()
	ls := datasets.DFEW()
	r := rand.New(rand.NewPCG(seed, 99))
	split := make([]datasets.Clip, n)
	for i := range split {
		split[i] = datasets.Clip{ClipID: itoa(i + 1), Fold: int32(1 + i%2), Label: ls.Labels[r.IntN(4)]}
	}
	b, err := NewBuilder(Options{Labels: ls, Protocol: proto, Bootstrap: bootstrap, Seed: 5, Folds: []int32{1, 2}, FoldAggregation: FoldsMean}, split)
	if err != nil {
		t.Fatal(err)
	}
	mi := modality.NewTable("file")
	for _, m := range []string{"a", "c"} {
		if err := b.AddModel(m, "", "av"); err != nil {
			t.Fatal(err)
		}
		for i, c := range split {
			if m == "a" && i%11 == 10 {
				continue // a missing clip
			}
			pred := c.Label
			if r.IntN(3) == 0 {
				pred = ls.Labels[r.IntN(5)]
			}
			if r.IntN(15) == 0 {
				pred = datasets.Unknown
			}
			order := []string{"vision_first", "audio_first", "no_desc"}[r.IntN(3)]
			if err := b.AddSample(m, Sample{ClipID: c.ClipID, Pred: pred, QuarterPred: pred, Order: order}); err != nil {
				t.Fatal(err)
			}
			e := pred
			if r.IntN(4) == 0 {
				e = ls.Labels[r.IntN(4)]
			}
			if err := b.AddJudgment(m, "j", c.ClipID, JudgeOutcome{Emotion: e}); err != nil {
				t.Fatal(err)
			}
			mi.Set(c.ClipID, modality.Class(1+r.IntN(3)))
		}
	}
	b.SetMI(mi)
	return b
}

// sampleCodes are one scored sample's stratum and outcome cells.
type sampleCodes struct {
	st, rc int
	cells  []uint8
	mc     uint8
}

// byStratum groups items by stratum, strata in increasing order.
func byStratum[T any](items []T, stratumOf func(T) int) [][]T {
	var out [][]T
	for _, it := range items {
		st := stratumOf(it)
		for len(out) <= st {
			out = append(out, nil)
		}
		out[st] = append(out[st], it)
	}
	return out
}

// moments are the mean and standard deviation of v's defined values.
func moments(v []float64) (mean, sd float64) {
	v = definedValues(slices.Clone(v))
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(v)-1))
}

// TestBootstrapMatchesNaive compares the count-based bootstrap with resampling the samples
// themselves within each true class (and the samples outside the split, under migr, as their
// own stratum): every headline metric must have the same bootstrap mean, spread and interval
// within Monte-Carlo error.
func TestBootstrapMatchesNaive(t *testing.T) {
	const reps = 8000
	for _, proto := range []parse.Protocol{parse.ProtocolMigr, parse.ProtocolRobust} {
		t.Run(string(proto), func(t *testing.T) {
			b := smallRun(t, 80, proto, reps, 1)
			if proto == parse.ProtocolMigr {
				for _, id := range []string{"900", "901", "902"} { // a stratum outside the split
					if err := b.AddSample("a", Sample{ClipID: id, Pred: "happy"}); err != nil {
						t.Fatal(err)
					}
				}
			}
			mi := b.miByClip()
			v := b.view(b.models[0])
			var data []sampleCodes
			for _, r := range v.recs {
				data = append(data, sampleCodes{stratum(r.truth), recCode(b.k, r.truth, r.pred), []uint8{b.cell(r, v.run.judged[0])}, miCell(r, mi[r.clip], v.descTags)})
			}
			strata := byStratum(data, func(d sampleCodes) int { return d.st })
			if proto == parse.ProtocolMigr && len(strata[0]) != 3 {
				t.Fatalf("%d samples outside the split, want 3", len(strata[0]))
			}
			pooled, _ := b.tallyAll(v, mi)
			counted := b.bootstrapValues(pooled, "test")

			keys := headlineKeys([]string{"j"})
			naive := make([][]float64, len(keys))
			rs := newRand(b.opts.Seed, "naive")
			rng := rand.New(rs.pcg)
			e := newEvaluator(b.k)
			tt := newTallies(b.k, 1)
			row := make([]float64, len(keys))
			for rep := 0; rep < reps; rep++ {
				tt.reset()
				for _, s := range strata {
					for range s {
						d := s[rng.IntN(len(s))]
						tt.add(d.st, d.rc, d.cells, d.mc)
					}
				}
				e.headline(tt, row)
				for i, x := range row {
					naive[i] = append(naive[i], x)
				}
			}
			for i, key := range keys {
				m1, s1 := moments(counted[i])
				m2, s2 := moments(naive[i])
				if s1 == 0 && s2 == 0 {
					if m1 != m2 {
						t.Errorf("%s: constant %v (counts) vs %v (samples)", key, m1, m2)
					}
					continue
				}
				if math.Abs(m1-m2) > 5*math.Max(s1, s2)*math.Sqrt(2.0/reps) {
					t.Errorf("%s: bootstrap mean %v (counts) vs %v (samples)", key, m1, m2)
				}
				if math.Abs(s1/s2-1) > 0.05 {
					t.Errorf("%s: bootstrap sd %v (counts) vs %v (samples)", key, s1, s2)
				}
				c1, ok1 := definedInterval(counted[i], 0.05)
				c2, ok2 := definedInterval(naive[i], 0.05)
				tol := 1.0/float64(len(data)) + 0.15*s1
				if !ok1 || !ok2 || math.Abs(c1[0]-c2[0]) > tol || math.Abs(c1[1]-c2[1]) > tol {
					t.Errorf("%s: interval %v (counts) vs %v (samples)", key, c1, c2)
				}
			}
		})
	}
}

// TestPairedBootstrapMatchesNaive does the same for the paired differences, resampling common
// clips within each true class.
func TestPairedBootstrapMatchesNaive(t *testing.T) {
	const reps = 8000
	b := smallRun(t, 80, parse.ProtocolRobust, reps, 2)
	mi := b.miByClip()
	a, c := b.view(b.models[0]), b.view(b.models[1])
	type pairCodes struct {
		truth        int
		predA, predC int8
		cellA, cellC []uint8
		miA, miC     uint8
	}
	var data []pairCodes
	pc := newPairCells(b.k, 1)
	for clip := range b.clipTruth {
		ra, ok1 := lastRec(a.run, int32(clip))
		rc, ok2 := lastRec(c.run, int32(clip))
		if !ok1 || !ok2 {
			continue
		}
		d := pairCodes{int(ra.truth), ra.pred, rc.pred,
			[]uint8{b.cell(ra, a.run.judged[0])}, []uint8{b.cell(rc, c.run.judged[0])},
			miCell(ra, mi[clip], true), miCell(rc, mi[clip], true)}
		data = append(data, d)
		pc.add(d.truth, d.predA, d.predC, d.cellA, d.cellC, d.miA, d.miC)
	}
	strata := byStratum(data, func(d pairCodes) int { return d.truth })
	keys := headlineKeys([]string{"j"})
	counted := b.pairedDeltas(pc, len(keys), "test")
	naive := make([][]float64, len(keys))
	rng := rand.New(newRand(b.opts.Seed, "naive").pcg)
	e := newEvaluator(b.k)
	ta, tc := newTallies(b.k, 1), newTallies(b.k, 1)
	base, cand := make([]float64, len(keys)), make([]float64, len(keys))
	for rep := 0; rep < reps; rep++ {
		one := newPairCells(b.k, 1)
		for _, s := range strata {
			for range s {
				d := s[rng.IntN(len(s))]
				one.add(d.truth, d.predA, d.predC, d.cellA, d.cellC, d.miA, d.miC)
			}
		}
		one.split(ta, tc)
		e.headline(ta, base)
		e.headline(tc, cand)
		for i := range keys {
			naive[i] = append(naive[i], cand[i]-base[i])
		}
	}
	for i, key := range keys {
		m1, s1 := moments(counted[i])
		m2, s2 := moments(naive[i])
		if s1 == 0 && s2 == 0 {
			if m1 != m2 {
				t.Errorf("%s: constant difference %v (counts) vs %v (samples)", key, m1, m2)
			}
			continue
		}
		if math.Abs(m1-m2) > 5*math.Max(s1, s2)*math.Sqrt(2.0/reps) {
			t.Errorf("%s: mean difference %v (counts) vs %v (samples)", key, m1, m2)
		}
		if math.Abs(s1/s2-1) > 0.05 {
			t.Errorf("%s: sd %v (counts) vs %v (samples)", key, s1, s2)
		}
	}
}

// TestBootstrapDeterministic: the same seed gives the same intervals; another seed other ones;
// and an interval holds its point estimate.
func TestBootstrapDeterministic(t *testing.T) {
	s1, err := smallRun(t, 60, parse.ProtocolMigr, 500, 3).Summary()
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := smallRun(t, 60, parse.ProtocolMigr, 500, 3).Summary()
	if !reflect.DeepEqual(s1, s2) {
		t.Error("two summaries with one seed differ")
	}
	b := smallRun(t, 60, parse.ProtocolMigr, 500, 3)
	b.opts.Seed = 6
	s3, _ := b.Summary()
	if reflect.DeepEqual(s1.Models["a"].CI, s3.Models["a"].CI) {
		t.Error("another seed gave the same intervals")
	}
	m := s1.Models["a"]
	wantKeys := headlineKeys([]string{"j"})
	if len(m.CI) != len(wantKeys) {
		t.Errorf("CI keys %v", m.CI)
	}
	for _, k := range []string{"war", "uar", "j.tf", "j.epc"} {
		ci := m.CI[k]
		v := map[string]float64{"war": m.WAR, "uar": m.UAR, "j.tf": m.Reliability["j"].TF, "j.epc": m.Reliability["j"].EPC}[k]
		if !(ci[0] <= v && v <= ci[1]) || ci[0] == ci[1] {
			t.Errorf("%s: interval %v around %v", k, ci, v)
		}
	}
}

// TestSummaryWorkers: the summary computed with one worker and with several is bit-identical
// (every model and pair task draws from its own seeded stream).
func TestSummaryWorkers(t *testing.T) {
	for _, proto := range []parse.Protocol{parse.ProtocolMigr, parse.ProtocolRobust} {
		t.Run(string(proto), func(t *testing.T) {
			opts := Options{Protocol: proto, Bootstrap: 300, Seed: 7,
				Pairs: []Pair{{"model0", "model1"}, {"model0", "model2"}, {"model1", "model2"}}}
			var out [][]byte
			for _, workers := range []int{1, 4} {
				b := synthRun(t, 300, 3, opts)
				b.workers = workers
				s, err := b.Summary()
				if err != nil {
					t.Fatal(err)
				}
				if len(s.Comparisons) == 0 || len(s.Models["model2"].CI) == 0 {
					t.Fatal("the run has no intervals or comparisons to compare")
				}
				j, err := json.Marshal(s)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, j)
			}
			if !bytes.Equal(out[0], out[1]) {
				t.Error("the summary with 4 workers differs from the one with 1")
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	v := []float64{4, 1, 3, 2}
	got := percentileInterval(v, 0.5) // quartiles of 1..4, type 7: 1.75 and 3.25
	if got != [2]float64{1.75, 3.25} {
		t.Errorf("quartiles %v", got)
	}
	if quantile([]float64{7}, 0.3) != 7 || quantile(nil, 0.5) != 0 {
		t.Error("edge cases")
	}
}

// TestCellSetDraw: a stratified multinomial draw keeps each stratum's total and leaves empty
// cells and strata out.
func TestCellSetDraw(t *testing.T) {
	// Three strata of width 5: 26 samples, none, 7 samples in one cell.
	cs := newCellSet([]int64{0, 5, 0, 20, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0}, 5)
	if !reflect.DeepEqual(cs.codes, []int32{3, 1, 4, 12}) || !reflect.DeepEqual(cs.strata, []stratumCells{{3, 26}, {4, 7}}) {
		t.Fatalf("cells %v strata %v", cs.codes, cs.strata)
	}
	r := newRand(1, "t")
	out := make([]int64, 4)
	varied := false
	for i := 0; i < 1000; i++ {
		cs.draw(r, out)
		if out[0]+out[1]+out[2] != 26 || out[0] < 0 || out[1] < 0 || out[2] < 0 || out[3] != 7 {
			t.Fatalf("draw %v", out)
		}
		varied = varied || out[0] != 20
	}
	if !varied {
		t.Error("a cell never changed its count")
	}
}
