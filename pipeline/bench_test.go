//go:build unix

package pipeline

import (
	"context"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/backend/openai"
	"github.com/emoeval/emoeval/eval/cache"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/sim"
)

// The run-engine target: two models at 32 concurrent requests each against the simulated
// server answering after 50 ms reach at least 90% of the ideal 2·32/0.05 = 1,280 requests/s.
//
//	go test -run '^$' -bench RunTwoModels ./pipeline/
//
// One op is a whole runner.Run over DFEW fold 5's test set (2,336 synthetic clips, so 4,672
// requests, 3.65 s at the ideal rate) through the real path: the sim over loopback HTTP, the
// chat HTTP client with the retry layer (and, in "cache", the SQLite response cache of a run
// directory), the openai backends and the runner. "ratio" is requests/s over 1,280;
// "cpu-µs/req" is the CPU time of the whole process (client and server) per request.
const (
	benchLatency     = 50 * time.Millisecond
	benchConcurrency = 32
)

func BenchmarkRunTwoModels(b *testing.B) {
	split, err := datasets.Synth(datasets.SynthOptions{Dataset: "dfew", Folds: []int32{5}, Seed: 1, MediaRoot: "/data/dfew"})
	if err != nil {
		b.Fatal(err)
	}
	clips := split.Select([]int32{5}, datasets.Test)
	srv, err := sim.NewServer(sim.Config{Split: split, Seed: 1, Models: sim.DefaultModels(), Judge: sim.DefaultJudge(),
		Faults: sim.Faults{Latency: benchLatency}})
	if err != nil {
		b.Fatal(err)
	}
	url, stop, err := srv.Start(context.Background(), "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)

	b.Run("nocache", func(b *testing.B) { benchRun(b, url, clips, false) })
	b.Run("cache", func(b *testing.B) { benchRun(b, url, clips, true) })
}

func benchRun(b *testing.B, url string, clips []datasets.Clip, cached bool) {
	var (
		requests int
		elapsed  time.Duration
		cpu      time.Duration
	)
	for i := 0; b.Loop(); i++ {
		// A fresh cache each op, so every request is a miss; opening it is not timed.
		b.StopTimer()
		var store chat.Store
		var closeStore func()
		if cached {
			c, err := cache.Open(filepath.Join(b.TempDir(), "cache-"+strconv.Itoa(i)+".sqlite"))
			if err != nil {
				b.Fatal(err)
			}
			store, closeStore = c, func() { c.Close() }
		}
		models := benchModels(b, url, store)
		b.StartTimer()

		cpu0, start := benchCPU(), time.Now()
		outcomes, err := runner.Run(context.Background(), models, clips, runner.Options{Concurrency: 256})
		elapsed += time.Since(start)
		cpu += benchCPU() - cpu0
		if err != nil {
			b.Fatal(err)
		}
		if closeStore != nil {
			closeStore() // flushes pending cache writes; part of the op
		}
		if want := len(models) * len(clips); len(outcomes) != want {
			b.Fatalf("%d outcomes, want %d", len(outcomes), want)
		}
		for _, oc := range outcomes {
			if oc.Err != nil {
				b.Fatalf("%s %s: %v", oc.Model, oc.Task.Clip.ClipID, oc.Err)
			}
		}
		requests += len(outcomes)
	}
	rate := float64(requests) / elapsed.Seconds()
	ideal := 2 * benchConcurrency / benchLatency.Seconds()
	b.ReportMetric(rate, "req/s")
	b.ReportMetric(rate/ideal, "ratio")
	b.ReportMetric(float64(cpu.Microseconds())/float64(requests), "cpu-µs/req")
}

// benchModels builds the two runner models as `emoeval run` does (clients.go's stack without
// rate limit and stats; run.go's openaiBackend adapter).
func benchModels(b *testing.B, url string, store chat.Store) []runner.Model {
	var models []runner.Model
	for _, p := range sim.DefaultModels() {
		h, err := chat.NewHTTP(chat.HTTPConfig{Endpoint: url})
		if err != nil {
			b.Fatal(err)
		}
		var c chat.Client = chat.WithRetry(h, chat.DefaultRetryPolicy())
		if store != nil {
			c = chat.WithCache(c, store, "model")
		}
		be, err := openai.New(openai.Config{Name: p.Name, Model: p.Name, Prompt: p.Style}, c)
		if err != nil {
			b.Fatal(err)
		}
		models = append(models, runner.Model{Name: p.Name, Backend: benchBackend{be}, Variants: []string{openai.VariantAV},
			Concurrency: benchConcurrency, BatchSize: 1})
	}
	return models
}

// benchBackend is run.go's openaiBackend adapter (unexported there): one request per task.
type benchBackend struct{ b *openai.Backend }

func (a benchBackend) Predict(ctx context.Context, tasks []runner.Task) ([]runner.Result, error) {
	out := make([]runner.Result, len(tasks))
	for i, t := range tasks {
		r, err := a.b.Predict(ctx, t.Clip, t.Variant, t.SampleIndex)
		out[i] = runner.Result{Raw: r.Raw, Attempts: r.Attempts, Latency: r.Latency, Cached: r.Cached, Err: err}
	}
	return out, nil
}

// benchCPU is the user and system CPU time of this process so far.
func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
