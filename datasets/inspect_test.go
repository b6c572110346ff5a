package datasets

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// checkGolden compares got with testdata/<name>, or rewrites it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs; got:\n%s", path, got)
	}
}

func fixtureDFEW(t testing.TB) *Split {
	t.Helper()
	s, err := ImportDFEW(filepath.Join(repoTestdata, "dfew"), "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// brokenSplit has one of each problem Inspect looks for.
func brokenSplit(t testing.TB) *Split {
	s := fixtureDFEW(t)
	var keep []Clip
	for _, c := range s.Clips {
		if c.Fold != 3 && c.Fold != 4 {
			keep = append(keep, c)
		}
	}
	s.Clips = keep
	test5 := s.Select([]int32{5}, Test)
	dupe := test5[0]
	dupe.ClipID = "0" + dupe.ClipID // the same clip, written another way
	leak := test5[1]
	leak.Split = Train
	retest := test5[2]
	retest.Fold = 1
	s.Clips = append(s.Clips, dupe, leak, retest)
	s.Clips[0].Label, s.Clips[0].LabelID = "bored", 0
	s.Clips[1].ClipID = ""
	s.Clips[2].LabelID = 7

	s.ExtraColumns = []string{"speaker"}
	return s
}

func findingCodes(in *Inspection) []string {
	var codes []string
	for _, f := range in.Findings {
		codes = append(codes, f.Code)
	}
	return codes
}

func TestInspectFindings(t *testing.T) {
	tests := []struct {
		name  string
		split func(t testing.TB) *Split
		want  []Finding // Severity, Code, Fold and Count of findings that must be there
		not   []string  // codes that must not be there
	}{
		{"fixture", fixtureDFEW, []Finding{
			{Severity: SeverityWarning, Code: "reference_mismatch", Fold: 5},
		}, []string{"duplicate_clip", "train_test_overlap", "unknown_label", "missing_folds", "reference_match"}},
		{"broken", brokenSplit, []Finding{
			{Severity: SeverityError, Code: "empty_clip_id", Count: 1},
			{Severity: SeverityError, Code: "unknown_label", Count: 1},
			{Severity: SeverityError, Code: "label_id_mismatch", Count: 1},
			{Severity: SeverityError, Code: "duplicate_clip", Fold: 5, Count: 1},
			{Severity: SeverityError, Code: "train_test_overlap", Fold: 5, Count: 1},
			{Severity: SeverityWarning, Code: "missing_folds", Count: 2},
			{Severity: SeverityWarning, Code: "clip_in_several_test_sets", Count: 1},
			{Severity: SeverityWarning, Code: "extra_columns"},
		}, []string{"reference_match", "bad_fold", "bad_split"}},
		{"synthetic", func(t testing.TB) *Split {
			s, err := Synth(SynthOptions{Dataset: "dfew", Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, []Finding{
			{Severity: SeverityInfo, Code: "synthetic"},
			{Severity: SeverityInfo, Code: "reference_match"},
		}, []string{"reference_mismatch", "missing_folds"}},
		{"bad rows", func(t testing.TB) *Split {
			s := fixtureDFEW(t)
			s.Clips[0].Fold = 0
			s.Clips[1].Split = "val"
			return s
		}, []Finding{
			{Severity: SeverityError, Code: "bad_fold", Count: 1},
			{Severity: SeverityError, Code: "bad_split", Count: 1},
		}, nil},
		{"custom gap", func(t testing.TB) *Split {
			ls := &LabelSet{Name: "mine", Labels: []string{"calm", "tense"}}
			return &Split{Dataset: "mine", Labels: ls, Clips: []Clip{
				{Dataset: "mine", ClipID: "a", Fold: 1, Split: Test, Label: "calm"},
				{Dataset: "mine", ClipID: "b", Fold: 3, Split: Test, Label: "tense"},
			}}
		}, []Finding{
			{Severity: SeverityWarning, Code: "missing_folds", Count: 1},
			{Severity: SeverityWarning, Code: "empty_set", Fold: 1},
		}, []string{"reference_match", "reference_mismatch"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Inspect(tt.split(t))
			for _, w := range tt.want {
				found := false
				for _, f := range in.Findings {
					if f.Severity == w.Severity && f.Code == w.Code && f.Fold == w.Fold && (w.Count == 0 || f.Count == w.Count) {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s %s finding (fold %d, count %d) in %+v", w.Severity, w.Code, w.Fold, w.Count, in.Findings)
				}
			}
			for _, code := range tt.not {
				if slices.Contains(findingCodes(in), code) {
					t.Errorf("unexpected %s finding in %+v", code, in.Findings)
				}
			}
		})
	}
}

func TestInspectCounts(t *testing.T) {
	in := Inspect(fixtureDFEW(t))
	if in.Rows != 750 || in.Clips != 150 || len(in.Folds) != 5 {
		t.Fatalf("rows %d, clips %d, folds %d; want 750, 150, 5", in.Rows, in.Clips, len(in.Folds))
	}
	want := map[string]int{"happy": 6, "sad": 5, "neutral": 7, "angry": 5, "surprise": 4, "disgust": 1, "fear": 2}
	for _, fc := range in.Folds {
		if fc.Test.Total != 30 || fc.Train.Total != 120 {
			t.Errorf("fold %d: %d test, %d train; want 30, 120", fc.Fold, fc.Test.Total, fc.Train.Total)
		}
		for l, n := range want {
			if fc.Test.PerClass[l] != n {
				t.Errorf("fold %d test %s: %d, want %d", fc.Fold, l, fc.Test.PerClass[l], n)
			}
		}
	}
	if in.Totals.Test.Total != 150 || in.Totals.Test.PerClass["neutral"] != 35 {
		t.Errorf("totals %+v", in.Totals.Test)
	}
}

func TestInspectGolden(t *testing.T) {
	synthMAFW5, err := Synth(SynthOptions{Dataset: "mafw", Folds: []int32{5}, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		split *Split
	}{
		{"inspect_fixture", fixtureDFEW(t)},
		{"inspect_broken", brokenSplit(t)},
		{"inspect_synth_mafw_fold5", synthMAFW5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Inspect(tt.split)
			var text bytes.Buffer
			if err := in.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.name+".txt.golden", text.Bytes())
			js, err := json.MarshalIndent(in, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.name+".json.golden", append(js, '\n'))
		})
	}
}

func TestWriteTextEscapesControlCharacters(t *testing.T) {
	s := fixtureDFEW(t)
	s.Clips[0].Label = "bad\x1b[31m"
	var out bytes.Buffer
	if err := Inspect(s).WriteText(&out); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsRune(out.Bytes(), 0x1b) {
		t.Errorf("an escape character reached the text output:\n%s", out.String())
	}
}

func TestInspectJSONHasNoNulls(t *testing.T) {
	ls := &LabelSet{Name: "mine", Labels: []string{"calm", "tense"}}
	in := Inspect(&Split{Dataset: "mine", Labels: ls, Clips: []Clip{{Dataset: "mine", ClipID: "a", Fold: 1, Split: Test, Label: "calm"}}})
	js, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(js, []byte("null")) {
		t.Errorf("JSON has a null: %s", js)
	}
}
