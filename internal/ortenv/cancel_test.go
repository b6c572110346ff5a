package ortenv_test

import (
	"context"
	"runtime"
	"strings"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/emoeval/emoeval/internal/onnxmodel"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// TestCancelOnDoneTerminatesRuns checks that a cancelled context makes the run options stop a run.
func TestCancelOnDoneTerminatesRuns(t *testing.T) {
	rt := onnxtest.Runtime(t)
	in := []onnxmodel.Input{{Name: "x", Dim: 3}}
	w, b := onnxmodel.RandomWeights(in, 2, 1)
	s, err := rt.NewSession("test", onnxmodel.Classifier(in, 2, w, b, true), []string{"x"}, []string{"probs"}, ortenv.SessionConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Destroy()
	x, _ := ort.NewEmptyTensor[float32](ort.NewShape(4, 3))
	defer x.Destroy()
	y, _ := ort.NewEmptyTensor[float32](ort.NewShape(4, 2))
	defer y.Destroy()
	opts, release, err := ortenv.CancelOnDone(context.Background())
	if err != nil || opts != nil {
		t.Fatalf("a context that is never cancelled: options %v, %v; want none", opts, err)
	}
	release()

	ctx, cancel := context.WithCancel(context.Background())
	opts, release, err = ortenv.CancelOnDone(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := s.RunWithOptions([]ort.Value{x}, []ort.Value{y}, opts); err != nil {
		t.Fatalf("run with a live context: %v", err)
	}
	cancel()
	// Termination is asynchronous (context.AfterFunc): the next runs fail once it has happened.
	for range 1_000_000 {
		if err = s.RunWithOptions([]ort.Value{x}, []ort.Value{y}, opts); err != nil {
			break
		}
		runtime.Gosched()
	}
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "terminate") {
		t.Errorf("runs after cancel: got %v, want a terminated run", err)
	}
}
