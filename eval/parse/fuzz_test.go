package parse_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
)

var fuzzSeeds = []string{
	"",
	"<think>He shouts.</think>\n<answer>angry</answer>",
	"<think>cut off",
	"<answer>Sadness",
	"<vis_desc>Eyes wide.</vis_desc>\r\n<aud_desc>Gasp.</aud_desc>\r<think>Shock.</think><answer>surprise</answer><|im_end|>",
	"<aud_desc>a|b</aud_desc><think>x</think><answer>happiness</answer>",
	"<answer>happy</answer><answer>sad</answer>",
	"Neutral<|im_end|>",
	"fear | sad",
	"line one\n12|looks like a record\n<answer>fear</answer>",
	"\n\n  \t\n",
	"<ANSWER>anger</ANSWER>",
	"İ<answer>fear</answer>Ⱥ",
	"<answer>\x85sad\u2028</answer>",
}

func validStatus(s parse.Status) bool {
	switch s {
	case parse.StatusOK, parse.StatusNoAnswer, parse.StatusUnclosedAnswer, parse.StatusUnknownLabel, parse.StatusEmpty:
		return true
	}
	return false
}

func validLabel(ls *datasets.LabelSet, l string) bool { return l == datasets.Unknown || ls.Contains(l) }

// joinAsIDPipe writes raw as the authors' scripts would have ("7|" + raw + "\n") and reads it back
// with the id-pipe reader; ok is false when raw does not come back as one record (a line of it
// would start a record of its own, or it is not UTF-8).
func joinAsIDPipe(raw string) (string, bool) {
	var outs []predictions.Output
	err := predictions.ScanReader(context.Background(), "fuzz.txt", strings.NewReader("7|"+raw+"\n"), predictions.FormatIDPipe,
		func(o predictions.Output) error {
			outs = append(outs, o)
			return nil
		})
	if err != nil || len(outs) != 1 {
		return "", false
	}
	return outs[0].Raw, true
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	sets := []*datasets.LabelSet{datasets.DFEW(), datasets.MAFW()}
	f.Fuzz(func(t *testing.T, raw string) {
		joined, joinedOK := "", false
		if utf8.ValidString(raw) {
			joined, joinedOK = joinAsIDPipe(raw)
		}
		for _, ls := range sets {
			for _, proto := range []parse.Protocol{parse.ProtocolMigr, parse.ProtocolRobust} {
				p := parse.NewParser(ls, proto)
				o := p.Parse(raw)
				if !validLabel(ls, o.Pred) || !validLabel(ls, o.QuarterPred) {
					t.Fatalf("%s %s: pred %q quarter %q outside the label set", ls.Name, proto, o.Pred, o.QuarterPred)
				}
				if !validStatus(o.Status) {
					t.Fatalf("%s %s: status %q", ls.Name, proto, o.Status)
				}
				if o.Order != parse.DescOrder(raw) {
					t.Fatalf("order %q", o.Order)
				}
				if (o.Status == parse.StatusOK || o.Status == parse.StatusUnclosedAnswer) != (o.Pred != datasets.Unknown && o.Status != parse.StatusNoAnswer) {
					t.Fatalf("%s %s: status %q with pred %q", ls.Name, proto, o.Status, o.Pred)
				}
				for _, mode := range []string{parse.InputThink, parse.InputThinkDesc, parse.InputFull} {
					_ = p.JudgeText(raw, o, mode)
				}
				if proto != parse.ProtocolMigr || !joinedOK {
					continue
				}
				j := p.Parse(joined)
				if j.AnswerRaw != o.AnswerRaw || j.Pred != o.Pred || j.QuarterPred != o.QuarterPred || j.Reason != o.Reason || j.Status != o.Status {
					t.Fatalf("%s: raw %q parses to %+v\nits id-pipe record %q to %+v", ls.Name, raw, o, joined, j)
				}
				if a, b := p.JudgeText(raw, o, parse.InputThinkDesc), p.JudgeText(joined, j, parse.InputThinkDesc); a != b {
					t.Fatalf("%s: think+desc %q vs %q", ls.Name, a, b)
				}
			}
		}
	})
}

func FuzzMigrLabel(f *testing.F) {
	for _, s := range []string{"angry", "Sadness", "happiness!", "anger\n", "sad", "contemptuous", "", "İ", "an\ngry"} {
		f.Add(s, 3)
	}
	sets := []*datasets.LabelSet{datasets.DFEW(), datasets.MAFW()}
	f.Fuzz(func(t *testing.T, answer string, at int) {
		for _, ls := range sets {
			got := parse.MigrLabel(ls, answer)
			if !validLabel(ls, got) {
				t.Fatalf("%s: MigrLabel(%q) = %q", ls.Name, answer, got)
			}
			if got != datasets.Unknown && parse.MigrLabel(ls, got) != got {
				t.Fatalf("%s: a label does not map to itself: %q", ls.Name, got)
			}
			// Newlines are deleted before anything else.
			if len(answer) > 0 {
				i := int(uint(at) % uint(len(answer)+1))
				if withNL := answer[:i] + "\n" + answer[i:]; parse.MigrLabel(ls, withNL) != got {
					t.Fatalf("%s: MigrLabel(%q) = %q but MigrLabel(%q) = %q", ls.Name, answer, got, withNL, parse.MigrLabel(ls, withNL))
				}
			}
		}
	})
}
