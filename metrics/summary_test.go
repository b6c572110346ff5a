package metrics

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestSummaryGolden pins the whole summary.json of a small run with two models, two judges,
// sentence labels, an MI table, human labels, fold means, intervals and comparisons.
func TestSummaryGolden(t *testing.T) {
	b := smallRun(t, 40, parse.ProtocolRobust, 200, 4)
	if err := b.AddJudgment("c", "classifier", "1", JudgeOutcome{Emotion: "happy", SentenceLabels: []string{"happy", "", "sad"}}); err != nil {
		t.Fatal(err)
	}
	if err := b.AddHuman(HumanLabels{Name: "human", Labels: map[string]string{"1": "happy", "2": "sad", "3": "neutral"}}); err != nil {
		t.Fatal(err)
	}
	s, err := b.Summary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "summary.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(append(got, '\n'), want) {
		t.Errorf("summary differs from %s (run with -update after checking the change)", golden)
	}
	var back Summary
	if err := json.Unmarshal(got, &back); err != nil || back.Schema != SummarySchema || len(back.Comparisons) == 0 {
		t.Errorf("summary does not round-trip: %v", err)
	}
}

// TestSummaryEmpty: a summary with no models is still valid JSON with empty lists, not nulls.
func TestSummaryEmpty(t *testing.T) {
	s, err := Build(Input{}, Options{Labels: datasets.DFEW(), Protocol: parse.ProtocolMigr})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(s)
	for _, key := range []string{`"comparisons":[]`, `"folds":[]`, `"fold_aggregation":"pooled"`} {
		if !bytes.Contains(out, []byte(key)) {
			t.Errorf("%s lacks %s", out, key)
		}
	}
}
