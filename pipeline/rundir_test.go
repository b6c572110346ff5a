package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

func TestCheckRunDir(t *testing.T) {
	dir := t.TempDir()
	if err := CheckRunDir(filepath.Join(dir, "new"), "abc", false); err != nil {
		t.Errorf("a missing directory: %v", err)
	}
	run := filepath.Join(dir, "run")
	if err := WriteJSON(filepath.Join(run, ManifestFile), &Manifest{Schema: ManifestSchema, ConfigSHA256: "abc"}); err != nil {
		t.Fatal(err)
	}
	if err := CheckRunDir(run, "abc", false); err != nil {
		t.Errorf("the same configuration (a resume): %v", err)
	}
	err := CheckRunDir(run, "def", false)
	if err == nil || !inputerr.Is(err) || !strings.Contains(err.Error(), "another configuration") {
		t.Errorf("another configuration: %v", err)
	}
	if err := CheckRunDir(run, "def", true); err != nil {
		t.Errorf("--force: %v", err)
	}
	other := filepath.Join(dir, "other")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckRunDir(other, "abc", false); err == nil {
		t.Error("a directory of someone else's files was accepted")
	}
}

func TestRenderReportInputErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := RenderReport(context.Background(), dir, ReportOptions{Formats: []string{"docx"}}); err == nil || !inputerr.Is(err) {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := RenderReport(context.Background(), dir, ReportOptions{Formats: []string{"md"}}); err == nil || !strings.Contains(err.Error(), "not a run directory") {
		t.Errorf("a directory without a manifest: %v", err)
	}
}

func TestCheckSameInputs(t *testing.T) {
	a := &Manifest{Inputs: []InputFile{{Role: "config", SHA256: "c1"}, {Role: "split", Path: "s", SHA256: "s1"}, {Role: "prompt:m", Path: "p", SHA256: "p1"}}}
	same := &Manifest{Inputs: []InputFile{{Role: "config", SHA256: "c2"}, {Role: "split", Path: "s", SHA256: "s1"}, {Role: "prompt:m", Path: "p", SHA256: "p1"}}}
	other := &Manifest{Inputs: []InputFile{{Role: "split", Path: "s", SHA256: "s1"}, {Role: "prompt:m", Path: "p", SHA256: "p2"}}}
	if err := checkSameInputs([]string{"a", "b"}, []*Manifest{a, same}); err != nil {
		t.Errorf("same inputs: %v", err)
	}
	err := checkSameInputs([]string{"a", "b"}, []*Manifest{a, other})
	if err == nil || !inputerr.Is(err) || !strings.Contains(err.Error(), "prompt:m") {
		t.Errorf("another prompt file: %v", err)
	}
}

func TestRenderReportRefusesAnUnfinishedRun(t *testing.T) {
	dir := t.TempDir()
	if err := WriteJSON(filepath.Join(dir, ManifestFile), &Manifest{Schema: ManifestSchema, ConfigSHA256: "abc"}); err != nil {
		t.Fatal(err)
	}
	if _, err := RenderReport(context.Background(), dir, ReportOptions{Formats: []string{"md"}}); err == nil || !strings.Contains(err.Error(), "not finished") {
		t.Errorf("an unfinished run: %v", err)
	}
}

// An interrupted run says what a resume will ask again: in-process models are not cached.
func TestInterruptedSaysWhatIsCached(t *testing.T) {
	e := &ErrInterrupted{Resume: "emoeval run -c x.yaml --resume", Done: 10, Total: 40, Phase: "model calls"}
	if got := e.Error(); !strings.Contains(got, "after 10 of 40 model calls; the answers so far are in the cache. Resume with:\n  emoeval run -c x.yaml --resume") {
		t.Errorf("all cached: %q", got)
	}
	e.Rerun = []string{"fusion"}
	if got := e.Error(); !strings.Contains(got, "the servers' answers so far are in the cache; fusion run in-process, uncached, and run again from the start") {
		t.Errorf("an ONNX model: %q", got)
	}
}
