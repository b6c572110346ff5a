package pipeline

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges/replay"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/pipeline/human"
	"github.com/emoeval/emoeval/pipeline/spec"
)

// addHumans reads the specification's human labels and adds them to a builder.
func addHumans(b *metrics.Builder, hs []spec.Human, labels *datasets.LabelSet) error {
	for _, h := range hs {
		path, format, err := replay.FormatOf(h.Path)
		if err != nil {
			return err
		}
		hl, err := readHuman(h.Name, h.Model, path, format, labels)
		if err != nil {
			return err
		}
		if err := b.AddHuman(hl); err != nil {
			return inputerr.New(h.Path, "%v", err)
		}
	}
	return nil
}

// AnnotationsRole is the manifest's input role of a run directory's human.parquet: its hash
// says which answers the summary holds.
const AnnotationsRole = human.File

// addAnnotations adds the human labels `emoeval view --annotate` wrote into a run directory
// (human.parquet), one set per annotator × model. It returns the file as a manifest input, or
// nil when there is none.
func addAnnotations(b *metrics.Builder, dir string, labels *datasets.LabelSet) (*InputFile, error) {
	if dir == "" {
		return nil, nil
	}
	path := filepath.Join(dir, human.File)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	rows, err := human.Read(path)
	if err != nil {
		return nil, err
	}
	sets, err := human.Labels(path, rows, labels)
	if err != nil {
		return nil, err
	}
	for _, h := range sets {
		if err := b.AddHuman(h); err != nil {
			return nil, inputerr.New(path, "%v", err)
		}
	}
	in, err := Input(AnnotationsRole, path)
	if err != nil {
		return nil, inputerr.Wrap(path, err)
	}
	return &in, nil
}

// readHuman reads human labels in any judge-reply format (the authors' JSON, JSONL with
// clip_id and emotion, Parquet). Every label must name a class of the label set (case, spacing
// and synonyms are forgiven); anything else is an input error at its line.
func readHuman(name, model, path, format string, labels *datasets.LabelSet) (metrics.HumanLabels, error) {
	out := metrics.HumanLabels{Name: name, Model: model, Labels: map[string]string{}}
	if out.Name == "" {
		out.Name = "human"
	}
	replies, err := replay.ReadReplies(path, format)
	if err != nil {
		return out, err
	}
	for _, r := range replies {
		at := func(msg string, args ...any) error {
			if format == replay.FormatParquet {
				return inputerr.AtRow(path, r.Line, msg, args...)
			}
			return inputerr.AtLine(path, r.Line, msg, args...)
		}
		l, _ := parse.RobustLabel(labels, r.Text)
		if l == datasets.Unknown {
			if !isNone(r.Text) {
				return out, at("%q is not a label of %s, nor \"none\" (the explanation supports no emotion)", r.Text, labels.Name)
			}
			l = datasets.Unknown
		}
		id := datasets.NormalizeID(r.ClipID)
		if _, dup := out.Labels[id]; dup {
			return out, at("clip %s is labelled twice", r.ClipID)
		}
		out.Labels[id] = l
	}
	return out, nil
}

// isNone says whether a human label says the explanation supports no emotion of the set.
func isNone(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none", "cannot tell", "can't tell", "unknown", "none / cannot tell":
		return true
	}
	return false
}
