package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/sim"
	"github.com/emoeval/emoeval/pipeline/spec"
)

// A run's memory depends on its concurrency and the answer limit, not on how many answers the
// split asks for: answers are kept on disk until scored. Four times the answers (600 of 256 KiB
// instead of 150: 112 MiB more text) leave the live heap's peak where it was, give or take half that text.
func TestRunMemoryDoesNotGrowWithTheAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 190 MiB over loopback")
	}
	if raceEnabled {
		t.Skip("the race detector makes this ten times slower and changes what the heap holds: make test runs it again without -race")
	}
	const pad = 256 << 10
	small, large := liveHeapGrowth(t, 150, pad), liveHeapGrowth(t, 600, pad)
	more := int64(600-150) * pad
	t.Logf("live heap growth: %d MiB for 150 answers, %d MiB for 600 (%d MiB more text)", small>>20, large>>20, more>>20)
	if large-small > more/2 {
		t.Errorf("the live heap grew %d MiB more for %d MiB more answers: the answers are held in memory", (large-small)>>20, more>>20)
	}
}

// liveHeapGrowth runs n clips against a simulated server sending answers padded by pad bytes,
// and returns how much the live heap grew at its peak.
func liveHeapGrowth(t *testing.T, clips int, pad int64) int64 {
	t.Helper()
	dir := t.TempDir()
	s, err := datasets.Synth(datasets.SynthOptions{Dataset: "dfew", Folds: []int32{5}, Seed: 1})
	must(t, err)
	var keep []datasets.Clip
	for _, c := range s.Clips {
		if c.Split == datasets.Test && len(keep) < clips {
			keep = append(keep, c)
		}
	}
	s.Clips = keep
	split := filepath.Join(dir, "split.parquet")
	must(t, datasets.WriteSplit(split, s))
	srv, err := sim.NewServer(sim.Config{Split: s, Seed: 1, Models: sim.DefaultModels(), Judge: sim.DefaultJudge(), Faults: sim.Faults{Pad: pad}})
	must(t, err)
	url, stop, err := srv.Start(context.Background(), "127.0.0.1:0")
	must(t, err)
	defer stop()
	cfg := filepath.Join(dir, "emoeval.yaml")
	must(t, os.WriteFile(cfg, fmt.Appendf(nil, "name: x\ndataset: {name: dfew, split: %q}\nmodels:\n"+
		"  - {name: m, backend: openai, endpoint: %s, model: migr-sim, concurrency: 8}\njudges:\n  - {name: lexicon, kind: lexicon}\n"+
		"statistics: {bootstrap: 0}\nreport: {formats: [md], examples: 3}\n", split, url), 0o644))
	sp, err := LoadSpec(cfg, func(string) (string, bool) { return "", false }, spec.Registries{})
	must(t, err)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	done, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			// What is live, not what the collector has yet to free (the simulated server's
			// garbage among it).
			runtime.GC()
			runtime.ReadMemStats(&m)
			peak.Store(max(peak.Load(), m.HeapAlloc))
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	res, err := Run(context.Background(), RunOptions{Spec: sp, ConfigFile: cfg, Out: filepath.Join(dir, "run")})
	close(done)
	<-sampled
	must(t, err)
	if n := res.Summary.Models["m"].N; n != clips {
		t.Fatalf("%d answers scored, want %d", n, clips)
	}
	if _, err := os.Stat(filepath.Join(dir, "run", spoolFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the spool is left behind: %v", err)
	}
	return int64(peak.Load()) - int64(before.HeapAlloc)
}

// An answer the spool cannot keep stops the run, as a full cache does.
func TestSpoolFailureStopsTheRun(t *testing.T) {
	var cause error
	sp, err := newAnswerSpool(t.TempDir(), func(err error) { cause = err })
	must(t, err)
	sp.f.Close() // every write now fails
	b := sp.wrap("m", echoBackend{})
	res, err := b.Predict(context.Background(), []runner.Task{{Clip: datasets.Clip{ClipID: "1"}}, {Clip: datasets.Clip{ClipID: "2"}}})
	must(t, err)
	var se *StoreError
	if !errors.As(cause, &se) || !strings.Contains(se.Error(), "the run's answers cannot be written") {
		t.Fatalf("cause = %v, want a StoreError about the answers", cause)
	}
	for i, r := range res {
		if r.Err == nil || r.Raw != "" {
			t.Errorf("result %d: %+v, want failed", i, r)
		}
	}
}

func TestSpoolGivesBackEveryAnswer(t *testing.T) {
	sp, err := newAnswerSpool(t.TempDir(), func(err error) { t.Fatal(err) })
	must(t, err)
	defer sp.close()
	tasks := []runner.Task{{Clip: datasets.Clip{ClipID: "1"}}, {Clip: datasets.Clip{ClipID: "2"}, SampleIndex: 1}, {Clip: datasets.Clip{ClipID: "3"}}}
	res, err := sp.wrap("m", echoBackend{}).Predict(context.Background(), tasks)
	must(t, err)
	for i, r := range res {
		if r.Raw != "" {
			t.Errorf("result %d kept its text in memory", i)
		}
		got, err := sp.text("m", runner.Outcome{Model: "m", Task: tasks[i], Result: r})
		if want := "answer to " + tasks[i].Clip.ClipID; err != nil || got != want {
			t.Errorf("text %d = %q, %v; want %q", i, got, err, want)
		}
	}
	// An empty answer (a failed call) never went to the spool.
	if got, err := sp.text("m", runner.Outcome{Model: "m", Task: runner.Task{Clip: datasets.Clip{ClipID: "9"}}}); got != "" || err != nil {
		t.Errorf("unknown task: %q, %v", got, err)
	}
}

type echoBackend struct{}

func (echoBackend) Predict(_ context.Context, tasks []runner.Task) ([]runner.Result, error) {
	out := make([]runner.Result, len(tasks))
	for i, t := range tasks {
		out[i].Raw = "answer to " + t.Clip.ClipID
	}
	return out, nil
}
