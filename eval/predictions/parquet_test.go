package predictions

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/parquetio"
)

func samplePredictions(n int) []Prediction {
	out := make([]Prediction, n)
	for i := range out {
		p := Prediction{
			Model: "migr", Variant: VariantAV, Dataset: "dfew", Fold: 5, ClipID: fmt.Sprintf("%05d", i+1), Label: "sad",
			RawOutput: "<think>tears | \"quotes\" \u2028 é</think><answer>sad</answer>", Think: "tears", AnswerRaw: "sad",
			Pred: "sad", ParseStatus: "ok", Order: "no_desc", LatencyMS: 12.5, Attempts: 1, PredQuarter: "unknown",
			Reason: "", Normalized: "", Line: int32(i + 1),
		}
		if i%3 == 1 {
			p.Probs = []float32{0.1, 0.2, 0.3, 0.1, 0.1, 0.1, 0.1}
		}
		if i%5 == 4 {
			p.Error = "timeout"
			p.ParseStatus = "error"
		}
		out[i] = p
	}
	return out
}

// writeParquet writes rows of any struct type with parquet-go, as another tool would.
func writeParquet[T any](t *testing.T, path string, rows []T) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestPredictionsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run", "predictions.parquet")
	w, err := NewWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	rows := samplePredictions(17000) // more than one row group of 1<<14 rows
	var wg sync.WaitGroup
	for part := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := part * 4250; i < (part+1)*4250; i += 50 {
				if err := w.Write(rows[i : i+50]...); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file is visible before Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rows[0]); err == nil {
		t.Error("Write after Close succeeded")
	}
	pf, f, err := parquetio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(pf.RowGroups()); n < 2 {
		t.Errorf("%d row group(s); the test wants rows spread over several", n)
	}
	f.Close()
	got, err := ReadPredictions(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) {
		t.Fatalf("%d rows; want %d", len(got), len(rows))
	}
	byID := map[string]Prediction{}
	for _, p := range got {
		byID[p.ClipID] = p
	}
	for _, want := range rows {
		g := byID[want.ClipID]
		if len(g.Probs) == 0 && len(want.Probs) == 0 {
			g.Probs, want.Probs = nil, nil
		}
		if !reflect.DeepEqual(g, want) {
			t.Fatalf("row %s:\n got %+v\nwant %+v", want.ClipID, g, want)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestWriterAbortLeavesThePathAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "predictions.parquet")
	if err := os.WriteFile(path, []byte("previous run"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(samplePredictions(3)...); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	w.Abort() // idempotent
	if data, _ := os.ReadFile(path); string(data) != "previous run" {
		t.Errorf("Abort changed the target: %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := w.Close(); err == nil {
		t.Error("Close after Abort succeeded")
	}
}

// pandasPrediction is predictions.parquet as pandas/pyarrow would write it: every column
// optional, fold as int64, a null list.
type pandasPrediction struct {
	Model       *string   `parquet:"model,optional"`
	Variant     *string   `parquet:"variant,optional"`
	Dataset     *string   `parquet:"dataset,optional"`
	Fold        *int64    `parquet:"fold,optional"`
	ClipID      *string   `parquet:"clip_id,optional"`
	Label       *string   `parquet:"label,optional"`
	RawOutput   *string   `parquet:"raw_output,optional"`
	VisDesc     *string   `parquet:"vis_desc,optional"`
	AudDesc     *string   `parquet:"aud_desc,optional"`
	Think       *string   `parquet:"think,optional"`
	AnswerRaw   *string   `parquet:"answer_raw,optional"`
	Pred        *string   `parquet:"pred,optional"`
	ParseStatus *string   `parquet:"parse_status,optional"`
	Order       *string   `parquet:"order,optional"`
	Probs       []float64 `parquet:"probs,list,optional"`
	LatencyMS   *float64  `parquet:"latency_ms,optional"`
	Attempts    *int64    `parquet:"attempts,optional"`
	Error       *string   `parquet:"error,optional"`
}

func TestReadPredictionsFromOtherTools(t *testing.T) {
	s := func(v string) *string { return &v }
	five, one, lat := int64(5), int64(1), 3.5
	rows := []pandasPrediction{
		{Model: s("m"), Variant: s("av"), Dataset: s("dfew"), Fold: &five, ClipID: s("1"), Label: s("sad"), RawOutput: s("x"),
			Pred: s("sad"), ParseStatus: s("ok"), Order: s("no_desc"), Probs: []float64{0.5, 0.25, 0.25}, LatencyMS: &lat, Attempts: &one},
		{Model: s("m"), Variant: s("av"), Dataset: s("dfew"), Fold: &five, ClipID: s("2"), Label: s("sad")},
	}
	path := filepath.Join(t.TempDir(), "p.parquet")
	writeParquet(t, path, rows)
	got, err := ReadPredictions(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Fold != 5 || got[0].Attempts != 1 || got[0].LatencyMS != 3.5 || got[1].Pred != "" ||
		!reflect.DeepEqual(got[0].Probs, []float32{0.5, 0.25, 0.25}) || len(got[1].Probs) != 0 || got[0].PredQuarter != "" {
		t.Errorf("got %+v", got)
	}
}

type predictionWithoutStatus struct {
	Model     string `parquet:"model"`
	Variant   string `parquet:"variant"`
	Dataset   string `parquet:"dataset"`
	Fold      int32  `parquet:"fold"`
	ClipID    string `parquet:"clip_id"`
	Label     string `parquet:"label"`
	RawOutput string `parquet:"raw_output"`
}

// predictionBase is Prediction without fold and probs, for files with those columns changed.
type predictionBase struct {
	Model       string  `parquet:"model"`
	Variant     string  `parquet:"variant"`
	Dataset     string  `parquet:"dataset"`
	ClipID      string  `parquet:"clip_id"`
	Label       string  `parquet:"label"`
	RawOutput   string  `parquet:"raw_output"`
	VisDesc     string  `parquet:"vis_desc"`
	AudDesc     string  `parquet:"aud_desc"`
	Think       string  `parquet:"think"`
	AnswerRaw   string  `parquet:"answer_raw"`
	Pred        string  `parquet:"pred"`
	ParseStatus string  `parquet:"parse_status"`
	Order       string  `parquet:"order"`
	LatencyMS   float64 `parquet:"latency_ms"`
	Attempts    int32   `parquet:"attempts"`
	Error       string  `parquet:"error"`
}

type predictionFlatProbs struct {
	predictionBase
	Fold  int32     `parquet:"fold"`
	Probs []float32 `parquet:"probs"` // a repeated leaf, not a LIST: the silent-empty-slices trap
}

type predictionStringFold struct {
	predictionBase
	Fold  string    `parquet:"fold"`
	Probs []float32 `parquet:"probs,list"`
}

func TestReadPredictionsErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.parquet")
	writeParquet(t, missing, []predictionWithoutStatus{{Model: "m", ClipID: "1"}})
	flat := filepath.Join(dir, "flat.parquet")
	writeParquet(t, flat, []predictionFlatProbs{{predictionBase: predictionBase{ClipID: "1"}, Fold: 5, Probs: []float32{1, 2}}})
	strFold := filepath.Join(dir, "strfold.parquet")
	writeParquet(t, strFold, []predictionStringFold{{predictionBase: predictionBase{ClipID: "1"}, Fold: "5"}})
	good := filepath.Join(dir, "good.parquet")
	writeParquet(t, good, samplePredictions(50))
	data, _ := os.ReadFile(good)
	truncated := filepath.Join(dir, "truncated.parquet")
	os.WriteFile(truncated, data[:len(data)/2], 0o644)
	corrupt := filepath.Join(dir, "corrupt.parquet")
	bad := append([]byte{}, data...)
	for i := 8; i < len(bad)/2; i++ {
		bad[i] ^= 0x5a
	}
	os.WriteFile(corrupt, bad, 0o644)
	text := filepath.Join(dir, "text.parquet")
	os.WriteFile(text, []byte("12583|<answer>happy</answer>\n"), 0o644)
	empty := filepath.Join(dir, "empty.parquet")
	os.WriteFile(empty, nil, 0o644)

	tests := []struct {
		path, key, msg string
	}{
		{missing, "vis_desc", "missing column"},
		{flat, "probs", "3-level LIST"},
		{strFold, "fold", "want a column of type integer"},
		{truncated, "", "not a readable Parquet file"},
		{corrupt, "model", "damaged Parquet file: row group 1: page header"},
		{text, "", "not a readable Parquet file"},
		{empty, "", "empty file"},
		{filepath.Join(dir, "absent.parquet"), "", "no such file"},
	}
	for _, tt := range tests {
		_, err := ReadPredictions(tt.path)
		var ie *inputerr.Error
		if !errors.As(err, &ie) {
			t.Errorf("%s: err = %v; want an input error", filepath.Base(tt.path), err)
			continue
		}
		if ie.File != tt.path || ie.Key != tt.key || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %q (key %q); want key %q and %q", filepath.Base(tt.path), err, ie.Key, tt.key, tt.msg)
		}
	}
}

func TestCheckListLengths(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.parquet")
	writeParquet(t, path, samplePredictions(30)) // 10 rows with 7 probabilities
	pf, f, err := parquetio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := parquetio.CheckListLengths(path, pf, "probs", 70); err != nil {
		t.Errorf("correct count: %v", err)
	}
	err = parquetio.CheckListLengths(path, pf, "probs", 0) // what a reader that silently drops lists sees
	if !inputerr.Is(err) || !strings.Contains(err.Error(), "stores 70 list elements but 0 were read") {
		t.Errorf("dropped lists: %v", err)
	}
}

type outputsFile struct {
	ClipID string `parquet:"clip_id"`
	Output string `parquet:"output"`
	Label  string `parquet:"label"`
}

type outputsIntIDs struct {
	ClipID int32  `parquet:"clip_id"`
	Output string `parquet:"output,optional"`
}

func scanParquet(t *testing.T, path string) ([]Output, error) {
	t.Helper()
	var out []Output
	err := Scan(context.Background(), path, FormatParquet, func(o Output) error {
		out = append(out, o)
		return nil
	})
	return out, err
}

func TestScanParquetOutputs(t *testing.T) {
	dir := t.TempDir()
	str := filepath.Join(dir, "str.parquet")
	writeParquet(t, str, []outputsFile{{"00042", "<answer>happy</answer>", "happy"}, {"7", "", "sad"}})
	ints := filepath.Join(dir, "ints.parquet")
	writeParquet(t, ints, []outputsIntIDs{{12583, "a"}, {3, "b"}})
	preds := filepath.Join(dir, "predictions.parquet")
	writeParquet(t, preds, samplePredictions(3))
	// Rows with the optional columns pandas writes: nulls where a plain field would read "" or 0.
	nullable := filepath.Join(dir, "nullable.parquet")
	s := func(v string) *string { return &v }
	id := func(v int64) *int64 { return &v }
	writeParquet(t, nullable, []nullableOutput{{id(12583), s("a")}, {id(0), s("")}})
	raw := samplePredictions(1)[0].RawOutput

	for _, tt := range []struct {
		path string
		want []Output
	}{
		{str, []Output{rec("00042", "<answer>happy</answer>", 1), rec("7", "", 2)}},
		{ints, []Output{rec("12583", "a", 1), rec("3", "b", 2)}},
		{nullable, []Output{rec("12583", "a", 1), rec("0", "", 2)}},
		{preds, []Output{rec("00001", raw, 1), {ClipID: "00002", Raw: raw, Line: 2, Probs: samplePredictions(2)[1].Probs}, rec("00003", raw, 3)}},
	} {
		got, err := scanParquet(t, tt.path)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %+v, %v; want %+v", filepath.Base(tt.path), got, err, tt.want)
		}
	}
}

type nullableOutput struct {
	ClipID *int64  `parquet:"clip_id,optional"`
	Output *string `parquet:"output,optional"`
}

type nullableStringIDOutput struct {
	ClipID *string `parquet:"clip_id,optional"`
	Output *string `parquet:"output,optional"`
}

// A replayed predictions.parquet passes on each row's probabilities and error, so that the
// scorer can take the argmax of an ONNX model's row and count a failed call as one.
func TestScanParquetPredictionsProbsAndErrors(t *testing.T) {
	dir := t.TempDir()
	ours := filepath.Join(dir, "predictions.parquet")
	rows := samplePredictions(10) // probs in rows 2, 5, 8; errors in rows 5 and 10
	writeParquet(t, ours, rows)
	got, err := scanParquet(t, ours)
	if err != nil || len(got) != len(rows) {
		t.Fatalf("%d outputs, %v", len(got), err)
	}
	for i, p := range rows {
		want := Output{ClipID: p.ClipID, Raw: p.RawOutput, Line: i + 1, Probs: p.Probs, Err: p.Error}
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("row %d: %+v; want %+v", i+1, got[i], want)
		}
	}
	if got[4].Err != "timeout" || len(got[4].Probs) != 7 || got[9].Err != "timeout" || got[9].Probs != nil {
		t.Errorf("rows 5 and 10: %+v %+v", got[4], got[9])
	}

	// pandas: every column optional, probs as doubles, a failed call with no output at all.
	s := func(v string) *string { return &v }
	pandas := filepath.Join(dir, "pandas.parquet")
	writeParquet(t, pandas, []pandasPrediction{
		{Model: s("m"), Variant: s("av"), ClipID: s("1"), RawOutput: s(""), Probs: []float64{0.25, 0.75}},
		{Model: s("m"), Variant: s("av"), ClipID: s("2"), Error: s("HTTP 500")},
		{Model: s("m"), Variant: s("av"), ClipID: s("3"), RawOutput: s("<answer>sad</answer>")},
	})
	got, err = scanParquet(t, pandas)
	want := []Output{{ClipID: "1", Line: 1, Probs: []float32{0.25, 0.75}}, {ClipID: "2", Line: 2, Err: "HTTP 500"},
		rec("3", "<answer>sad</answer>", 3)}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("pandas file: %+v, %v; want %+v", got, err, want)
	}
	// The scan hands out probabilities the caller may keep: later batches do not overwrite them.
	big := filepath.Join(dir, "big.parquet")
	writeParquet(t, big, samplePredictions(1000))
	got, err = scanParquet(t, big)
	if err != nil || len(got) != 1000 || !reflect.DeepEqual(got[1].Probs, samplePredictions(2)[1].Probs) ||
		!reflect.DeepEqual(got[997].Probs, samplePredictions(2)[1].Probs) {
		t.Errorf("kept probabilities changed: %v %v, %v", got[1].Probs, got[997].Probs, err)
	}
}

func TestScanParquetOutputsErrors(t *testing.T) {
	dir := t.TempDir()
	twoModels := filepath.Join(dir, "two.parquet")
	rows := samplePredictions(3)
	rows[2].Model = "r1-omni"
	writeParquet(t, twoModels, rows)
	noOutput := filepath.Join(dir, "noout.parquet")
	writeParquet(t, noOutput, []predictionWithoutStatus{{ClipID: "1"}}[:1])
	noID := filepath.Join(dir, "noid.parquet")
	writeParquet(t, noID, []struct {
		Output string `parquet:"output"`
	}{{"x"}})
	emptyID := filepath.Join(dir, "emptyid.parquet")
	writeParquet(t, emptyID, []outputsFile{{"1", "a", ""}, {"", "b", ""}})
	noRows := filepath.Join(dir, "norows.parquet")
	writeParquet(t, noRows, []outputsFile{})
	s := func(v string) *string { return &v }
	id := func(v int64) *int64 { return &v }
	nullOutput := filepath.Join(dir, "nulloutput.parquet")
	writeParquet(t, nullOutput, []nullableOutput{{id(147), s("<answer>disgust</answer>")}, {id(151), nil}})
	nullIntID := filepath.Join(dir, "nullintid.parquet")
	writeParquet(t, nullIntID, []nullableOutput{{id(147), s("a")}, {id(151), s("b")}, {nil, s("<answer>happy</answer>")}})
	nullStrID := filepath.Join(dir, "nullstrid.parquet")
	writeParquet(t, nullStrID, []nullableStringIDOutput{{nil, s("a")}})
	nullStrOutput := filepath.Join(dir, "nullstroutput.parquet")
	writeParquet(t, nullStrOutput, []nullableStringIDOutput{{s("1"), s("a")}, {s("2"), nil}})
	nullRaw := filepath.Join(dir, "nullraw.parquet")
	writeParquet(t, nullRaw, []pandasPrediction{{Model: s("m"), Variant: s("av"), ClipID: s("1"), RawOutput: s("x")},
		{Model: s("m"), Variant: s("av"), ClipID: s("2")}})
	nullPredID := filepath.Join(dir, "nullpredid.parquet")
	writeParquet(t, nullPredID, []pandasPrediction{{Model: s("m"), Variant: s("av"), RawOutput: s("x")}})
	flatProbs := filepath.Join(dir, "flatprobs.parquet")
	writeParquet(t, flatProbs, []predictionFlatProbs{{predictionBase: predictionBase{ClipID: "1"}, Fold: 5, Probs: []float32{1, 2}}})

	tests := []struct {
		path     string
		row      int
		key, msg string
	}{
		{twoModels, 3, "", "one model × variant"},
		{filepath.Join(dir, "x"), 0, "", "no such file"},
		{noID, 0, "clip_id", "missing column"},
		{emptyID, 2, "", "empty clip_id"},
		{noRows, 0, "", "no rows"},
		{nullOutput, 2, "", "null output"},
		{nullIntID, 3, "", "null clip_id"},
		{nullStrID, 1, "", "null clip_id"},
		{nullStrOutput, 2, "", "null output"},
		{nullRaw, 2, "", "null raw_output, and no error says why"},
		{nullPredID, 1, "", "null clip_id"},
		{flatProbs, 0, "probs", "3-level LIST"},
	}
	// predictionWithoutStatus has raw_output: it is a predictions file without model trouble.
	if got, err := scanParquet(t, noOutput); err != nil || len(got) != 1 {
		t.Errorf("raw_output file: %v, %v", got, err)
	}
	for _, tt := range tests {
		_, err := scanParquet(t, tt.path)
		var ie *inputerr.Error
		if !errors.As(err, &ie) {
			t.Errorf("%s: err = %v; want an input error", filepath.Base(tt.path), err)
			continue
		}
		if ie.Row != tt.row || ie.Key != tt.key || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %q (row %d key %q); want row %d key %q and %q", filepath.Base(tt.path), err, ie.Row, ie.Key,
				tt.row, tt.key, tt.msg)
		}
	}
	onlyLabel := filepath.Join(dir, "label.parquet")
	writeParquet(t, onlyLabel, []struct {
		ClipID string `parquet:"clip_id"`
	}{{"1"}})
	if _, err := scanParquet(t, onlyLabel); !inputerr.Is(err) || !strings.Contains(err.Error(), "need clip_id and output") {
		t.Errorf("no output column: %v", err)
	}
}

// The contract and the Prediction struct name the same columns.
func TestPredictionColumnsMatchTheStruct(t *testing.T) {
	var fromStruct []string
	for _, f := range parquet.SchemaOf(Prediction{}).Fields() {
		fromStruct = append(fromStruct, f.Name())
	}
	var fromContract []string
	for _, c := range PredictionColumns() {
		fromContract = append(fromContract, c.Name)
	}
	if fmt.Sprint(fromStruct) != fmt.Sprint(fromContract) {
		t.Errorf("struct %v\ncontract %v", fromStruct, fromContract)
	}
}
