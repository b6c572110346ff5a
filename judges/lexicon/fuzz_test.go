package lexicon

import (
	"context"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/judges"
)

// FuzzClassify: any bytes classify without panic, to a label of the set, the same way twice,
// with valid UTF-8 sentences, and the Judge agrees with Classify.
func FuzzClassify(f *testing.F) {
	for _, c := range loadLabelled(f) {
		f.Add(c.Text)
	}
	for _, s := range []string{"", "\xff", "n't", "'s", "cannot", "<", "<think>", "a.b.c.", "-->", "…",
		"not not not angry", "neither nor", "but but", "although", "\u2019s", "e.g.", "3.5.", "/&/",
		"no sign of", "eyes _ well up", "_", "* angry*", "ANGRY’", "emotion: ", "a\u0301ngry"} {
		f.Add(s)
	}
	sets := []*datasets.LabelSet{datasets.DFEW(), datasets.MAFW()}
	js := []*Judge{New(sets[0]), New(sets[1])}
	f.Fuzz(func(t *testing.T, text string) {
		for k, j := range js {
			r := j.Classify(text)
			if r.Abstained != (r.Emotion == datasets.Unknown) || !r.Abstained && !sets[k].Contains(r.Emotion) {
				t.Fatalf("%s: emotion %q (abstained %v) not a label", sets[k].Name, r.Emotion, r.Abstained)
			}
			if again := j.Classify(text); !reflect.DeepEqual(r, again) {
				t.Fatalf("%s: not deterministic:\n%+v\n%+v", sets[k].Name, r, again)
			}
			for _, s := range r.Sentences {
				if s.Emotion != "" && !sets[k].Contains(s.Emotion) {
					t.Fatalf("sentence emotion %q", s.Emotion)
				}
				if !utf8.ValidString(s.Text) || s.Text == "" {
					t.Fatalf("sentence text %q", s.Text)
				}
			}
			got, err := j.Judge(context.Background(), []judges.Item{{Text: text}})
			if err != nil || got[0].Emotion != r.Emotion || got[0].Abstained != r.Abstained ||
				len(got[0].Sentences) != len(r.Sentences) {
				t.Fatalf("Judge %+v, %v; Classify %+v", got, err, r)
			}
		}
	})
}
