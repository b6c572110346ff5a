package onnx

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/backend"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// decodeBlock decodes a model block of emoeval.yaml onto the kind's defaults.
func decodeBlock(t *testing.T, src string) (*Block, error) {
	t.Helper()
	doc, err := config.ParseDocument("emoeval.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b := Kind().New().(*Block)
	return b, doc.Decode(doc.Root, b)
}

func TestBlockDecoding(t *testing.T) {
	tests := []struct {
		name, src string
		check     func(*Block) bool
		err       string
	}{
		{"defaults", "name: f\nbackend: onnx\npath: m.onnx\ninputs: {video: feat_video}\n",
			func(b *Block) bool {
				return b.Device.IsAuto() && b.OutputKind == OutputAuto && b.BatchSize == 0 && b.Threads == 0 && b.TF32 == nil &&
					len(b.Variants) == 1 && b.Variants[0] == variant.AV
			}, ""},
		{"device and tf32", "name: f\nbackend: onnx\npath: m.onnx\ninputs: {video: video}\ndevice: CUDA:1\ntf32: false\nbatch_size: 256\nthreads: 4\n",
			func(b *Block) bool {
				return b.Device == ortenv.CUDADevice(1) && b.TF32 != nil && !*b.TF32 && b.BatchSize == 256 && b.Threads == 4
			}, ""},
		{"cuda alone", "name: f\nbackend: onnx\ndevice: cuda\n", func(b *Block) bool { return b.Device == ortenv.CUDADevice(0) }, ""},
		{"malformed device", "name: f\nbackend: onnx\ndevice: cuda:x\n", nil, `"x" is not a GPU number`},
		{"negative device", "name: f\nbackend: onnx\ndevice: cuda:-1\n", nil, "numbered from 0"},
		{"unknown device", "name: f\nbackend: onnx\ndevice: gpu\n", nil, `device "gpu": use cpu, cuda`},
		{"misspelt key", "name: f\nbackend: onnx\ndevise: cpu\n", nil, "devise: unknown key (did you mean device?)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := decodeBlock(t, tc.src)
			if tc.err != "" {
				if err == nil || !inputerr.Is(err) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want an input error containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(b) {
				t.Errorf("decoded %+v", b)
			}
		})
	}
}

func TestBlockCheckAndIdentity(t *testing.T) {
	b, err := decodeBlock(t, "name: f\nbackend: onnx\npath: /nonexistent/m.onnx\noutput_kind: scores\nbatch_size: -1\nthreads: -2\nvariants: [av, av]\ndevice: cuda:0\ntf32: true\n")
	if err != nil {
		t.Fatal(err)
	}
	c := &config.Checker{Resources: true}
	b.Check(c.Section("models[f]", nil))
	msg := c.Err().Error()
	for _, w := range []string{"models[f].path", "models[f].inputs: is required", "models[f].output_kind", "models[f].batch_size", "models[f].threads", "variant av is listed twice"} {
		if !strings.Contains(msg, w) {
			t.Errorf("missing %q in\n%s", w, msg)
		}
	}
	// Where and in what batches a model runs does not change what a run is.
	id := b.Identity().(*Block)
	if !id.Device.IsAuto() || id.BatchSize != 0 || id.Threads != 0 || id.TF32 != nil || id.Path != b.Path {
		t.Errorf("identity %+v", id)
	}
	if b.Device != ortenv.CUDADevice(0) {
		t.Error("Identity changed the block")
	}
}

// TestKindOpen opens a model from its block as a run does and runs a task through it.
func TestKindOpen(t *testing.T) {
	onnxtest.Runtime(t)
	path := filepath.Join(t.TempDir(), "fusion.onnx")
	if err := os.WriteFile(path, newTinyModel(2).onnx(true, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	clips := makeClips(5, 1)
	var logged []string
	deps := backend.Deps{Labels: datasets.DFEW(), Clips: clips, SplitPath: "split.parquet",
		Logf: func(format string, args ...any) { logged = append(logged, format) }}
	block := func(src string) *Block {
		b, err := decodeBlock(t, "name: fusion\nbackend: onnx\npath: "+path+"\ninputs: {video_in: video, audio_in: audio}\n"+src)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	m, err := Kind().Open(context.Background(), block("device: cpu\nvariants: [av, video, audio]\nthreads: 1\n"), deps)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	want := backend.Info{Path: path, Placement: ortenv.Placement{Device: "cpu", Runtime: "onnxruntime " + onnxtest.Runtime(t).Version(), Threads: 1, BatchSize: DefaultBatchCPU}}
	if m.Info != want || m.BatchSize != DefaultBatchCPU || m.Concurrency != 1 || m.Explains {
		t.Errorf("model %+v, info %+v", m, m.Info)
	}
	res, err := m.Backend.Predict(context.Background(), []runner.Task{{Clip: clips[0], Variant: variant.Video}})
	if err != nil || len(res) != 1 || len(res[0].Probs) != 7 {
		t.Fatalf("predict: %v %v", res, err)
	}
	if len(logged) != 0 {
		t.Errorf("a model on the device it asked for logged %q", logged)
	}

	t.Run("clips without the features", func(t *testing.T) {
		bad := append([]datasets.Clip(nil), clips...)
		bad[3].Features = map[string][]float32{"video": bad[3].Features["video"]}
		d := deps
		d.Clips = bad
		_, err := Kind().Open(context.Background(), block("device: cpu\n"), d)
		var ie *inputerr.Error
		if !errors.As(err, &ie) || ie.File != "split.parquet" || ie.Row != 4 {
			t.Errorf("got %v, want an input error at split.parquet row 4", err)
		}
	})
	t.Run("a variant withholding what the model does not read", func(t *testing.T) {
		single := filepath.Join(t.TempDir(), "video.onnx")
		tm := newTinyModel(2)
		if err := os.WriteFile(single, tinyVideoOnly(tm), 0o644); err != nil {
			t.Fatal(err)
		}
		b, err := decodeBlock(t, "name: v\nbackend: onnx\npath: "+single+"\ninputs: {video_in: video}\ndevice: cpu\nvariants: [av, video]\n")
		if err != nil {
			t.Fatal(err)
		}
		_, err = Kind().Open(context.Background(), b, deps)
		if !inputerr.Is(err) || !strings.Contains(err.Error(), "variant video gives the model zeros for its audio inputs, but it reads only [video]") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("cuda:3 that cannot be used", func(t *testing.T) {
		_, err := Kind().Open(context.Background(), block("device: cuda:3\n"), deps)
		if err == nil {
			t.Skip("CUDA device 3 works here")
		}
		var de *ortenv.DeviceError
		if !inputerr.Is(err) || !errors.As(err, &de) || !strings.Contains(err.Error(), `model "fusion": device cuda:3: `) {
			t.Errorf("got %v (%T), want an input error wrapping an *ortenv.DeviceError", err, err)
		}
	})
}
