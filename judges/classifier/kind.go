package classifier

import (
	"context"

	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/ortenv"
	"github.com/emoeval/emoeval/judges"
)

// Block is the classifier judge's block in emoeval.yaml:
//
//   - name: goemotions
//     kind: classifier
//     path: models/roberta-base-go_emotions.onnx
//     tokenizer: models/tokenizer.json
//     device: auto          # cpu | cuda | cuda:N | auto (the default)
type Block struct {
	judges.Common `yaml:",inline"`
	// Path is the ONNX model; Tokenizer its HuggingFace tokenizer.json.
	Path      string `yaml:"path" json:"path"`
	Tokenizer string `yaml:"tokenizer" json:"tokenizer"`
	// LabelMap maps model output indices to labels (default: the GoEmotions mapping).
	LabelMap map[int]string `yaml:"label_map" json:"label_map,omitempty"`
	// Threshold keeps a sentence's classes above it (default 0.1).
	Threshold float64 `yaml:"threshold" json:"threshold,omitempty"`
	// Device, BatchSize (0: 32 on the CPU, 256 on CUDA), Threads (0: what the machine offers)
	// and TF32 (nil: ONNX Runtime's default, on) are as in Config.
	Device    ortenv.Device `yaml:"device" json:"device"`
	BatchSize int           `yaml:"batch_size" json:"batch_size,omitempty"`
	Threads   int           `yaml:"threads" json:"threads,omitempty"`
	TF32      *bool         `yaml:"tf32" json:"tf32,omitempty"`
}

// Kind is the classifier judge: a text emotion classifier in ONNX, in-process.
func Kind() judges.Kind {
	return judges.Kind{Name: "classifier", New: func() judges.Config {
		return &Block{Common: judges.Common{Input: parse.InputThink}}
	}, Open: openBlock}
}

// ResolvePaths anchors the model and tokenizer files.
func (c *Block) ResolvePaths(abs func(*string)) {
	abs(&c.Path)
	abs(&c.Tokenizer)
}

// Check reports every problem of the block that needs no model (New checks the model, the
// tokenizer and the label map against each other).
func (c *Block) Check(s *config.Section) {
	c.CheckCommon(s)
	s.File("path", c.Path)
	s.File("tokenizer", c.Tokenizer)
	if c.Threshold < 0 || c.Threshold >= 1 {
		s.Bad("threshold", "%v: must be in [0, 1)", c.Threshold)
	}
	s.IntRange("batch_size", c.BatchSize, 0, 1<<20)
	s.IntRange("threads", c.Threads, 0, 4096)
}

// Identity leaves out what only changes how the run goes: where the model runs and in what
// batches.
func (c *Block) Identity() judges.Config {
	i := *c
	i.Device, i.BatchSize, i.Threads, i.TF32 = ortenv.Device{}, 0, 0, nil
	return &i
}

// Redacted is the whole block: it holds no credential.
func (c *Block) Redacted() judges.Config { r := *c; return &r }

func openBlock(ctx context.Context, jc judges.Config, d judges.Deps) ([]judges.Spec, error) {
	c := jc.(*Block)
	j, err := New(ctx, Config{Name: c.Name, ModelPath: c.Path, TokenizerPath: c.Tokenizer, LabelMap: c.LabelMap,
		Threshold: c.Threshold, Labels: d.Labels, Input: c.Input, Device: c.Device, BatchSize: c.BatchSize,
		Threads: c.Threads, TF32: c.TF32})
	if err != nil {
		// Every failure here (the library, the device, the files) is the set-up's.
		return nil, inputerr.Wrap("", err)
	}
	j.rt.Notify(d.Logf, j.Info())
	return []judges.Spec{{Judge: j, Kind: "classifier", Input: c.Input, Placement: j.Info().Placement(), Close: j.Close}}, nil
}
