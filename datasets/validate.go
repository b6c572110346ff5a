package datasets

import (
	"fmt"
	"maps"
	"slices"
)

// Columns of the split schema (docs/formats.md "Split file").
const (
	ColDataset    = "dataset"
	ColClipID     = "clip_id"
	ColFold       = "fold"
	ColSplit      = "split"
	ColLabel      = "label"
	ColLabelID    = "label_id"
	ColVideoPath  = "video_path"
	ColAudioPath  = "audio_path"
	ColTranscript = "transcript"
	// FeaturePrefix starts the name of every feature column: feat_<modality>.
	FeaturePrefix = "feat_"
)

// IsBuiltIn reports whether name is a built-in label set (dfew, mafw), whose official ids are
// fixed and checked against label_id.
func IsBuiltIn(name string) bool { return name == "dfew" || name == "mafw" }

// ValidModality reports whether m can name a feature column: letters, digits, '_' and '-'.
func ValidModality(m string) bool {
	if m == "" {
		return false
	}
	for _, r := range m {
		ok := r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// clipProblem returns the column and the problem of a clip that breaks a row rule of the split
// schema, or two empty strings when the clip is valid.
func clipProblem(ls *LabelSet, c *Clip) (column, problem string) {
	switch {
	case c.ClipID == "":
		return ColClipID, "empty clip id"
	case c.Fold < 1:
		return ColFold, fmt.Sprintf("fold %d: folds are numbered from 1", c.Fold)
	case c.Split != Train && c.Split != Test:
		return ColSplit, fmt.Sprintf("%q is not %q or %q", c.Split, Train, Test)
	case !ls.Contains(c.Label):
		return ColLabel, fmt.Sprintf("%q is not a label of the %s label set (%s)", c.Label, ls.Name, labelList(ls))
	case IsBuiltIn(ls.Name) && c.LabelID != ls.ID(c.Label):
		return ColLabelID, fmt.Sprintf("label_id %d does not match label %q (official id %d)", c.LabelID, c.Label, ls.ID(c.Label))
	}
	return "", ""
}

func labelList(ls *LabelSet) string {
	s := ""
	for i, l := range ls.Labels {
		if i > 0 {
			s += ", "
		}
		s += l
	}
	return s
}

// featureDims returns the vector length of every modality, checking that each clip has every
// modality with a vector of that same non-zero length. On failure it returns the index of the
// offending clip and the problem.
func featureDims(clips []Clip) (dims map[string]int, bad int, problem string) {
	dims = map[string]int{}
	for _, c := range clips {
		for m, v := range c.Features {
			if _, ok := dims[m]; !ok {
				dims[m] = len(v)
			}
		}
	}
	names := slices.Sorted(maps.Keys(dims))
	for _, m := range names {
		if !ValidModality(m) {
			return nil, 0, fmt.Sprintf("modality %q: use letters, digits, '_' and '-'", m)
		}
	}
	for i, c := range clips {
		for _, m := range names {
			v, ok := c.Features[m]
			switch {
			case !ok || len(v) == 0:
				return nil, i, fmt.Sprintf("%s%s: empty vector (every row needs one)", FeaturePrefix, m)
			case dims[m] == 0:
				dims[m] = len(v)
			case len(v) != dims[m]:
				return nil, i, fmt.Sprintf("%s%s: %d values, other rows have %d", FeaturePrefix, m, len(v), dims[m])
			}
		}
	}
	return dims, 0, ""
}

// Validate checks the split against the schema: a dataset name and label set, every clip of that
// dataset with a clip id, a fold ≥ 1, a split kind, a label of the set (matching label_id for the
// built-in sets), and feature vectors of one non-zero length per modality.
func (s *Split) Validate() error {
	if s.Dataset == "" {
		return fmt.Errorf("split has no dataset name")
	}
	if s.Labels == nil {
		return fmt.Errorf("split of %s has no label set", s.Dataset)
	}
	if s.Labels.Name != s.Dataset {
		return fmt.Errorf("split of %s has the label set of %s", s.Dataset, s.Labels.Name)
	}
	if len(s.Clips) == 0 {
		return fmt.Errorf("split of %s has no clips", s.Dataset)
	}
	for i := range s.Clips {
		c := &s.Clips[i]
		if c.Dataset != s.Dataset {
			return fmt.Errorf("clip %d (%q): dataset %q in a split of %s", i+1, c.ClipID, c.Dataset, s.Dataset)
		}
		if col, p := clipProblem(s.Labels, c); p != "" {
			return fmt.Errorf("clip %d (%q): %s: %s", i+1, c.ClipID, col, p)
		}
	}
	if _, bad, p := featureDims(s.Clips); p != "" {
		return fmt.Errorf("clip %d (%q): %s", bad+1, s.Clips[bad].ClipID, p)
	}
	return nil
}
