package onnxmodel_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/onnxmodel"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/internal/ortenv"
)

func testModels() map[string][]byte {
	in := []onnxmodel.Input{{"video", 4}, {"audio", 3}}
	w, b := onnxmodel.RandomWeights(in, 5, 1)
	return map[string][]byte{
		"probs":       onnxmodel.Classifier(in, 5, w, b, true),
		"logits":      onnxmodel.Classifier(in, 5, w, b, false),
		"fixed_batch": onnxmodel.ClassifierSpec{Inputs: in, Classes: 5, W: w, B: b, Batch: 8, Output: "scores"}.Build(),
		"text":        onnxmodel.TextSpec{Vocab: 6, Classes: 3, Emb: make([]float32, 18), B: make([]float32, 3), TokenTypes: true}.Build(),
		"mlp":         onnxmodel.MLPSpec{Inputs: in, Hidden: []int{6}, Classes: 5, Seed: 1}.Build(),
	}
}

// TestONNXRuntimeReadsModels checks the models' inputs and outputs as ONNX Runtime reports them.
func TestONNXRuntimeReadsModels(t *testing.T) {
	rt := onnxtest.Runtime(t)
	want := map[string][2]string{
		"probs":       {"video [? 4] float, audio [? 3] float", "probs [? 5] float"},
		"logits":      {"video [? 4] float, audio [? 3] float", "logits [? 5] float"},
		"fixed_batch": {"video [8 4] float, audio [8 3] float", "scores [8 5] float"},
		"text":        {"input_ids [? ?] int64, attention_mask [? ?] int64, token_type_ids [? ?] int64", "logits [? 3] float"},
		"mlp":         {"video [? 4] float, audio [? 3] float", "logits [? 5] float"},
	}
	for name, data := range testModels() {
		t.Run(name, func(t *testing.T) {
			ins, outs, err := rt.ModelInfo(data)
			if err != nil {
				t.Fatal(err)
			}
			if got := [2]string{ortenv.Describe(ins), ortenv.Describe(outs)}; got != want[name] {
				t.Errorf("got %q, want %q", got, want[name])
			}
		})
	}
}

// TestONNXChecker validates the models with the onnx package's checker (Debian python3-onnx),
// when it is installed.
func TestONNXChecker(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import onnx").Run(); err != nil {
		t.Skip("python3-onnx is not installed (apt-get install -y python3-onnx)")
	}
	dir := t.TempDir()
	var paths []string
	for name, data := range testModels() {
		p := filepath.Join(dir, name+".onnx")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	script := "import onnx, sys\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(p), full_check=True)\n"
	out, err := exec.Command(python, append([]string{"-c", script}, paths...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("onnx checker: %v\n%s", err, strings.TrimSpace(string(out)))
	}
}

func TestBuildPanicsOnInconsistentSpec(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for 2 inputs with 1 weight matrix")
		}
	}()
	onnxmodel.ClassifierSpec{Inputs: []onnxmodel.Input{{"a", 2}, {"b", 2}}, Classes: 2, W: [][]float32{{1, 2, 3, 4}}, B: []float32{0, 0}}.Build()
}
