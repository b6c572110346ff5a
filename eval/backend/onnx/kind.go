package onnx

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/backend"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// Block is the onnx backend's block in emoeval.yaml:
//
//   - name: fusion
//     backend: onnx
//     path: models/fusion.onnx
//     inputs: {video: feat_video, audio: feat_audio}
//     device: auto          # cpu | cuda | cuda:N | auto (the default)
//     variants: [av, video, audio]
type Block struct {
	backend.Common `yaml:",inline"`
	Path           string `yaml:"path" json:"path"`
	// Inputs maps each ONNX input to a feature modality (video, or the column feat_video).
	Inputs map[string]string `yaml:"inputs" json:"inputs"`
	// Output names the output to read when the model has several.
	Output string `yaml:"output" json:"output,omitempty"`
	// OutputKind is probs, logits or auto.
	OutputKind string `yaml:"output_kind" json:"output_kind"`
	// Device, BatchSize (0: 64 on the CPU, 1024 on CUDA), Threads (0: what the machine offers)
	// and TF32 (nil: ONNX Runtime's default, on) are as in Config.
	Device    ortenv.Device `yaml:"device" json:"device"`
	BatchSize int           `yaml:"batch_size" json:"batch_size,omitempty"`
	Threads   int           `yaml:"threads" json:"threads,omitempty"`
	TF32      *bool         `yaml:"tf32" json:"tf32,omitempty"`
}

// Kind is the onnx backend: a classifier over the split's feature columns, in-process.
func Kind() backend.Kind {
	return backend.Kind{Name: "onnx", New: newBlock, Open: openBlock}
}

func newBlock() backend.Config {
	return &Block{Common: backend.Common{Variants: []variant.Variant{variant.AV}}, OutputKind: OutputAuto}
}

// ResolvePaths anchors the model file.
func (c *Block) ResolvePaths(abs func(*string)) { abs(&c.Path) }

// Check reports every problem of the block that needs no model (Open checks the model against
// the block and the split).
func (c *Block) Check(s *config.Section) {
	backend.CheckVariants(s, c.Variants)
	s.File("path", c.Path)
	if len(c.Inputs) == 0 {
		s.Bad("inputs", "is required for backend onnx: map each model input to a feature modality, e.g. {video: feat_video}")
	}
	s.OneOf("output_kind", c.OutputKind, OutputProbs, OutputLogits, OutputAuto)
	s.IntRange("batch_size", c.BatchSize, 0, 1<<20)
	s.IntRange("threads", c.Threads, 0, 4096)
}

// Identity leaves out what only changes how the run goes: where it runs and in what batches.
// (TF32 on a GPU moves probabilities by up to a few thousandths, as any change of device does;
// the manifest records both.)
func (c *Block) Identity() backend.Config {
	i := *c
	i.Device, i.BatchSize, i.Threads, i.TF32 = ortenv.Device{}, 0, 0, nil
	return &i
}

// Redacted is the whole block: it holds no credential.
func (c *Block) Redacted() backend.Config { r := *c; return &r }

func openBlock(ctx context.Context, bc backend.Config, d backend.Deps) (*backend.Model, error) {
	c := bc.(*Block)
	m, err := Open(ctx, Config{Name: c.Name, Path: c.Path, Device: c.Device, Inputs: c.Inputs, Output: c.Output,
		OutputKind: c.OutputKind, BatchSize: c.BatchSize, Threads: c.Threads, TF32: c.TF32, Labels: d.Labels})
	if err != nil {
		// Every failure here (the library, the device, the model file, its inputs) is the
		// set-up's.
		return nil, inputerr.Wrap("", err)
	}
	if err := check(m, c.Variants, d); err != nil {
		m.Close()
		return nil, err
	}
	info := m.Info()
	m.rt.Notify(d.Logf, info)
	bi := backend.Info{Path: c.Path, Placement: info.Placement()}
	// One batch at a time: ONNX Runtime parallelises within a run, and one session is fastest.
	return &backend.Model{Backend: m, Concurrency: 1, BatchSize: m.BatchSize(), Info: bi, Close: m.Close}, nil
}

// check validates the run's clips and variants against the model before any task.
func check(m *Model, variants []variant.Variant, d backend.Deps) error {
	if err := m.Check(&datasets.Split{Labels: d.Labels, Clips: d.Clips}); err != nil {
		var ie *inputerr.Error
		if errors.As(err, &ie) && ie.File == "" {
			ie.File = d.SplitPath
		}
		return err
	}
	for _, v := range variants {
		if w := v.Withheld(); w != "" && !slices.Contains(m.Modalities(), w) {
			return &inputerr.Error{Key: "variants", Msg: fmt.Sprintf(
				"model %q: variant %s gives the model zeros for its %s inputs, but it reads only %v", m.name, v, w, m.Modalities())}
		}
	}
	return nil
}
