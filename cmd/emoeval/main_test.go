package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
)

// TestMain lets the test binary act as the emoeval command, so that tests can run it as a
// separate process (to kill it with SIGKILL, to run shards side by side).
func TestMain(m *testing.M) {
	if os.Getenv("EMOEVAL_TEST_AS_CLI") == "1" {
		ctx, cancel := context.WithCancel(context.Background())
		stop := onInterrupt(cancel, func() {
			fmt.Fprintln(os.Stderr, "\nemoeval: interrupted again: exiting now")
			os.Exit(exitInterrupted)
		})
		code := execute(ctx, newFactory(), os.Args[1:])
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// cli is the result of one in-process command.
type cli struct {
	code           int
	stdout, stderr string
}

// runCLI runs emoeval in-process with the given environment.
func runCLI(t *testing.T, env map[string]string, args ...string) cli {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &factory{
		In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		Getenv:     func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		HTTPClient: func() *http.Client { return &http.Client{} },
		Now:        func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) },
	}
	code := execute(context.Background(), f, args)
	return cli{code: code, stdout: out.String(), stderr: errOut.String()}
}

// smallSplit writes a synthetic DFEW split cut down to the first n test clips of fold 5 (with
// media paths and features), and returns its path and clips.
func smallSplit(t testing.TB, dir string, n int) (string, *datasets.Split) {
	t.Helper()
	s, err := datasets.Synth(datasets.SynthOptions{
		Dataset: "dfew", Folds: []int32{5}, Seed: 3, MediaRoot: "/data/DFEW",
		Features: map[string]datasets.FeatureSpec{"video": {Dim: 8, Informativeness: 1}, "audio": {Dim: 8, Informativeness: 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var keep []datasets.Clip
	for _, c := range s.Clips {
		if c.Split == datasets.Test && len(keep) < n {
			keep = append(keep, c)
		}
	}
	s.Clips = keep
	p := filepath.Join(dir, "split.parquet")
	if err := datasets.WriteSplit(p, s); err != nil {
		t.Fatal(err)
	}
	return p, s
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// walkFiles calls fn with the content of every file under dir.
func walkFiles(t *testing.T, dir string, fn func(path string, data []byte)) {
	t.Helper()
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			return err
		}
		fn(p, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
