package predictions

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/bom"
	"github.com/emoeval/emoeval/internal/inputerr"
)

// rearrangeOneLine is the authors' function transliterated line by line, on a whole string:
// the reference the streaming reader is checked against.
func rearrangeOneLine(text string) []string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var total []string
	var current strings.Builder // Python's current_line (a Builder: += would be quadratic)
	for _, line := range lines {
		if parse.PyStrip(line) != "" && parse.IsPyDigits(strings.Split(line, "|")[0]) {
			if current.Len() > 0 {
				total = append(total, parse.PyStrip(current.String()))
			}
			current.Reset()
			current.WriteString(parse.PyStrip(line))
		} else {
			current.WriteString(" " + parse.PyStrip(line))
		}
	}
	if current.Len() > 0 {
		total = append(total, parse.PyStrip(current.String()))
	}
	return total
}

func scanBytes(data []byte, format string, oneByte bool) ([]Output, error) {
	var out []Output
	fn := func(o Output) error {
		out = append(out, o)
		return nil
	}
	var err error
	if oneByte {
		err = scanIDPipe(context.Background(), "f", iotest.OneByteReader(bytes.NewReader(data)), fn)
	} else {
		err = ScanReader(context.Background(), "f", bytes.NewReader(data), format, fn)
	}
	return out, err
}

func FuzzIDPipe(f *testing.F) {
	for _, s := range []string{
		"12583|<think>x</think>\n<answer>happy</answer>\n",
		"1|a\r\nb\r2|c\r\n\r\n3|",
		"\n\n1|a\n123",
		"1|a\n123\r",
		"\xef\xbb\xbf1\n2|a",
		"1|a\n 2|b\n١|c\n²|d",
		"header\n1|a",
		"\xef\xbb\xbf1|a",
		"1|caf\xe9",
		"",
		"1|\u0085\u2028\v\x1c|x\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A byte-order mark is dropped before the authors' rules apply (ScanReader does it).
		data = bom.Trim(data)
		got, err := scanBytes(data, FormatIDPipe, false)
		slow, slowErr := scanBytes(data, FormatIDPipe, true)
		if fmt.Sprint(got, err) != fmt.Sprint(slow, slowErr) {
			t.Fatalf("chunked reads differ: %v %v vs %v %v", got, err, slow, slowErr)
		}
		if err != nil {
			if !inputerr.Is(err) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		text := string(data)
		if !utf8.ValidString(text) || strings.HasPrefix(text, "\ufeff") {
			t.Fatalf("accepted a file the authors' script cannot read")
		}
		want := rearrangeOneLine(text)
		if len(want) > 0 && want[0] == "" { // leading blank lines: a bogus empty record there, skipped here
			want = want[1:]
		}
		if len(got) != len(want) {
			t.Fatalf("%d records; the authors' function gives %d: %q", len(got), len(want), want)
		}
		prevLine := 0
		for i, o := range got {
			if !strings.Contains(want[i], "|") {
				t.Fatalf("accepted record %d %q, which has no '|': the authors' scripts raise on it", i, want[i])
			}
			if rec := o.ClipID + "|" + o.Raw; rec != want[i] {
				t.Fatalf("record %d = %q; the authors' function gives %q", i, rec, want[i])
			}
			if !parse.IsPyDigits(o.ClipID) || strings.ContainsAny(o.Raw, "\r\n") || o.Line <= prevLine {
				t.Fatalf("record %d: %+v", i, o)
			}
			prevLine = o.Line
		}
	})
}

func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		`{"clip_id": "1", "output": "<answer>sad</answer>"}` + "\n" + `{"clip_id": 2, "output": ""}`,
		"\n\n{\"clip_id\": \"x\", \"output\": \"a\\nb\"}\r\n",
		`[{"clip_id": "1"}]`,
		`{"clip_id": 1e3, "output": "a"}`,
		`{"clip_id": "1", "output": null}`,
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := scanBytes(data, FormatJSONL, false)
		if err != nil {
			if !inputerr.Is(err) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		// Every non-blank line is one object with a clip id and an output string.
		var n int
		for _, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			var v map[string]any
			if json.Unmarshal(line, &v) != nil {
				t.Fatalf("accepted a line that is not a JSON object: %q", line)
			}
			if _, ok := v["output"].(string); !ok {
				t.Fatalf("accepted a line without an output string: %q", line)
			}
			n++
		}
		if n != len(got) {
			t.Fatalf("%d outputs from %d object lines", len(got), n)
		}
		for _, o := range got {
			if o.ClipID == "" {
				t.Fatalf("empty clip id accepted")
			}
		}
	})
}
