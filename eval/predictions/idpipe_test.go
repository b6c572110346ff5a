package predictions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
)

// rec is an output of a text file.
func rec(id, raw string, line int) Output { return Output{ClipID: id, Raw: raw, Line: line} }

func scanString(t *testing.T, format, text string) ([]Output, error) {
	t.Helper()
	var out []Output
	err := ScanReader(context.Background(), "in.txt", strings.NewReader(text), format, func(o Output) error {
		out = append(out, o)
		return nil
	})
	return out, err
}

func TestIDPipeRecords(t *testing.T) {
	tests := []struct {
		name, text string
		want       []Output
	}{
		{"one line each", "12583|<answer>happy</answer>\n3|<answer>sad</answer>\n",
			[]Output{rec("12583", "<answer>happy</answer>", 1), rec("3", "<answer>sad</answer>", 2)}},
		{"continuation lines are stripped and joined by one space",
			"1|<think>He shouts.  \n   He bangs the table.</think>\n\t<answer>angry</answer>   \n2|x",
			[]Output{rec("1", "<think>He shouts. He bangs the table.</think> <answer>angry</answer>", 1), rec("2", "x", 4)}},
		{"leading space after the pipe is kept", "1|  <answer>fear</answer>\n", []Output{rec("1", "  <answer>fear</answer>", 1)}},
		{"CRLF", "1|a\r\nb\r\n2|c\r\n", []Output{rec("1", "a b", 1), rec("2", "c", 3)}},
		{"lone CR ends a line", "1|a\rb\r2|c", []Output{rec("1", "a b", 1), rec("2", "c", 3)}},
		{"CR CR LF is two line ends", "1|a\r\r\nb", []Output{rec("1", "a  b", 1)}},
		{"a blank line inside a record adds a space", "1|a\n\nb\n", []Output{rec("1", "a  b", 1)}},
		{"trailing blank lines are stripped away", "1|a\n\n \n", []Output{rec("1", "a", 1)}},
		{"zero-padded and unpadded ids are kept as written", "00042|x\n42|y\n", []Output{rec("00042", "x", 1), rec("42", "y", 2)}},
		{"a bare number line is a continuation", "1|a\n123\nb\n", []Output{rec("1", "a 123 b", 1)}},
		{"a bare number ended by CR is a continuation", "1|a\n123\r", []Output{rec("1", "a 123", 1)}},
		{"leading whitespace makes a line a continuation", "1|a\n 2|b\n", []Output{rec("1", "a 2|b", 1)}},
		{"an id that is not all digits is a continuation", "1|a\n2a|b\n-3|c\n", []Output{rec("1", "a 2a|b -3|c", 1)}},
		{"Unicode digits start records, as Python's isdigit says", "1|a\n١٢|b\n²|c\n",
			[]Output{rec("1", "a", 1), rec("١٢", "b", 2), rec("²", "c", 3)}},
		{"an empty id is a continuation", "1|a\n|b\n", []Output{rec("1", "a |b", 1)}},
		{"a digits line with a pipe inside the output", "1|think | more\n2|\n", []Output{rec("1", "think | more", 1), rec("2", "", 2)}},
		{"duplicates are passed on", "5|a\n5|b\n", []Output{rec("5", "a", 1), rec("5", "b", 2)}},
		{"leading blank lines are skipped", "\n  \r\n1|a", []Output{rec("1", "a", 3)}},
		{"Python whitespace is stripped, other separators kept", "1|a\u0085\n\u3000b\u2028c\v\n",
			[]Output{rec("1", "a b\u2028c", 1)}},
		{"NUL bytes pass", "1|a\x00b\n", []Output{rec("1", "a\x00b", 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scanString(t, FormatIDPipe, tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			// The same through a reader that returns one byte at a time (line ends split across reads).
			var slow []Output
			err = scanIDPipe(context.Background(), "in.txt", iotest.OneByteReader(strings.NewReader(tt.text)), func(o Output) error {
				slow = append(slow, o)
				return nil
			})
			if err != nil || fmt.Sprint(slow) != fmt.Sprint(got) {
				t.Errorf("one byte at a time: %+v, %v", slow, err)
			}
		})
	}
}

func TestIDPipeLongLines(t *testing.T) {
	// Lines longer than the 64 KiB buffer, with CR LF pairs split across buffer ends.
	for _, n := range []int{1<<16 - 3, 1<<16 - 2, 1<<16 - 1, 1 << 16, 1<<16 + 1, 3 << 20} {
		body := strings.Repeat("x", n)
		text := "1|" + body + "\r\n" + body + "\r\n2|<answer>sad</answer>\r"
		got, err := scanString(t, FormatIDPipe, text)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Raw != body+" "+body || !reflect.DeepEqual(got[1], rec("2", "<answer>sad</answer>", 3)) {
			t.Errorf("n=%d: %d records, first %d bytes, second %+v", n, len(got), len(got[0].Raw), got[len(got)-1])
		}
	}
}

func TestIDPipeErrors(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		msg        string
	}{
		{"empty file", "", 0, "empty file"},
		{"only blank lines", "\n \n", 0, "no records"},
		{"no records", "hello\n", 1, "text before the first record"},
		{"header line", "video_id|output\n1|a\n", 1, "text before the first record"},
		{"text after blank lines", "\n\nnote\n1|a\n", 3, "text before the first record"},
		{"byte-order mark before a header", "\xef\xbb\xbfvideo_id|output\n1|a\n", 1, "text before the first record"},
		// The authors' scripts raise on such a record before its label lookup; scoring it as an
		// empty output would put it in its clip's class.
		{"a bare id as the unended last line", "571|<answer>happy</answer>\n417", 2, `a record with no '|' and no output: "417"`},
		{"a bare id as the only line", "\n12583", 2, `a record with no '|' and no output: "12583"`},
		{"a bare Unicode-digit id", "1|a\n١٢", 2, `a record with no '|' and no output: "١٢"`},
		{"invalid UTF-8", "1|a\n2|caf\xe9\n", 2, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scanString(t, FormatIDPipe, tt.text)
			var ie *inputerr.Error
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v; want an input error", err)
			}
			if ie.File != "in.txt" || ie.Line != tt.line || !strings.Contains(ie.Error(), tt.msg) {
				t.Errorf("err = %q (line %d); want line %d and %q", ie, ie.Line, tt.line, tt.msg)
			}
		})
	}
}

// A byte-order mark (an editor on Windows wrote it) is dropped: the file reads as it reads
// without one. The authors' scripts would keep it in the first id and lose that record; that is
// an accident of their encoding argument, not a protocol to reproduce (docs/protocol.md).
func TestIDPipeByteOrderMarkIsDropped(t *testing.T) {
	text := "147|<answer>disgust</answer>\r\n151|<answer>angry</answer>\n"
	with, err := scanString(t, FormatIDPipe, "\xef\xbb\xbf"+text)
	if err != nil {
		t.Fatal(err)
	}
	without, err := scanString(t, FormatIDPipe, text)
	if err != nil || fmt.Sprint(with) != fmt.Sprint(without) || len(with) != 2 || with[0].ClipID != "147" {
		t.Errorf("with a mark %v, without %v (%v)", with, without, err)
	}
}

func TestIDPipeStopsOnCallbackErrorAndCancel(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := ScanReader(context.Background(), "in.txt", strings.NewReader("1|a\n2|b\n3|c\n"), FormatIDPipe, func(Output) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Errorf("err %v after %d calls; want the callback's error after 2", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Scan(ctx, "does-not-matter.txt", FormatIDPipe, func(Output) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled scan: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	n = 0
	err = ScanReader(ctx, "in.txt", strings.NewReader(strings.Repeat("1|a\n", 5000)), FormatIDPipe, func(Output) error {
		n++
		if n == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n >= 5000 {
		t.Errorf("cancel during the scan: %v after %d records", err, n)
	}
}

// refRecord is one record of a *.ref.json file written by testdata/results/authors_ref.py: what
// the authors' own Python code makes of the record.
type refRecord struct {
	ID, Raw, Answer, Reason string
	DFEW, MAFW              string
	QuarterDFEW             string `json:"quarter_dfew"`
	QuarterMAFW             string `json:"quarter_mafw"`
}

// TestAgainstAuthorsScripts reads the result files in testdata/results and checks every record,
// answer, label, consistency-script label and judge reason against the authors' Python code's.
func TestAgainstAuthorsScripts(t *testing.T) {
	refs, _ := filepath.Glob("../../testdata/results/*.ref.json")
	if len(refs) < 2 {
		t.Fatalf("reference files: %v", refs)
	}
	dfew := parse.NewParser(datasets.DFEW(), parse.ProtocolMigr)
	mafw := parse.NewParser(datasets.MAFW(), parse.ProtocolMigr)
	for _, ref := range refs {
		t.Run(filepath.Base(ref), func(t *testing.T) {
			data, err := os.ReadFile(ref)
			if err != nil {
				t.Fatal(err)
			}
			var want []refRecord
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			got, err := readAllIDPipe(t, strings.TrimSuffix(ref, ".ref.json")+".txt")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d records; the authors' script finds %d", len(got), len(want))
			}
			for i, w := range want {
				g := got[i]
				if g.ClipID != w.ID || g.Raw != w.Raw {
					t.Fatalf("record %d: %q|%q; want %q|%q", i+1, g.ClipID, g.Raw, w.ID, w.Raw)
				}
				d, m := dfew.Parse(g.Raw), mafw.Parse(g.Raw)
				if d.AnswerRaw != w.Answer || d.Pred != w.DFEW || m.Pred != w.MAFW || d.QuarterPred != w.QuarterDFEW ||
					m.QuarterPred != w.QuarterMAFW || d.Reason != w.Reason {
					t.Errorf("record %d (line %d) %q:\n got answer %q dfew %s/%s mafw %s/%s reason %q\nwant answer %q dfew %s/%s mafw %s/%s reason %q",
						i+1, g.Line, g.Raw, d.AnswerRaw, d.Pred, d.QuarterPred, m.Pred, m.QuarterPred, d.Reason,
						w.Answer, w.DFEW, w.QuarterDFEW, w.MAFW, w.QuarterMAFW, w.Reason)
				}
			}
		})
	}
}

// readAllIDPipe scans a whole file, duplicates included.
func readAllIDPipe(t *testing.T, path string) ([]Output, error) {
	t.Helper()
	var out []Output
	err := Scan(context.Background(), path, FormatIDPipe, func(o Output) error {
		out = append(out, o)
		return nil
	})
	return out, err
}

// A line or a record longer than MaxRecordBytes is refused at its line, having held at most that
// much: a 100 MB line without '|' took 855 MB of memory to refuse.
func TestRecordsLongerThanTheLimit(t *testing.T) {
	huge := strings.Repeat("x", MaxRecordBytes+1)
	half := strings.Repeat("y", MaxRecordBytes/2+1)
	for _, tc := range []struct {
		name, format, text, want string
	}{
		{"one line", FormatIDPipe, "1|<answer>sad</answer>\n" + huge + "\n", ":2: longer than 16 MiB"},
		{"a record of two lines", FormatIDPipe, "1|<answer>sad</answer>\n2|" + half + "\n" + half + "\n", ":2: the record is longer than 16 MiB"},
		{"a JSONL line", FormatJSONL, `{"clip_id": "1", "output": "` + huge + `"}`, ":1: longer than 16 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scanString(t, tc.format, tc.text)
			if !inputerr.Is(err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want an input error with %q", err, tc.want)
			}
		})
	}
	// Up to the limit, a record is read.
	ok := strings.Repeat("z", MaxRecordBytes-8)
	if got, err := scanString(t, FormatIDPipe, "1|"+ok+"\n"); err != nil || len(got) != 1 || len(got[0].Raw) != len(ok) {
		t.Errorf("a record under the limit: %d records, %v", len(got), err)
	}
}
