package datasets

import (
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// FuzzParseLabelSet: any bytes give a label set whose labels are distinct, lower-case and
// non-empty, or an input error.
func FuzzParseLabelSet(f *testing.F) {
	f.Add([]byte("name: mine\nlabels: [calm, tense, joyful]\nsynonyms: {relaxed: calm}\n"))
	f.Add([]byte("name: dfew\nlabels: [a, b]\n"))
	f.Add([]byte("labels: [A, a]\nname: x\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ls, err := ParseLabelSet("labels.yaml", data)
		if err != nil {
			if !inputerr.Is(err) {
				t.Fatalf("a rejection that is not an input error: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, l := range ls.Labels {
			if l == "" || seen[l] || l == Unknown {
				t.Fatalf("bad label %q in %v", l, ls.Labels)
			}
			seen[l] = true
		}
		for k, v := range ls.Synonyms {
			if !seen[v] {
				t.Fatalf("synonym %q maps to %q, not a label", k, v)
			}
		}
	})
}
