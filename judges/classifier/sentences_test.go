package classifier

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", nil},
		{"blank", "  \n\t ", nil},
		{"one", "She smiles.", []string{"She smiles."}},
		{"no final dot", "She smiles", []string{"She smiles"}},
		{"three kinds", "She smiles! Is he sad? He cries.", []string{"She smiles!", "Is he sad?", "He cries."}},
		{"newlines", "Visual: a frown\nAudio: a sob\r\nThus sad", []string{"Visual: a frown", "Audio: a sob", "Thus sad"}},
		{"abbreviation e.g.", "Cues, e.g. a frown, suggest anger. Done.", []string{"Cues, e.g. a frown, suggest anger.", "Done."}},
		{"abbreviation i.e. before capital", "One cue, i.e. Tears, shows it. Sad.", []string{"One cue, i.e. Tears, shows it.", "Sad."}},
		{"title", "Dr. Smith looks calm. He smiles.", []string{"Dr. Smith looks calm.", "He smiles."}},
		{"initial", "J. Smith frowns. Angry.", []string{"J. Smith frowns.", "Angry."}},
		{"decimal", "It lasts 3.5 seconds. Then silence.", []string{"It lasts 3.5 seconds.", "Then silence."}},
		{"version-like number", "Pitch rises by 1.25 and falls.", []string{"Pitch rises by 1.25 and falls."}},
		{"etc. mid-sentence", "Tears, sobs etc. are visible.", []string{"Tears, sobs etc. are visible."}},
		{"etc. at the end", "Tears, sobs etc. The tone is low.", []string{"Tears, sobs etc.", "The tone is low."}},
		{"dotted abbreviation mid-sentence", "At 5 p.m. he shouts.", []string{"At 5 p.m. he shouts."}},
		{"list numbers", "1. She frowns.\n2. She shouts.", []string{"1. She frowns.", "2. She shouts."}},
		{"quote after the end", `He says "stop!" Then he leaves.`, []string{`He says "stop!"`, "Then he leaves."}},
		{"bracket after the end", "(He is angry.) She is not.", []string{"(He is angry.)", "She is not."}},
		{"ellipsis", "He pauses... then smiles.", []string{"He pauses...", "then smiles."}},
		{"unicode ellipsis", "He pauses… Then smiles.", []string{"He pauses…", "Then smiles."}},
		{"interrobang run", "Really?! Yes.", []string{"Really?!", "Yes."}},
		{"no space after dot", "Happy.Sad", []string{"Happy.Sad"}},
		{"punctuation only pieces dropped", "Angry. ... !\n--\nSad.", []string{"Angry.", "Sad."}},
		{"cjk", "他很生气。她在哭！", []string{"他很生气。", "她在哭！"}},
		{"non-latin", "Он злится. Она плачет.", []string{"Он злится.", "Она плачет."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SplitSentences(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("SplitSentences(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzSplitSentences checks that splitting loses, adds and reorders no letter or digit, and that
// every sentence is trimmed, single-line and non-empty.
func FuzzSplitSentences(f *testing.F) {
	for _, s := range []string{"", "She smiles. He cries!", "e.g. 3.5 etc. Dr. J. Smith\n1. ok", "“Stop!” he said… 。！", "\x00.\xff. a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := SplitSentences(text)
		var joined strings.Builder
		for _, s := range got {
			if s == "" || s != strings.TrimSpace(s) || strings.ContainsAny(s, "\r\n") {
				t.Fatalf("bad sentence %q from %q", s, text)
			}
			joined.WriteString(s)
		}
		if a, b := alnum(joined.String()), alnum(strings.ToValidUTF8(text, "\uFFFD")); a != b {
			t.Fatalf("letters and digits changed: %q → %q", b, a)
		}
	})
}

func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}
