package view

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Allocations: how a sample of n is shared among strata.
const (
	// AllocEqual gives each stratum the same share (capped at its size, the rest passed on), so
	// that rare cells such as TF are read as often as common ones; inclusion probabilities
	// weight the answers back to the population.
	AllocEqual = "equal"
	// AllocProportional gives each stratum a share proportional to its size.
	AllocProportional = "proportional"
)

// Unit is one member of the population a sample is drawn from.
type Unit struct {
	// Key orders the population (and so makes a draw reproducible whatever order units come in);
	// it must be unique.
	Key     string
	Stratum string
	// Row is the caller's reference (a predictions row).
	Row int32
}

// Drawn is a sampled unit with its stratum's inclusion probability n_h / N_h.
type Drawn struct {
	Unit
	InclusionProb float64
}

// Stratified draws a stratified simple random sample without replacement of n units (all of
// them when there are fewer), reproducibly from seed, and returns it in a random order (also
// from seed), so that an annotator meets the strata mixed. The same population, n, seed and
// allocation give the same sample in the same order.
func Stratified(units []Unit, n int, seed uint64, alloc string) ([]Drawn, error) {
	if n < 1 {
		return nil, fmt.Errorf("sample size %d: want at least 1", n)
	}
	pop := slices.Clone(units)
	slices.SortFunc(pop, func(a, b Unit) int { return strings.Compare(a.Key, b.Key) })
	for i := 1; i < len(pop); i++ {
		if pop[i].Key == pop[i-1].Key {
			return nil, fmt.Errorf("unit %q appears twice in the population", pop[i].Key)
		}
	}
	byStratum := map[string][]Unit{}
	var names []string
	for _, u := range pop {
		if _, ok := byStratum[u.Stratum]; !ok {
			names = append(names, u.Stratum)
		}
		byStratum[u.Stratum] = append(byStratum[u.Stratum], u)
	}
	slices.Sort(names)
	sizes := make([]int, len(names))
	for i, s := range names {
		sizes[i] = len(byStratum[s])
	}
	var take []int
	switch alloc {
	case AllocEqual, "":
		take = allocateEqual(sizes, n)
	case AllocProportional:
		take = allocateProportional(sizes, n)
	default:
		return nil, fmt.Errorf("allocation %q: use %s or %s", alloc, AllocEqual, AllocProportional)
	}
	rng := rand.New(rand.NewPCG(seed, 0x656d6f6576616c)) // "emoeval": a fixed stream for the seed
	var out []Drawn
	for i, s := range names {
		members := byStratum[s]
		// A partial Fisher–Yates shuffle: the first take[i] members are a simple random sample.
		for k := 0; k < take[i]; k++ {
			j := k + rng.IntN(len(members)-k)
			members[k], members[j] = members[j], members[k]
		}
		p := float64(take[i]) / float64(len(members))
		for _, u := range members[:take[i]] {
			out = append(out, Drawn{Unit: u, InclusionProb: p})
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

// allocateEqual shares n among strata of the given sizes as evenly as possible, no stratum
// getting more than its size: a water-filling in which strata too small for their share take
// everything and pass the rest on. Remainders go to the first strata (by name).
func allocateEqual(sizes []int, n int) []int {
	take := make([]int, len(sizes))
	left := n
	for left > 0 {
		open := 0
		for i, s := range sizes {
			if take[i] < s {
				open++
			}
		}
		if open == 0 {
			break
		}
		share, extra := left/open, left%open
		for i, s := range sizes {
			if take[i] >= s {
				continue
			}
			give := share
			if extra > 0 {
				give++
				extra--
			}
			give = min(give, s-take[i])
			take[i] += give
			left -= give
		}
	}
	return take
}

// allocateProportional shares n among strata in proportion to their sizes, by largest
// remainders (ties to the first stratum).
func allocateProportional(sizes []int, n int) []int {
	total := 0
	for _, s := range sizes {
		total += s
	}
	take := make([]int, len(sizes))
	if total == 0 {
		return take
	}
	if n >= total {
		copy(take, sizes)
		return take
	}
	type rem struct {
		i int
		r float64
	}
	var rems []rem
	given := 0
	for i, s := range sizes {
		exact := float64(n) * float64(s) / float64(total)
		take[i] = int(exact)
		given += take[i]
		rems = append(rems, rem{i, exact - float64(take[i])})
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.r > b.r:
			return -1
		case a.r < b.r:
			return 1
		}
		return 0
	})
	for k := 0; given < n; k++ {
		i := rems[k%len(rems)].i
		if take[i] < sizes[i] {
			take[i]++
			given++
		}
	}
	return take
}
