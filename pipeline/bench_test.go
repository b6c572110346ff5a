//go:build unix

package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/backend/openai"
	"github.com/emoeval/emoeval/eval/cache"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/sim"
	"github.com/emoeval/emoeval/eval/variant"
)

// The run-engine target: two models at 32 concurrent requests each against the simulated
// server answering after 50 ms reach at least 90% of the ideal 2·32/0.05 = 1,280 requests/s.
//
//	go test -run '^$' -bench RunTwoModels ./pipeline/
//
// One op is a whole runner.Run over DFEW fold 5's test set (2,336 synthetic clips, so 4,672
// requests, 3.65 s at the ideal rate) through the real path: the sim over loopback HTTP, the
// chat HTTP client with the retry layer (and, in "cache", the SQLite response cache of a run
// directory), the openai backends and the runner. "bare" sends the same requests with plain
// net/http, as the reference of what this machine and the sim allow. "ratio" is requests/s
// over 1,280; "cpu-µs/req" is the CPU time of the whole process (client and server) per
// request.
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
	b.Run("bare", func(b *testing.B) { benchBare(b, url, clips) })
}

// benchBare is the reference: the same requests (bodies made before timing), 32 goroutines per
// model, each POSTing and reading the whole response with net/http and nothing else: no retry
// layer, no decoding, no runner. What it lacks of the ideal is the machine's (and the sim's).
func benchBare(b *testing.B, url string, clips []datasets.Clip) {
	var bodies [][][]byte // per model, per clip
	for _, m := range benchModelBackends(b, url) {
		var bs [][]byte
		for _, c := range clips {
			req, err := m.Request(c, predictions.VariantAV, 0)
			if err != nil {
				b.Fatal(err)
			}
			body, err := chat.MarshalRequest(req)
			if err != nil {
				b.Fatal(err)
			}
			bs = append(bs, body)
		}
		bodies = append(bodies, bs)
	}
	client := &http.Client{Transport: chat.NewTransport()}
	post := func(body []byte) error {
		resp, err := client.Post(url+"/chat/completions", "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		return nil
	}
	var (
		requests int
		elapsed  time.Duration
		cpu      time.Duration
	)
	for b.Loop() {
		cpu0, start := benchCPU(), time.Now()
		var g errgroup.Group
		for _, bs := range bodies {
			next := atomic.Int64{}
			for range benchConcurrency {
				g.Go(func() error {
					for k := next.Add(1) - 1; k < int64(len(bs)); k = next.Add(1) - 1 {
						if err := post(bs[k]); err != nil {
							return err
						}
					}
					return nil
				})
			}
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		cpu += benchCPU() - cpu0
		requests += len(bodies) * len(clips)
	}
	reportRun(b, requests, elapsed, cpu)
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
	reportRun(b, requests, elapsed, cpu)
}

// reportRun reports requests/s, its ratio to the ideal 1,280 and the CPU time per request.
func reportRun(b *testing.B, requests int, elapsed, cpu time.Duration) {
	rate := float64(requests) / elapsed.Seconds()
	ideal := 2 * benchConcurrency / benchLatency.Seconds()
	b.ReportMetric(rate, "req/s")
	b.ReportMetric(rate/ideal, "ratio")
	b.ReportMetric(float64(cpu.Microseconds())/float64(requests), "cpu-µs/req")
}

// benchModels builds the two runner models as `emoeval run` does (backend.NewClient's stack
// without rate limit and stats; the openai backend is the runner's backend itself).
func benchModels(b *testing.B, url string, store chat.Store) []runner.Model {
	var models []runner.Model
	for _, be := range benchModelBackends(b, url, func(c chat.Client) chat.Client {
		c = chat.WithRetry(c, chat.DefaultRetryPolicy())
		if store != nil {
			c = chat.WithCache(c, store, "model")
		}
		return c
	}) {
		models = append(models, runner.Model{Name: be.Name(), Backend: be, Variants: []variant.Variant{variant.AV},
			Concurrency: benchConcurrency, BatchSize: 1})
	}
	return models
}

// benchModelBackends makes an openai backend per simulated model, each with its own HTTP
// client wrapped by the layers given.
func benchModelBackends(b *testing.B, url string, layers ...func(chat.Client) chat.Client) []*openai.Backend {
	var out []*openai.Backend
	for _, p := range sim.DefaultModels() {
		h, err := chat.NewHTTP(chat.HTTPConfig{Endpoint: url})
		if err != nil {
			b.Fatal(err)
		}
		var c chat.Client = h
		for _, l := range layers {
			c = l(c)
		}
		be, err := openai.New(openai.Options{Name: p.Name, Model: p.Name, Prompt: p.Style}, c)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, be)
	}
	return out
}

// benchCPU is the user and system CPU time of this process so far.
func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
