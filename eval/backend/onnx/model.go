package onnx

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// Model is one ONNX model with one session. It is safe for concurrent use: runs are serialised
// by a mutex and reuse one set of input and output tensors sized for the batch. Parallel runs
// on one session gain nothing here: two goroutines sharing a session on 2 cores were slower than
// one goroutine with bigger batches (docs/benchmarks.md); Config.Threads parallelises within a run.
//
// *Model is a runner.Backend (Predict), so a run drives it batch by batch like any backend.
type Model struct {
	name    string
	labels  *datasets.LabelSet
	inputs  []modelInput // in session input order
	output  string
	kind    string // OutputProbs, OutputLogits or OutputAuto
	batch   int    // rows per run
	fixed   bool   // the model's batch dimension is fixed to batch: short batches are padded
	classes int
	info    ortenv.SessionInfo // what the session runs on; BatchSize is batch
	rt      *ortenv.Runtime

	mu        sync.Mutex // guards everything below
	session   *ortenv.Session
	in        []*ort.Tensor[float32] // [batch, dim] each, reused
	inValues  []ort.Value            // in, as the session takes them
	data      [][]float32            // in's buffers
	out       *ort.Tensor[float32]   // [batch, classes], reused
	outValues []ort.Value            // out, as the session takes it
}

// modelInput is one ONNX input fed from a feature column.
type modelInput struct {
	name     string
	modality string
	dim      int
}

// Open loads the model, checks it against cfg (input names, feature dimensions, output width)
// before any work, and creates its session on cfg.Device.
func Open(ctx context.Context, cfg Config) (*Model, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("model %q", cfg.Name)
	data, err := ortenv.ModelBytes(what, cfg.Path, cfg.ONNX)
	if err != nil {
		return nil, err
	}
	rt, err := ortenv.Or(cfg.Runtime, what)
	if err != nil {
		return nil, err
	}
	ins, outs, err := rt.ModelInfo(data)
	if err != nil {
		return nil, &inputerr.Error{File: cfg.Path, Msg: fmt.Sprintf("model %q: not a usable ONNX model", cfg.Name), Err: err}
	}
	m := &Model{name: cfg.Name, labels: cfg.Labels, kind: cfg.OutputKind, classes: cfg.Labels.Len(), rt: rt}
	batchDims, err := m.bindInputs(cfg, ins)
	if err != nil {
		return nil, err
	}
	outBatch, err := m.bindOutput(cfg, outs)
	if err != nil {
		return nil, err
	}
	if err := m.fixedBatch(cfg, append(batchDims, outBatch)); err != nil {
		return nil, err
	}
	names := make([]string, len(m.inputs))
	for i, in := range m.inputs {
		names[i] = in.name
	}
	m.session, err = rt.NewSession(what, data, names, []string{m.output},
		ortenv.SessionConfig{Device: cfg.Device, Threads: cfg.Threads, TF32: cfg.TF32})
	if err != nil {
		return nil, err
	}
	m.info = m.session.Info
	if !m.fixed {
		m.batch = cfg.BatchSize
		if m.batch == 0 {
			m.batch = DefaultBatchCPU
			if _, cuda := m.info.Device.CUDA(); cuda {
				m.batch = DefaultBatchCUDA
			}
		}
	}
	m.info.BatchSize = m.batch
	if err := m.allocate(); err != nil {
		m.Close()
		return nil, fmt.Errorf("%s: allocate tensors: %w", what, err)
	}
	return m, nil
}

// bindInputs checks cfg.Inputs against the model's inputs and returns their batch dimensions.
func (m *Model) bindInputs(cfg Config, ins []ort.InputOutputInfo) ([]int64, error) {
	bad := func(format string, args ...any) error {
		return &inputerr.Error{Key: "inputs", Msg: fmt.Sprintf("model %q: ", cfg.Name) + fmt.Sprintf(format, args...)}
	}
	have := map[string]bool{}
	for _, in := range ins {
		have[in.Name] = true
	}
	for _, name := range sortedKeys(cfg.Inputs) {
		if !have[name] {
			return nil, bad("the model has no input %q; its inputs are: %s", name, ortenv.Describe(ins))
		}
	}
	var batchDims []int64
	for _, in := range ins {
		mod, ok := cfg.Inputs[in.Name]
		if !ok {
			return nil, bad("model input %q is not mapped to a feature modality; map every input (the model's inputs are: %s)",
				in.Name, ortenv.Describe(ins))
		}
		if in.OrtValueType != ort.ONNXTypeTensor || in.DataType != ort.TensorElementDataTypeFloat {
			return nil, bad("input %q must be a float tensor, the model has %s", in.Name, ortenv.Describe([]ort.InputOutputInfo{in}))
		}
		if len(in.Dimensions) != 2 || in.Dimensions[1] <= 0 {
			return nil, bad("input %q must have shape [batch, features] with a fixed feature size, the model has %s",
				in.Name, ortenv.Describe([]ort.InputOutputInfo{in}))
		}
		m.inputs = append(m.inputs, modelInput{name: in.Name, modality: mod, dim: int(in.Dimensions[1])})
		batchDims = append(batchDims, in.Dimensions[0])
	}
	return batchDims, nil
}

// bindOutput picks the output and checks that its width is the number of labels.
func (m *Model) bindOutput(cfg Config, outs []ort.InputOutputInfo) (int64, error) {
	bad := func(format string, args ...any) error {
		return &inputerr.Error{Key: "output", Msg: fmt.Sprintf("model %q: ", cfg.Name) + fmt.Sprintf(format, args...)}
	}
	var out *ort.InputOutputInfo
	switch {
	case cfg.Output != "":
		for i := range outs {
			if outs[i].Name == cfg.Output {
				out = &outs[i]
			}
		}
		if out == nil {
			return 0, bad("the model has no output %q; its outputs are: %s", cfg.Output, ortenv.Describe(outs))
		}
	case len(outs) == 1:
		out = &outs[0]
	default:
		return 0, bad("the model has %d outputs (%s); name the one to read with output:", len(outs), ortenv.Describe(outs))
	}
	if out.OrtValueType != ort.ONNXTypeTensor || out.DataType != ort.TensorElementDataTypeFloat || len(out.Dimensions) != 2 {
		return 0, bad("output %q must be a float tensor [batch, classes], the model has %s", out.Name, ortenv.Describe([]ort.InputOutputInfo{*out}))
	}
	if w := out.Dimensions[1]; w > 0 && int(w) != m.classes {
		return 0, bad("output %q has %d columns, but label set %s has %d labels (%s)",
			out.Name, w, m.labels.Name, m.classes, strings.Join(m.labels.Labels, ", "))
	}
	m.output = out.Name
	return out.Dimensions[0], nil
}

// fixedBatch finds the model's fixed batch dimension, if it has one: every run then has that many
// rows (a short batch is padded).
func (m *Model) fixedBatch(cfg Config, dims []int64) error {
	for _, d := range dims {
		switch {
		case d <= 0:
		case !m.fixed:
			m.fixed, m.batch = true, int(d)
		case int(d) != m.batch:
			return &inputerr.Error{Key: "path", Msg: fmt.Sprintf(
				"model %q: its inputs and output fix different batch sizes (%d and %d); export it with one batch size or a dynamic batch dimension",
				cfg.Name, m.batch, d)}
		}
	}
	return nil
}

func (m *Model) allocate() error {
	for _, in := range m.inputs {
		t, err := ort.NewEmptyTensor[float32](ort.NewShape(int64(m.batch), int64(in.dim)))
		if err != nil {
			return err
		}
		m.in = append(m.in, t)
		m.inValues = append(m.inValues, t)
		m.data = append(m.data, t.GetData())
	}
	var err error
	m.out, err = ort.NewEmptyTensor[float32](ort.NewShape(int64(m.batch), int64(m.classes)))
	m.outValues = []ort.Value{m.out}
	return err
}

// Name is the model's name from its Config.
func (m *Model) Name() string { return m.name }

// Device is where the session runs: the CPU or a CUDA device, never auto.
func (m *Model) Device() ortenv.Device { return m.info.Device }

// Info is what the model runs on: the device auto resolved to (and why, when it fell back to the
// CPU), the ONNX Runtime version, TF32, threads and batch size; for manifests and summaries.
func (m *Model) Info() ortenv.SessionInfo { return m.info }

// BatchSize is the number of rows per run.
func (m *Model) BatchSize() int { return m.batch }

// Classes is the number of labels: the width of each clip's row of probabilities.
func (m *Model) Classes() int { return m.classes }

// Modalities lists the feature modalities the model reads, in input order (without repeats).
func (m *Model) Modalities() []string {
	var out []string
	for _, in := range m.inputs {
		if !slices.Contains(out, in.modality) {
			out = append(out, in.modality)
		}
	}
	return out
}

// Close releases the session and tensors. Calls after Close fail.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var errs []error
	for _, t := range m.in {
		errs = append(errs, t.Destroy())
	}
	m.in, m.inValues, m.data = nil, nil, nil
	if m.out != nil {
		errs = append(errs, m.out.Destroy())
		m.out, m.outValues = nil, nil
	}
	if m.session != nil {
		errs = append(errs, m.session.Destroy())
		m.session = nil
	}
	return errors.Join(errs...)
}

// Check validates a split against the model before any work: every input's feature column is
// there and every clip's feature vector has the input's size and only finite values (one NaN
// would make its whole batch's output unusable). Errors are *inputerr.Error with the
// row (1-based, in split order) and column; the caller adds the file name.
func (m *Model) Check(split *datasets.Split) error {
	if split.Labels != nil && split.Labels.Len() != m.classes {
		return &inputerr.Error{Key: "label", Msg: fmt.Sprintf("model %q outputs %d classes (label set %s), the split's label set %s has %d",
			m.name, m.classes, m.labels.Name, split.Labels.Name, split.Labels.Len())}
	}
	present := split.FeatureModalities()
	for _, in := range m.inputs {
		if !slices.Contains(present, in.modality) {
			have := "none"
			if len(present) > 0 {
				have = "feat_" + strings.Join(present, ", feat_")
			}
			return &inputerr.Error{Key: "feat_" + in.modality, Msg: fmt.Sprintf(
				"model %q reads column feat_%s for input %q, but the split has no such column; its feature columns are: %s",
				m.name, in.modality, in.name, have)}
		}
	}
	for i := range split.Clips {
		for _, in := range m.inputs {
			if err := m.featureError(&split.Clips[i], in); err != nil {
				err.Row = i + 1
				return err
			}
		}
	}
	return nil
}

// featureError says why a clip's feature vector cannot feed an input, or returns nil.
func (m *Model) featureError(c *datasets.Clip, in modelInput) *inputerr.Error {
	f, ok := c.Features[in.modality]
	switch {
	case !ok:
		return &inputerr.Error{Key: "feat_" + in.modality, Msg: fmt.Sprintf(
			"clip %s has no feat_%s value, which model %q reads for input %q", c.ClipID, in.modality, m.name, in.name)}
	case len(f) != in.dim:
		return &inputerr.Error{Key: "feat_" + in.modality, Msg: fmt.Sprintf(
			"clip %s: feat_%s has %d values, but model %q input %q takes %d", c.ClipID, in.modality, len(f), m.name, in.name, in.dim)}
	}
	for j, v := range f {
		if v-v != 0 { // NaN or ±Inf
			return &inputerr.Error{Key: "feat_" + in.modality, Msg: fmt.Sprintf(
				"clip %s: feat_%s value %d of %d is %v, which model %q cannot use: features must be finite numbers",
				c.ClipID, in.modality, j+1, len(f), v, m.name)}
		}
	}
	return nil
}
