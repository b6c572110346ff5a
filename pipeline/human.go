package pipeline

import (
	"strings"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges/replay"
	"github.com/emoeval/emoeval/metrics"
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
