package datasets

import (
	"maps"
	"slices"
	"strings"
)

// Split kinds.
const (
	Train = "train"
	Test  = "test"
)

// Clip is one row of a split file: one clip in one fold.
type Clip struct {
	Dataset    string
	ClipID     string
	Fold       int32
	Split      string // Train or Test
	Label      string
	LabelID    int32
	VideoPath  string
	AudioPath  string
	Transcript string
	// Features holds the optional feat_<modality> columns, keyed by modality ("video", "audio").
	Features map[string][]float32
}

// Split is the content of a split file.
type Split struct {
	Dataset string
	Labels  *LabelSet
	Clips   []Clip
	// Synthetic marks a split made by Synth (stored in the file's metadata), so that reports can
	// watermark results on synthetic data; Seed is the seed it was made with.
	Synthetic bool
	Seed      int64
	// ExtraColumns names the columns of the file that are not in the split schema; they are
	// ignored when reading, and Inspect reports them (a misspelt column would vanish silently).
	ExtraColumns []string
}

// Select returns the clips of the given folds (all folds when folds is empty) and split kind
// ("" for both), in file order.
func (s *Split) Select(folds []int32, kind string) []Clip {
	keep := func(c *Clip) bool {
		return (len(folds) == 0 || slices.Contains(folds, c.Fold)) && (kind == "" || c.Split == kind)
	}
	n := 0
	for i := range s.Clips {
		if keep(&s.Clips[i]) {
			n++
		}
	}
	// Counted first: a split of a million clips is copied once, not grown into.
	out := make([]Clip, 0, n)
	for i := range s.Clips {
		if keep(&s.Clips[i]) {
			out = append(out, s.Clips[i])
		}
	}
	return out
}

// Folds returns the folds present in the split, sorted.
func (s *Split) Folds() []int32 {
	seen := map[int32]bool{}
	for _, c := range s.Clips {
		seen[c.Fold] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// FeatureModalities returns the modalities that have feature columns, sorted.
func (s *Split) FeatureModalities() []string {
	seen := map[string]bool{}
	for _, c := range s.Clips {
		for m := range c.Features {
			seen[m] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// NormalizeID is the key under which clip ids from different files are matched: leading zeros
// are removed from all-digit ids ("12583", "012583" and "0012583" are one clip); other ids are
// kept as they are.
func NormalizeID(id string) string {
	return normalizeID(id)
}

// SameID says whether two clip ids name one clip (NormalizeID), without allocating.
func SameID(a, b string) bool { return a == b || normalizeID(a) == normalizeID(b) }

func normalizeID(id string) string {
	if id == "" {
		return id
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return id
		}
	}
	t := strings.TrimLeft(id, "0")
	if t == "" {
		return "0"
	}
	return t
}
