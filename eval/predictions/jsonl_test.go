package predictions

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

func TestJSONL(t *testing.T) {
	text := `{"clip_id": "00042", "output": "<think>x</think>\n<answer>happy</answer>"}` + "\r\n" +
		"\n   \n" +
		`{"output": "sad", "clip_id": 12583, "label": "sad", "extra": [1, 2]}` + "\n" +
		`{"clip_id":"3","output":""}`
	got, err := scanString(t, FormatJSONL, text)
	if err != nil {
		t.Fatal(err)
	}
	want := []Output{
		rec("00042", "<think>x</think>\n<answer>happy</answer>", 1),
		rec("12583", "sad", 4),
		rec("3", "", 5),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestJSONLErrors(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		msg        string
	}{
		{"empty file", "", 0, "empty file"},
		{"only blank lines", "\n\n", 0, "no records"},
		{"bad JSON", `{"clip_id": "1", "output": "a"}` + "\n" + `{"clip_id": "2", "output": "b"` + "\n", 2, "bad JSON"},
		{"not an object", `"just a string"`, 1, "not a JSON object"},
		{"a JSON array", `[{"clip_id": "1", "output": "a"}]`, 1, "one object per line"},
		{"no clip_id", `{"output": "a"}`, 1, "no clip_id"},
		{"null clip_id", `{"clip_id": null, "output": "a"}`, 1, "clip_id must be a string or a non-negative integer"},
		{"negative clip_id", `{"clip_id": -1, "output": "a"}`, 1, "non-negative integer"},
		{"fractional clip_id", `{"clip_id": 1.5, "output": "a"}`, 1, "non-negative integer"},
		{"empty clip_id", `{"clip_id": "", "output": "a"}`, 1, "empty clip_id"},
		{"no output", `{"clip_id": "1"}`, 1, "no output"},
		{"null output", `{"clip_id": "1", "output": null}`, 1, "no output (or null)"},
		{"clip_id an object", `{"clip_id": {"a": 1}, "output": "x"}`, 1, "non-negative integer"},
		{"numeric output", `{"clip_id": "1", "output": 3}`, 1, "output must be a string"},
		{"invalid UTF-8", "{\"clip_id\": \"1\", \"output\": \"caf\xe9\"}", 1, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scanString(t, FormatJSONL, tt.text)
			var ie *inputerr.Error
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v; want an input error", err)
			}
			if ie.Line != tt.line || !strings.Contains(ie.Error(), tt.msg) {
				t.Errorf("err = %q (line %d); want line %d and %q", ie, ie.Line, tt.line, tt.msg)
			}
		})
	}
}

func TestJSONLLongLine(t *testing.T) {
	long := strings.Repeat("y", 1<<20)
	got, err := scanString(t, FormatJSONL, `{"clip_id": "1", "output": "`+long+`"}`)
	if err != nil || len(got) != 1 || got[0].Raw != long {
		t.Fatalf("%d outputs, %v", len(got), err)
	}
}

func TestReadOutputsRejectsDuplicateClips(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("12583|<answer>happy</answer>\n7|x\n012583|<answer>sad</answer>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadOutputs(context.Background(), path, FormatIDPipe)
	var ie *inputerr.Error
	if !errors.As(err, &ie) || ie.Line != 3 || !strings.Contains(err.Error(), "first is at line 1") {
		t.Errorf("err = %v; want a duplicate at line 3", err)
	}
	if err := os.WriteFile(path, []byte("12583|a\n7|b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outs, err := ReadOutputs(context.Background(), path, FormatIDPipe)
	if err != nil || len(outs) != 2 || !reflect.DeepEqual(outs[1], rec("7", "b", 2)) {
		t.Errorf("ReadOutputs = %+v, %v", outs, err)
	}
}

func TestScanMissingFileAndBadFormat(t *testing.T) {
	err := Scan(context.Background(), filepath.Join(t.TempDir(), "nope.txt"), FormatIDPipe, func(Output) error { return nil })
	if !inputerr.Is(err) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if err := Scan(context.Background(), "x", "csv", func(Output) error { return nil }); err == nil || inputerr.Is(err) {
		t.Errorf("unknown format: %v (a programming error, not bad input)", err)
	}
}

func TestFormatOf(t *testing.T) {
	tests := []struct {
		arg, path, format, err string
	}{
		{"results/out.txt", "results/out.txt", FormatIDPipe, ""},
		{"out.TXT", "out.TXT", FormatIDPipe, ""},
		{"out.jsonl", "out.jsonl", FormatJSONL, ""},
		{"out.ndjson", "out.ndjson", FormatJSONL, ""},
		{"out.json", "out.json", FormatJSONL, ""},
		{"preds.parquet", "preds.parquet", FormatParquet, ""},
		{"outputs.log:idpipe", "outputs.log", FormatIDPipe, ""},
		{"out.txt:JSONL", "out.txt", FormatJSONL, ""},
		{"C:/runs/out.parquet", "C:/runs/out.parquet", FormatParquet, ""},
		{"run:2/out.txt", "run:2/out.txt", FormatIDPipe, ""},
		{"out.txt:idpip", "", "", `unknown format "idpip"`},
		{"outputs.log", "", "", "cannot tell the format"},
		{":jsonl", "", "", "no file before the format"},
		{"", "", "", "empty file name"},
	}
	for _, tt := range tests {
		path, format, err := FormatOf(tt.arg)
		if tt.err != "" {
			if err == nil || !inputerr.Is(err) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("FormatOf(%q) err = %v; want %q", tt.arg, err, tt.err)
			}
			continue
		}
		if err != nil || path != tt.path || format != tt.format {
			t.Errorf("FormatOf(%q) = %q, %q, %v; want %q, %q", tt.arg, path, format, err, tt.path, tt.format)
		}
	}
}
