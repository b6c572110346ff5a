package ppi

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func ptr(s string) *string { return &s }

// tiny is the hand-computed case. Stratum 1: six correct predictions (happy); the judge calls
// units 1, 2, 4, 5, 6 happy and 3 sad; humans label 1 happy, 2 sad, 3 sad. Stratum 2: four wrong
// predictions (truth sad, prediction angry); judge sad, angry, sad, unknown; humans label the
// first two sad.
func tiny() []Sample {
	h := func(judge string, human *string) Sample {
		return Sample{Stratum: 1, Truth: "happy", Pred: "happy", Judge: judge, Human: human}
	}
	w := func(judge string, human *string) Sample {
		return Sample{Stratum: 2, Truth: "sad", Pred: "angry", Judge: judge, Human: human}
	}
	return []Sample{
		h("happy", ptr("happy")), h("happy", ptr("sad")), h("sad", ptr("sad")),
		h("happy", nil), h("happy", nil), h("happy", nil),
		w("sad", ptr("sad")), w("angry", ptr("sad")), w("sad", nil), w("unknown", nil),
	}
}

// TestExactTiny checks tiny against values worked out by hand.
//
// tf, stratum 1 (W = 0.6, N = 6, n = 3, a = W²(1 − 3/6)/3 = 0.06): labelled Y = (0, 1, 1),
// Ŷ = (0, 0, 1), population mean of Ŷ 1/6. Smoothed: q̃₁ = (1 + ½)/2 = ¾, q̃₀ = (1 + ½)/3 = ½;
// p₁₁ = ¼, P(Y=1) = 7/12, P(Ŷ=1) = 1/3; with n/(n−1) = 3/2: S²(Y) = 35/96, S(Y,Ŷ) = 1/12,
// S²(Ŷ) = 1/3. Stratum 2 has every prediction wrong, so its TF is exactly 0. λ* = (1/12)/(1/3)
// = ¼; θ̂₁ = ¼·1/6 + 2/3 − ¼·1/3 = 5/8; V̂ = 0.36·(1/6)(35/96 − 1/24 + 1/48) = 0.36·33/576.
// Human-only: 0.6·2/3 = 0.4, V̂ = 0.36·35/576. Plain PPI (λ = 1): θ̂₁ = 1/2, V̂ = 0.36·51/576.
//
// ft, stratum 2 (W = 0.4, N = 4, n = 2, a = 0.16·½/2 = 0.04): Y = (1, 1), Ŷ = (1, 0), Ŷ mean
// ½ over all four; q̃₁ = q̃₀ = ¾, S²(Y) = 0.375, S(Y,Ŷ) = 0, S²(Ŷ) = 0.5, so λ* = 0; θ̂ = 0.4,
// V̂ = 0.015; with λ = 1, V̂ = 0.04·0.875 = 0.035. Stratum 1's FT is exactly 0.
func TestExactTiny(t *testing.T) {
	one := 1.0
	cases := []struct {
		name   string
		opts   Options
		key    string
		value  float64
		se     float64
		lambda float64
	}{
		{"tf tuned", Options{}, KeyTF, 0.6 * 5 / 8, 0.6 * math.Sqrt(33.0/576), 0.25},
		{"tf given correct", Options{}, KeyTFGivenCorrect, 5.0 / 8, math.Sqrt(33.0 / 576), 0.25},
		{"tt mirrors tf", Options{}, KeyTT, 0.6 * 3 / 8, 0.6 * math.Sqrt(33.0/576), 0.25},
		{"tf plain PPI", Options{FixedLambda: &one}, KeyTF, 0.3, math.Sqrt(0.36 * 51 / 576), 1},
		{"ft tuned", Options{}, KeyFT, 0.4, math.Sqrt(0.015), 0},
		{"ft plain PPI", Options{FixedLambda: &one}, KeyFT, 0.4, math.Sqrt(0.035), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Estimate(tiny(), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Corrected[c.key]
			if math.Abs(got.Value-c.value) > 1e-12 || math.Abs(got.SE-c.se) > 1e-12 || math.Abs(res.Lambda[c.key]-c.lambda) > 1e-12 {
				t.Errorf("got %+v λ %v, want value %v se %v λ %v", got, res.Lambda[c.key], c.value, c.se, c.lambda)
			}
			z := math.Sqrt2 * math.Erfinv(0.95)
			if lo, hi := max(c.value-z*c.se, 0), min(c.value+z*c.se, 1); math.Abs(got.CI[0]-lo) > 1e-12 || math.Abs(got.CI[1]-hi) > 1e-12 {
				t.Errorf("CI %v, want [%v, %v]", got.CI, lo, hi)
			}
		})
	}
	res, _ := Estimate(tiny(), Options{})
	checks := []struct {
		name      string
		got, want float64
	}{
		{"human-only tf", res.HumanOnly[KeyTF].Value, 0.4},
		{"human-only tf se", res.HumanOnly[KeyTF].SE, 0.6 * math.Sqrt(35.0/576)},
		{"raw tf", res.Raw[KeyTF], 0.1},
		{"raw tf given correct", res.Raw[KeyTFGivenCorrect], 1.0 / 6},
		{"raw ft", res.Raw[KeyFT], 0.2},
		{"correct share", res.Correct, 0.6},
		{"effective n tf", res.EffectiveN[KeyTF], 5 * 35.0 / 33},
		{"tt + tf + ft + ff", res.Corrected[KeyTT].Value + res.Corrected[KeyTF].Value + res.Corrected[KeyFT].Value + res.Corrected[KeyFF].Value, 1},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if res.N != 10 || res.NHuman != 5 || res.Strata != 2 || res.Alpha != 0.05 {
		t.Errorf("counts %d %d %d %v", res.N, res.NHuman, res.Strata, res.Alpha)
	}
}

func TestErrors(t *testing.T) {
	bad, neg := 1.5, -0.1
	unlabelled := append(tiny(), Sample{Stratum: 7, Truth: "sad", Pred: "sad", Judge: "sad"})
	cases := []struct {
		name    string
		samples []Sample
		opts    Options
		want    error
	}{
		{"no samples", nil, Options{}, ErrNoSamples},
		{"no human labels", []Sample{{Truth: "sad", Pred: "sad", Judge: "sad"}}, Options{}, ErrNoHumanLabels},
		{"unlabelled stratum", unlabelled, Options{}, ErrUnlabelledStratum},
		{"alpha", tiny(), Options{Alpha: 1}, ErrOptions},
		{"negative alpha", tiny(), Options{Alpha: -0.05}, ErrOptions},
		{"lambda above 1", tiny(), Options{FixedLambda: &bad}, ErrOptions},
		{"negative lambda", tiny(), Options{FixedLambda: &neg}, ErrOptions},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Estimate(c.samples, c.opts)
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			if c.want == ErrUnlabelledStratum && !strings.Contains(err.Error(), "[7]") {
				t.Errorf("error %q does not name stratum 7", err)
			}
		})
	}
}

// TestLabels: "unknown", "none" and "" never match; comparisons ignore case and spaces.
func TestLabels(t *testing.T) {
	cases := []struct {
		truth, pred, emotion string
		want                 [nBase]int64 // tt tf ft ff epc eea
	}{
		{"happy", "happy", "happy", [nBase]int64{1, 0, 0, 0, 1, 1}},
		{"happy", "happy", "sad", [nBase]int64{0, 1, 0, 0, 0, 0}},
		{"happy", "sad", "happy", [nBase]int64{0, 0, 1, 0, 0, 1}},
		{"happy", "sad", "sad", [nBase]int64{0, 0, 0, 1, 1, 0}},
		{"happy", "unknown", "unknown", [nBase]int64{0, 0, 0, 1, 0, 0}},
		{"happy", "", "", [nBase]int64{0, 0, 0, 1, 0, 0}},
		{"happy", "happy", "none", [nBase]int64{0, 1, 0, 0, 0, 0}},
		{"happy", "happy", "cannot tell", [nBase]int64{0, 1, 0, 0, 0, 0}},
		{"unknown", "unknown", "unknown", [nBase]int64{0, 0, 0, 1, 0, 0}},
		{"Happy", " happy", "HAPPY ", [nBase]int64{1, 0, 0, 0, 1, 1}},
	}
	for _, c := range cases {
		if got, _ := values(c.truth, c.pred, c.emotion); got != c.want {
			t.Errorf("values(%q, %q, %q) = %v, want %v", c.truth, c.pred, c.emotion, got, c.want)
		}
	}
}

// TestAllLabelled: a census gives the exact rates, with zero-width intervals, and corrected
// equals human-only.
func TestAllLabelled(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	units := population(r, 500, biasedJudge)
	samples := draw(r, units, design{judge: biasedJudge, cellStrata: true, rate: func(int, int) float64 { return 1 }})
	res, err := Estimate(samples, Options{})
	if err != nil {
		t.Fatal(err)
	}
	truth := truthRates(units)
	for _, key := range Keys() {
		c, h := res.Corrected[key], res.HumanOnly[key]
		if math.Abs(c.Value-truth[key]) > 1e-12 || c.CI[0] != c.Value || c.CI[1] != c.Value || c != h {
			t.Errorf("%s: corrected %+v human-only %+v, truth %v", key, c, h, truth[key])
		}
	}
}

// TestPerfectJudge: a judge that agrees with the humans everywhere gives λ ≈ 1, about the raw
// rate, and a far tighter interval than the human labels alone. Not exactly: a few hundred
// agreeing labels do not prove the judge perfect, and the smoothed variance (package comment)
// says so, most for rare cells such as FT (~3%: a handful of labelled FT verdicts per stratum).
func TestPerfectJudge(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	units := population(r, 2000, goodJudge)
	for i := range units {
		units[i].judge = units[i].expl
	}
	res, err := Estimate(draw(r, units, design{rate: byModel}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range Keys() {
		c, h := res.Corrected[key], res.HumanOnly[key]
		ratio := (c.CI[1] - c.CI[0]) / (h.CI[1] - h.CI[0])
		t.Logf("%-16s raw %.4f corrected %.4f [%.4f, %.4f] λ %.3f width ratio %.3f", key, res.Raw[key], c.Value, c.CI[0], c.CI[1], res.Lambda[key], ratio)
		if math.Abs(c.Value-res.Raw[key]) > 0.005 || c.CI[0] > res.Raw[key] || c.CI[1] < res.Raw[key] ||
			ratio > 0.7 || res.Lambda[key] < 0.85 || key != KeyFT && ratio > 0.3 {
			t.Errorf("%s: corrected %+v vs raw %v, width ratio %.3f, λ %v", key, c, res.Raw[key], ratio, res.Lambda[key])
		}
	}
}

// TestOneLabel: a stratum with a single label (of 5) gets the bound S² ≤ N/(4(N − 1)); for
// human-only V̂ = (1 − 1/5)·5/16 = 0.25.
func TestOneLabel(t *testing.T) {
	var samples []Sample
	for i := range 5 {
		s := Sample{Truth: "sad", Pred: "sad", Judge: "sad"}
		if i == 0 {
			s.Human = ptr("sad")
		}
		samples = append(samples, s)
	}
	zero := 0.0
	res, err := Estimate(samples, Options{FixedLambda: &zero})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Corrected[KeyTF]; got.Value != 0 || math.Abs(got.SE-0.5) > 1e-12 {
		t.Errorf("tf %+v, want value 0 and SE 0.5", got)
	}
	if got := res.Corrected[KeyFT]; got.SE != 0 {
		t.Errorf("ft %+v: every prediction is right, so FT is exactly 0", got)
	}
}

// TestNoCorrectPrediction: tf_given_correct is undefined and left out.
func TestNoCorrectPrediction(t *testing.T) {
	res, err := Estimate([]Sample{
		{Truth: "sad", Pred: "angry", Judge: "sad", Human: ptr("sad")},
		{Truth: "sad", Pred: "angry", Judge: "angry", Human: ptr("angry")},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.Corrected[KeyTFGivenCorrect]; ok || len(res.Corrected) != 6 {
		t.Errorf("keys %v", res.Corrected)
	}
}

// TestOrderInvariant: the result does not depend on the order of the samples.
func TestOrderInvariant(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	units := population(r, 1000, biasedJudge)
	samples := draw(r, units, design{judge: biasedJudge, cellStrata: true, rate: oversampleCells})
	a, err := Estimate(samples, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Shuffle(len(samples), func(i, j int) { samples[i], samples[j] = samples[j], samples[i] })
	b, _ := Estimate(samples, Options{})
	if !reflect.DeepEqual(a, b) {
		t.Error("shuffling the samples changed the result")
	}
}

// TestIntervalsInUnitRange over many small, noisy samples.
func TestIntervalsInUnitRange(t *testing.T) {
	for rep := range 50 {
		r := rand.New(rand.NewPCG(7, uint64(rep)))
		units := population(r, 100, uselessJudge)
		res, err := Estimate(draw(r, units, design{judge: uselessJudge, cellStrata: true, rate: oversampleCells}), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for key, e := range res.Corrected {
			for _, x := range []float64{e.Value, e.CI[0], e.CI[1], res.HumanOnly[key].CI[0], res.HumanOnly[key].CI[1]} {
				if !(x >= 0 && x <= 1) || e.CI[0] > e.Value || e.Value > e.CI[1] {
					t.Fatalf("%s: %+v outside [0, 1] or unordered", key, e)
				}
			}
		}
	}
}

func BenchmarkEstimate100k(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 9))
	units := population(r, 100_000, biasedJudge)
	samples := draw(r, units, design{judge: biasedJudge, cellStrata: true,
		rate: func(model, cell int) float64 { return oversampleCells(model, cell) / 14 }})
	n := 0
	for _, s := range samples {
		if s.Human != nil {
			n++
		}
	}
	for b.Loop() {
		if _, err := Estimate(samples, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "labels")
}
