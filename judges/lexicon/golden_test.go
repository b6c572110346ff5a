package lexicon

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/judges"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGoldenTraces pins the judgment of every labelled explanation (emotion, trace, sentence
// labels), so that a change to the tokeniser or the scoring that changes any result is seen.
func TestGoldenTraces(t *testing.T) {
	const path = "testdata/judgments.golden"
	js := builtinJudges()
	var sb strings.Builder
	for _, c := range loadLabelled(t) {
		got, err := js[c.Set].Judge(context.Background(), []judges.Item{{ClipID: c.ID, Text: c.Text}})
		if err != nil {
			t.Fatal(err)
		}
		g := got[0]
		fmt.Fprintf(&sb, "%s\t%s\t%s\t%s\n", c.ID, g.Emotion, g.ReplyRaw, strings.Join(g.SentenceLabels, ","))
	}
	if *update {
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	gotLines, wantLines := strings.Split(sb.String(), "\n"), strings.Split(string(want), "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("%d lines, golden has %d (go test -update rewrites it)", len(gotLines), len(wantLines))
	}
	for i := range gotLines {
		if gotLines[i] != wantLines[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, gotLines[i], wantLines[i])
		}
	}
}
