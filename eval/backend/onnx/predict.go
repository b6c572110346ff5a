package onnx

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/backend/onnx/ortenv"
	"github.com/emoeval/emoeval/internal/inputerr"
	ort "github.com/yalue/onnxruntime_go"
)

// Predict returns each clip's probabilities over the label set, in clip order. ablate "" uses
// every input; a modality name ("video", "audio") replaces that modality's inputs with zeros.
// Clips are run in batches of BatchSize; a cancelled ctx stops between batches and interrupts a
// running batch.
func (m *Model) Predict(ctx context.Context, clips []datasets.Clip, ablate string) ([][]float32, error) {
	if ablate != "" && !slices.Contains(m.Modalities(), ablate) {
		return nil, fmt.Errorf("model %q: cannot ablate %q: the model reads %v", m.name, ablate, m.Modalities())
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	runOpts, release, err := ortenv.CancelOnDone(ctx)
	if err != nil {
		return nil, fmt.Errorf("model %q: %w", m.name, err)
	}
	defer release()
	flat := make([]float32, len(clips)*m.classes)
	probs := make([][]float32, len(clips))
	for i := range probs {
		probs[i] = flat[i*m.classes : (i+1)*m.classes : (i+1)*m.classes]
	}
	for start := 0; start < len(clips); start += m.batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		end := min(start+m.batch, len(clips))
		if err := m.runBatch(clips[start:end], ablate, flat[start*m.classes:end*m.classes], runOpts); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, ctxErr
			}
			if inputerr.Is(err) {
				return nil, err
			}
			return nil, fmt.Errorf("model %q: clips %d..%d: %w", m.name, start+1, end, err)
		}
		// Converted while the rows are in cache.
		if err := m.toProbs(flat[start*m.classes:end*m.classes], clips[start:end]); err != nil {
			return nil, fmt.Errorf("model %q: %w", m.name, err)
		}
	}
	return probs, nil
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
		return err
	}
	copy(dst, out.GetData()[:rows*m.classes])
	return nil
}

// fill copies the clips' feature vectors into the reused input buffers, clip by clip so that
// each clip's feature map is read while it is in cache, and zeroes ablated inputs and the padding
// rows of a fixed batch.
func (m *Model) fill(clips []datasets.Clip, ablate string) error {
	rows := len(clips)
	for k, in := range m.inputs {
		if in.modality == ablate {
			clear(m.data[k][:rows*in.dim])
		}
		if m.fixed {
			// Padding rows are computed and dropped; zeros keep the runs deterministic.
			clear(m.data[k][rows*in.dim:])
		}
	}
	for r := range clips {
		feats := clips[r].Features
		for k := range m.inputs {
			in := &m.inputs[k]
			if in.modality == ablate {
				continue
			}
			f, ok := feats[in.modality]
			if !ok || len(f) != in.dim {
				return m.featureError(&clips[r], *in)
			}
			copy(m.data[k][r*in.dim:(r+1)*in.dim], f)
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
	for i := range clips {
		row := rows[i*m.classes : (i+1)*m.classes]
		isProbs, finite := inspectRow(row)
		switch {
		case isProbs && m.kind != OutputLogits:
		case !finite:
			return fmt.Errorf("clip %s: the model output %v, which is not finite", clips[i].ClipID, row)
		case m.kind == OutputProbs:
			return fmt.Errorf("clip %s: output_kind is probs, but the model output %v, which is not a probability distribution; use output_kind: logits or auto",
				clips[i].ClipID, row)
		default:
			softmax(row)
		}
	}
	return nil
}

// inspectRow reports whether row holds probabilities (values in [0, 1] summing to 1 within
// 1e-3) and whether all its values are finite. It runs on every output row, so the common case
// is one integer comparison per value.
func inspectRow(row []float32) (isProbs, finite bool) {
	var sum float32
	for _, v := range row {
		if math.Float32bits(v) > 0x3f800000 { // the bits of 1.0; above: negative, > 1, NaN or ±Inf
			return false, allFinite(row)
		}
		sum += v
	}
	return sum >= 1-1e-3 && sum <= 1+1e-3, true
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
