// Package onnx is the in-process ONNX Runtime model backend: precomputed feature columns of a
// split (feat_<modality>) feed a model's named inputs, and its output gives per-clip
// probabilities over the label set. Modality ablation (a modality's inputs replaced by zeros)
// gives the inputs of a continuous modality-importance measure.
package onnx

import (
	"fmt"
	"sort"
	"strings"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// Output kinds.
const (
	OutputProbs  = "probs"
	OutputLogits = "logits"
	// OutputAuto applies softmax to the rows that are not already probabilities (values in
	// [0, 1] summing to 1 within 1e-3).
	OutputAuto = "auto"
)

// Batch sizes by device, for a Config without BatchSize. Batch size decides speed on a GPU: on an
// H200 a linear model ran 2.7k rows/s at batch 1, 147k at 64 and 560–730k at 1024; on the CPU
// larger batches gain little beyond 64 and hold more memory.
const (
	DefaultBatchCPU  = 64
	DefaultBatchCUDA = 1024
)

// Config describes one ONNX model of a run.
type Config struct {
	Name string
	// Path is the .onnx file; ONNX, when set, holds the model bytes instead (tests).
	Path string
	ONNX []byte
	// Device is cpu, cuda:N or auto; the zero value is auto: CUDA device 0 when ONNX Runtime's
	// CUDA provider can be used, else the CPU (Info().Fallback says why).
	Device ortenv.Device
	// Inputs maps each ONNX input name to a feature modality: "video" reads the split column
	// feat_video. The value may also be written as the column name ("feat_video").
	Inputs map[string]string
	// Output names the model output to read; default: the model's only output.
	Output string
	// OutputKind is probs, logits or auto (default auto).
	OutputKind string
	// BatchSize is the rows per run; 0 chooses by the device the model ends up on:
	// DefaultBatchCPU (64) on the CPU, DefaultBatchCUDA (1024) on CUDA. A model with a fixed
	// batch dimension uses that.
	BatchSize int
	// Threads is ONNX Runtime's intra-op threads; 0 is what the machine offers
	// (ortenv.DefaultThreads).
	Threads int
	// TF32 turns TensorFloat-32 matrix products on CUDA on or off; nil keeps ONNX Runtime's
	// default (on).
	TF32 *bool
	// Labels is the label set the output's columns are in (required).
	Labels *datasets.LabelSet
	// Runtime is the loaded ONNX Runtime; nil loads it from $ONNXRUNTIME_SHARED_LIBRARY_PATH.
	Runtime *ortenv.Runtime
}

// withDefaults checks the fields that need no model and fills in defaults.
func (c Config) withDefaults() (Config, error) {
	bad := func(key, format string, args ...any) error {
		return &inputerr.Error{Key: key, Msg: fmt.Sprintf("model %q: ", c.Name) + fmt.Sprintf(format, args...)}
	}
	if c.Path == "" && len(c.ONNX) == 0 {
		return c, bad("path", "no ONNX model file given")
	}
	if c.Labels == nil || c.Labels.Len() == 0 {
		return c, bad("labels", "no label set given: the model's output columns must be named by one")
	}
	if len(c.Inputs) == 0 {
		return c, bad("inputs", "no inputs mapped: map each ONNX input to a feature modality, e.g. {video: feat_video}")
	}
	inputs := make(map[string]string, len(c.Inputs))
	for name, mod := range c.Inputs {
		m := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(mod)), "feat_")
		if m == "" {
			return c, bad("inputs", "input %q is mapped to no modality", name)
		}
		inputs[name] = m
	}
	c.Inputs = inputs
	switch c.OutputKind {
	case "":
		c.OutputKind = OutputAuto
	case OutputProbs, OutputLogits, OutputAuto:
	default:
		return c, bad("output_kind", "%q: use probs, logits or auto", c.OutputKind)
	}
	if c.BatchSize < 0 {
		return c, bad("batch_size", "%d: must be at least 1, or 0 for the device's default", c.BatchSize)
	}
	if c.Threads < 0 {
		return c, bad("threads", "%d: must be at least 1, or 0 for what the machine offers", c.Threads)
	}
	return c, nil
}

// sortedKeys returns a map's keys in order, for stable error messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
