package judges

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/inputerr"
)

func sampleJudgments(n int) []Judgment {
	out := make([]Judgment, n)
	for i := range out {
		j := Judgment{Judge: "gpt", Model: "migr", ClipID: fmt.Sprint(i + 1), Input: "think", Emotion: "sad",
			ReplyRaw: "Sad.", Normalized: "case,punct"}
		switch i % 3 {
		case 1:
			j.Sentences = []string{"She cries.", "Her voice | breaks \u2028 é."}
			j.SentenceLabels = []string{"sad", ""}
		case 2:
			j.Fallback, j.Emotion, j.Error = true, "neutral", "timeout"
		}
		out[i] = j
	}
	return out
}

func TestJudgmentsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "judgments.parquet")
	w, err := NewWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	rows := sampleJudgments(100)
	if err := w.Write(rows[:60]...); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rows[60:]...); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("visible before Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJudgments(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if len(got[i].Sentences) == 0 {
			got[i].Sentences, got[i].SentenceLabels = nil, nil
		}
	}
	if !reflect.DeepEqual(got, rows) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got[:3], rows[:3])
	}
}

func TestJudgmentsAbort(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(filepath.Join(dir, "judgments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(sampleJudgments(2)...); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left after Abort: %v", entries)
	}
}

type judgmentNoFallback struct {
	Judge    string `parquet:"judge"`
	Model    string `parquet:"model"`
	ClipID   string `parquet:"clip_id"`
	Input    string `parquet:"input"`
	Emotion  string `parquet:"emotion"`
	ReplyRaw string `parquet:"reply_raw"`
	Error    string `parquet:"error"`
}

type judgmentUnevenSentences struct {
	judgmentNoFallback
	Fallback       bool     `parquet:"fallback"`
	Sentences      []string `parquet:"sentences,list"`
	SentenceLabels []string `parquet:"sentence_labels,list"`
}

type judgmentFlatSentences struct {
	judgmentNoFallback
	Fallback  bool     `parquet:"fallback"`
	Sentences []string `parquet:"sentences"` // repeated leaf, not a LIST
}

func writeRows[T any](t *testing.T, path string, rows []T) {
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
	f.Close()
}

func TestReadJudgmentsErrors(t *testing.T) {
	dir := t.TempDir()
	noFallback := filepath.Join(dir, "nofallback.parquet")
	writeRows(t, noFallback, []judgmentNoFallback{{ClipID: "1"}})
	uneven := filepath.Join(dir, "uneven.parquet")
	writeRows(t, uneven, []judgmentUnevenSentences{{}, {Sentences: []string{"a", "b"}, SentenceLabels: []string{"sad"}}})
	flat := filepath.Join(dir, "flat.parquet")
	writeRows(t, flat, []judgmentFlatSentences{{Sentences: []string{"a"}}})
	text := filepath.Join(dir, "text.parquet")
	os.WriteFile(text, []byte(`[{"1": {"gpt_response": "sad"}}]`), 0o644)
	tests := []struct {
		path     string
		row      int
		key, msg string
	}{
		{noFallback, 0, "fallback", "missing column"},
		{uneven, 2, "", "2 sentences but 1 sentence labels"},
		{flat, 0, "sentences", "3-level LIST"},
		{text, 0, "", "not a readable Parquet file"},
	}
	for _, tt := range tests {
		_, err := ReadJudgments(tt.path)
		var ie *inputerr.Error
		if !errors.As(err, &ie) || ie.Row != tt.row || ie.Key != tt.key || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v; want row %d key %q and %q", filepath.Base(tt.path), err, tt.row, tt.key, tt.msg)
		}
	}
}

// The contract and the Judgment struct name the same columns.
func TestJudgmentColumnsMatchTheStruct(t *testing.T) {
	var fromStruct, fromContract []string
	for _, f := range parquet.SchemaOf(Judgment{}).Fields() {
		fromStruct = append(fromStruct, f.Name())
	}
	for _, c := range JudgmentColumns() {
		fromContract = append(fromContract, c.Name)
	}
	if fmt.Sprint(fromStruct) != fmt.Sprint(fromContract) {
		t.Errorf("struct %v\ncontract %v", fromStruct, fromContract)
	}
}
