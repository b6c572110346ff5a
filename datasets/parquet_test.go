package datasets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// smallSplit is a valid split with every optional column and two feature modalities.
func smallSplit() *Split {
	s := &Split{Dataset: "dfew", Labels: DFEW()}
	for i, l := range []string{"happy", "sad", "fear", "disgust"} {
		kind := Train
		if i%2 == 1 {
			kind = Test
		}
		id := []string{"00001", "00017", "12583", "16372"}[i]
		s.Clips = append(s.Clips, Clip{
			Dataset: "dfew", ClipID: id, Fold: 5, Split: kind, Label: l, LabelID: DFEW().ID(l),
			VideoPath: "clip/" + id + ".mp4", AudioPath: "clip/" + id + ".mp4", Transcript: []string{"", "née «ça»", "", "x"}[i],
			Features: map[string][]float32{"video": {float32(i), 0.5, -1}, "audio": {float32(i) * 2, 7}},
		})
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		s    func() *Split
	}{
		{"features and media", smallSplit},
		{"no features", func() *Split {
			s := smallSplit()
			for i := range s.Clips {
				s.Clips[i].Features = nil
			}
			return s
		}},
		{"synthetic", func() *Split {
			s := smallSplit()
			s.Synthetic, s.Seed = true, -42
			return s
		}},
		{"custom label set", func() *Split {
			ls, err := ParseLabelSet("x.yaml", []byte("name: mine\nlabels: [calm, tense]\nsynonyms: {relaxed: calm}\n"))
			if err != nil {
				t.Fatal(err)
			}
			s := &Split{Dataset: "mine", Labels: ls, Clips: []Clip{
				{Dataset: "mine", ClipID: "a-1", Fold: 1, Split: Test, Label: "tense", LabelID: 99},
			}}
			return s
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.s()
			path := filepath.Join(t.TempDir(), "splits.parquet")
			if err := WriteSplit(path, want); err != nil {
				t.Fatal(err)
			}
			got, err := ReadSplit(path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestWriteSplitRefusesInvalid(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(s *Split)
		want   string
	}{
		{"unknown label", func(s *Split) { s.Clips[1].Label = "bored" }, `"bored" is not a label`},
		{"label id", func(s *Split) { s.Clips[2].LabelID = 1 }, "label_id 1 does not match"},
		{"fold", func(s *Split) { s.Clips[0].Fold = 0 }, "fold 0"},
		{"split kind", func(s *Split) { s.Clips[0].Split = "val" }, `"val" is not`},
		{"empty id", func(s *Split) { s.Clips[3].ClipID = "" }, "empty clip id"},
		{"dataset", func(s *Split) { s.Clips[3].Dataset = "mafw" }, `dataset "mafw"`},
		{"short vector", func(s *Split) { s.Clips[2].Features["video"] = []float32{1} }, "feat_video: 1 values, other rows have 3"},
		{"missing vector", func(s *Split) { delete(s.Clips[1].Features, "audio") }, "feat_audio: empty vector"},
		{"bad modality", func(s *Split) {
			for i := range s.Clips {
				s.Clips[i].Features["a b"] = []float32{1}
			}
		}, `modality "a b"`},
		{"no clips", func(s *Split) { s.Clips = nil }, "no clips"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smallSplit()
			tt.break_(s)
			path := filepath.Join(t.TempDir(), "s.parquet")
			err := WriteSplit(path, s)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
			if _, statErr := os.Stat(path); !os.IsNotExist(statErr) {
				t.Errorf("a refused write left %s behind", path)
			}
		})
	}
}

// writeRows writes rows of any struct type as a Parquet file, for files the split writer would
// never make.
func writeRows[T any](t *testing.T, rows []T) string {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "split.parquet")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type baseRow struct {
	Dataset string `parquet:"dataset"`
	ClipID  string `parquet:"clip_id"`
	Fold    int32  `parquet:"fold"`
	Split   string `parquet:"split"`
	Label   string `parquet:"label"`
	LabelID int32  `parquet:"label_id"`
}

func base(id string) baseRow {
	return baseRow{Dataset: "dfew", ClipID: id, Fold: 5, Split: Test, Label: "sad", LabelID: 2}
}

type featRow struct {
	baseRow
	Video []float32 `parquet:"feat_video,list"`
}

type optionalFeatRow struct {
	baseRow
	Video []*float32 `parquet:"feat_video,list"`
}

func TestReadSplitErrors(t *testing.T) {
	valid := filepath.Join(t.TempDir(), "valid.parquet")
	if err := WriteSplit(valid, smallSplit()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(valid)
	if err != nil {
		t.Fatal(err)
	}
	file := func(content []byte) string {
		p := filepath.Join(t.TempDir(), "bad.parquet")
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	one := float32(1)
	tests := []struct {
		name string
		path string
		opts []ReadOption
		row  int
		col  string
		want string
	}{
		{"empty file", file(nil), nil, 0, "", "empty file"},
		{"not parquet", file([]byte("video_name,label\n1,2\n")), nil, 0, "", "not a readable Parquet file"},
		{"truncated", file(data[:len(data)*2/3]), nil, 0, "", "not a readable Parquet file"},
		{"missing file", filepath.Join(t.TempDir(), "nope.parquet"), nil, 0, "", "no such file"},
		{"missing column", writeRows(t, []struct {
			Dataset string `parquet:"dataset"`
			ClipID  string `parquet:"clip_id"`
			Fold    int32  `parquet:"fold"`
			Split   string `parquet:"split"`
			Label   string `parquet:"label"`
		}{{"dfew", "1", 1, Test, "sad"}}), nil, 0, ColLabelID, "missing column"},
		{"wrong type", writeRows(t, []struct {
			baseRow
			VideoPath int32 `parquet:"video_path"`
		}{{base("1"), 3}}), nil, 0, ColVideoPath, "type INT32, want string"},
		{"fold as string", writeRows(t, []struct {
			Dataset string `parquet:"dataset"`
			ClipID  string `parquet:"clip_id"`
			Fold    string `parquet:"fold"`
			Split   string `parquet:"split"`
			Label   string `parquet:"label"`
			LabelID int32  `parquet:"label_id"`
		}{{"dfew", "1", "5", Test, "sad", 2}}), nil, 0, ColFold, "want int32"},
		{"feature not a list", writeRows(t, []struct {
			baseRow
			Video float32 `parquet:"feat_video"`
		}{{base("1"), 3}}), nil, 0, "feat_video", "want list<float32>"},
		{"feature of doubles", writeRows(t, []struct {
			baseRow
			Video []float64 `parquet:"feat_video,list"`
		}{{base("1"), []float64{1}}}), nil, 0, "feat_video", "list of DOUBLE"},
		{"vector lengths differ", writeRows(t, []featRow{{base("1"), []float32{1, 2}}, {base("2"), []float32{1, 2}}, {base("3"), []float32{1, 2, 3}}}),
			nil, 3, "feat_video", "3 values, row 1 has 2"},
		{"empty vector", writeRows(t, []featRow{{base("1"), []float32{1, 2}}, {base("2"), nil}}), nil, 2, "feat_video", "empty vector"},
		{"null element", writeRows(t, []optionalFeatRow{{base("1"), []*float32{&one}}, {base("2"), []*float32{nil}}}), nil, 2, "feat_video", "null element"},
		{"unknown label", writeRows(t, []baseRow{base("1"), {Dataset: "dfew", ClipID: "2", Fold: 1, Split: Test, Label: "Sad", LabelID: 2}}),
			nil, 2, ColLabel, `"Sad" is not a label of the dfew label set`},
		{"label id mismatch", writeRows(t, []baseRow{{Dataset: "dfew", ClipID: "2", Fold: 1, Split: Test, Label: "sad", LabelID: 3}}),
			nil, 1, ColLabelID, "label_id 3 does not match"},
		{"fold 0", writeRows(t, []baseRow{base("1"), base("2"), {Dataset: "dfew", ClipID: "3", Fold: 0, Split: Test, Label: "sad", LabelID: 2}}),
			nil, 3, ColFold, "fold 0"},
		{"split kind", writeRows(t, []baseRow{{Dataset: "dfew", ClipID: "3", Fold: 1, Split: "val", Label: "sad", LabelID: 2}}),
			nil, 1, ColSplit, `"val" is not`},
		{"empty clip id", writeRows(t, []baseRow{base("")}), nil, 1, ColClipID, "empty clip id"},
		{"two datasets", writeRows(t, []baseRow{base("1"), {Dataset: "mafw", ClipID: "2", Fold: 1, Split: Test, Label: "sadness", LabelID: 6}}),
			nil, 2, ColDataset, "one dataset per file"},
		{"custom without labels", writeRows(t, []baseRow{{Dataset: "mine", ClipID: "2", Fold: 1, Split: Test, Label: "calm", LabelID: 1}}),
			nil, 1, ColDataset, "give its label set file"},
		{"label set of another dataset", writeRows(t, []baseRow{base("1")}), []ReadOption{WithLabelSet(MAFW())},
			1, ColDataset, `the label set given is "mafw"`},
		{"no rows", writeRows(t, []baseRow{}), nil, 0, "", "no rows"},
		{"null required value", writeRows(t, []struct {
			Dataset string  `parquet:"dataset"`
			ClipID  *string `parquet:"clip_id,optional"`
			Fold    int32   `parquet:"fold"`
			Split   string  `parquet:"split"`
			Label   string  `parquet:"label"`
			LabelID int32   `parquet:"label_id"`
		}{{"dfew", nil, 1, Test, "sad", 2}}), nil, 1, ColClipID, "no value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ReadSplit(tt.path, tt.opts...)
			var ie *inputerr.Error
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, %v; want an *inputerr.Error", s, err)
			}
			if ie.File != tt.path || ie.Row != tt.row || ie.Key != tt.col || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q (row %d, column %q); want row %d, column %q, %q", err, ie.Row, ie.Key, tt.row, tt.col, tt.want)
			}
		})
	}
}

func TestReadSplitAccepts(t *testing.T) {
	one, two := float32(1), float32(2)
	tests := []struct {
		name string
		path string
		opts []ReadOption
		want func(*testing.T, *Split)
	}{
		{"int64 and optional columns, extra column", writeRows(t, []struct {
			Dataset   string  `parquet:"dataset"`
			ClipID    string  `parquet:"clip_id"`
			Fold      int64   `parquet:"fold"`
			Split     string  `parquet:"split"`
			Label     *string `parquet:"label,optional"`
			LabelID   int64   `parquet:"label_id"`
			VideoPath *string `parquet:"video_path,optional"`
			Speaker   string  `parquet:"speaker"`
		}{{"dfew", "00001", 5, Test, ptr("fear"), 7, nil, "x"}}), nil, func(t *testing.T, s *Split) {
			want := Clip{Dataset: "dfew", ClipID: "00001", Fold: 5, Split: Test, Label: "fear", LabelID: 7}
			if !reflect.DeepEqual(s.Clips, []Clip{want}) || !reflect.DeepEqual(s.ExtraColumns, []string{"speaker"}) {
				t.Errorf("got %+v, extra %v", s.Clips, s.ExtraColumns)
			}
		}},
		{"optional elements", writeRows(t, []optionalFeatRow{{base("1"), []*float32{&one, &two}}}), nil, func(t *testing.T, s *Split) {
			if got := s.Clips[0].Features["video"]; !reflect.DeepEqual(got, []float32{1, 2}) {
				t.Errorf("feat_video %v, want [1 2]", got)
			}
		}},
		{"custom set given", writeRows(t, []baseRow{{Dataset: "mine", ClipID: "2", Fold: 1, Split: Test, Label: "calm", LabelID: 7}}),
			[]ReadOption{WithLabelSet(&LabelSet{Name: "mine", Labels: []string{"calm", "tense"}})}, func(t *testing.T, s *Split) {
				if s.Labels.Name != "mine" || s.Clips[0].Label != "calm" {
					t.Errorf("got %+v", s)
				}
			}},
		{"lenient keeps bad rows", writeRows(t, []baseRow{base("1"), {Dataset: "dfew", ClipID: "", Fold: 0, Split: "val", Label: "bored", LabelID: 9}}),
			[]ReadOption{Lenient()}, func(t *testing.T, s *Split) {
				if len(s.Clips) != 2 || s.Clips[1].Label != "bored" {
					t.Errorf("got %+v", s.Clips)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ReadSplit(tt.path, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			tt.want(t, s)
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestSplitFileColumnOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.parquet")
	if err := WriteSplit(path, smallSplit()); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fl := range pf.Schema().Fields() {
		names = append(names, fl.Name())
	}
	want := []string{"dataset", "clip_id", "fold", "split", "label", "label_id", "video_path", "audio_path", "transcript", "feat_audio", "feat_video"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("columns %v, want %v", names, want)
	}
	if v, _ := pf.Lookup("emoeval.schema"); v != "emoeval.split/v1" {
		t.Errorf("schema metadata %q", v)
	}
}

func FuzzDecodeSplit(f *testing.F) {
	var buf bytes.Buffer
	if err := EncodeSplit(&buf, smallSplit()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:buf.Len()-9])
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeSplit("fuzz.parquet", bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !inputerr.Is(err) {
				t.Fatalf("error %v is not an input error", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("a split that reads does not validate: %v", err)
		}
	})
}

// testdata/foreign/duckdb.parquet was written by DuckDB 1.5 (COPY … TO (FORMAT parquet,
// ROW_GROUP_SIZE 200)): 600 rows in three row groups, every column nullable, dictionary-encoded
// strings and integers, a list<float> with nullable elements, some null video paths, and an
// extra column.
func TestReadSplitWrittenByDuckDB(t *testing.T) {
	s, err := ReadSplit(filepath.Join("testdata", "foreign", "duckdb.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Clips) != 600 || !reflect.DeepEqual(s.ExtraColumns, []string{"extra"}) {
		t.Fatalf("%d rows, extra columns %v; want 600, [extra]", len(s.Clips), s.ExtraColumns)
	}
	labels := DFEW().Labels
	for i, c := range s.Clips {
		n := i + 1
		want := Clip{Dataset: "dfew", ClipID: fmt.Sprintf("%05d", n), Fold: int32(1 + n%5), Split: Train,
			Label: labels[n%7], LabelID: int32(1 + n%7),
			Features: map[string][]float32{"video": {float32(n), float32(2 * n), 0.5}}}
		if n%4 == 0 {
			want.Split = Test
		}
		if n%3 != 0 {
			want.VideoPath = "clip/" + want.ClipID + ".mp4"
		}
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("row %d: %+v, want %+v", n, c, want)
		}
	}
}

// TestVectorRows checks how pages' values become rows, page boundaries that cut a row included
// (Parquet v1 pages may; parquet-go's writer does not, so files cannot show it).
func TestVectorRows(t *testing.T) {
	type page struct {
		values []float32
		reps   []byte
	}
	tests := []struct {
		name  string
		pages []page
		want  [][]float32
	}{
		{"one page", []page{{[]float32{1, 2, 3, 4}, []byte{0, 1, 0, 1}}}, [][]float32{{1, 2}, {3, 4}}},
		{"rows of one value", []page{{[]float32{1, 2, 3}, []byte{0, 0, 0}}}, [][]float32{{1}, {2}, {3}}},
		{"two aligned pages", []page{{[]float32{1, 2}, []byte{0, 1}}, {[]float32{3, 4}, []byte{0, 1}}}, [][]float32{{1, 2}, {3, 4}}},
		{"a row cut by a page boundary", []page{{[]float32{1, 2, 3}, []byte{0, 1, 0}}, {[]float32{4, 5, 6}, []byte{1, 0, 1}}},
			[][]float32{{1, 2}, {3, 4}, {5, 6}}},
		{"a row over three pages", []page{{[]float32{1}, []byte{0}}, {[]float32{2}, []byte{1}}, {[]float32{3, 4}, []byte{1, 0}}},
			[][]float32{{1, 2, 3}, {4}}},
	}
	for _, tc := range tests {
		for _, copied := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/copied=%v", tc.name, copied), func(t *testing.T) {
				vc := &vectorColumn{nullRow: -1}
				for _, p := range tc.pages {
					data := slices.Clone(p.values)
					if !copied {
						vc.addRows(data, p.reps)
						continue
					}
					var starts []int
					for i, r := range p.reps {
						if r == 0 {
							starts = append(starts, i)
						}
					}
					vc.addStarts(data, starts, p.reps[0] != 0)
				}
				if !reflect.DeepEqual(vc.rows, tc.want) {
					t.Errorf("rows %v, want %v", vc.rows, tc.want)
				}
				// A row must not be able to grow into the next one.
				for i, r := range vc.rows {
					if cap(r) != len(r) {
						t.Errorf("row %d: cap %d, len %d", i, cap(r), len(r))
					}
				}
			})
		}
	}
}

// TestDamagedFilesAllocateBySize decodes seeded random damages of a small split file (bits
// flipped, bytes and 32-bit words overwritten, as the fuzzer does) and checks that none makes the
// reader allocate more than its size can justify: a damaged footer or page header may claim any
// size, and parquet-go allocates what it claims (1–3.8 GB for some 3.7 KB inputs before the
// guards in parquetio.CheckFooter and CheckColumnPages).
func TestDamagedFilesAllocateBySize(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeSplit(&buf, smallSplit()); err != nil {
		t.Fatal(err)
	}
	seed := buf.Bytes()
	r := rand.New(rand.NewPCG(1, 2))
	const inputs = 2000
	var worst uint64
	for range inputs {
		data := slices.Clone(seed)
		for range 1 + r.IntN(4) {
			i := r.IntN(len(data))
			switch r.IntN(4) {
			case 0:
				data[i] ^= 1 << r.IntN(8)
			case 1:
				data[i] = byte(r.IntN(256))
			case 2:
				if i+4 <= len(data) {
					binary.LittleEndian.PutUint32(data[i:], r.Uint32())
				}
			case 3:
				data[i] = 0xff
			}
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := DecodeSplit("fuzz.parquet", bytes.NewReader(data), int64(len(data)))
		runtime.ReadMemStats(&after)
		if err != nil && !inputerr.Is(err) {
			t.Fatalf("error %v is not an input error", err)
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		worst = max(worst, alloc)
		if limit := uint64(1<<20 + 64*len(data)); alloc > limit {
			t.Fatalf("a damaged file of %d bytes made the reader allocate %d bytes (limit %d): %v", len(data), alloc, limit, err)
		}
	}
	t.Logf("%d damaged files of %d bytes: at most %d KB allocated", inputs, len(seed), worst>>10)
}

// TestDamagedFooter checks that a footer claiming more bytes than the file has is refused before
// anything is allocated for it.
func TestDamagedFooter(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeSplit(&buf, smallSplit()); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	binary.LittleEndian.PutUint32(data[len(data)-8:], 1<<31)
	_, err := DecodeSplit("s.parquet", bytes.NewReader(data), int64(len(data)))
	if !inputerr.Is(err) || !strings.Contains(err.Error(), "the footer claims 2147483648 bytes, the file has") {
		t.Errorf("got %v", err)
	}
}
