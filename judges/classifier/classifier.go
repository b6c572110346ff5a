package classifier

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/ortenv"
	"github.com/emoeval/emoeval/judges"
)

// Model input names of a HuggingFace text classifier export.
const (
	inputIDs      = "input_ids"
	attentionMask = "attention_mask"
	tokenTypeIDs  = "token_type_ids"
)

// Judge is the classifier judge. It is safe for concurrent use: model runs are serialised by a
// mutex on the one session (parallel runs on one session were slower on the 2-core machines
// measured; IntraOpThreads parallelises within a run), tokenising is not.
type Judge struct {
	cfg     Config
	enc     *encoder
	inputs  []string // session input order
	output  string
	classes int // the model's output width
	seqLen  int // fixed sequence length; 0 when dynamic
	batch   int // fixed batch size; 0 when dynamic
	size    int // sentences per run: batch, or the configured or device's default
	info    ortenv.SessionInfo
	rt      *ortenv.Runtime

	mu      sync.Mutex
	session *ortenv.Session
}

var _ judges.Judge = (*Judge)(nil)

// New loads the tokenizer and the model and checks them against cfg before any work.
func New(ctx context.Context, cfg Config) (*Judge, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("judge %q", cfg.Name)
	data, err := ortenv.ModelBytes(what, cfg.ModelPath, cfg.ONNX)
	if err != nil {
		return nil, err
	}
	enc, err := loadEncoder(fmt.Sprintf("judge %q", cfg.Name), cfg.TokenizerPath, cfg.MaxLen)
	if err != nil {
		return nil, err
	}
	rt, err := ortenv.Or(cfg.Runtime, what)
	if err != nil {
		return nil, err
	}
	ins, outs, err := rt.ModelInfo(data)
	if err != nil {
		return nil, &inputerr.Error{File: cfg.ModelPath, Msg: fmt.Sprintf("judge %q: not a usable ONNX model", cfg.Name), Err: err}
	}
	j := &Judge{cfg: cfg, enc: enc, rt: rt}
	if err := j.bind(ins, outs); err != nil {
		return nil, err
	}
	if j.seqLen > 0 && j.seqLen < enc.maxLen {
		enc.maxLen = j.seqLen
	}
	j.session, err = rt.NewSession(what, data, j.inputs, []string{j.output},
		ortenv.SessionConfig{Device: cfg.Device, Threads: cfg.Threads, TF32: cfg.TF32})
	if err != nil {
		return nil, err
	}
	j.info = j.session.Info
	switch _, cuda := j.info.Device.CUDA(); {
	case j.batch > 0:
		j.size = j.batch
	case cfg.BatchSize > 0:
		j.size = cfg.BatchSize
	case cuda:
		j.size = DefaultBatchCUDA
	default:
		j.size = DefaultBatchCPU
	}
	j.info.BatchSize = j.size
	return j, nil
}

// bind checks the model's inputs and output against what the judge feeds and reads.
func (j *Judge) bind(ins, outs []ort.InputOutputInfo) error {
	bad := func(key, format string, args ...any) error {
		return &inputerr.Error{File: j.cfg.ModelPath, Key: key, Msg: fmt.Sprintf("judge %q: ", j.cfg.Name) + fmt.Sprintf(format, args...)}
	}
	for _, in := range ins {
		if in.Name != inputIDs && in.Name != attentionMask && in.Name != tokenTypeIDs {
			return bad("path", "the model has an input %q the judge cannot feed; a text classifier needs input_ids and attention_mask (and optionally token_type_ids), the model has: %s",
				in.Name, ortenv.Describe(ins))
		}
		if in.DataType != ort.TensorElementDataTypeInt64 || len(in.Dimensions) != 2 {
			return bad("path", "input %q must be int64 [batch, sequence], the model has %s", in.Name, ortenv.Describe([]ort.InputOutputInfo{in}))
		}
		if b := int(in.Dimensions[0]); b > 0 {
			j.batch = b
		}
		if l := int(in.Dimensions[1]); l > 0 {
			j.seqLen = l
		}
		j.inputs = append(j.inputs, in.Name)
	}
	if !slices.Contains(j.inputs, inputIDs) || !slices.Contains(j.inputs, attentionMask) {
		return bad("path", "a text classifier needs inputs input_ids and attention_mask; the model has: %s", ortenv.Describe(ins))
	}
	out := -1
	for i, o := range outs {
		if len(outs) == 1 || o.Name == "logits" {
			out = i
		}
	}
	if out < 0 {
		return bad("path", "the model has %d outputs and none is called logits: %s", len(outs), ortenv.Describe(outs))
	}
	o := outs[out]
	if o.DataType != ort.TensorElementDataTypeFloat || len(o.Dimensions) != 2 || o.Dimensions[1] <= 0 {
		return bad("path", "output %q must be float [batch, classes] with a fixed number of classes, the model has %s", o.Name, ortenv.Describe(outs))
	}
	j.output, j.classes = o.Name, int(o.Dimensions[1])
	if idx := sortedIndices(j.cfg.LabelMap); len(idx) > 0 && idx[len(idx)-1] >= j.classes {
		return bad("label_map", "index %d is beyond the model's %d classes (0..%d)", idx[len(idx)-1], j.classes, j.classes-1)
	}
	return nil
}

// Name is the judge's name from its Config.
func (j *Judge) Name() string { return j.cfg.Name }

// Device is where the session runs: the CPU or a CUDA device, never auto.
func (j *Judge) Device() ortenv.Device { return j.info.Device }

// Info is what the judge's model runs on: the device auto resolved to (and why, when it fell back
// to the CPU), the ONNX Runtime version, TF32, threads and batch size; for manifests and
// summaries.
func (j *Judge) Info() ortenv.SessionInfo { return j.info }

// Close releases the session. Calls after Close fail.
func (j *Judge) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.session == nil {
		return nil
	}
	err := j.session.Destroy()
	j.session = nil
	return err
}

// sentenceRef is one sentence of one item, tokenised.
type sentenceRef struct {
	item, sentence int
	ids            []int64
}

// Judge splits each item's text into sentences, classifies them all (batched, shortest first so
// that batches need little padding) and names each item's emotion. A sentence the tokenizer
// fails on makes its item's Judgment.Error; a failing model run stops the whole call.
func (j *Judge) Judge(ctx context.Context, items []judges.Item) ([]judges.Judgment, error) {
	out := make([]judges.Judgment, len(items))
	var refs []sentenceRef
	for i, it := range items {
		out[i] = judges.Judgment{Judge: j.cfg.Name, Model: it.Model, ClipID: it.ClipID, Input: j.cfg.Input}
		out[i].Sentences = SplitSentences(it.Text)
		out[i].SentenceLabels = make([]string, len(out[i].Sentences))
		var itemRefs []sentenceRef
		for s, text := range out[i].Sentences {
			ids, err := j.enc.encode(text)
			if err != nil {
				out[i].Error = fmt.Sprintf("sentence %d: %v", s+1, err)
				out[i].Emotion = datasets.Unknown
				itemRefs = nil
				break
			}
			itemRefs = append(itemRefs, sentenceRef{item: i, sentence: s, ids: ids})
		}
		refs = append(refs, itemRefs...)
	}
	slices.SortStableFunc(refs, func(a, b sentenceRef) int { return len(a.ids) - len(b.ids) })

	probs := make([][][]float32, len(items)) // item → sentence → class probabilities
	for i := range items {
		probs[i] = make([][]float32, len(out[i].Sentences))
	}
	runOpts, release, err := ortenv.CancelOnDone(ctx)
	if err != nil {
		return nil, fmt.Errorf("judge %q: %w", j.cfg.Name, err)
	}
	defer release()
	size := j.size
	for start := 0; start < len(refs); start += size {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		batch := refs[start:min(start+size, len(refs))]
		rows, err := j.run(batch, runOpts)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, ctxErr
			}
			return nil, fmt.Errorf("judge %q: %w", j.cfg.Name, err)
		}
		for r, ref := range batch {
			probs[ref.item][ref.sentence] = rows[r]
		}
	}
	for i := range out {
		if out[i].Error == "" {
			j.decide(&out[i], probs[i])
		}
	}
	return out, nil
}

// run classifies one batch of sentences and returns each one's class probabilities.
func (j *Judge) run(batch []sentenceRef, opts *ort.RunOptions) (probs [][]float32, err error) {
	defer ortenv.Recover(&err, "run")
	rows := len(batch)
	if j.batch > 0 {
		rows = j.batch // a fixed batch: pad with copies of the first sentence, then drop them
	}
	width := j.seqLen
	if width == 0 {
		for _, ref := range batch {
			width = max(width, len(ref.ids))
		}
	}
	ids := make([]int64, rows*width)
	mask := make([]int64, rows*width)
	for r := range rows {
		ref := batch[0]
		if r < len(batch) {
			ref = batch[r]
		}
		row := ids[r*width : (r+1)*width]
		for t := range row {
			row[t] = j.enc.padID
		}
		copy(row, ref.ids)
		for t := range ref.ids {
			mask[r*width+t] = 1
		}
	}
	shape := ort.NewShape(int64(rows), int64(width))
	var values []ort.Value
	for _, name := range j.inputs {
		data := make([]int64, rows*width) // token_type_ids: all zeros for a single sentence
		switch name {
		case inputIDs:
			data = ids
		case attentionMask:
			data = mask
		}
		t, err := ort.NewTensor(shape, data)
		if err != nil {
			return nil, err
		}
		defer t.Destroy()
		values = append(values, t)
	}
	flat := make([]float32, rows*j.classes)
	out, err := ort.NewTensor(ort.NewShape(int64(rows), int64(j.classes)), flat)
	if err != nil {
		return nil, err
	}
	defer out.Destroy()

	j.mu.Lock()
	if j.session == nil {
		j.mu.Unlock()
		return nil, errors.New("the judge is closed")
	}
	err = j.session.RunWithOptions(values, []ort.Value{out}, opts)
	j.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("on %s: %s", j.info.Device, ortenv.CleanMessage(err.Error()))
	}
	probs = make([][]float32, len(batch))
	for r := range batch {
		probs[r] = flat[r*j.classes : (r+1)*j.classes : (r+1)*j.classes]
		if err := activate(probs[r], j.cfg.Activation); err != nil {
			return nil, err
		}
	}
	return probs, nil
}
