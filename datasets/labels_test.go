package datasets

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

func TestParseLabelSetErrors(t *testing.T) {
	tests := []struct {
		yaml string
		key  string
		want string
	}{
		{"name: x\nlabels: [a, b]\nextra: 1\n", "", "not a label set"},
		{"labels: [a, b]\n", "name", "no name"},
		{"name: dfew\nlabels: [a, b]\n", "name", "reserved"},
		{"name: x\nlabels: [a]\n", "labels", "at least two labels"},
		{"name: x\nlabels: [a, unknown]\n", "labels", `label 2: "unknown"`},
		{"name: x\nlabels: [a, A]\n", "labels", "appears twice"},
		{"name: x\nlabels: [a, b]\nsynonyms: {c: d}\n", "synonyms", `"c" maps to "d"`},
	}
	for _, tt := range tests {
		_, err := ParseLabelSet("labels.yaml", []byte(tt.yaml))
		var ie *inputerr.Error
		if !errors.As(err, &ie) || ie.File != "labels.yaml" || ie.Key != tt.key || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v; want an input error at key %q saying %q", tt.yaml, err, tt.key, tt.want)
		}
	}
	if _, err := LoadLabelSet(filepath.Join(t.TempDir(), "none.yaml")); !inputerr.Is(err) {
		t.Errorf("missing file: got %v, want an input error", err)
	}
}
