package lexicon

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
)

// labelled is one line of testdata/explanations.jsonl: an explanation written for these tests
// and the label a careful human reader names for it. Split "dev" cases were written before the
// lexicon and used to tune it; "heldout" cases were written after it was frozen and never tuned to.
type labelled struct {
	ID    string `json:"id"`
	Set   string `json:"set"`
	Label string `json:"label"`
	Split string `json:"split"`
	Hard  bool   `json:"hard"`
	Why   string `json:"why"`
	Text  string `json:"text"`
}

const (
	minAccuracy    = 0.90 // Issue 4: "aim for ≥ 90% on them"
	minPerLabelDev = 5
)

func loadLabelled(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open("testdata/explanations.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		var c labelled
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("explanations.jsonl line %d: %v", line, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func builtinJudges() map[string]*Judge {
	return map[string]*Judge{"dfew": New(datasets.DFEW()), "mafw": New(datasets.MAFW())}
}

// TestExplanationsFile checks the test set itself: known sets and labels, unique ids, every
// label of both sets at least minPerLabelDev times among the development cases.
func TestExplanationsFile(t *testing.T) {
	cases := loadLabelled(t)
	sets := map[string]*datasets.LabelSet{"dfew": datasets.DFEW(), "mafw": datasets.MAFW()}
	ids := map[string]bool{}
	count := map[string]int{}
	for _, c := range cases {
		ls, ok := sets[c.Set]
		switch {
		case !ok:
			t.Errorf("%s: unknown set %q", c.ID, c.Set)
			continue
		case !ls.Contains(c.Label):
			t.Errorf("%s: %q is not a %s label", c.ID, c.Label, c.Set)
		case c.Split != "dev" && c.Split != "heldout":
			t.Errorf("%s: split %q", c.ID, c.Split)
		case ids[c.ID]:
			t.Errorf("%s: duplicate id", c.ID)
		}
		ids[c.ID] = true
		if c.Split == "dev" {
			count[c.Set+"/"+c.Label]++
		}
	}
	for name, ls := range sets {
		for _, l := range ls.Labels {
			if n := count[name+"/"+l]; n < minPerLabelDev {
				t.Errorf("%s/%s: %d development cases, want at least %d", name, l, n, minPerLabelDev)
			}
		}
	}
	if len(cases) < 80 {
		t.Errorf("%d cases, want at least 80", len(cases))
	}
}

// TestAccuracy measures the judge on the labelled explanations: at least minAccuracy overall,
// and every case marked hard (a rule the judge must get right) exactly. With -v it prints
// accuracy per split and a confusion summary.
func TestAccuracy(t *testing.T) {
	cases := loadLabelled(t)
	js := builtinJudges()
	type tally struct{ n, ok int }
	bySplit := map[string]*tally{}
	confusion := map[string]int{}   // "set: want→got"
	perLabel := map[string]*tally{} // "set/label"
	var misses []string
	total := tally{}
	for _, c := range cases {
		j := js[c.Set]
		if j == nil {
			continue
		}
		got := j.Classify(c.Text)
		s := bySplit[c.Split]
		if s == nil {
			s = &tally{}
			bySplit[c.Split] = s
		}
		pl := perLabel[c.Set+"/"+c.Label]
		if pl == nil {
			pl = &tally{}
			perLabel[c.Set+"/"+c.Label] = pl
		}
		s.n++
		total.n++
		pl.n++
		if got.Emotion == c.Label {
			s.ok++
			total.ok++
			pl.ok++
		} else {
			confusion[fmt.Sprintf("%s: %s→%s", c.Set, c.Label, got.Emotion)]++
			misses = append(misses, fmt.Sprintf("%s (%s) want %s got %s [%s]", c.ID, c.Split, c.Label,
				got.Emotion, traceOf(j, c.Text)))
			if c.Hard && c.Split == "dev" {
				t.Errorf("hard case %s (%s): want %s, got %s [%s]\n  %s", c.ID, c.Why, c.Label, got.Emotion,
					traceOf(j, c.Text), c.Text)
			}
		}
	}
	acc := float64(total.ok) / float64(total.n)
	splits := make([]string, 0, len(bySplit))
	for s := range bySplit {
		splits = append(splits, s)
	}
	sort.Strings(splits)
	for _, s := range splits {
		v := bySplit[s]
		t.Logf("%-8s %3d/%3d = %.1f%%", s, v.ok, v.n, 100*float64(v.ok)/float64(v.n))
	}
	t.Logf("overall  %3d/%3d = %.1f%%", total.ok, total.n, 100*acc)
	labels := make([]string, 0, len(perLabel))
	for k := range perLabel {
		labels = append(labels, k)
	}
	sort.Strings(labels)
	var row strings.Builder
	for _, k := range labels {
		fmt.Fprintf(&row, " %s %d/%d", k, perLabel[k].ok, perLabel[k].n)
	}
	t.Logf("per label:%s", row.String())
	keys := make([]string, 0, len(confusion))
	for k := range confusion {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("confusion %s ×%d", k, confusion[k])
	}
	for _, m := range misses {
		t.Logf("miss %s", m)
	}
	descOK, descN := descriptionsOnly(cases, js)
	t.Logf("descriptions only (concluding sentences removed from %d cases): %d/%d = %.1f%% (not asserted)",
		descN, descOK, descN, 100*float64(descOK)/float64(descN))
	if acc < minAccuracy {
		t.Errorf("accuracy %.1f%% (%d/%d), want at least %.0f%%", 100*acc, total.ok, total.n, 100*minAccuracy)
	}
}

func traceOf(j *Judge, text string) string {
	var sb strings.Builder
	sc := new(scratch)
	best := j.lx.classify(text, sc)
	sb.WriteString(j.lx.emotionOf(best))
	sb.WriteString(": ")
	sb.Write(j.lx.trace(sc))
	return sb.String()
}

// descriptionsOnly judges each explanation that has concluding sentences (those with an
// inference cue) and other sentences, with the concluding ones removed: a harder measure of
// the description rules, since most explanations state their emotion in the conclusion.
func descriptionsOnly(cases []labelled, js map[string]*Judge) (ok, n int) {
	for _, c := range cases {
		j := js[c.Set]
		sc := new(scratch)
		j.lx.classify(c.Text, sc)
		var kept []string
		for i, s := range sc.sents {
			if sc.tiers[i] == 0 {
				kept = append(kept, c.Text[s.b0:s.b1])
			}
		}
		if len(kept) == 0 || len(kept) == len(sc.sents) {
			continue
		}
		n++
		if j.Classify(strings.Join(kept, " ")).Emotion == c.Label {
			ok++
		}
	}
	return ok, n
}
