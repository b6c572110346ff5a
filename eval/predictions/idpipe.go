package predictions

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
)

// scanIDPipe reads the authors' result files exactly as their rearrange_one_line does: a line
// whose text is not blank and whose text before the first '|' is all digits (Python's isdigit,
// on the line with its line end, so a bare "123" starts a record only as the file's last,
// unended line) starts a record; every other line is stripped and joined to the current
// record with a single space; the record is stripped. Raw is the record after its first '|'.
//
// Where their script would silently produce garbage, this reader stops with an input error:
// text before the first record (their script makes it a bogus record), a record with no '|' (a bare id as the unended last line: their scripts raise on
// it) and bytes that are not UTF-8 (their script fails on them). Blank lines before the first
// record are skipped.
func scanIDPipe(ctx context.Context, path string, r io.Reader, fn func(Output) error) error {
	lr := newLineReader(r, true)
	var (
		rec      []byte // the current record: its first line stripped, continuations joined
		recLine  int
		inRecord bool
		records  int
	)
	emit := func() error {
		// One string per record: the id and the output are its two parts. The record starts
		// with the id (digits, so nothing stripped), then '|', or it is a bare id.
		text := string(pyRStripBytes(rec))
		i := strings.IndexByte(text, '|')
		if i < 0 {
			// A bare id can only be the unended last line (see startsRecord). Their recognition
			// script raises at line.split('|')[1] before the label lookup (an unknown answer counted
			// in WAR but in no class); their consistency script sends it to FF.
			return inputerr.AtLine(path, recLine, "a record with no '|' and no output: %q, the file's unended last line; "+
				"the authors' scripts fail on it before looking up its label: write it as \"%s|<output>\" or delete it",
				abbreviate(rec, 40), abbreviate(rec, 40))
		}
		id, raw := text[:i], text[i+1:]
		records++
		if records%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return fn(Output{ClipID: id, Raw: raw, Line: recLine})
	}
	for {
		line, ended, err := lr.next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, ErrLineTooLong) {
			return inputerr.AtLine(path, lr.n, "%v", err)
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		if !utf8.Valid(line) {
			return inputerr.AtLine(path, lr.n, "not valid UTF-8 (the authors' scripts read result files as UTF-8)")
		}
		stripped := pyStripBytes(line)
		if len(stripped) > 0 && startsRecord(line, ended) {
			if inRecord {
				if err := emit(); err != nil {
					return err
				}
			}
			inRecord, recLine = true, lr.n
			rec = append(rec[:0], stripped...)
			continue
		}
		if !inRecord {
			if len(stripped) == 0 {
				continue
			}
			return inputerr.AtLine(path, lr.n, "text before the first record (a record starts with \"<digits>|\"): %q",
				abbreviate(stripped, 60))
		}
		if len(rec)+1+len(stripped) > MaxRecordBytes {
			return inputerr.AtLine(path, recLine, "the record is %v", ErrLineTooLong)
		}
		rec = append(rec, ' ')
		rec = append(rec, stripped...)
	}
	if !inRecord {
		if lr.n == 0 {
			return inputerr.New(path, "empty file")
		}
		return inputerr.New(path, "no records: no line starts with \"<digits>|\"")
	}
	return emit()
}

// startsRecord is the authors' test line.split('|')[0].isdigit(), where line still has its line
// end: without a '|' the whole line, end included, must be digits, which only an unended line
// can be.
func startsRecord(line []byte, ended bool) bool {
	i := bytes.IndexByte(line, '|')
	if i < 0 && ended {
		return false
	}
	return isPyDigits(line[:idEnd(line)])
}

// idEnd is the length of the line's text before its first '|'.
func idEnd(line []byte) int {
	if i := bytes.IndexByte(line, '|'); i >= 0 {
		return i
	}
	return len(line)
}

// isPyDigits is parse.IsPyDigits with a fast path for ASCII digits.
func isPyDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			if c < utf8.RuneSelf {
				return false
			}
			return parse.IsPyDigits(string(b))
		}
	}
	return true
}

// pyStripBytes is Python's str.strip() on UTF-8 bytes, without copying.
func pyStripBytes(b []byte) []byte {
	for len(b) > 0 {
		r, n := rune(b[0]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(b)
		}
		if !parse.IsPySpace(r) {
			break
		}
		b = b[n:]
	}
	return pyRStripBytes(b)
}

// pyRStripBytes is Python's str.rstrip() on UTF-8 bytes, without copying.
func pyRStripBytes(b []byte) []byte {
	for len(b) > 0 {
		r, n := rune(b[len(b)-1]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeLastRune(b)
		}
		if !parse.IsPySpace(r) {
			break
		}
		b = b[:len(b)-n]
	}
	return b
}

// abbreviate shortens text quoted in an error message.
func abbreviate(b []byte, n int) string {
	if utf8.RuneCount(b) <= n {
		return string(b)
	}
	r := []rune(string(b))
	return string(r[:n]) + "…"
}
