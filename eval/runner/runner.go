// Package runner executes the models of a run: every model and variant at once, each with its
// own concurrency limit under one overall limit, with progress reporting, a grace period for
// in-flight requests on interruption, and sharding by a stable hash of clip ids.
//
// The runner knows nothing of HTTP, ONNX or caches: backends come wrapped in those layers.
package runner

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/variant"
)

// Task is one model call: a clip seen through one variant, for one sample index.
type Task struct {
	Clip        datasets.Clip
	Variant     variant.Variant
	SampleIndex int
}

// Result is a backend's answer to one task.
type Result struct {
	Raw      string
	Probs    []float32
	Attempts int
	Latency  time.Duration
	Cached   bool
	// FinishReason is why generation stopped, as the server said ("stop", "length"); "" for
	// backends without one.
	FinishReason string
	// Truncated says the answer was cut at the backend's size limit.
	Truncated bool
	Err       error
}

// Backend runs tasks of one model.
type Backend interface {
	// Predict runs a batch of tasks and returns one result per task, in order. A failure of one
	// task goes into its Result.Err; the error return is for failures of the whole batch.
	Predict(ctx context.Context, tasks []Task) ([]Result, error)
}

// Model is one model of a run.
type Model struct {
	Name     string
	Backend  Backend
	Variants []variant.Variant
	// Concurrency is how many batches may be in flight for this model.
	Concurrency int
	// BatchSize is how many tasks go to the backend at once (1 for request-per-sample backends).
	BatchSize int
}

// Outcome is one finished task.
type Outcome struct {
	Model string
	Task  Task
	Result
}

// Options configure a run.
type Options struct {
	// Concurrency caps batches in flight over all models.
	Concurrency int
	// Grace is how long in-flight requests may finish after the context is cancelled.
	Grace time.Duration
	// Progress receives progress events; nil for none.
	Progress Progress
	// StopAfter and Permanent stop a model whose first StopAfter answers all failed with one
	// and the same cause that Permanent says no retry can fix (a wrong model id, a bad key):
	// its remaining tasks are not sent, but recorded as failed with ErrStopped, and Run
	// returns a *StoppedError beside the outcomes. Permanent returns the cause's text (errors
	// name their clip; causes are compared without it). StopAfter 0 never stops a model.
	StopAfter int
	Permanent func(error) (cause string, permanent bool)
}

// ErrStopped is the error of the tasks a stopped model did not send.
var ErrStopped = errors.New("not sent: the model was stopped")

// StoppedError says which models were stopped, and why.
type StoppedError struct {
	Models []string
	Causes []error // one per model
}

func (e *StoppedError) Error() string {
	var parts []string
	for i, m := range e.Models {
		parts = append(parts, fmt.Sprintf("model %s was stopped: its first requests all failed with %v", m, e.Causes[i]))
	}
	return strings.Join(parts, "; ")
}

// failureWatch stops a model whose first answers all fail alike.
type failureWatch struct {
	n         int
	permanent func(error) (string, bool)
	seen      int
	first     string
	cause     error
	stopped   bool
	stop      context.CancelFunc
}

// observe counts one answer; it returns true when the model must stop.
func (w *failureWatch) observe(err error) bool {
	if w.n <= 0 || w.stopped || w.seen >= w.n {
		return false
	}
	w.seen++
	var cause string
	permanent := false
	if err != nil && w.permanent != nil {
		cause, permanent = w.permanent(err)
	}
	switch {
	case !permanent:
		w.seen = w.n // an answer, or an error retries may fix: the model runs on
		return false
	case w.seen == 1:
		w.first, w.cause = cause, err
	case cause != w.first:
		w.seen = w.n
		return false
	}
	if w.seen == w.n {
		w.stopped = true
		w.stop()
	}
	return w.stopped
}

// Run executes every model × variant × clip task and returns the outcomes sorted by model,
// variant and clip id. When ctx is cancelled, no new task starts, in-flight tasks get
// opts.Grace to finish, and Run returns the outcomes so far with ctx's error.
func Run(ctx context.Context, models []Model, clips []datasets.Clip, opts Options) ([]Outcome, error) {
	if opts.Concurrency < 1 {
		opts.Concurrency = 1
	}
	overall := semaphore.NewWeighted(int64(opts.Concurrency))
	// In-flight work runs under a context that outlives ctx by the grace period.
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	stopGrace := context.AfterFunc(ctx, func() {
		t := time.NewTimer(opts.Grace)
		defer t.Stop()
		select {
		case <-t.C:
			cancelWork()
		case <-work.Done():
		}
	})
	defer stopGrace()

	var (
		mu       sync.Mutex
		outcomes []Outcome
		workers  sync.WaitGroup
	)
	watches := map[string]*failureWatch{}
	modelCtx := map[string]context.Context{}
	for _, m := range models {
		mctx, stop := context.WithCancel(ctx)
		defer stop()
		modelCtx[m.Name] = mctx
		watches[m.Name] = &failureWatch{n: opts.StopAfter, permanent: opts.Permanent, stop: stop}
	}
	record := func(model string, batch []Task, results []Result) {
		mu.Lock()
		defer mu.Unlock()
		for i, t := range batch {
			watches[model].observe(results[i].Err)
			// A task cut off by the end of the grace period is not an outcome: it was not
			// answered, and a resumed run asks again.
			if ctx.Err() != nil && errors.Is(results[i].Err, context.Canceled) {
				continue
			}
			outcomes = append(outcomes, Outcome{Model: model, Task: t, Result: results[i]})
			if opts.Progress != nil {
				opts.Progress.Done(model, results[i])
			}
		}
	}
	g := new(errgroup.Group)
	for _, m := range models {
		if opts.Progress != nil {
			opts.Progress.Start(m.Name, len(clips)*len(m.Variants))
		}
		// One dispatcher per model, so that all models run at once.
		g.Go(func() error {
			perModel := semaphore.NewWeighted(int64(max(1, m.Concurrency)))
			mctx := modelCtx[m.Name]
			batches := batchTasks(clips, m.Variants, max(1, m.BatchSize))
			// notSent records the batches from i on as not sent, after the model was stopped.
			notSent := func(i int) {
				w := watches[m.Name]
				for _, rest := range batches[i:] {
					results := make([]Result, len(rest))
					for j := range results {
						results[j].Err = fmt.Errorf("%w (its first %d requests all failed with: %v)", ErrStopped, w.n, w.cause)
					}
					record(m.Name, rest, results)
				}
			}
			for bi, batch := range batches {
				if err := perModel.Acquire(mctx, 1); err != nil {
					if ctx.Err() == nil {
						notSent(bi)
					}
					return nil
				}
				if err := overall.Acquire(mctx, 1); err != nil {
					perModel.Release(1)
					if ctx.Err() == nil {
						notSent(bi)
					}
					return nil
				}
				if mctx.Err() != nil && ctx.Err() == nil {
					perModel.Release(1)
					overall.Release(1)
					notSent(bi)
					return nil
				}
				workers.Add(1)
				go func() {
					defer workers.Done()
					defer perModel.Release(1)
					defer overall.Release(1)
					record(m.Name, batch, predict(work, m.Backend, batch))
				}()
			}
			return nil
		})
	}
	_ = g.Wait() // dispatchers only stop early on cancellation, which Run reports below
	workers.Wait()
	if opts.Progress != nil {
		opts.Progress.Finish()
	}
	sort.Slice(outcomes, func(i, j int) bool {
		a, b := outcomes[i], outcomes[j]
		if a.Model != b.Model {
			return a.Model < b.Model
		}
		if a.Task.Variant != b.Task.Variant {
			return a.Task.Variant < b.Task.Variant
		}
		if a.Task.Clip.ClipID != b.Task.Clip.ClipID {
			return a.Task.Clip.ClipID < b.Task.Clip.ClipID
		}
		return a.Task.SampleIndex < b.Task.SampleIndex
	})
	if err := ctx.Err(); err != nil {
		return outcomes, err
	}
	var stopped StoppedError
	for _, m := range models {
		if w := watches[m.Name]; w.stopped {
			stopped.Models = append(stopped.Models, m.Name)
			stopped.Causes = append(stopped.Causes, w.cause)
		}
	}
	if len(stopped.Models) > 0 {
		return outcomes, &stopped
	}
	return outcomes, nil
}

// predict calls the backend and turns a whole-batch failure into per-task errors.
func predict(ctx context.Context, b Backend, batch []Task) []Result {
	results, err := b.Predict(ctx, batch)
	if err == nil && len(results) != len(batch) {
		err = fmt.Errorf("backend returned %d results for %d tasks", len(results), len(batch))
	}
	if err != nil {
		results = make([]Result, len(batch))
		for i := range results {
			results[i].Err = err
		}
	}
	return results
}

// batchTasks lays out a model's tasks variant by variant, clip by clip, in batches.
func batchTasks(clips []datasets.Clip, variants []variant.Variant, size int) [][]Task {
	var out [][]Task
	var cur []Task
	for _, v := range variants {
		for _, c := range clips {
			cur = append(cur, Task{Clip: c, Variant: v})
			if len(cur) == size {
				out = append(out, cur)
				cur = nil
			}
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
