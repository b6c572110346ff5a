package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// repoTestdata is the repository's shared fixtures directory.
const repoTestdata = "../testdata"

func TestParseFileErrors(t *testing.T) {
	tests := []struct {
		file  string
		line  int // 0: the error is about the whole file
		want  string
		parse parseFunc
	}{
		{"bad/dfew/bad_header.csv", 1, "want video_name,label", ParseDFEWCSV},
		{"bad/dfew/noninteger_id.csv", 3, `video_name "12a": want a positive integer`, ParseDFEWCSV},
		{"bad/dfew/negative_id.csv", 3, `video_name "-4"`, ParseDFEWCSV},
		{"bad/dfew/unknown_label_id.csv", 4, "unknown label id 8", ParseDFEWCSV},
		{"bad/dfew/label_word.csv", 2, `label "happy": want a numeric DFEW label id`, ParseDFEWCSV},
		{"bad/dfew/unclosed_quote.csv", 3, "malformed CSV", ParseDFEWCSV},
		{"bad/dfew/extra_field.csv", 3, "3 fields, the header has 2", ParseDFEWCSV},
		{"bad/dfew/header_only.csv", 0, "no clips", ParseDFEWCSV},
		{"bad/dfew/empty.csv", 0, "empty file", ParseDFEWCSV},
		{"bad/dfew/bom_only.csv", 0, "empty file", ParseDFEWCSV},
		{"bad/mafw/unknown_emotion.txt", 2, `unknown emotion "joyless"`, ParseMAFWList},
		{"bad/mafw/three_fields.txt", 3, `want "<clip>.mp4 <emotion>"`, ParseMAFWList},
		{"bad/mafw/missing_label.txt", 2, `want "<clip>.mp4 <emotion>"`, ParseMAFWList},
		{"bad/mafw/no_clip_name.txt", 2, "has no name", ParseMAFWList},
		{"bad/mafw/empty.txt", 0, "empty file", ParseMAFWList},
		{"bad/mafw/blank.txt", 0, "empty file", ParseMAFWList},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			clips, err := parseFile(path, 1, Test, tt.parse)
			var ie *inputerr.Error
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, %v; want an *inputerr.Error", clips, err)
			}
			if ie.File != path || ie.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q (file %q line %d); want file %q line %d and %q", err, ie.File, ie.Line, path, tt.line, tt.want)
			}
		})
	}
}

func TestParseTolerates(t *testing.T) {
	tests := []struct {
		file  string
		parse parseFunc
		want  []Clip
	}{
		{"odd/dfew_bom_crlf.csv", ParseDFEWCSV, []Clip{
			{Dataset: "dfew", ClipID: "00001", Fold: 2, Split: Train, Label: "happy", LabelID: 1},
			{Dataset: "dfew", ClipID: "16372", Fold: 2, Split: Train, Label: "fear", LabelID: 7},
		}},
		{"odd/dfew_columns_swapped.csv", ParseDFEWCSV, []Clip{
			{Dataset: "dfew", ClipID: "00042", Fold: 2, Split: Train, Label: "neutral", LabelID: 3},
		}},
		{"odd/mafw_bom_crlf.txt", ParseMAFWList, []Clip{
			{Dataset: "mafw", ClipID: "03747", Fold: 2, Split: Train, Label: "anger", LabelID: 1},
			{Dataset: "mafw", ClipID: "00012", Fold: 2, Split: Train, Label: "happiness", LabelID: 4},
			{Dataset: "mafw", ClipID: "00013", Fold: 2, Split: Train, Label: "contempt", LabelID: 8},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseFile(filepath.Join("testdata", tt.file), 2, Train, tt.parse)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseRejectsBadArguments(t *testing.T) {
	for _, parse := range []parseFunc{ParseDFEWCSV, ParseMAFWList} {
		if _, err := parse("x", strings.NewReader("video_name,label\n1,1\n"), 0, Test); err == nil || inputerr.Is(err) {
			t.Errorf("fold 0: got %v, want a caller error", err)
		}
		if _, err := parse("x", strings.NewReader("video_name,label\n1,1\n"), 1, "val"); err == nil || inputerr.Is(err) {
			t.Errorf("kind val: got %v, want a caller error", err)
		}
	}
}

func TestImportDFEWLayouts(t *testing.T) {
	single, err := ImportDFEW(filepath.Join(repoTestdata, "dfew"), "/media/dfew")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"dfew-setN", "dfew-setN/EmoLabel_DataSplit"} {
		setN, err := ImportDFEW(filepath.Join(repoTestdata, dir), "/media/dfew")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(single, setN) {
			t.Errorf("%s: the set_N layout gives another split than single_*set_N.csv", dir)
		}
	}
	if err := single.Validate(); err != nil {
		t.Fatal(err)
	}
	in := Inspect(single)
	if in.Errors() != 0 || len(in.Folds) != 5 || in.Clips != 150 {
		t.Fatalf("inspection: %d errors, %d folds, %d clips; want 0, 5, 150: %+v", in.Errors(), len(in.Folds), in.Clips, in.Findings)
	}
	f5 := in.Folds[4]
	if f5.Test.Total != 30 || f5.Train.Total != 120 || len(f5.Test.PerClass) != 7 {
		t.Errorf("fold 5: %d test, %d train, %d classes in test; want 30, 120, 7", f5.Test.Total, f5.Train.Total, len(f5.Test.PerClass))
	}
	c := single.Clips[0]
	want := filepath.Join("/media/dfew", "clip", c.ClipID+".mp4")
	if c.Fold != 1 || c.Split != Train || len(c.ClipID) != 5 || c.VideoPath != want || c.AudioPath != want {
		t.Errorf("first clip %+v; want fold 1 train, a 5-digit id, media %s", c, want)
	}
}

func TestImportMAFWDirectories(t *testing.T) {
	var first *Split
	for _, dir := range []string{"mafw", "mafw/single", "mafw/single/no_caption", "."} {
		// "." is the repository's testdata, with one MAFW copy to be found by searching.
		s, err := ImportMAFW(filepath.Join(repoTestdata, dir), "")
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if first == nil {
			first = s
		} else if !reflect.DeepEqual(first, s) {
			t.Errorf("%s gives another split than mafw", dir)
		}
	}
	in := Inspect(first)
	if in.Errors() != 0 || in.Clips != 150 || in.Folds[4].Test.Total != 30 || len(in.Folds[4].Test.PerClass) != 11 {
		t.Errorf("inspection: %d errors, %d clips, fold 5 test %d in %d classes; want 0, 150, 30 in 11: %+v",
			in.Errors(), in.Clips, in.Folds[4].Test.Total, len(in.Folds[4].Test.PerClass), in.Findings)
	}
	if first.Clips[0].VideoPath != "" {
		t.Errorf("without a media root, video_path = %q, want empty", first.Clips[0].VideoPath)
	}
	s, err := ImportMAFW(filepath.Join(repoTestdata, "mafw"), "/m")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join("/m", "clips", s.Clips[0].ClipID+".mp4"); s.Clips[0].AudioPath != want {
		t.Errorf("audio_path %q, want %q", s.Clips[0].AudioPath, want)
	}
}

// copyTree copies a fixtures directory so that a test can break it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		remove []string
		write  map[string]string
		imp    func(dir, media string) (*Split, error)
		want   []string
	}{
		{"dfew missing fold", "dfew", []string{"single_testset_3.csv", "single_trainset_4.csv"}, nil, ImportDFEW,
			[]string{"missing split files", "single_trainset_4.csv", "single_testset_3.csv"}},
		{"dfew set_N missing fold", "dfew-setN", []string{"EmoLabel_DataSplit/test(single-labeled)/set_5.csv"}, nil, ImportDFEW,
			[]string{"missing split files", "test(single-labeled)/set_5.csv"}},
		{"dfew bad row", "dfew", nil, map[string]string{"single_testset_2.csv": "video_name,label\n1,3\n2,x\n"}, ImportDFEW,
			[]string{"single_testset_2.csv:3", `label "x"`}},
		{"dfew nothing", "mafw", nil, nil, ImportDFEW, []string{"no DFEW split files found"}},
		{"dfew two copies", "dfew-setN", nil, map[string]string{"copy/single_testset_1.csv": "video_name,label\n1,1\n"}, ImportDFEW,
			[]string{"several copies of the DFEW split files", "EmoLabel_DataSplit", "copy"}},
		{"mafw missing list", "mafw", []string{"single/no_caption/set_2/train.txt"}, nil, ImportMAFW,
			[]string{"missing split files", "set_2/train.txt"}},
		{"mafw bad line", "mafw", nil, map[string]string{"single/no_caption/set_1/test.txt": "00001.mp4 anger\n00002.mp4 bliss\n"}, ImportMAFW,
			[]string{"set_1/test.txt:2", `unknown emotion "bliss"`}},
		{"mafw nothing", "dfew", nil, nil, ImportMAFW, []string{"no MAFW split files found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyTree(t, filepath.Join(repoTestdata, tt.src))
			for _, r := range tt.remove {
				if err := os.Remove(filepath.Join(dir, r)); err != nil {
					t.Fatal(err)
				}
			}
			for name, content := range tt.write {
				p := filepath.Join(dir, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := tt.imp(dir, "")
			if !inputerr.Is(err) {
				t.Fatalf("got %v, want an input error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	if _, err := ImportDFEW(filepath.Join(repoTestdata, "no-such-dir"), ""); !inputerr.Is(err) {
		t.Errorf("missing directory: got %v, want an input error", err)
	}
}
