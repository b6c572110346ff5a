//go:build unix

package llm_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/backend/openai"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/sim"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/judges/llm"
)

// The LLM-judge target: against the simulated judge answering after 50 ms, at concurrency 64,
// the judge reaches at least 90% of the ideal 64/0.05 = 1,280 requests/s.
//
//	go test -run '^$' -bench LLMJudge ./judges/llm/
//
// The explanations are the <think> texts of the simulated models' answers (made once, by a sim
// without latency). Requests go through the real path: the chat HTTP client with the retry
// layer over loopback HTTP to the sim's "judge-sim" with the migr-judge prompt. One op judges
// benchItems explanations: "all" in one Judge call; "batch256" in calls of 256, as the scorer
// sends them (each call waits for its slowest request before the next starts). "bare" sends the
// same requests with plain net/http, as the reference of what this machine and the sim allow.
// "ratio" is requests/s over 1,280; "cpu-µs/req" is the CPU time of the whole process (client
// and server) per request.
const (
	benchLatency     = 50 * time.Millisecond
	benchConcurrency = 64
	benchItems       = 2560 // 2 s at the ideal rate
)

func BenchmarkLLMJudge(b *testing.B) {
	split, err := datasets.Synth(datasets.SynthOptions{Dataset: "dfew", Folds: []int32{5}, Seed: 1, MediaRoot: "/data/dfew"})
	if err != nil {
		b.Fatal(err)
	}
	texts := benchExplanations(b, split, 1024)
	url := benchSim(b, split, benchLatency)
	items := make([]judges.Item, benchItems)
	for i := range items {
		items[i] = judges.Item{Model: "m", ClipID: fmt.Sprint(i), Text: texts[i%len(texts)]}
	}
	h, err := chat.NewHTTP(chat.HTTPConfig{Endpoint: url})
	if err != nil {
		b.Fatal(err)
	}
	j, err := llm.New(llm.Config{Name: "judge", Model: sim.DefaultJudge().Name, Labels: split.Labels,
		Protocol: parse.ProtocolMigr, Concurrency: benchConcurrency}, chat.WithRetry(h, chat.DefaultRetryPolicy()))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("all", func(b *testing.B) { benchJudge(b, j, items, len(items)) })
	b.Run("batch256", func(b *testing.B) { benchJudge(b, j, items, 256) })
	b.Run("bare", func(b *testing.B) { benchBare(b, url, j, items) })
}

// benchBare is the reference: the same requests (bodies made before timing) from 64 goroutines
// with plain net/http, reading each whole response and nothing else. What it lacks of the ideal
// is the machine's (and the sim's).
func benchBare(b *testing.B, url string, j *llm.Judge, items []judges.Item) {
	bodies := make([][]byte, len(items))
	for i, it := range items {
		body, err := chat.MarshalRequest(chat.Request{Model: sim.DefaultJudge().Name, Messages: chat.UserText(j.Prompt(it.Text))})
		if err != nil {
			b.Fatal(err)
		}
		bodies[i] = body
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
		var next atomic.Int64
		var g errgroup.Group
		for range benchConcurrency {
			g.Go(func() error {
				for k := next.Add(1) - 1; k < int64(len(bodies)); k = next.Add(1) - 1 {
					if err := post(bodies[k]); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		cpu += benchCPU() - cpu0
		requests += len(bodies)
	}
	reportRate(b, requests, elapsed, cpu)
}

func benchJudge(b *testing.B, j *llm.Judge, items []judges.Item, batch int) {
	var (
		requests int
		elapsed  time.Duration
		cpu      time.Duration
	)
	for b.Loop() {
		cpu0, start := benchCPU(), time.Now()
		for lo := 0; lo < len(items); lo += batch {
			got, err := j.Judge(context.Background(), items[lo:min(lo+batch, len(items))])
			if err != nil {
				b.Fatal(err)
			}
			for _, g := range got {
				if g.Error != "" {
					b.Fatal(g.Error)
				}
			}
		}
		elapsed += time.Since(start)
		cpu += benchCPU() - cpu0
		requests += len(items)
	}
	reportRate(b, requests, elapsed, cpu)
}

// reportRate reports requests/s, its ratio to the ideal 1,280 and the CPU time per request.
func reportRate(b *testing.B, requests int, elapsed, cpu time.Duration) {
	rate := float64(requests) / elapsed.Seconds()
	b.ReportMetric(rate, "req/s")
	b.ReportMetric(rate/(benchConcurrency/benchLatency.Seconds()), "ratio")
	b.ReportMetric(float64(cpu.Microseconds())/float64(requests), "cpu-µs/req")
}

// benchSim starts a simulated server answering after latency and returns its URL.
func benchSim(b *testing.B, split *datasets.Split, latency time.Duration) string {
	s, err := sim.NewServer(sim.Config{Split: split, Seed: 1, Models: sim.DefaultModels(), Judge: sim.DefaultJudge(),
		Faults: sim.Faults{Latency: latency}})
	if err != nil {
		b.Fatal(err)
	}
	url, stop, err := s.Start(context.Background(), "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	return url
}

// benchExplanations asks the simulated models (without latency) about n test clips and returns
// the <think> texts, as the scorer gives them to a judge with input "think".
func benchExplanations(b *testing.B, split *datasets.Split, n int) []string {
	url := benchSim(b, split, 0)
	h, err := chat.NewHTTP(chat.HTTPConfig{Endpoint: url})
	if err != nil {
		b.Fatal(err)
	}
	parser := parse.NewParser(split.Labels, parse.ProtocolMigr)
	clips := split.Select([]int32{5}, datasets.Test)
	var models []*openai.Backend
	for _, p := range sim.DefaultModels() {
		be, err := openai.New(openai.Options{Name: p.Name, Model: p.Name, Prompt: p.Style}, h)
		if err != nil {
			b.Fatal(err)
		}
		models = append(models, be)
	}
	var out []string
	for i := 0; len(out) < n && i < len(clips)*len(models); i++ {
		r, err := models[i%len(models)].Ask(context.Background(), clips[i/len(models)], predictions.VariantAV, 0)
		if err != nil {
			b.Fatal(err)
		}
		if text := parser.JudgeText(r.Raw, parser.Parse(r.Raw), parse.InputThink); text != "" {
			out = append(out, text)
		}
	}
	if len(out) == 0 {
		b.Fatal("the simulated models gave no explanations")
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
