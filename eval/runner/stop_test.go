package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/emoeval/emoeval/eval/variant"
)

// failingBackend fails every task with the error its function gives for the call number.
type failingBackend struct {
	calls atomic.Int32
	err   func(call int32) error
}

func (b *failingBackend) Predict(ctx context.Context, tasks []Task) ([]Result, error) {
	n := b.calls.Add(1)
	out := make([]Result, len(tasks))
	for i := range out {
		out[i].Err = b.err(n)
	}
	return out, nil
}

var errPermanent = errors.New("HTTP 404 Not Found: model \"nope\" does not exist")

func TestStopAModelWhoseFirstRequestsAllFailAlike(t *testing.T) {
	permanent := func(err error) (string, bool) { return err.Error(), !strings.Contains(err.Error(), "503") }
	tests := []struct {
		name      string
		err       func(int32) error
		wantStop  bool
		maxCalls  int32
		wantCalls int32 // exact, when not stopped
	}{
		{"same permanent error", func(int32) error { return errPermanent }, true, 20 + 4, 0},
		{"errors that differ", func(n int32) error { return fmt.Errorf("HTTP 400: bad request %d", n) }, false, 0, 200},
		{"transient errors", func(int32) error { return errors.New("HTTP 503 Service Unavailable") }, false, 0, 200},
		{"a success among the first", func(n int32) error {
			if n == 3 {
				return nil
			}
			return errPermanent
		}, false, 0, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := &failingBackend{err: tt.err}
			healthy := &fakeBackend{}
			out, err := Run(context.Background(), []Model{
				{Name: "broken", Backend: be, Variants: []variant.Variant{"av"}, Concurrency: 4, BatchSize: 1},
				{Name: "healthy", Backend: healthy, Variants: []variant.Variant{"av"}, Concurrency: 4, BatchSize: 1},
			}, clipsN(200), Options{Concurrency: 8, StopAfter: 20, Permanent: permanent})
			var stopped *StoppedError
			if got := errors.As(err, &stopped); got != tt.wantStop {
				t.Fatalf("stopped = %v (%v), want %v", got, err, tt.wantStop)
			}
			if len(out) != 400 {
				t.Fatalf("%d outcomes, want one per task of both models (400)", len(out))
			}
			calls := be.calls.Load()
			if tt.wantStop {
				if calls > tt.maxCalls || stopped.Models[0] != "broken" || !errors.Is(stopped.Causes[0], errPermanent) {
					t.Errorf("%d requests (want at most %d), stopped %v", calls, tt.maxCalls, stopped)
				}
				notSent := 0
				for _, o := range out {
					if o.Model == "broken" && errors.Is(o.Err, ErrStopped) {
						notSent++
					}
				}
				if notSent != 200-int(calls) {
					t.Errorf("%d tasks recorded as not sent, want %d", notSent, 200-calls)
				}
			} else if calls != tt.wantCalls {
				t.Errorf("%d requests, want every task sent (%d)", calls, tt.wantCalls)
			}
			if healthy.calls.Load() != 200 {
				t.Errorf("the healthy model made %d requests, want 200: a stop is per model", healthy.calls.Load())
			}
		})
	}
}
