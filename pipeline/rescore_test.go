package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/pipeline/human"
)

// Annotations written after a run reach its summary through `emoeval report`, which scores the
// stored rows again; with the annotations gone again the summary is byte for byte the one the
// run computed, so the refresh scores exactly as the run does.
func TestReportScoresAgainWhenAnnotationsChange(t *testing.T) {
	onnxtest.Runtime(t) // the demo runs an ONNX model
	if testing.Short() {
		t.Skip("runs the demo")
	}
	dir := filepath.Join(t.TempDir(), "demo")
	ctx := context.Background()
	if _, err := Demo(ctx, DemoOptions{Out: dir, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	run := filepath.Join(dir, "run")
	summaryPath := filepath.Join(run, SummaryFile)
	original, err := os.ReadFile(summaryPath)
	if err != nil {
		t.Fatal(err)
	}
	var logged []string
	report := func() {
		t.Helper()
		logged = nil
		logf := func(format string, args ...any) { logged = append(logged, format) }
		if _, err := RenderReport(ctx, run, ReportOptions{Formats: []string{"md"}, Logf: logf}); err != nil {
			t.Fatal(err)
		}
	}
	report()
	if len(logged) != 0 {
		t.Errorf("report without annotations logged %q", logged)
	}

	// Label every fourth migr explanation as the gpt-sim judge read it, except for a few.
	rows, err := ReadRows(run)
	if err != nil {
		t.Fatal(err)
	}
	store := human.NewStore(run)
	n := 0
	for i, j := range rows.Judgments {
		if j.Model != "migr" || j.Judge != "gpt-sim" || i%4 != 0 {
			continue
		}
		emotion := j.Emotion
		if emotion == "unknown" || n%10 == 0 {
			emotion = human.NoEmotion
		}
		n++
		if err := store.Put(human.Row{Annotator: "alice", Model: "migr", ClipID: j.ClipID, Emotion: emotion,
			Stratum: "migr/all", InclusionProb: 0.25, Judge: "gpt-sim", Seed: 1, AnsweredAt: time.Unix(0, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	if n < 50 {
		t.Fatalf("only %d explanations labelled", n)
	}
	report()
	if len(logged) != 1 || !strings.Contains(logged[0], "changed") {
		t.Errorf("logged %q, want the summary scored again", logged)
	}
	s, err := ReadSummary(summaryPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, judge := range []string{"gpt-sim", "lexicon"} {
		c := s.Models["migr"].Reliability[judge].Corrected
		if c == nil || c.NHuman != n || c.Human != "human:alice" {
			t.Fatalf("migr under %s: corrected = %+v, want %d labels of human:alice", judge, c, n)
		}
		want := metrics.StrataJudgeCell // drawn within gpt-sim's cells, by any judge's reading
		if judge != "gpt-sim" {
			want += " of gpt-sim"
		}
		if c.Strata != want {
			t.Errorf("migr under %s: strata %q, want %q", judge, c.Strata, want)
		}
	}
	if s.Models["r1-omni"].Reliability["gpt-sim"].Corrected != nil {
		t.Error("r1-omni has corrected rates from migr's labels")
	}
	m, err := ReadManifest(run)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, in := range m.Inputs {
		found = found || in.Role == AnnotationsRole
	}
	if !found {
		t.Errorf("manifest inputs %+v lack %s", m.Inputs, AnnotationsRole)
	}

	report() // nothing changed since
	if len(logged) != 0 {
		t.Errorf("second report logged %q", logged)
	}

	if err := os.Remove(filepath.Join(run, human.File)); err != nil {
		t.Fatal(err)
	}
	report()
	got, err := os.ReadFile(summaryPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, original) {
		t.Error("without annotations the summary scored again differs from the run's")
	}
}
