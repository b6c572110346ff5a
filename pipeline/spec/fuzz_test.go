package spec

import (
	"path/filepath"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// FuzzParse feeds arbitrary bytes to the configuration reader: it must never panic, and every
// rejection must be an input error (exit 2).
func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("name: x\nmodels: [{name: a, backend: replay, path: p}]\n"))
	f.Add([]byte("name: [unclosed\n"))
	f.Add([]byte("statistics: {alpha: .nan, bootstrap: -1}\nmodels: [{backend: openai, temperature: .inf}]\n"))
	f.Add([]byte("judges: [{kind: llm, votes: x}]\nmodels: [{backend: nope}]\n"))
	f.Add([]byte("\xff\xfe\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "emoeval.yaml")
		s, err := Parse(path, data, opts(testEnv))
		if err != nil {
			if !inputerr.Is(err) {
				t.Fatalf("a rejection that is not an input error: %v", err)
			}
			return
		}
		_ = s.Hash()
	})
}
