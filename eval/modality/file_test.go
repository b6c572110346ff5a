package modality

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/inputerr"
)

func classesOf(t *Table) map[string]string {
	out := map[string]string{}
	for _, id := range t.Clips() {
		c, _ := t.Get(id)
		out[id] = c.String()
	}
	return out
}

func TestParseMICSV(t *testing.T) {
	cases := []struct {
		name string
		data string
		want map[string]string
	}{
		{"authors' flags", "sample_id,video,audio,video_audio\n00012,1,0,1\n13,0,1,1\n14,1,1,0\n15,0,0,0\n",
			map[string]string{"12": "vision", "13": "audio", "14": "multimodal", "15": "multimodal"}},
		{"pandas index and floats, CRLF, BOM", "\xef\xbb\xbf,sample_id,video,audio,video_audio\r\n0,7,1.0,0.0,True\r\n1,8,False,true,1\r\n",
			map[string]string{"7": "vision", "8": "audio"}},
		{"clip_id,mi", "clip_id,mi\n03747,Vision\n12,audio\n\n13, multimodal\n",
			map[string]string{"3747": "vision", "12": "audio", "13": "multimodal"}},
		{"columns in another order", "mi,clip_id\naudio,5\n", map[string]string{"5": "audio"}},
		{"header only", "clip_id,mi\n", map[string]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mt, err := ParseCSV("mi.csv", []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if got := classesOf(mt); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if mt.Source != "file" {
				t.Errorf("source %q", mt.Source)
			}
		})
	}
	mt, err := ParseCSV("mi.csv", []byte("clip_id,mi,score\n1,audio,0.4\n2,vision,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := mt.Score("01"); !ok || s != 0.4 {
		t.Errorf("score %v %v", s, ok)
	}
	if _, ok := mt.Score("2"); ok {
		t.Error("an empty score is no score")
	}
}

func TestParseMICSVErrors(t *testing.T) {
	cases := []struct {
		name string
		data string
		line int
		want string
	}{
		{"empty", "", 0, "empty MI table"},
		{"unknown header", "clip,mi\n1,audio\n", 1, "unknown column"},
		{"neither layout", "clip_id,video\n1,1\n", 1, "expected sample_id"},
		{"both layouts", "clip_id,mi,video,audio\n", 1, "expected sample_id"},
		{"bad flag", "sample_id,video,audio,video_audio\n1,1,0,1\n2,yes,0,1\n", 3, "not a 0/1 flag"},
		{"bad video_audio", "sample_id,video,audio,video_audio\n1,1,0,2\n", 2, "video_audio"},
		{"bad class", "clip_id,mi\n1,both\n", 2, "unknown MI class"},
		{"duplicate clip", "clip_id,mi\n12,audio\n3,audio\n012,vision\n", 4, "appears again (first at line 2)"},
		{"empty clip id", "clip_id,mi\n,audio\n", 2, "empty clip id"},
		{"short row", "clip_id,mi\n1\n", 2, "1 fields"},
		{"bad quote", "clip_id,mi\n1,\"audio\n", 2, "quote"},
		{"bad score", "clip_id,mi,score\n1,audio,NaN\n", 2, "finite"},
		{"score with flags", "sample_id,video,audio,score\n", 1, "score column"},
		{"duplicate column", "clip_id,mi,mi\n", 1, "twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCSV("mi.csv", []byte(tc.data))
			var ie *inputerr.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an input error", err)
			}
			if ie.File != "mi.csv" || ie.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q (line %d), want line %d and %q", err, ie.Line, tc.line, tc.want)
			}
		})
	}
}

func FuzzParseMICSV(f *testing.F) {
	for _, seed := range []string{
		"sample_id,video,audio,video_audio\n1,1,0,1\n2,0,1,0\n",
		"clip_id,mi,score\n03747,vision,-0.3\n12,audio,\n",
		",sample_id,video,audio,video_audio\r\n0,7,1.0,0.0,True\r\n",
		"clip_id,mi\n\"a,b\",audio\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		mt, err := ParseCSV("fuzz.csv", data)
		if err != nil {
			var ie *inputerr.Error
			if !errors.As(err, &ie) || ie.File != "fuzz.csv" {
				t.Fatalf("error %v is not an input error naming the file", err)
			}
			return
		}
		for _, id := range mt.Clips() {
			if c, ok := mt.Get(id); !ok || c.String() == "" {
				t.Fatalf("clip %q has class %v", id, c)
			}
		}
	})
}

func TestMIParquet(t *testing.T) {
	dir := t.TempDir()
	mt := NewTable("onnx")
	mt.Set("00012", Vision)
	mt.SetScore("13", 0.4, DefaultAblationThreshold)
	mt.SetScore("14", -0.05, DefaultAblationThreshold)
	path := filepath.Join(dir, "modality.parquet")
	if err := WriteParquet(path, mt); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"12": "vision", "13": "audio", "14": "multimodal"}
	if !reflect.DeepEqual(classesOf(got), want) {
		t.Errorf("read back %v", classesOf(got))
	}
	if s, ok := got.Score("13"); !ok || s != 0.4 {
		t.Errorf("score %v %v", s, ok)
	}
	if _, ok := got.Score("12"); ok {
		t.Error("clip 12 has no score")
	}
}

func TestMIParquetErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, rows any) string {
		path := filepath.Join(dir, name)
		var err error
		switch r := rows.(type) {
		case []struct {
			ClipID int64  `parquet:"clip_id"`
			MI     string `parquet:"mi"`
		}:
			err = parquet.WriteFile(path, r)
		case []struct {
			ClipID string `parquet:"clip_id"`
		}:
			err = parquet.WriteFile(path, r)
		case []miRow:
			err = parquet.WriteFile(path, r)
		}
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	intIDs := write("int.parquet", []struct {
		ClipID int64  `parquet:"clip_id"`
		MI     string `parquet:"mi"`
	}{{1, "audio"}})
	noMI := write("nomi.parquet", []struct {
		ClipID string `parquet:"clip_id"`
	}{{"1"}})
	badClass := write("class.parquet", []miRow{{ClipID: "1", MI: "vision"}, {ClipID: "2", MI: "both"}})
	dup := write("dup.parquet", []miRow{{ClipID: "1", MI: "vision"}, {ClipID: "01", MI: "audio"}})
	good, _ := os.ReadFile(badClass)
	truncated := filepath.Join(dir, "truncated.parquet")
	if err := os.WriteFile(truncated, good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	notParquet := filepath.Join(dir, "text.parquet")
	if err := os.WriteFile(notParquet, []byte("clip_id,mi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path string
		row  int
		want string
	}{
		{intIDs, 0, "clip_id: column has type"},
		{noMI, 0, "mi: missing column"},
		{badClass, 2, "unknown MI class"},
		{dup, 2, "appears again (first at row 1)"},
		{truncated, 0, "not a readable Parquet file"},
		{notParquet, 0, "not a readable Parquet file"},
		{filepath.Join(dir, "absent.parquet"), 0, "no such file"},
	}
	for _, tc := range cases {
		_, err := Read(tc.path, "parquet")
		var ie *inputerr.Error
		if !errors.As(err, &ie) || ie.Row != tc.row || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v (row %d), want row %d and %q", filepath.Base(tc.path), err, rowOf(ie), tc.row, tc.want)
		}
	}
	if _, err := Read("mi.json", ""); !inputerr.Is(err) || !strings.Contains(err.Error(), "unknown MI table format") {
		t.Errorf("format error %v", err)
	}
}

func rowOf(e *inputerr.Error) int {
	if e == nil {
		return -1
	}
	return e.Row
}

func TestMIRules(t *testing.T) {
	flags := []struct {
		video, audio bool
		want         Class
	}{{true, false, Vision}, {false, true, Audio}, {true, true, Multimodal}, {false, false, Multimodal}}
	for _, f := range flags {
		if got := FromFlags(f.video, f.audio); got != f.want {
			t.Errorf("FromFlags(%v, %v) = %v", f.video, f.audio, got)
		}
	}
	// Zeroing the audio drops the true class from 0.8 to 0.3, zeroing the video to 0.7: audio
	// matters more by 0.4.
	if s := AblationScore(0.8, 0.7, 0.3); !near(s, 0.4) || FromAblation(s, 0.1) != Audio {
		t.Errorf("score %v", s)
	}
	if FromAblation(-0.2, 0.1) != Vision || FromAblation(0.05, 0.1) != Multimodal || FromAblation(0.1, 0.1) != Multimodal {
		t.Error("thresholds")
	}
	for _, s := range []string{"vision", "AUDIO", " multimodal "} {
		if _, err := ParseClass(s); err != nil {
			t.Error(err)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
