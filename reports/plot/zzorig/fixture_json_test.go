package plot

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/emoeval/emoeval/metrics"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixturePath holds fixtureSummary as JSON, for the tests of packages that draw on it
// (reports/pdf reads it).
const fixturePath = "testdata/fixture-summary.json"

// TestFixtureJSONIsCurrent compares as summaries, not bytes, so that a field added to
// metrics.Summary does not make the file stale.
func TestFixtureJSONIsCurrent(t *testing.T) {
	data, err := json.MarshalIndent(fixtureSummary(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(fixturePath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fixturePath, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stored, err := os.ReadFile(fixturePath)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	var want, got metrics.Summary
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(stored, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s is stale: run go test ./reports/plot -run FixtureJSON -update", fixturePath)
	}
}
