package ppi

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
)

// A simulated evaluation: clips with a truth, a model prediction, the emotion the explanation
// really supports (what a human labeller reports) and a judge of known confusion.

func emotions() []string {
	return []string{"happy", "sad", "neutral", "angry", "surprise", "disgust", "fear"}
}

type judgeKind int

const (
	biasedJudge  judgeKind = iota // maps 20% of explanations that miss the truth to the truth
	goodJudge                     // reads the explanation right 95% of the time
	uselessJudge                  // names a uniformly random emotion
)

type unit struct {
	model                    int
	truth, pred, expl, judge string
}

// otherThan draws an emotion different from every one in not.
func otherThan(r *rand.Rand, not ...string) string {
	em := emotions()
	for {
		if e := em[r.IntN(len(em))]; !slices.Contains(not, e) {
			return e
		}
	}
}

// population simulates n explanations from two models (accuracy 65% and 75%, 2% unknown
// answers); 80% of explanations support the prediction.
func population(r *rand.Rand, n int, jk judgeKind) []unit {
	em := emotions()
	out := make([]unit, n)
	for i := range out {
		u := unit{model: i % 2, truth: em[r.IntN(len(em))]}
		acc := [2]float64{0.65, 0.75}[u.model]
		switch x := r.Float64(); {
		case x < acc:
			u.pred = u.truth
		case x < acc+0.02:
			u.pred = "unknown"
		default:
			u.pred = otherThan(r, u.truth)
		}
		switch {
		case r.Float64() < 0.8:
			u.expl = u.pred
			if u.pred == "unknown" {
				u.expl = otherThan(r)
			}
		case u.pred != u.truth && r.Float64() < 0.4:
			u.expl = u.truth
		case r.Float64() < 0.25:
			u.expl = "none"
		default:
			u.expl = otherThan(r, u.pred, u.truth)
		}
		switch jk {
		case biasedJudge:
			switch {
			case u.expl == u.truth:
				u.judge = u.truth
				if r.Float64() >= 0.99 {
					u.judge = otherThan(r, u.truth)
				}
			case r.Float64() < 0.2:
				u.judge = u.truth // the bias: an inconsistent explanation read as the truth
			case u.expl == "none":
				u.judge = "unknown"
				if r.Float64() >= 0.7 {
					u.judge = em[r.IntN(len(em))]
				}
			case r.Float64() < 0.85:
				u.judge = u.expl
			default:
				u.judge = em[r.IntN(len(em))]
			}
		case goodJudge:
			u.judge = u.expl
			if u.expl == "none" {
				u.judge = "unknown"
			}
			if r.Float64() >= 0.95 {
				u.judge = em[r.IntN(len(em))]
			}
		case uselessJudge:
			u.judge = em[r.IntN(len(em))]
		}
		out[i] = u
	}
	return out
}

// truthRates are the population rates with every explanation read by a human.
func truthRates(units []unit) map[string]float64 {
	var sum [nBase]int64
	var correct int64
	for _, u := range units {
		v, c := values(u.truth, u.pred, u.expl)
		for k := range nBase {
			sum[k] += v[k]
		}
		if c {
			correct++
		}
	}
	n := float64(len(units))
	out := map[string]float64{}
	for k := range nBase {
		out[baseKey(k)] = float64(sum[k]) / n
	}
	out[KeyTFGivenCorrect] = float64(sum[kTF]) / float64(correct)
	return out
}

// judgeCell is the quarter cell the judge puts a sample in: 0 TT, 1 TF, 2 FT, 3 FF.
func judgeCell(u unit) int {
	v, _ := values(u.truth, u.pred, u.judge)
	return slices.Index([]int64{v[kTT], v[kTF], v[kFT], v[kFF]}, 1)
}

// design is how the human sample is drawn: strata model × judge cell, or model alone, with a
// sampling rate per stratum.
type design struct {
	name       string
	judge      judgeKind
	cellStrata bool
	rate       func(model, cell int) float64
}

// oversampleCells draws ~300 of 2000: few TT, many TF and FT, model 1 less than model 0.
func oversampleCells(model, cell int) float64 {
	return [4]float64{0.08, 0.30, 0.30, 0.15}[cell] * [2]float64{1.1, 0.9}[model]
}

func byModel(model, _ int) float64 { return [2]float64{0.11, 0.19}[model] }

// draw labels a stratified simple random sample of units: round(rate·N_h) per stratum, at least
// two.
func draw(r *rand.Rand, units []unit, d design) []Sample {
	samples := make([]Sample, len(units))
	members := map[int][]int{}
	rates := map[int]float64{}
	for i, u := range units {
		cell := judgeCell(u)
		id := u.model
		if d.cellStrata {
			id = u.model*4 + cell
		}
		samples[i] = Sample{Stratum: id, Truth: u.truth, Pred: u.pred, Judge: u.judge}
		members[id] = append(members[id], i)
		rates[id] = d.rate(u.model, cell)
	}
	for _, id := range slices.Sorted(maps.Keys(members)) {
		m := members[id]
		n := min(max(int(math.Round(rates[id]*float64(len(m)))), 2), len(m))
		r.Shuffle(len(m), func(i, j int) { m[i], m[j] = m[j], m[i] })
		for _, i := range m[:n] {
			samples[i].Human = &units[i].expl
		}
	}
	return samples
}
