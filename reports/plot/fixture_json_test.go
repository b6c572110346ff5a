package plot

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixturePath holds fixtureSummary as JSON, for the tests of packages that draw on it
// (reports/pdf reads it).
const fixturePath = "testdata/fixture-summary.json"

func TestFixtureJSONIsCurrent(t *testing.T) {
	want, err := json.MarshalIndent(fixtureSummary(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(fixturePath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fixturePath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(fixturePath)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go test ./reports/plot -run FixtureJSON -update", fixturePath)
	}
}
