package ppi

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestCoverage draws, 1,000 times, a population of 2,000 explanations judged by a biased judge
// and a stratified human sample of ~300, and counts how often each 95% interval covers the
// population rate. The corrected intervals must cover ≥ 93% of the time; the raw judge rate's
// naive binomial interval (p ± z√(p(1−p)/N)) must not.
func TestCoverage(t *testing.T) {
	reps, floor := 1000, 0.93
	if testing.Short() {
		reps, floor = 200, 0.90
	}
	designs := []design{
		{name: "model×cell strata, biased judge", judge: biasedJudge, cellStrata: true, rate: oversampleCells},
		{name: "model strata, biased judge", judge: biasedJudge, rate: byModel},
		{name: "model strata, good judge", judge: goodJudge, rate: byModel},
	}
	checked := []string{KeyTF, KeyTT, KeyEPC, KeyTFGivenCorrect}
	for di, d := range designs {
		t.Run(d.name, func(t *testing.T) {
			covered := map[string][3]int{} // corrected, human-only, raw
			var labelled, widthC, widthH float64
			z := math.Sqrt2 * math.Erfinv(0.95)
			for rep := range reps {
				r := rand.New(rand.NewPCG(uint64(di), uint64(rep)))
				units := population(r, 2000, d.judge)
				truth := truthRates(units)
				res, err := Estimate(draw(r, units, d), Options{})
				if err != nil {
					t.Fatal(err)
				}
				labelled += float64(res.NHuman)
				widthC += res.Corrected[KeyTF].CI[1] - res.Corrected[KeyTF].CI[0]
				widthH += res.HumanOnly[KeyTF].CI[1] - res.HumanOnly[KeyTF].CI[0]
				for _, key := range Keys() {
					c := covered[key]
					th := truth[key]
					if ci := res.Corrected[key].CI; ci[0] <= th && th <= ci[1] {
						c[0]++
					}
					if ci := res.HumanOnly[key].CI; ci[0] <= th && th <= ci[1] {
						c[1]++
					}
					p, n := res.Raw[key], float64(res.N)
					if key == KeyTFGivenCorrect {
						n *= res.Correct
					}
					if h := z * math.Sqrt(p*(1-p)/n); p-h <= th && th <= p+h {
						c[2]++
					}
					covered[key] = c
				}
			}
			t.Logf("%d reps, mean %.0f human labels; mean tf CI width corrected %.4f, human-only %.4f",
				reps, labelled/float64(reps), widthC/float64(reps), widthH/float64(reps))
			for _, key := range Keys() {
				c := covered[key]
				t.Logf("  %-16s coverage corrected %.3f  human-only %.3f  raw %.3f", key,
					float64(c[0])/float64(reps), float64(c[1])/float64(reps), float64(c[2])/float64(reps))
			}
			for _, key := range checked {
				if got := float64(covered[key][0]) / float64(reps); got < floor {
					t.Errorf("%s: corrected coverage %.3f < %.2f", key, got, floor)
				}
			}
			if d.judge == biasedJudge {
				for _, key := range []string{KeyTF, KeyTFGivenCorrect} {
					if got := float64(covered[key][2]) / float64(reps); got > 0.5 {
						t.Errorf("%s: the raw judge interval covers %.3f of the time; the simulated bias should defeat it", key, got)
					}
				}
			}
		})
	}
}

// TestPowerTuning: with a judge that names a random emotion the corrected interval is at most
// 2% wider than the human-only one (λ → 0); with a good judge it is much narrower. With strata
// that include the judge's cell the cell keys gain nothing more from the judge (ratio 1): the
// design already used it.
func TestPowerTuning(t *testing.T) {
	reps := 100
	if testing.Short() {
		reps = 30
	}
	cases := []struct {
		name     string
		d        design
		keys     []string
		maxRatio float64 // bound on every replicate's width ratio
		maxMean  float64 // bound on the mean ratio
	}{
		{"useless judge", design{judge: uselessJudge, rate: byModel},
			[]string{KeyTT, KeyTF, KeyEPC, KeyEEA}, 1.02, 1.02},
		{"good judge", design{judge: goodJudge, rate: byModel},
			[]string{KeyTT, KeyTF, KeyEPC, KeyEEA}, 1.02, 0.6},
		{"biased judge", design{judge: biasedJudge, rate: byModel},
			[]string{KeyTT, KeyTF, KeyEPC, KeyEEA}, 1.02, 0.9},
		{"judge-cell strata", design{judge: biasedJudge, cellStrata: true, rate: oversampleCells},
			[]string{KeyTT, KeyTF, KeyFT, KeyFF, KeyEEA}, 1 + 1e-12, 1 + 1e-12},
	}
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, key := range c.keys {
				var sum, worst, lambda, effN float64
				for rep := range reps {
					r := rand.New(rand.NewPCG(100+uint64(ci), uint64(rep)))
					units := population(r, 2000, c.d.judge)
					res, err := Estimate(draw(r, units, c.d), Options{})
					if err != nil {
						t.Fatal(err)
					}
					wc := res.Corrected[key].CI[1] - res.Corrected[key].CI[0]
					wh := res.HumanOnly[key].CI[1] - res.HumanOnly[key].CI[0]
					ratio := wc / wh
					sum += ratio
					worst = max(worst, ratio)
					lambda += res.Lambda[key]
					effN += res.EffectiveN[key] / float64(res.NHuman)
				}
				mean := sum / float64(reps)
				t.Logf("%-4s width corrected/human-only: mean %.3f, worst %.3f; mean λ %.2f; effective n ×%.2f",
					key, mean, worst, lambda/float64(reps), effN/float64(reps))
				if worst > c.maxRatio || mean > c.maxMean {
					t.Errorf("%s: width ratio mean %.3f worst %.3f, want mean ≤ %.3f and every ≤ %.3f",
						key, mean, worst, c.maxMean, c.maxRatio)
				}
			}
		})
	}
}
