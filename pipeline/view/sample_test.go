package view

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// population makes units in strata of the given sizes ("s0", "s1", …).
func strata(sizes ...int) []Unit {
	var out []Unit
	for s, n := range sizes {
		for i := range n {
			out = append(out, Unit{Key: fmt.Sprintf("s%d-%04d", s, i), Stratum: fmt.Sprintf("s%d", s), Row: int32(len(out))})
		}
	}
	return out
}

func TestStratifiedInclusionProbabilities(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sizes []int
		n     int
		alloc string
		take  map[string]int
	}{
		{"equal shares", []int{100, 100, 100}, 30, AllocEqual, map[string]int{"s0": 10, "s1": 10, "s2": 10}},
		{"a small stratum passes its share on", []int{500, 3, 200}, 30, AllocEqual, map[string]int{"s0": 14, "s1": 3, "s2": 13}},
		{"remainders to the first strata", []int{50, 50, 50}, 10, AllocEqual, map[string]int{"s0": 4, "s1": 3, "s2": 3}},
		{"more than the population: everything", []int{4, 2}, 300, AllocEqual, map[string]int{"s0": 4, "s1": 2}},
		{"proportional", []int{600, 300, 100}, 100, AllocProportional, map[string]int{"s0": 60, "s1": 30, "s2": 10}},
		{"proportional, largest remainders", []int{5, 5, 1}, 4, AllocProportional, map[string]int{"s0": 2, "s1": 2}},
		{"one stratum", []int{1000}, 300, AllocEqual, map[string]int{"s0": 300}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			units := strata(tc.sizes...)
			got, err := Stratified(units, tc.n, 1, tc.alloc)
			if err != nil {
				t.Fatal(err)
			}
			take := map[string]int{}
			seen := map[string]bool{}
			for _, d := range got {
				take[d.Stratum]++
				if seen[d.Key] {
					t.Fatalf("%s drawn twice", d.Key)
				}
				seen[d.Key] = true
			}
			if !reflect.DeepEqual(take, tc.take) {
				t.Fatalf("allocation %v, want %v", take, tc.take)
			}
			// π_h = n_h / N_h; Σ over the sample of 1/π is the population size, and Σ over the
			// population of π is the sample size.
			size := map[string]int{}
			for _, u := range units {
				size[u.Stratum]++
			}
			var invSum, piSum float64
			for _, d := range got {
				if want := float64(take[d.Stratum]) / float64(size[d.Stratum]); d.InclusionProb != want {
					t.Fatalf("%s: inclusion probability %v, want %v", d.Key, d.InclusionProb, want)
				}
				invSum += 1 / d.InclusionProb
			}
			for s, n := range size {
				piSum += float64(n) * float64(take[s]) / float64(n)
			}
			covered := 0
			for s, n := range size {
				if take[s] > 0 {
					covered += n
				}
			}
			if math.Abs(invSum-float64(covered)) > 1e-9 {
				t.Errorf("Σ 1/π = %v, want the population of the sampled strata, %d", invSum, covered)
			}
			if math.Abs(piSum-float64(len(got))) > 1e-9 {
				t.Errorf("Σ π over the population = %v, want the sample size %d", piSum, len(got))
			}
		})
	}
}

func TestStratifiedReproducible(t *testing.T) {
	units := strata(300, 40, 9, 120)
	a, err := Stratified(units, 50, 42, AllocEqual)
	if err != nil {
		t.Fatal(err)
	}
	// The same population in another order draws the same sample, in the same order.
	shuffled := slices.Clone(units)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b, err := Stratified(shuffled, 50, 42, AllocEqual)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed drew another sample")
	}
	c, err := Stratified(units, 50, 43, AllocEqual)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(keys(a), keys(c)) {
		t.Fatal("another seed drew the same sample")
	}
	// The order mixes strata: the first ten items are not all of one stratum.
	first := map[string]bool{}
	for _, d := range a[:10] {
		first[d.Stratum] = true
	}
	if len(first) < 2 {
		t.Fatalf("the first ten items are all of %v", first)
	}
}

// Every unit of a stratum is equally likely to be drawn: over many seeds each is drawn about
// n_h / N_h of the time.
func TestStratifiedUniformWithinStratum(t *testing.T) {
	units := strata(20, 5)
	counts := map[string]int{}
	const draws = 4000
	for seed := range uint64(draws) {
		got, err := Stratified(units, 6, seed, AllocEqual)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range got {
			counts[d.Key]++
		}
	}
	for _, u := range units[:20] { // stratum s0: 3 of 20 each time
		if p := float64(counts[u.Key]) / draws; math.Abs(p-0.15) > 0.03 {
			t.Errorf("%s drawn with frequency %.3f, want 0.15", u.Key, p)
		}
	}
}

func TestStratifiedErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		units []Unit
		n     int
		alloc string
	}{
		{"no sample", strata(5), 0, AllocEqual},
		{"unknown allocation", strata(5), 2, "neyman"},
		{"a unit twice", []Unit{{Key: "a", Stratum: "x"}, {Key: "a", Stratum: "y"}}, 1, AllocEqual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Stratified(tc.units, tc.n, 1, tc.alloc); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func keys(ds []Drawn) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Key
	}
	return out
}

func TestCohenKappa(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []string
		want float64 // NaN: undefined
	}{
		{"perfect", []string{"x", "y", "x", "z"}, []string{"x", "y", "x", "z"}, 1},
		// A textbook table: 20 yes/yes, 15 no/no, 5 yes/no, 10 no/yes → p_o = .7, p_e = .5, κ = .4.
		{"textbook", rep("y", 20, "y", 5, "n", 10, "n", 15), rep("y", 20, "n", 5, "y", 10, "n", 15), 0.4},
		{"chance level", []string{"x", "x", "y", "y"}, []string{"x", "y", "x", "y"}, 0},
		{"worse than chance", []string{"x", "y"}, []string{"y", "x"}, -1},
		{"one label throughout: undefined", []string{"x", "x"}, []string{"x", "x"}, math.NaN()},
		{"no items", nil, nil, math.NaN()},
		{"none is a category", []string{NoEmotion, "sad", NoEmotion}, []string{NoEmotion, "sad", "sad"}, 0.4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CohenKappa(tc.a, tc.b)
			if math.IsNaN(tc.want) != math.IsNaN(got) || !math.IsNaN(got) && math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("κ = %v, want %v", got, tc.want)
			}
		})
	}
}

// rep builds a label list from label, count pairs.
func rep(pairs ...any) []string {
	var out []string
	for i := 0; i < len(pairs); i += 2 {
		for range pairs[i+1].(int) {
			out = append(out, pairs[i].(string))
		}
	}
	return out
}

func TestAnnotatorAgreement(t *testing.T) {
	rows := []HumanRow{
		{Annotator: "bob", Model: "m", ClipID: "1", Emotion: "sad"},
		{Annotator: "bob", Model: "m", ClipID: "2", Emotion: "happy"},
		{Annotator: "bob", Model: "m", ClipID: "3", Emotion: "happy"},
		{Annotator: "alice", Model: "m", ClipID: "001", Emotion: "sad"}, // the same clip, spelt otherwise
		{Annotator: "alice", Model: "m", ClipID: "2", Emotion: "sad"},
		{Annotator: "alice", Model: "other", ClipID: "3", Emotion: "happy"}, // another model's explanation
		{Annotator: "carol", Model: "x", ClipID: "9", Emotion: "sad"},
	}
	got := AnnotatorAgreement(rows)
	if len(got) != 3 || got[0].A != "alice" || got[0].B != "bob" || got[0].N != 2 || got[0].Agree != 0.5 {
		t.Fatalf("%+v", got)
	}
	if got[1].N != 0 || !math.IsNaN(got[1].Kappa) {
		t.Fatalf("alice × carol share nothing: %+v", got[1])
	}
	if s := FormatAgreement(got[:1]); s != "alice × bob: Cohen's κ 0.000 over 2 shared items (agreement 50.0%)\n" {
		t.Fatalf("%q", s)
	}
}
