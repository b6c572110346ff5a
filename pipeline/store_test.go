package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/sim"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/pipeline/spec"
)

// fullDisk is a cache that fails every write after the first n, as a full disk does.
type fullDisk struct {
	chat.Store
	n      int32
	writes atomic.Int32
}

func (d *fullDisk) Put(ctx context.Context, key string, value []byte) error {
	if d.writes.Add(1) > d.n {
		return &os.PathError{Op: "write", Path: "cache.sqlite-wal", Err: syscall.ENOSPC}
	}
	return d.Store.Put(ctx, key, value)
}

// A cache that cannot be written stops the run at its first failure: no more requests are
// paid for, and the message names the full disk and the command that resumes.
func TestFullDiskStopsTheRun(t *testing.T) {
	dir := t.TempDir()
	s, err := datasets.Synth(datasets.SynthOptions{Dataset: "dfew", Folds: []int32{5}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	split := filepath.Join(dir, "split.parquet")
	if err := datasets.WriteSplit(split, s); err != nil {
		t.Fatal(err)
	}
	srv, err := sim.NewServer(sim.Config{Split: s, Seed: 1, Models: sim.DefaultModels(), Judge: sim.DefaultJudge()})
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := srv.Start(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	cfg := filepath.Join(dir, "emoeval.yaml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, "name: x\ndataset: {name: dfew, split: %q}\nmodels:\n  - {name: m, backend: openai, endpoint: %s, model: migr-sim, concurrency: 4}\nstatistics: {bootstrap: 0}\nreport: {formats: [md]}\n", split, url), 0o644); err != nil {
		t.Fatal(err)
	}
	sp, err := LoadSpec(cfg, func(string) (string, bool) { return "", false }, spec.Registries{})
	if err != nil {
		t.Fatal(err)
	}
	var disk *fullDisk
	_, err = Run(context.Background(), RunOptions{Spec: sp, ConfigFile: cfg, Out: filepath.Join(dir, "run"), ResumeCommand: "emoeval run -c x --resume",
		WrapStore: func(st chat.Store) chat.Store { disk = &fullDisk{Store: st, n: 10}; return disk }})
	var se *StoreError
	if !errors.As(err, &se) || inputerr.Is(err) {
		t.Fatalf("err = %v, want a StoreError (exit 1)", err)
	}
	for _, want := range []string{"the disk is full", "resume with:\n  emoeval run -c x --resume"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	if got := srv.Stats().Completions; got > 30 {
		t.Errorf("%d completions asked after the cache stopped taking them (2336 in the split)", got)
	}
}
