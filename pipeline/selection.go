package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/internal/inputerr"
)

// selection is the split's scored clips.
type selection struct {
	// split keeps the label set and metadata, not the clips.
	split *datasets.Split
	clips []datasets.Clip
	desc  string // "test set of fold 5 of dfew.parquet", for messages
}

// loadSelection reads a split and selects the scored clips; duplicate clip ids in the selection
// are refused here, before any request.
func loadSelection(path, labelsFile string, folds []int32, kind string) (*selection, error) {
	var ropts []datasets.ReadOption
	if labelsFile != "" {
		ls, err := datasets.LoadLabelSet(labelsFile)
		if err != nil {
			return nil, err
		}
		ropts = append(ropts, datasets.WithLabelSet(ls))
	}
	split, err := datasets.ReadSplit(path, ropts...)
	if err != nil {
		return nil, err
	}
	if len(folds) == 0 {
		folds = []int32{5}
	}
	if kind == "" {
		kind = datasets.Test
	}
	if kind != datasets.Test && kind != datasets.Train {
		return nil, inputerr.New("", "split kind %q: use test or train", kind)
	}
	have := split.Folds()
	for _, f := range folds {
		if !slices.Contains(have, f) {
			return nil, inputerr.New(path, "the split has no fold %d (it has folds %v)", f, have)
		}
	}
	clips := split.Select(folds, kind)
	if len(clips) == 0 {
		return nil, inputerr.New(path, "the split has no %s clips in folds %v", kind, folds)
	}
	if err := checkUnique(path, clips); err != nil {
		return nil, err
	}
	// The rest of the split is not needed; letting it go halves the memory of a large split.
	split.Clips = nil
	return &selection{split: split, clips: clips, desc: fmt.Sprintf("%s set of fold %s of %s", kind, foldList(folds), filepath.Base(path))}, nil
}

// checkUnique refuses a selection with a clip twice: every later stage keys on clip ids.
func checkUnique(path string, clips []datasets.Clip) error {
	seen := make(map[string]int, len(clips))
	for i, c := range clips {
		k := datasets.NormalizeID(c.ClipID)
		if j, dup := seen[k]; dup {
			return inputerr.New(path, "clip %q is in the selection twice (entries %d and %d, folds %d and %d): every clip must be scored once",
				c.ClipID, j+1, i+1, clips[j].Fold, c.Fold)
		}
		seen[k] = i
	}
	return nil
}

func foldList(f []int32) string {
	s := make([]string, len(f))
	for i, x := range f {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

// readMIFor reads an MI table and checks that it speaks of the selected clips: a table of
// another split (or with ids written as 147.0) would otherwise make every clip multimodal.
func readMIFor(path, format string, clips []datasets.Clip) (*modality.Table, error) {
	mi, err := modality.Read(path, format)
	if err != nil {
		return nil, err
	}
	in := idSet(clips)
	ids := mi.Clips()
	for _, id := range ids {
		if in[id] {
			return mi, nil
		}
	}
	example := ""
	if len(ids) > 0 {
		example = fmt.Sprintf(" (its first is %q)", ids[0])
	}
	return nil, inputerr.New(path, "none of its %d clips is a clip of the selection%s: is it the MI table of another split, or are its ids written differently?", len(ids), example)
}
