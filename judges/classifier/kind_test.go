package classifier

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/internal/ortenv"
	"github.com/emoeval/emoeval/judges"
)

func decodeBlock(t *testing.T, src string) (*Block, error) {
	t.Helper()
	doc, err := config.ParseDocument("emoeval.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b := Kind().New().(*Block)
	return b, doc.Decode(doc.Root, b)
}

func TestBlock(t *testing.T) {
	b, err := decodeBlock(t, "name: g\nkind: classifier\npath: m.onnx\ntokenizer: t.json\ndevice: Cuda:2\ntf32: true\nbatch_size: 64\n")
	if err != nil {
		t.Fatal(err)
	}
	if b.Device != ortenv.CUDADevice(2) || b.TF32 == nil || !*b.TF32 || b.BatchSize != 64 || b.Input != "think" {
		t.Errorf("decoded %+v", b)
	}
	if id := b.Identity().(*Block); !id.Device.IsAuto() || id.TF32 != nil || id.BatchSize != 0 || id.Path != b.Path {
		t.Errorf("identity %+v", id)
	}
	if _, err := decodeBlock(t, "name: g\nkind: classifier\ndevice: cuda:-1\n"); err == nil || !strings.Contains(err.Error(), "numbered from 0") {
		t.Errorf("cuda:-1: %v", err)
	}
	bad, err := decodeBlock(t, "name: g\nkind: classifier\npath: /nonexistent.onnx\nthreshold: 1.5\nthreads: -1\n")
	if err != nil {
		t.Fatal(err)
	}
	c := &config.Checker{Resources: true}
	bad.Check(c.Section("judges[g]", nil))
	for _, w := range []string{"judges[g].path", "judges[g].tokenizer: is required", "judges[g].threshold: 1.5", "judges[g].threads"} {
		if !strings.Contains(c.Err().Error(), w) {
			t.Errorf("missing %q in\n%v", w, c.Err())
		}
	}
}

// TestKindOpen opens the judge from its block as a run does.
func TestKindOpen(t *testing.T) {
	onnxtest.Runtime(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "goemo.onnx")
	if err := os.WriteFile(model, testModel(false, 0, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	tok := writeTokenizer(t)
	deps := judges.Deps{Labels: datasets.DFEW(), Logf: func(string, ...any) {}}
	b, err := decodeBlock(t, "name: goemo\nkind: classifier\npath: "+model+"\ntokenizer: "+tok+"\ndevice: cpu\n")
	if err != nil {
		t.Fatal(err)
	}
	specs, err := Kind().Open(context.Background(), b, deps)
	if err != nil {
		t.Fatal(err)
	}
	defer specs[0].Close()
	if len(specs) != 1 || specs[0].Placement.Device != "cpu" || specs[0].Kind != "classifier" || specs[0].Input != "think" {
		t.Fatalf("specs %+v", specs)
	}
	out, err := specs[0].Judge.Judge(context.Background(), []judges.Item{{ClipID: "1", Text: "He is furious."}})
	if err != nil || out[0].Emotion != "angry" {
		t.Errorf("judged %+v, %v", out, err)
	}

	b.Device = ortenv.CUDADevice(5)
	if _, err := Kind().Open(context.Background(), b, deps); err != nil {
		var de *ortenv.DeviceError
		if !inputerr.Is(err) || !errors.As(err, &de) || !strings.Contains(err.Error(), `judge "goemo": device cuda:5: `) {
			t.Errorf("cuda:5: got %v (%T)", err, err)
		}
	}
}
