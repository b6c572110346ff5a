package datasets

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// FeatureSpec describes a synthetic feature column.
type FeatureSpec struct {
	Dim int
	// Informativeness scales the class signal against unit Gaussian noise: 0 makes the
	// modality pure noise; at 1 an average clip's per-dimension signal is as large as the noise.
	Informativeness float64
}

// SynthOptions configures Synth.
type SynthOptions struct {
	Dataset string  // dfew or mafw
	Folds   []int32 // the folds to write; empty means 1..5
	Seed    int64
	// MediaRoot prefixes the media paths, which follow the data set's layout
	// (DFEW clip/<id>.mp4, MAFW clips/<id>.mp4); empty gives relative paths.
	MediaRoot string
	// Features adds a feat_<modality> column per entry.
	Features map[string]FeatureSpec
}

// maxFeatureDim bounds a synthetic feature vector.
const maxFeatureDim = 1 << 16

// Synth makes a synthetic split with the official per-fold and per-class counts of docs/reference.md
// §6 wherever they are published, and made-up clips, marked Synthetic. The same options give
// the same split (and WriteSplit the same bytes); which folds are selected does not change a
// clip's label, folds or features.
//
// DFEW: 11,697 clips with the published per-class totals, each in exactly one fold's test set;
// fold 5's test set has the published per-class counts and folds 1–4 share the rest in
// proportion, with the published fold sizes; each fold trains on all clips it does not test.
// MAFW: 9,172 clips with per-class totals in proportion to fold 5's test set; the test sets are
// disjoint, have the published sizes and fold 5's the published per-class counts; each fold's
// train set leaves out as many of the other clips as the published sizes say (1 or 2).
//
// Features: each class has a random prototype per modality; a clip's vector is its class's
// prototype scaled by Informativeness and by a per-clip weight, plus unit Gaussian noise. The
// weights of a clip's modalities average 1 but vary from clip to clip (some clips are carried
// by video, others by audio), so modality importance differs between clips. The rows of one
// clip share its feature vectors.
func Synth(opts SynthOptions) (*Split, error) {
	off, ok := OfficialCounts(opts.Dataset)
	if !ok {
		return nil, fmt.Errorf("synthetic splits are made for dfew and mafw, not %q", opts.Dataset)
	}
	folds, err := synthFolds(opts.Folds)
	if err != nil {
		return nil, err
	}
	modalities := slices.Sorted(maps.Keys(opts.Features))
	for _, m := range modalities {
		spec := opts.Features[m]
		if !ValidModality(m) {
			return nil, fmt.Errorf("feature %q: a modality name has letters, digits, '_' and '-'", m)
		}
		if spec.Dim < 1 || spec.Dim > maxFeatureDim {
			return nil, fmt.Errorf("feature %q: dimension %d, want 1..%d", m, spec.Dim, maxFeatureDim)
		}
		if spec.Informativeness < 0 || math.IsNaN(spec.Informativeness) || math.IsInf(spec.Informativeness, 0) {
			return nil, fmt.Errorf("feature %q: informativeness %v, want a finite number ≥ 0", m, spec.Informativeness)
		}
	}
	ls, _ := LabelSetByName(opts.Dataset)
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x656d6f6576616c)) // "emoeval"
	u := newUniverse(off, ls, rng)
	feats := synthFeatures(u, ls, opts, modalities)

	root := opts.MediaRoot
	if root == "" {
		root = "."
	}
	ids, paths := make([]string, len(u.ids)), make([]string, len(u.ids))
	for k, n := range u.ids {
		ids[k] = fmt.Sprintf("%05d", n)
		paths[k] = MediaPath(ls.Name, root, ids[k])
	}
	s := &Split{Dataset: ls.Name, Labels: ls, Synthetic: true, Seed: opts.Seed}
	for _, f := range folds {
		for _, kind := range []string{Train, Test} {
			for _, k := range u.members(f, kind) {
				label := ls.Labels[u.class[k]]
				s.Clips = append(s.Clips, Clip{
					Dataset: ls.Name, ClipID: ids[k], Fold: f, Split: kind, Label: label, LabelID: int32(u.class[k] + 1),
					VideoPath: paths[k], AudioPath: paths[k], Features: feats[k],
				})
			}
		}
	}
	return s, nil
}

func synthFolds(folds []int32) ([]int32, error) {
	if len(folds) == 0 {
		return []int32{1, 2, 3, 4, 5}, nil
	}
	out := slices.Clone(folds)
	slices.Sort(out)
	for i, f := range out {
		if f < 1 || f > NumFolds {
			return nil, fmt.Errorf("fold %d: the protocol has folds 1..%d", f, NumFolds)
		}
		if i > 0 && out[i-1] == f {
			return nil, fmt.Errorf("fold %d listed twice", f)
		}
	}
	return out, nil
}

// universe is the synthetic data set: clip k has id ids[k] (ascending) and class class[k];
// testFold[k] is the fold whose test set holds it (0: none); dropped[f-1] holds the clips that
// fold f uses neither for training nor for testing.
type universe struct {
	ids      []int
	class    []int
	testFold []int32
	dropped  [NumFolds]map[int]bool
}

func newUniverse(off *Official, ls *LabelSet, rng *rand.Rand) *universe {
	totals := off.AllPerClass
	if totals == nil {
		// MAFW publishes per-class counts only for fold 5's test set: take the whole data set
		// in the same proportions.
		totals = apportion(off.TestPerClass[5], off.Clips)
	}
	tests := testSetCounts(off, totals)

	n := off.Clips
	u := &universe{ids: rng.Perm(off.AllClips)[:n], class: make([]int, n), testFold: make([]int32, n)}
	for k := range u.ids {
		u.ids[k]++
	}
	sort.Ints(u.ids)
	classes := make([]int, 0, n)
	for c, t := range totals {
		for range t {
			classes = append(classes, c)
		}
	}
	rng.Shuffle(n, func(i, j int) { classes[i], classes[j] = classes[j], classes[i] })
	copy(u.class, classes)

	byClass := make([][]int, ls.Len())
	for k, c := range u.class {
		byClass[c] = append(byClass[c], k)
	}
	for c, clips := range byClass {
		rng.Shuffle(len(clips), func(i, j int) { clips[i], clips[j] = clips[j], clips[i] })
		next := 0
		for f := range NumFolds {
			for _, k := range clips[next : next+tests[f][c]] {
				u.testFold[k] = int32(f + 1)
			}
			next += tests[f][c]
		}
	}
	for f := range NumFolds {
		drop := off.Clips - off.Folds[f].Test - off.Folds[f].Train
		u.dropped[f] = map[int]bool{}
		for len(u.dropped[f]) < drop {
			if k := rng.IntN(n); u.testFold[k] != int32(f+1) {
				u.dropped[f][k] = true
			}
		}
	}
	return u
}

// testSetCounts gives each fold's test set per-class counts: the published ones where there
// are some, the rest of each class shared among the other folds in proportion to their sizes.
func testSetCounts(off *Official, totals []int) [NumFolds][]int {
	var tests [NumFolds][]int
	rest := slices.Clone(totals)
	for f := range NumFolds {
		if pc, ok := off.TestPerClass[int32(f+1)]; ok {
			tests[f] = slices.Clone(pc)
			for c := range rest {
				rest[c] -= pc[c]
			}
		}
	}
	for f := range NumFolds {
		if tests[f] == nil {
			tests[f] = apportion(rest, off.Folds[f].Test)
			for c := range rest {
				rest[c] -= tests[f][c]
			}
		}
	}
	return tests
}

// apportion splits total into parts proportional to weights (largest remainder, ties to the
// earlier part), so the parts add up to total exactly; when total ≤ the sum of weights, no part
// exceeds its weight.
func apportion(weights []int, total int) []int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	parts := make([]int, len(weights))
	rem := make([]int, len(weights))
	given := 0
	for i, w := range weights {
		parts[i] = total * w / sum
		rem[i] = total * w % sum
		given += parts[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	for _, i := range order[:total-given] {
		parts[i]++
	}
	return parts
}

// members returns the clips of a fold's train or test set, in id order.
func (u *universe) members(fold int32, kind string) []int {
	var out []int
	for k, tf := range u.testFold {
		inTest := tf == fold
		if (kind == Test) == inTest && (kind == Test || !u.dropped[fold-1][k]) {
			out = append(out, k)
		}
	}
	return out
}

// synthFeatures makes every clip's feature vectors (nil without modalities).
func synthFeatures(u *universe, ls *LabelSet, opts SynthOptions, modalities []string) []map[string][]float32 {
	if len(modalities) == 0 {
		return make([]map[string][]float32, len(u.ids))
	}
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x6665617475726573)) // "features"
	protos := make([][][]float64, len(modalities))
	for mi, m := range modalities {
		protos[mi] = make([][]float64, ls.Len())
		for c := range protos[mi] {
			p := make([]float64, opts.Features[m].Dim)
			for d := range p {
				p[d] = rng.NormFloat64()
			}
			protos[mi][c] = p
		}
	}
	out := make([]map[string][]float32, len(u.ids))
	weights := make([]float64, len(modalities))
	for k := range out {
		sum := 0.0
		for mi := range weights {
			weights[mi] = rng.ExpFloat64()
			sum += weights[mi]
		}
		out[k] = make(map[string][]float32, len(modalities))
		for mi, m := range modalities {
			spec := opts.Features[m]
			scale := spec.Informativeness * weights[mi] * float64(len(modalities)) / sum
			proto := protos[mi][u.class[k]]
			v := make([]float32, spec.Dim)
			for d := range v {
				v[d] = float32(scale*proto[d] + rng.NormFloat64())
			}
			out[k][m] = v
		}
	}
	return out
}
