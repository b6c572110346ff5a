package pipeline

import (
	"path/filepath"

	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/pipeline/spec"
)

// This file is the one place where rows of a run directory become metric samples: a run scores
// the rows it writes through it, and merge and compare score the rows they read through it, so
// that the same rows give the same numbers in every command.

// sampleOf is the metrics sample of a predictions.parquet row. The text-derived fields (format
// reward patterns, first cue) are computed here, so that a row read back from a run directory
// scores exactly as it did when it was made.
func sampleOf(p predictions.Prediction) metrics.Sample {
	s := metrics.Sample{
		ClipID: p.ClipID, Fold: p.Fold, Truth: p.Label, Pred: p.Pred, QuarterPred: p.PredQuarter,
		Status: p.ParseStatus, Order: p.Order, Normalized: p.Normalized, Error: p.Error != "", Attempts: p.Attempts,
		Truncated: p.Truncated,
	}
	if p.Error == "" && len(p.Probs) == 0 {
		s.Format = parse.MatchFormat(p.RawOutput)
		if p.Order == string(parse.OrderNoDesc) {
			text := p.Think
			if text == "" {
				text = p.RawOutput
			}
			s.Cue = parse.FirstCue(text)
		}
	}
	return s
}

// outcomeOf is the metrics outcome of a judgments.parquet row.
func outcomeOf(j judges.Judgment) metrics.JudgeOutcome {
	return metrics.JudgeOutcome{Emotion: j.Emotion, Fallback: j.Fallback, Err: j.Error != "", Normalized: j.Normalized,
		SentenceLabels: j.SentenceLabels, Abstained: j.Abstained}
}

// judged says whether a prediction row's explanation goes to the judges: an output with text
// (not a failed call, not a classifier's probabilities).
func judged(p predictions.Prediction) bool { return p.Error == "" && len(p.Probs) == 0 }

// scoredModel is a model or variant pass as the summary scores it.
type scoredModel struct {
	name, backend string
	variant       variant.Variant
}

// scoredModels lists a specification's models and variant passes in the order a run scores
// them, so that every command's summary lists them the same way.
func scoredModels(s *spec.Spec) []scoredModel {
	var out []scoredModel
	for _, m := range s.Models {
		for _, v := range m.Base().Variants {
			out = append(out, scoredModel{v.ScoredName(m.Base().Name), m.Base().Backend, v})
		}
	}
	return out
}

// judgeNames are a specification's judges in order.
func judgeNames(s *spec.Spec) []string {
	out := make([]string, len(s.Judges))
	for i, j := range s.Judges {
		out[i] = j.Base().Name
	}
	return out
}

// scoreRows scores rows read back from run directories (merge, compare): every model's
// predictions in the given order, then each model's judgments judge by judge, as a run adds
// them.
func scoreRows(b *metrics.Builder, models []scoredModel, judgeOrder []string, preds []predictions.Prediction, judged []judges.Judgment) error {
	byModel := map[string][]int{}
	for i, p := range preds {
		byModel[p.Model] = append(byModel[p.Model], i)
	}
	for _, m := range models {
		if err := b.AddModel(m.name, m.backend, string(m.variant)); err != nil {
			return err
		}
		for _, i := range byModel[m.name] {
			if err := b.AddSample(m.name, sampleOf(preds[i])); err != nil {
				return err
			}
		}
	}
	type key struct{ model, judge string }
	byJudge := map[key][]int{}
	for i, j := range judged {
		byJudge[key{j.Model, j.Judge}] = append(byJudge[key{j.Model, j.Judge}], i)
	}
	for _, m := range models {
		for _, jn := range judgeOrder {
			for _, i := range byJudge[key{m.name, jn}] {
				j := judged[i]
				if err := b.AddJudgment(j.Model, j.Judge, j.ClipID, outcomeOf(j)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Rows are a run directory's rows, as every command that reads a run back scores them.
type Rows struct {
	Predictions []predictions.Prediction
	Judgments   []judges.Judgment
	MI          *modality.Table // nil without modality.parquet
}

// ReadRows reads a run directory's predictions, judgments and MI table.
func ReadRows(dir string) (*Rows, error) {
	r := &Rows{}
	var err error
	if r.Predictions, err = predictions.ReadPredictions(filepath.Join(dir, PredictionsFile)); err != nil {
		return nil, err
	}
	if jp := filepath.Join(dir, JudgmentsFile); fileExists(jp) {
		if r.Judgments, err = judges.ReadJudgments(jp); err != nil {
			return nil, err
		}
	}
	if mp := filepath.Join(dir, ModalityFile); fileExists(mp) {
		if r.MI, err = modality.ReadParquet(mp); err != nil {
			return nil, err
		}
	}
	return r, nil
}
