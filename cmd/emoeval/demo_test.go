package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/pipeline"
	"github.com/emoeval/emoeval/pipeline/human"
)

// The README's first command, as a user types it: `emoeval demo --out DIR` with a relative DIR,
// from a working directory that is not the repository, twice in a row (the second run replaces
// the first). The demo's emoeval.yaml must then work from its own folder too, and name its files
// relative to itself so that it can be copied and edited.
func TestDemoWithRelativeOut(t *testing.T) {
	onnxtest.Runtime(t) // the demo runs an ONNX model
	if testing.Short() {
		t.Skip("the whole demo takes seconds")
	}
	work := t.TempDir()
	t.Chdir(work)
	for run := 1; run <= 2; run++ {
		res := runCLI(t, nil, "demo", "--out", "out/demo", "--format", "none")
		if res.code != 0 {
			t.Fatalf("run %d: exit %d\n%s", run, res.code, res.stderr)
		}
		if !strings.Contains(res.stderr, "ran in-process: fusion: cpu, ") {
			t.Errorf("run %d does not say where the ONNX model ran:\n%s", run, res.stderr)
		}
		for _, f := range []string{"out/demo/run/report/report.pdf", "out/demo/run/summary.json", "out/demo/run/manifest.json"} {
			if st, err := os.Stat(f); err != nil || st.Size() == 0 {
				t.Fatalf("run %d: %s: %v", run, f, err)
			}
		}
		if !strings.Contains(res.stderr, "report: "+filepath.Join("out", "demo", "run", "report", "report.pdf")) {
			t.Errorf("run %d does not say where report.pdf is:\n%s", run, res.stderr)
		}
	}
	cfg, err := os.ReadFile("out/demo/emoeval.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`split: "data/dfew-synth.parquet"`, `path: "data/fusion.onnx"`} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("emoeval.yaml lacks %s (paths relative to the file):\n%s", want, cfg)
		}
	}
	var sum struct {
		Models map[string]struct {
			N      int    `json:"n"`
			Device string `json:"device"`
		} `json:"models"`
	}
	b, err := os.ReadFile("out/demo/run/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Models["migr"].N != 2336 || sum.Models["r1-omni"].N != 2336 {
		t.Errorf("summary: %+v, want 2336 clips per model", sum.Models)
	}
	// Where the in-process model ran is recorded (the device that ran, not "auto"), and said.
	if sum.Models["fusion"].Device != "cpu" || sum.Models["migr"].Device != "" {
		t.Errorf("devices in summary.json: %+v", sum.Models)
	}

	// Answers given in the viewer afterwards reach the summary at the next report, from the same
	// relative run directory.
	rows, err := pipeline.ReadRows("out/demo/run")
	if err != nil {
		t.Fatal(err)
	}
	store := human.NewStore("out/demo/run")
	labelled := 0
	for i, j := range rows.Judgments {
		if j.Model == "migr" && j.Judge == "gpt-sim" && i%3 == 0 {
			labelled++
			if err := store.Put(human.Row{Annotator: "bob", Model: "migr", ClipID: j.ClipID, Emotion: j.Emotion,
				Stratum: "migr", InclusionProb: 1.0 / 3, Judge: "gpt-sim", Seed: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	res := runCLI(t, nil, "report", "out/demo/run", "--formats", "md")
	if res.code != 0 || !strings.Contains(res.stderr, "human.parquet changed: summary.json scored again") {
		t.Fatalf("report after annotating: exit %d\n%s", res.code, res.stderr)
	}
	s, err := pipeline.ReadSummary("out/demo/run/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Models["migr"].Reliability["gpt-sim"].Corrected; c == nil || c.NHuman != labelled {
		t.Errorf("corrected = %+v, want %d human labels", c, labelled)
	}
}
