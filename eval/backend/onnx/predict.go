package onnx

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/ortenv"
)

var _ runner.Backend = (*Model)(nil)

// Progress is told after each batch of a pass how many of the pass's clips are done, of total.
type Progress func(done, total int)

// Predict runs a runner's tasks (runner.Backend): one result per task, in order, with the clip's
// probabilities. A task's variant says which inputs the model gets: av all of them, video the
// video inputs with the audio ones zeroed, audio the reverse. The runner hands over a batch of
// BatchSize tasks at a time, so its progress moves batch by batch. Latency is the batch's time
// shared among its tasks.
func (m *Model) Predict(ctx context.Context, tasks []runner.Task) ([]runner.Result, error) {
	c := m.classes
	out := make([]runner.Result, len(tasks))
	flat := make([]float32, len(tasks)*c) // the results' rows, one allocation
	clips := make([]datasets.Clip, len(tasks))
	for i := range tasks {
		clips[i] = tasks[i].Clip
	}
	// The runner lays tasks out variant by variant, so a batch holds one variant, or straddles
	// two: each run of one variant is one pass.
	for start := 0; start < len(tasks); {
		v := tasks[start].Variant
		end := start + 1
		for end < len(tasks) && tasks[end].Variant == v {
			end++
		}
		t0 := time.Now()
		if err := m.PredictInto(ctx, clips[start:end], v.Withheld(), flat[start*c:end*c], nil); err != nil {
			return nil, fmt.Errorf("variant %s: %w", v, err)
		}
		lat := time.Since(t0) / time.Duration(end-start)
		for i := start; i < end; i++ {
			out[i] = runner.Result{Probs: flat[i*c : (i+1)*c : (i+1)*c], Attempts: 1, Latency: lat}
		}
		start = end
	}
	return out, nil
}

// PredictClips returns each clip's probabilities over the label set, in clip order. ablate ""
// uses every input; a modality name ("video", "audio") replaces that modality's inputs with
// zeros. Clips are run in batches of BatchSize; a cancelled ctx stops between batches and
// interrupts a running batch.
func (m *Model) PredictClips(ctx context.Context, clips []datasets.Clip, ablate string) ([][]float32, error) {
	flat := make([]float32, len(clips)*m.classes)
	if err := m.PredictInto(ctx, clips, ablate, flat, nil); err != nil {
		return nil, err
	}
	probs := make([][]float32, len(clips))
	for i := range probs {
		probs[i] = flat[i*m.classes : (i+1)*m.classes : (i+1)*m.classes]
	}
	return probs, nil
}

// PredictInto is PredictClips writing into caller-provided storage: clip i's probabilities go to
// dst[i*Classes() : (i+1)*Classes()], and len(dst) must be len(clips)*Classes(). It allocates
// nothing per batch, so a caller that reuses dst runs at the speed of a bare ONNX Runtime loop.
// progress, when not nil, is told after each batch. On error dst holds partial results.
func (m *Model) PredictInto(ctx context.Context, clips []datasets.Clip, ablate string, dst []float32, progress Progress) error {
	if ablate != "" && !slices.Contains(m.Modalities(), ablate) {
		return fmt.Errorf("model %q: cannot zero the %s inputs: the model reads %v", m.name, ablate, m.Modalities())
	}
	if len(dst) != len(clips)*m.classes {
		return fmt.Errorf("model %q: PredictInto: dst has %d values, %d clips × %d classes need %d", m.name, len(dst), len(clips), m.classes, len(clips)*m.classes)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	runOpts, release, err := ortenv.CancelOnDone(ctx)
	if err != nil {
		return fmt.Errorf("model %q: %w", m.name, err)
	}
	defer release()
	for start := 0; start < len(clips); start += m.batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+m.batch, len(clips))
		rows := dst[start*m.classes : end*m.classes]
		if err := m.runBatch(clips[start:end], ablate, rows, runOpts); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			if inputerr.Is(err) {
				return err
			}
			return fmt.Errorf("model %q: clips %d..%d on %s: %w", m.name, start+1, end, m.info.Device, err)
		}
		// Converted while the rows are in cache.
		if err := m.toProbs(rows, clips[start:end]); err != nil {
			return fmt.Errorf("model %q: %w", m.name, err)
		}
		if progress != nil {
			progress(end, len(clips))
		}
	}
	return nil
}

// runBatch runs one batch (at most m.batch clips) and copies the raw output rows into dst. A clip
// without a usable feature vector fails the batch; Check finds those before a run starts.
func (m *Model) runBatch(clips []datasets.Clip, ablate string, dst []float32, opts *ort.RunOptions) (err error) {
	defer ortenv.Recover(&err, "run")
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.session == nil {
		return errors.New("the model is closed")
	}
	if err := m.fill(clips, ablate); err != nil {
		return err
	}
	rows := len(clips)
	inputs, outputs, out := m.inValues, m.outValues, m.out
	if rows < m.batch && !m.fixed {
		// A short last batch runs on tensors of its own size that share the reused buffers.
		var release func()
		if inputs, out, release, err = m.shortTensors(rows); err != nil {
			return err
		}
		defer release()
		outputs = []ort.Value{out}
	}
	if err := m.session.RunWithOptions(inputs, outputs, opts); err != nil {
		return errors.New(ortenv.CleanMessage(err.Error()))
	}
	copy(dst, out.GetData()[:rows*m.classes])
	return nil
}

// fill copies the clips' feature vectors into the reused input buffers, clip by clip so that
// each clip's feature map is read while it is in cache, and zeroes ablated inputs and the padding
// rows of a fixed batch.
func (m *Model) fill(clips []datasets.Clip, ablate string) error {
	rows := len(clips)
	// The inputs to fill, with their buffers, gathered once per batch so that the per-clip loop
	// does one map lookup and one copy per input.
	type feed struct {
		modality string
		dim      int
		buf      []float32
		input    int
	}
	var feedBuf [4]feed
	feeds := feedBuf[:0]
	for k, in := range m.inputs {
		if in.modality == ablate {
			clear(m.data[k][:rows*in.dim])
		} else {
			feeds = append(feeds, feed{in.modality, in.dim, m.data[k][:rows*in.dim], k})
		}
		if m.fixed {
			// Padding rows are computed and dropped; zeros keep the runs deterministic.
			clear(m.data[k][rows*in.dim:])
		}
	}
	for r := range clips {
		feats := clips[r].Features
		for i := range feeds {
			fd := &feeds[i]
			f := feats[fd.modality] // a missing vector reads as empty: dim is at least 1
			if len(f) != fd.dim {
				return m.featureError(&clips[r], m.inputs[fd.input])
			}
			copy(fd.buf[r*fd.dim:], f) // len(f) == fd.dim
		}
	}
	return nil
}

// shortTensors returns tensors of rows rows over the start of the reused buffers.
func (m *Model) shortTensors(rows int) (inputs []ort.Value, out *ort.Tensor[float32], release func(), err error) {
	var made []*ort.Tensor[float32]
	release = func() {
		for _, t := range made {
			t.Destroy()
		}
	}
	for k, in := range m.inputs {
		t, err := ort.NewTensor(ort.NewShape(int64(rows), int64(in.dim)), m.data[k])
		if err != nil {
			release()
			return nil, nil, nil, err
		}
		made = append(made, t)
		inputs = append(inputs, t)
	}
	out, err = ort.NewTensor(ort.NewShape(int64(rows), int64(m.classes)), m.out.GetData())
	if err != nil {
		release()
		return nil, nil, nil, err
	}
	made = append(made, out)
	return inputs, out, release, nil
}

// toProbs turns raw output rows (row-major, m.classes wide) into probabilities according to the
// output kind; clips names the rows in errors.
func (m *Model) toProbs(rows []float32, clips []datasets.Clip) error {
	c, mayBeProbs := m.classes, m.kind != OutputLogits
	for i := range clips {
		row := rows[i*c : (i+1)*c : (i+1)*c]
		if mayBeProbs && isProbs(row) {
			continue
		}
		if err := m.notProbs(row, clips[i].ClipID); err != nil {
			return err
		}
	}
	return nil
}

// notProbs handles a row that is not a probability distribution: an error when it is not finite
// or the output kind is probs, else softmax.
func (m *Model) notProbs(row []float32, clipID string) error {
	switch {
	case !allFinite(row):
		return fmt.Errorf("clip %s: the model output %v, which is not finite", clipID, row)
	case m.kind == OutputProbs:
		return fmt.Errorf("clip %s: output_kind is probs, but the model output %v, which is not a probability distribution; use output_kind: logits or auto",
			clipID, row)
	}
	softmax(row)
	return nil
}

// isProbs reports whether row is a probability distribution: every value in [0, 1] (-0 counts
// as 0) and their sum (in order, in float32) within 1e-3 of 1. It runs on every output row, so it
// makes one pass without a branch per value: it keeps the largest bits, since those of 1.0 are
// exceeded by the negatives, values above 1, NaN and ±Inf. v+0 turns -0 into +0 (IEEE 754) and
// leaves every other value as it is.
func isProbs(row []float32) bool {
	var sum float32
	var top uint32
	for _, v := range row {
		sum += v
		top = max(top, math.Float32bits(v+0))
	}
	return top <= 0x3f800000 && sum >= 1-1e-3 && sum <= 1+1e-3
}

func allFinite(row []float32) bool {
	for _, v := range row {
		if v-v != 0 { // NaN or ±Inf
			return false
		}
	}
	return true
}

// softmax replaces logits by probabilities, in place.
func softmax(row []float32) {
	hi := slices.Max(row)
	var sum float64
	for i, v := range row {
		e := math.Exp(float64(v - hi))
		row[i] = float32(e)
		sum += e
	}
	for i := range row {
		row[i] = float32(float64(row[i]) / sum)
	}
}
