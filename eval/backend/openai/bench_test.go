//go:build unix

package openai

import (
	"context"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emoeval/emoeval/eval/cache"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/sim"
)

// BenchmarkTwoModels32 runs two simulated models, 32 concurrent requests each, against the sim
// answering after 50 ms, over loopback HTTP with keep-alive; every worker makes b.N requests in a
// row (run with -benchtime 20x or so). The ideal is 2·32/0.05 = 1,280 requests/s; "%ideal" is
// the share reached, "cpu-µs/req" the CPU time of client and server together per request.
func BenchmarkTwoModels32(b *testing.B) { benchTwoModels(b, false) }

// BenchmarkTwoModels32Cached is the same with every response committed to a SQLite cache.
func BenchmarkTwoModels32Cached(b *testing.B) { benchTwoModels(b, true) }

func benchTwoModels(b *testing.B, cached bool) {
	const (
		concurrency = 32
		latency     = 50 * time.Millisecond
	)
	split := simSplit(concurrency)
	_, url := startSim(b, split, sim.Faults{Latency: latency})
	var store *cache.Cache
	if cached {
		var err error
		if store, err = cache.Open(filepath.Join(b.TempDir(), "cache.sqlite")); err != nil {
			b.Fatal(err)
		}
		defer store.Close()
	}
	var backends []*Backend
	for _, m := range sim.DefaultModels() {
		h, err := chat.NewHTTP(chat.HTTPConfig{Endpoint: url})
		if err != nil {
			b.Fatal(err)
		}
		var c chat.Client = chat.WithRetry(h, chat.DefaultRetryPolicy())
		if cached {
			c = chat.WithCache(c, store, "openai")
		}
		be, err := New(Options{Name: m.Name, Model: m.Name, Prompt: m.Style}, chat.WithStats(c, &chat.Stats{}))
		if err != nil {
			b.Fatal(err)
		}
		backends = append(backends, be)
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	var wg sync.WaitGroup
	for _, be := range backends {
		for w := range concurrency {
			wg.Go(func() {
				for i := range b.N {
					// A new sample index each time: every request is a cache miss.
					if _, err := be.Ask(context.Background(), split.Clips[w], predictions.VariantAV, i); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	elapsed := b.Elapsed()
	requests := len(backends) * concurrency * b.N
	rate := float64(requests) / elapsed.Seconds()
	ideal := float64(len(backends)*concurrency) / latency.Seconds()
	b.ReportMetric(rate, "req/s")
	b.ReportMetric(100*rate/ideal, "%ideal")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(requests), "cpu-µs/req")
	b.ReportMetric(0, "ns/op") // a worker round; req/s says more
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
