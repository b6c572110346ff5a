package pipeline

import (
	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges/replay"
	"github.com/emoeval/emoeval/metrics"
)

// HumanFile is a file of human readings of explanations, compared with every judge.
type HumanFile struct {
	Name         string // the rater's name in agreement tables (default "human")
	Model        string // whose explanations were read; "" for every model
	Path, Format string
}

// addHumans reads the configured human labels and adds them to a builder.
func addHumans(b *metrics.Builder, hs []config.Human, labels *datasets.LabelSet) error {
	for _, h := range hs {
		path, format, err := replay.FormatOf(h.Path)
		if err != nil {
			return err
		}
		hl, err := readHuman(HumanFile{Name: h.Name, Model: h.Model, Path: path, Format: format}, labels)
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
func readHuman(h HumanFile, labels *datasets.LabelSet) (metrics.HumanLabels, error) {
	out := metrics.HumanLabels{Name: h.Name, Model: h.Model, Labels: map[string]string{}}
	if out.Name == "" {
		out.Name = "human"
	}
	replies, err := replay.ReadReplies(h.Path, h.Format)
	if err != nil {
		return out, err
	}
	for _, r := range replies {
		l, _ := parse.RobustLabel(labels, r.Text)
		if l == datasets.Unknown {
			if h.Format == replay.FormatParquet {
				return out, inputerr.AtRow(h.Path, r.Line, "%q is not a label of %s", r.Text, labels.Name)
			}
			return out, inputerr.AtLine(h.Path, r.Line, "%q is not a label of %s", r.Text, labels.Name)
		}
		id := datasets.NormalizeID(r.ClipID)
		if _, dup := out.Labels[id]; dup {
			return out, inputerr.AtLine(h.Path, r.Line, "clip %s is labelled twice", r.ClipID)
		}
		out.Labels[id] = l
	}
	return out, nil
}
