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

// cannotTell is the label of an explanation that supports no single emotion: the judge should
// abstain on it, and an abstention there counts as correct.
const cannotTell = "cannot tell"

// realistic is one line of testdata/heldout.jsonl or testdata/dev.jsonl: an explanation in the
// style of real model outputs (long video/audio/subtitle walk-throughs, hedged lists, quoted
// subtitles, physical cues without emotion words) and the emotion a careful reader says it
// supports. testdata/README.md says how the two files were written; heldout.jsonl was frozen
// before the judge was tuned, and the judge is never tuned on it.
type realistic struct {
	ID      string   `json:"id"`
	Dataset string   `json:"dataset"`
	Label   string   `json:"label"`
	Style   string   `json:"style"`
	Tags    []string `json:"tags"`
	Text    string   `json:"text"`
}

func loadRealistic(t testing.TB, path string) []realistic {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []realistic
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		var c realistic
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s line %d: %v", path, line, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// score is an accuracy tally: items, correct ones, abstentions, and correct ones among the
// answered (not abstained) items.
type score struct{ n, ok, abstained, answeredOK int }

func (s *score) add(ok, abstained bool) {
	s.n++
	if ok {
		s.ok++
	}
	if abstained {
		s.abstained++
	} else if ok {
		s.answeredOK++
	}
}

// merge adds another tally to s.
func (s *score) merge(o score) {
	s.n, s.ok, s.abstained, s.answeredOK = s.n+o.n, s.ok+o.ok, s.abstained+o.abstained, s.answeredOK+o.answeredOK
}

func (s score) accuracy() float64 { return ratio(s.ok, s.n) }

func (s score) String() string {
	return fmt.Sprintf("all %3d/%3d = %5.1f%%  answered %3d/%3d = %5.1f%%  abstained %2d (%4.1f%%)",
		s.ok, s.n, 100*ratio(s.ok, s.n), s.answeredOK, s.n-s.abstained, 100*ratio(s.answeredOK, s.n-s.abstained),
		s.abstained, 100*ratio(s.abstained, s.n))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// judgeRealistic is the judge's verdict on one item: its label and whether it abstained. An
// item is right when the label matches, or when the judge abstains on a "cannot tell" item; an
// abstention on any other item is wrong, as is an answer on a "cannot tell" item.
func judgeRealistic(j *Judge, c realistic) (got string, abstained, ok bool) {
	r := j.Classify(c.Text)
	if r.Abstained {
		return cannotTell, true, c.Label == cannotTell
	}
	return r.Emotion, false, r.Emotion == c.Label
}

// evalRealistic scores the judge on a file of realistic explanations: overall, per dataset,
// per writer style and per phenomenon tag, and the misses ("id want→got").
func evalRealistic(t testing.TB, path string) (total score, by map[string]*score, misses []string) {
	js := builtinJudges()
	by = map[string]*score{}
	bump := func(key string, ok, abstained bool) {
		s := by[key]
		if s == nil {
			s = &score{}
			by[key] = s
		}
		s.add(ok, abstained)
	}
	for _, c := range loadRealistic(t, path) {
		got, abstained, ok := judgeRealistic(js[c.Dataset], c)
		total.add(ok, abstained)
		bump("dataset "+c.Dataset, ok, abstained)
		bump("style "+c.Style, ok, abstained)
		for _, tag := range c.Tags {
			bump("tag "+tag, ok, abstained)
		}
		if !ok {
			misses = append(misses, fmt.Sprintf("%s want %s got %s", c.ID, c.Label, got))
		}
	}
	return total, by, misses
}

func logScores(t *testing.T, name string, total score, by map[string]*score) {
	t.Helper()
	t.Logf("%-24s %s", name, total)
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("  %-22s %s", k, *by[k])
	}
}

// TestRealisticFiles checks the two files themselves: known datasets, labels of the dataset
// (or "cannot tell"), unique ids, and the coverage the issue asks of the held-out set.
func TestRealisticFiles(t *testing.T) {
	sets := map[string]*datasets.LabelSet{"dfew": datasets.DFEW(), "mafw": datasets.MAFW()}
	tests := []struct {
		path     string
		perLabel int // least items per label of each dataset
		styles   int // least distinct writer styles
	}{
		// The issue: at least 10 per DFEW and per MAFW label, at least 4 writer styles.
		{"testdata/heldout.jsonl", 10, 4},
		{"testdata/heldout2.jsonl", 4, 4},
		{"testdata/dev.jsonl", 3, 4},
	}
	for _, tc := range tests {
		ids := map[string]bool{}
		count := map[string]int{}
		styles := map[string]bool{}
		for _, c := range loadRealistic(t, tc.path) {
			ls, ok := sets[c.Dataset]
			switch {
			case !ok:
				t.Errorf("%s %s: unknown dataset %q", tc.path, c.ID, c.Dataset)
				continue
			case c.Label != cannotTell && !ls.Contains(c.Label):
				t.Errorf("%s %s: %q is not a %s label", tc.path, c.ID, c.Label, c.Dataset)
			case ids[c.ID]:
				t.Errorf("%s %s: duplicate id", tc.path, c.ID)
			case strings.TrimSpace(c.Text) == "" || c.Style == "":
				t.Errorf("%s %s: empty text or style", tc.path, c.ID)
			}
			ids[c.ID] = true
			count[c.Dataset+"/"+c.Label]++
			styles[c.Style] = true
		}
		for name, ls := range sets {
			for _, l := range ls.Labels {
				if n := count[name+"/"+l]; n < tc.perLabel {
					t.Errorf("%s: %s/%s has %d items, want at least %d", tc.path, name, l, n, tc.perLabel)
				}
			}
		}
		if len(styles) < tc.styles {
			t.Errorf("%s: %d writer styles, want at least %d", tc.path, len(styles), tc.styles)
		}
	}
}

// TestHeldOutAccuracy reports the judge's accuracy on the held-out realistic explanations (all
// items, answered items, abstentions; per dataset, writer style and phenomenon) and fails below
// each row's floor. Only aggregates are logged: the held-out misses are not listed, so that
// nobody tunes the lexicon to them (TestDevAccuracy lists its own).
func TestHeldOutAccuracy(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		// floor: a little below what the judge reached when the held-out set was first scored
		// after the changes (testdata/README.md), so that a lexicon change may trade an item or
		// two, but not lose the gain. The judge before them scored 90.0%, 91.0% and 88.2%.
		floor float64
	}{
		// Both batches: 374/381 = 98.2% reached.
		{"held-out", []string{"testdata/heldout.jsonl", "testdata/heldout2.jsonl"}, 0.96},
		// Batch 1, as first written: 243/245 = 99.2% reached.
		{"batch 1", []string{"testdata/heldout.jsonl"}, 0.96},
		// Batch 2, written closer to real outputs (other words than the label, several-emotion
		// and missing conclusions): 131/136 = 96.3% reached.
		{"batch 2", []string{"testdata/heldout2.jsonl"}, 0.93},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var all score
			by := map[string]*score{}
			for _, path := range tc.files {
				total, byKey, _ := evalRealistic(t, path)
				all.merge(total)
				for k, s := range byKey {
					if by[k] == nil {
						by[k] = &score{}
					}
					by[k].merge(*s)
				}
			}
			logScores(t, tc.name, all, by)
			if acc := all.accuracy(); acc < tc.floor {
				t.Errorf("%s accuracy %.1f%% (%d/%d), want at least %.0f%%", tc.name, 100*acc, all.ok, all.n, 100*tc.floor)
			}
		})
	}
}

// TestDevAccuracy reports the accuracy on the development explanations, which the lexicon was
// tuned on, with every miss, and fails below devFloor.
func TestDevAccuracy(t *testing.T) {
	total, by, misses := evalRealistic(t, "testdata/dev.jsonl")
	logScores(t, "dev", total, by)
	for _, m := range misses {
		t.Logf("miss %s", m)
	}
	if acc := total.accuracy(); acc < devFloor {
		t.Errorf("dev accuracy %.1f%% (%d/%d), want at least %.0f%%", 100*acc, total.ok, total.n, 100*devFloor)
	}
}

// devFloor is a little below the development accuracy reached (159/162 = 98.1%; 79.0% before
// the changes). The lexicon was tuned on these items, so this guards the tuning, not accuracy.
const devFloor = 0.95
