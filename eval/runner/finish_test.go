package runner

import (
	"context"
	"testing"

	"github.com/emoeval/emoeval/eval/variant"
)

// backendFunc adapts a function to a Backend.
type backendFunc func(ctx context.Context, tasks []Task) ([]Result, error)

func (f backendFunc) Predict(ctx context.Context, tasks []Task) ([]Result, error) {
	return f(ctx, tasks)
}

// A backend's finish reason reaches the outcome, where predictions are built from.
func TestRunKeepsFinishReason(t *testing.T) {
	be := backendFunc(func(_ context.Context, tasks []Task) ([]Result, error) {
		out := make([]Result, len(tasks))
		for i, task := range tasks {
			out[i] = Result{Raw: "<think>cut", FinishReason: "length"}
			if task.Clip.ClipID == "00002" {
				out[i] = Result{Raw: "<answer>happy</answer>", FinishReason: "stop"}
			}
		}
		return out, nil
	})
	out, err := Run(context.Background(), []Model{{Name: "m", Backend: be, Variants: []variant.Variant{"av"}}}, clipsN(3), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range out {
		got = append(got, o.FinishReason)
	}
	if len(got) != 3 || got[0] != "length" || got[1] != "stop" || got[2] != "length" {
		t.Fatalf("finish reasons %v, want [length stop length]", got)
	}
}
