package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emoeval/emoeval/eval/sim"
	"github.com/emoeval/emoeval/internal/lockfile"
	"github.com/emoeval/emoeval/pipeline"
)

// One writer per run directory: a second run on it exits 2 naming the holder.
func TestSecondWriterIsRefused(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 20)
	_, url := startSim(t, split, sim.Faults{})
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, runConfig(splitPath, url, ""))
	out := filepath.Join(dir, "run")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	held, err := lockfile.Acquire(out, time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--format", "none")
	held.Release()
	if r.code != exitBadInput || !strings.Contains(r.stderr, fmt.Sprintf("pid %d, started 2026-12-04 09:30:00 UTC", os.Getpid())) {
		t.Fatalf("second writer: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--format", "none"); r.code != 0 {
		t.Fatalf("after the holder let go: exit %d: %s", r.code, r.stderr)
	}
}

// A finished run stays finished when a rerun of it fails: its manifest, summary and report stay
// as they were, and report still renders it.
func TestFinishedRunStaysFinishedWhenARerunFails(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 30)
	srv, err := sim.NewServer(sim.Config{Split: split, Seed: 7, Models: sim.DefaultModels(), Judge: sim.DefaultJudge()})
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := srv.Start(t.Context(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, runConfig(splitPath, url, ""))
	out := filepath.Join(dir, "run")
	if r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--format", "none"); r.code != 0 {
		t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
	}
	summary, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	// The rerun dies at its check of the endpoints: the server is gone.
	stop()
	if r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--format", "none"); r.code == 0 {
		t.Fatal("the rerun against a stopped server succeeded")
	}
	man, err := pipeline.ReadManifest(out)
	if err != nil || man.Finished.IsZero() || man.Counts == nil || man.Counts.Tasks == 0 {
		t.Fatalf("manifest after the failed rerun: %+v, %v", man, err)
	}
	if after, _ := os.ReadFile(filepath.Join(out, "summary.json")); !bytes.Equal(summary, after) {
		t.Error("the failed rerun changed summary.json")
	}
	if r := runCLI(t, nil, "report", out, "--formats", "md"); r.code != 0 {
		t.Errorf("report of the finished run: exit %d: %s", r.code, r.stderr)
	}
}

// --force replaces emoeval's own results, never a folder of someone else's files.
func TestForceNeverDeletesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 10)
	_, url := startSim(t, split, sim.Faults{})
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, runConfig(splitPath, url, ""))
	thesis := filepath.Join(dir, "mine", "report", "thesis.tex")
	writeFile(t, thesis, "\\documentclass{article}")
	r := runCLI(t, nil, "run", "-c", cfg, "--out", filepath.Join(dir, "mine"), "--force", "--format", "none")
	if r.code != exitBadInput || !strings.Contains(r.stderr, "holds no emoeval manifest") {
		t.Errorf("--force on a folder that is not a run: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(thesis); err != nil {
		t.Errorf("the user's file is gone: %v", err)
	}
}

// Two equivalent runs (the second answered from the first's cache) give byte-identical
// summaries: nothing in summary.json says how the run went (retries, times).
func TestEquivalentRunsGiveIdenticalSummaries(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 40)
	_, url := startSim(t, split, sim.Faults{P500: 0.2, P429: 0.1})
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, runConfig(splitPath, url, ""))
	out := filepath.Join(dir, "run")
	if r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--format", "none"); r.code != 0 {
		t.Fatalf("run: exit %d: %s", r.code, r.stderr)
	}
	first, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--format", "none"); r.code != 0 {
		t.Fatalf("rerun: exit %d: %s", r.code, r.stderr)
	}
	second, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if !bytes.Equal(first, second) {
		t.Error("the rerun's summary.json differs from the first run's")
	}
}

// A merge killed while staging leaves a .staging folder; the same merge then runs cleanly.
func TestKilledMergeRerunsCleanly(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 40)
	_, url := startSim(t, split, sim.Faults{})
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, runConfig(splitPath, url, ""))
	var shards []string
	for i := range 2 {
		d := filepath.Join(dir, fmt.Sprintf("s%d", i))
		shards = append(shards, d)
		if r := runCLI(t, nil, "run", "-c", cfg, "--shard", fmt.Sprintf("%d/2", i), "--out", d, "--format", "none"); r.code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, r.code, r.stderr)
		}
	}
	merged := filepath.Join(dir, "merged")
	// What a merge killed while staging leaves behind.
	writeFile(t, filepath.Join(merged, ".staging-123", "predictions.parquet"), "partial")
	writeFile(t, filepath.Join(merged, lockfile.Name), "pid 1, started long ago\n")
	if r := runCLI(t, nil, "merge", shards[0], shards[1], "-o", merged, "--format", "none"); r.code != 0 {
		t.Fatalf("merge after a killed merge: exit %d: %s", r.code, r.stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(merged, ".staging-*")); len(left) > 0 {
		t.Errorf("leftovers: %v", left)
	}
}
