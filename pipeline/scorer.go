// Package pipeline wires emoeval's stages into the commands' whole jobs (score, run, report,
// compare, merge, demo): it reads inputs, streams model outputs through parsing and judging
// into the metrics builder, writes the run directory and renders reports. It holds no stage
// logic of its own.
package pipeline

import (
	"context"
	"fmt"
	"strconv"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
)

// JudgeSpec is a judge of a scoring pass.
type JudgeSpec struct {
	Judge judges.Judge
	Kind  string // llm | lexicon | classifier | replay
	Input string // parse.InputThink, InputThinkDesc or InputFull
	// Model restricts the judge to one model's outputs (replayed replies); "" judges every model.
	Model string
	// ModelID is the judge's model at its endpoint (llm), for the manifest.
	ModelID string
}

// Record is one model output on its way into scoring.
type Record struct {
	ClipID string
	Raw    string
	// Line is where the output was read from (line or row of File); 0 when it came from a run.
	Line int
	// Probs are a classifier's class probabilities (onnx); the prediction is their argmax.
	Probs        []float32
	Attempts     int32
	LatencyMS    float64
	FinishReason string
	// Err is the error of a failed model call; the sample is scored as unknown.
	Err string
}

// ModelMeta names the model a stream of records belongs to.
type ModelMeta struct {
	Name    string
	Backend string
	Variant string
	// File and Format are the file the records come from and its format, for error messages
	// ("" for a run).
	File, Format string
	// Explains says whether the model writes explanations worth judging (not onnx classifiers).
	Explains bool
}

// Scorer streams model outputs through parsing and judging into a metrics.Builder, optionally
// writing predictions.parquet and judgments.parquet rows on the way.
type Scorer struct {
	Labels   *datasets.LabelSet
	Protocol parse.Protocol
	Judges   []JudgeSpec
	// BatchSize is how many explanations go to the judges at once. Large, because an LLM judge's
	// call waits for its slowest request before the next batch starts (at 256 that cost ~7% of
	// the request rate); the texts held meanwhile are a few megabytes.
	BatchSize int
	// Predictions and Judgments receive every row when set.
	Predictions *predictions.Writer
	Judgments   *judges.Writer

	parser    *parse.Parser
	clips     []datasets.Clip
	index     map[string]int32 // NormalizeID(clip id) → position in clips
	splitDesc string
	builder   *metrics.Builder
}

// NewScorer prepares a scorer over the selected clips (desc names them in errors, e.g. "fold 5
// test of dfew.parquet").
func NewScorer(labels *datasets.LabelSet, protocol parse.Protocol, clips []datasets.Clip, desc string, opts metrics.Options) (*Scorer, error) {
	b, err := metrics.NewBuilder(opts, clips)
	if err != nil {
		return nil, err
	}
	idx := make(map[string]int32, len(clips))
	for i, c := range clips {
		idx[datasets.NormalizeID(c.ClipID)] = int32(i)
	}
	return &Scorer{
		Labels: labels, Protocol: protocol, BatchSize: 4096,
		parser: parse.NewParser(labels, protocol), clips: clips, index: idx, splitDesc: desc, builder: b,
	}, nil
}

// Builder is the metrics builder the scorer fills (for MI and human labels).
func (s *Scorer) Builder() *metrics.Builder { return s.builder }

// pending is an output waiting for the judges.
type pending struct {
	clip *datasets.Clip
	raw  string
	out  parse.Output
}

// AddModel scores one model's outputs, which scan yields in order.
func (s *Scorer) AddModel(ctx context.Context, m ModelMeta, scan func(yield func(Record) error) error) error {
	if err := s.builder.AddModel(m.Name, m.Backend, m.Variant); err != nil {
		return err
	}
	var js []JudgeSpec
	if m.Explains {
		for _, j := range s.Judges {
			if j.Model == "" || j.Model == m.Name {
				js = append(js, j)
			}
		}
	}
	var batch []pending
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.judge(ctx, m.Name, js, batch)
		batch = batch[:0]
		return err
	}
	err := scan(func(r Record) error {
		i, ok := s.index[datasets.NormalizeID(r.ClipID)]
		if !ok {
			return s.notInSplit(m, r)
		}
		clip := &s.clips[i]
		p, o := s.predict(m, clip, r)
		if s.Predictions != nil {
			if err := s.Predictions.Write(p); err != nil {
				return err
			}
		}
		sample := sampleOf(p)
		if err := s.builder.AddSample(m.Name, sample); err != nil {
			return err
		}
		if len(js) > 0 {
			batch = append(batch, pending{clip: clip, raw: r.Raw, out: o})
			if len(batch) >= s.BatchSize {
				return flush()
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// notInSplit is the error for an output whose clip is not among the selected clips.
func (s *Scorer) notInSplit(m ModelMeta, r Record) error {
	msg := fmt.Sprintf("clip %s is not in the %s", strconv.Quote(r.ClipID), s.splitDesc)
	if m.File == "" {
		return fmt.Errorf("model %s: %s", m.Name, msg)
	}
	if m.Format == predictions.FormatParquet {
		return inputerr.AtRow(m.File, r.Line, "%s", msg)
	}
	return inputerr.AtLine(m.File, r.Line, "%s", msg)
}

// predict parses one record into its predictions.parquet row.
func (s *Scorer) predict(m ModelMeta, clip *datasets.Clip, r Record) (predictions.Prediction, parse.Output) {
	p := predictions.Prediction{
		Model: m.Name, Variant: m.Variant, Dataset: clip.Dataset, Fold: clip.Fold, ClipID: clip.ClipID,
		Label: clip.Label, RawOutput: r.Raw, Probs: r.Probs, LatencyMS: r.LatencyMS, Attempts: r.Attempts,
		Error: r.Err, Line: int32(r.Line), FinishReason: r.FinishReason,
	}
	var o parse.Output
	switch {
	case r.Err != "":
		o = parse.Output{Pred: datasets.Unknown, QuarterPred: datasets.Unknown, Status: parse.StatusError, Order: parse.OrderNoDesc}
	case len(r.Probs) > 0:
		label := argmax(s.Labels, r.Probs)
		o = parse.Output{AnswerRaw: label, Pred: label, QuarterPred: label, Status: parse.StatusOK, Order: parse.OrderNoDesc}
	default:
		o = s.parser.Parse(r.Raw)
	}
	p.VisDesc, p.AudDesc, p.Think, p.Reason = o.VisDesc, o.AudDesc, o.Think, o.Reason
	p.AnswerRaw, p.Pred, p.PredQuarter = o.AnswerRaw, o.Pred, o.QuarterPred
	p.ParseStatus, p.Order, p.Normalized = string(o.Status), string(o.Order), o.Normalized
	return p, o
}

// argmax is the label of the largest probability.
func argmax(ls *datasets.LabelSet, probs []float32) string {
	best := -1
	for i, p := range probs {
		if i < ls.Len() && (best < 0 || p > probs[best]) {
			best = i
		}
	}
	if best < 0 {
		return datasets.Unknown
	}
	return ls.Labels[best]
}

// judge runs every judge over a batch of explanations and records the outcomes.
func (s *Scorer) judge(ctx context.Context, model string, js []JudgeSpec, batch []pending) error {
	for _, spec := range js {
		items := make([]judges.Item, len(batch))
		for i, b := range batch {
			text := ""
			if b.out.Status != parse.StatusError {
				text = s.parser.JudgeText(b.raw, b.out, spec.Input)
			}
			items[i] = judges.Item{Model: model, ClipID: b.clip.ClipID, Text: text, Pred: b.out.Pred}
		}
		got, err := spec.Judge.Judge(ctx, items)
		if err != nil {
			return fmt.Errorf("judge %s: %w", spec.Judge.Name(), err)
		}
		if len(got) != len(items) {
			return fmt.Errorf("judge %s returned %d judgments for %d explanations", spec.Judge.Name(), len(got), len(items))
		}
		for i := range got {
			g := &got[i]
			g.Judge, g.Model, g.ClipID, g.Input = spec.Judge.Name(), model, batch[i].clip.ClipID, spec.Input
			if s.Judgments != nil {
				if err := s.Judgments.Write(*g); err != nil {
					return err
				}
			}
			if err := s.builder.AddJudgment(model, g.Judge, g.ClipID, outcomeOf(*g)); err != nil {
				return err
			}
		}
	}
	return nil
}

// sampleOf is the metrics sample of a predictions.parquet row. The text-derived fields (format
// reward patterns, first cue) are computed here, so that a row read back from a run directory
// scores exactly as it did when it was made.
func sampleOf(p predictions.Prediction) metrics.Sample {
	s := metrics.Sample{
		ClipID: p.ClipID, Fold: p.Fold, Truth: p.Label, Pred: p.Pred, QuarterPred: p.PredQuarter,
		Status: p.ParseStatus, Order: p.Order, Normalized: p.Normalized, Error: p.Error != "", Attempts: p.Attempts,
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
	return metrics.JudgeOutcome{Emotion: j.Emotion, Fallback: j.Fallback, Err: j.Error != "", Normalized: j.Normalized, SentenceLabels: j.SentenceLabels}
}

// Summary computes the summary of everything scored.
func (s *Scorer) Summary() (*metrics.Summary, error) { return s.builder.Summary() }
