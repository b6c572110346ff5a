// Package pipeline wires emoeval's stages into the commands' whole jobs (score, run, report,
// compare, merge, demo): it reads inputs, streams model outputs through parsing and judging
// into the metrics builder, writes the run directory and renders reports. It holds no stage
// logic of its own.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync/atomic"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
)

// Record is one model output on its way into scoring: what the model wrote (or the error of a
// failed call, in Err) and how the call went.
type Record struct {
	predictions.Output
	Attempts     int32
	LatencyMS    float64
	FinishReason string
	Truncated    bool
}

// ModelMeta names the model a stream of records belongs to.
type ModelMeta struct {
	Name    string
	Backend string
	Variant variant.Variant
	// File and Format are the file the records come from and its format, for error messages
	// ("" for a run).
	File, Format string
	// Explains says whether the model writes explanations worth judging (not onnx classifiers).
	Explains bool
	// Expected is how many outputs will come (0: not known), for progress.
	Expected int
}

// Scorer streams model outputs through parsing and judging into a metrics.Builder, optionally
// writing predictions.parquet and judgments.parquet rows on the way.
type Scorer struct {
	Labels   *datasets.LabelSet
	Protocol parse.Protocol
	Judges   []judges.Spec
	// BatchSize is how many explanations go to the judges at once. Large, because an LLM judge's
	// call waits for its slowest request before the next batch starts (at 256 that cost ~7% of
	// the request rate); the texts held meanwhile are a few megabytes.
	BatchSize int
	// BatchBytes bounds the answer text a batch holds, so that huge answers make smaller
	// batches rather than a larger memory.
	BatchBytes int
	// Predictions and Judgments receive every row when set.
	Predictions *predictions.Writer
	Judgments   *judges.Writer
	// Progress, when set, shows the judging: one task per judge and model.
	Progress runner.Progress

	parser    *parse.Parser
	clips     []datasets.Clip
	index     map[string]int32 // NormalizeID(clip id) → position in clips; made when first needed
	splitDesc string
	builder   *metrics.Builder
	// trueProb keeps, per scored model name, each clip's probability of its true class (models
	// that give probabilities), for MI from ablation without running the passes again.
	trueProb map[string][]float32
}

// NewScorer prepares a scorer over the selected clips (desc names them in errors, e.g. "fold 5
// test of dfew.parquet").
func NewScorer(labels *datasets.LabelSet, protocol parse.Protocol, clips []datasets.Clip, desc string, opts metrics.Options) (*Scorer, error) {
	b, err := metrics.NewBuilder(opts, clips)
	if err != nil {
		return nil, err
	}
	return &Scorer{
		Labels: labels, Protocol: protocol, BatchSize: 4096, BatchBytes: 16 << 20,
		parser: parse.NewParser(labels, protocol), clips: clips, splitDesc: desc, builder: b,
		trueProb: map[string][]float32{},
	}, nil
}

// StageRows makes the scorer write predictions.parquet and judgments.parquet rows into dir.
func (s *Scorer) StageRows(dir string) error {
	var err error
	if s.Predictions, err = predictions.NewWriter(filepath.Join(dir, PredictionsFile)); err != nil {
		return err
	}
	if s.Judgments, err = judges.NewWriter(filepath.Join(dir, JudgmentsFile)); err != nil {
		s.Predictions.Abort()
		return err
	}
	return nil
}

// CloseRows finishes the staged row files.
func (s *Scorer) CloseRows() error {
	if err := s.Predictions.Close(); err != nil {
		return err
	}
	return s.Judgments.Close()
}

// AbortRows discards staged row files not closed (after a failure).
func (s *Scorer) AbortRows() {
	if s.Predictions != nil {
		s.Predictions.Abort()
	}
	if s.Judgments != nil {
		s.Judgments.Abort()
	}
}

// AblationMI is modality importance from a classifier's av, video-only and audio-only passes
// (a modality's inputs zeroed): the drop in the true class's probability without each
// modality, from the probabilities the passes already gave.
func (s *Scorer) AblationMI(model string, threshold float64) (*modality.Table, error) {
	full, noAudio, noVideo := s.trueProb[model], s.trueProb[variant.Video.ScoredName(model)], s.trueProb[variant.Audio.ScoredName(model)]
	if full == nil || noAudio == nil || noVideo == nil {
		return nil, fmt.Errorf("modality: model %s needs probabilities of its av, video and audio passes", model)
	}
	if threshold == 0 {
		threshold = modality.DefaultAblationThreshold
	}
	t := modality.NewTable("onnx")
	for i, c := range s.clips {
		if full[i] < 0 || noAudio[i] < 0 || noVideo[i] < 0 {
			continue // a pass failed for this clip
		}
		t.SetScore(c.ClipID, modality.AblationScore(float64(full[i]), float64(noVideo[i]), float64(noAudio[i])), threshold)
	}
	return t, nil
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
	if err := s.builder.AddModel(m.Name, m.Backend, string(m.Variant)); err != nil {
		return err
	}
	var js []judges.Spec
	if m.Explains {
		for _, j := range s.Judges {
			if j.Model == "" || j.Model == m.Name {
				js = append(js, j)
			}
		}
	}
	if s.Progress != nil {
		for _, j := range js {
			s.Progress.Start(judgeTask(j, m.Name), m.Expected)
		}
	}
	var batch []pending
	held := 0 // bytes of answer text in batch
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.judge(ctx, m.Name, js, batch)
		clear(batch) // let the texts go
		batch, held = batch[:0], 0
		return err
	}
	next := 0 // outputs usually come in split order: try the next clip before the index
	err := scan(func(r Record) error {
		i, ok := next, next < len(s.clips) && datasets.SameID(s.clips[next].ClipID, r.ClipID)
		if !ok {
			var j int32
			if j, ok = s.indexOf(r.ClipID); !ok {
				return s.notInSplit(m, r)
			}
			i = int(j)
		}
		next = i + 1
		clip := &s.clips[i]
		p, o := s.predict(m, clip, r)
		if len(r.Probs) > 0 {
			s.keepTrueProb(m.Name, i, clip, r.Probs)
		}
		if s.Predictions != nil {
			if err := s.Predictions.Write(p); err != nil {
				return err
			}
		}
		if err := s.builder.AddSplitSample(m.Name, i, sampleOf(p)); err != nil {
			return err
		}
		if len(js) > 0 && judged(p) {
			batch = append(batch, pending{clip: clip, raw: r.Raw, out: o})
			held += len(r.Raw)
			if len(batch) >= s.BatchSize || s.BatchBytes > 0 && held >= s.BatchBytes {
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

// indexOf finds a clip's position in the selection. The index is made on the first output that
// does not come in split order: files in split order never need it.
func (s *Scorer) indexOf(id string) (int32, bool) {
	if s.index == nil {
		s.index = make(map[string]int32, len(s.clips))
		for i, c := range s.clips {
			s.index[datasets.NormalizeID(c.ClipID)] = int32(i)
		}
	}
	i, ok := s.index[datasets.NormalizeID(id)]
	return i, ok
}

// keepTrueProb records a clip's probability of its true class under a model.
func (s *Scorer) keepTrueProb(model string, i int, clip *datasets.Clip, probs []float32) {
	tp := s.trueProb[model]
	if tp == nil {
		tp = make([]float32, len(s.clips))
		for j := range tp {
			tp[j] = -1
		}
		s.trueProb[model] = tp
	}
	if k := s.Labels.Index(clip.Label); k >= 0 && k < len(probs) {
		tp[i] = probs[k]
	}
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
		Model: m.Name, Variant: string(m.Variant), Dataset: clip.Dataset, Fold: clip.Fold, ClipID: clip.ClipID,
		Label: clip.Label, RawOutput: r.Raw, Probs: r.Probs, LatencyMS: r.LatencyMS, Attempts: r.Attempts,
		Error: r.Err, Line: int32(r.Line), FinishReason: r.FinishReason, Truncated: r.Truncated,
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
func (s *Scorer) judge(ctx context.Context, model string, js []judges.Spec, batch []pending) error {
	for _, spec := range js {
		items := make([]judges.Item, len(batch))
		for i, b := range batch {
			items[i] = judges.Item{Model: model, ClipID: b.clip.ClipID, Text: s.parser.JudgeText(b.raw, b.out, spec.Input), Pred: b.out.Pred}
		}
		var reported atomic.Int64
		jctx := ctx
		task := judgeTask(spec, model)
		if s.Progress != nil {
			jctx = judges.WithProgress(ctx, func() {
				reported.Add(1)
				s.Progress.Done(task, runner.Result{})
			})
		}
		got, err := spec.Judge.Judge(jctx, items)
		if err != nil {
			return fmt.Errorf("judge %s: %w", spec.Judge.Name(), err)
		}
		if s.Progress != nil {
			// Judges that do not report item by item are counted when their call returns.
			for i := reported.Load(); i < int64(len(got)); i++ {
				var r runner.Result
				if got[i].Error != "" {
					r.Err = errJudged
				}
				s.Progress.Done(task, r)
			}
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

// judgeTask names a judge's progress task.
func judgeTask(j judges.Spec, model string) string { return "judge " + j.Judge.Name() + " · " + model }

// errJudged marks a failed judgment in progress counts.
var errJudged = errors.New("the judge failed")

// Summary computes the summary of everything scored.
func (s *Scorer) Summary() (*metrics.Summary, error) { return s.builder.Summary() }
