package chat

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// DefaultMaxOutputBytes is the per-answer limit when HTTPConfig.MaxOutputBytes is 0: far above
// any real answer (a 32k-token generation is about 150 KB), far below what a broken or hostile
// server can send.
const DefaultMaxOutputBytes = 1 << 20

// truncMark ends a JSON string that boundedBody cut: the escape of U+10FFFF, a noncharacter that
// Unicode reserves for a program's internal use and that no answer carries. After decoding, its
// presence says which strings were cut (the answer's content, its reasoning) and it is removed.
const (
	truncMark    = "\U0010FFFF"
	truncMarkEsc = `\udbff\udfff`
)

// bodyLimits bounds what reading one response may hold in memory, whatever the server sends.
type bodyLimits struct {
	str int   // decoded bytes kept of each JSON string: MaxOutputBytes
	enc int   // encoded bytes kept of each JSON string: escapes (\n, \u00e9) make it longer
	out int   // bytes kept in all: two strings at their limit (content and reasoning), and the envelope
	raw int64 // bytes read in all before the body is refused as no answer
}

func newBodyLimits(maxOutput int) bodyLimits {
	enc := 2*maxOutput + 1024
	// The raw bound costs time, not memory (what is beyond the limits is read and dropped), so
	// it is generous: a 50 MB answer is cut, not refused.
	return bodyLimits{str: maxOutput, enc: enc, out: 2*enc + 64<<10, raw: 64 * int64(max(maxOutput, DefaultMaxOutputBytes))}
}

// errBodyTooLarge is a body beyond bodyLimits.raw or .out: not an answer.
type errBodyTooLarge struct{ what string }

func (e errBodyTooLarge) Error() string { return e.what }

// readBody reads a response body through boundedBody, keeping memory within the limits: a JSON
// string longer than the limits is cut at a character boundary and ends with truncMarkEsc; the
// rest of it is read and dropped. A body that is not JSON passes through the same way (its
// "strings" are whatever lies between quotes), within the same limits.
func readBody(r io.Reader, l bodyLimits) ([]byte, error) {
	f := boundedBody{l: l}
	buf := make([]byte, 32<<10)
	var read int64
	for {
		n, err := r.Read(buf)
		if n > 0 {
			read += int64(n)
			if read > l.raw {
				return nil, errBodyTooLarge{fmt.Sprintf("the response body is larger than %s: not an answer", mib(l.raw))}
			}
			f.write(buf[:n])
			if f.out.Len() > l.out {
				return nil, errBodyTooLarge{fmt.Sprintf("the response holds more than %s of text: not an answer", mib(int64(l.out)))}
			}
		}
		if err == io.EOF {
			return f.out.Bytes(), nil
		}
		if err != nil {
			return f.out.Bytes(), err
		}
	}
}

func mib(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// boundedBody copies JSON text, cutting each string to the limits. It does not validate the
// JSON: the decoder that reads its output does.
type boundedBody struct {
	l   bodyLimits
	out bytes.Buffer

	inStr, skip bool
	skipEsc     bool   // in a skipped string, the byte after '\'
	esc         []byte // an escape sequence being read: "\", "\u", "\u00e"
	pend        []byte // a multi-byte UTF-8 character being read
	dec, enc    int    // decoded and encoded bytes kept of the current string (decoded: an upper bound)
	highPending bool   // the last escape kept was a high surrogate: no cut before its low half
}

func (b *boundedBody) write(p []byte) {
	for len(p) > 0 {
		if !b.inStr {
			// Copy up to and including the next quote in one go.
			i := bytes.IndexByte(p, '"')
			if i < 0 {
				b.out.Write(p)
				return
			}
			b.out.Write(p[:i+1])
			p = p[i+1:]
			b.inStr, b.skip, b.dec, b.enc, b.highPending = true, false, 0, 0, false
			b.esc, b.pend = b.esc[:0], b.pend[:0]
			continue
		}
		c := p[0]
		p = p[1:]
		switch {
		case b.skip:
			switch {
			case b.skipEsc:
				b.skipEsc = false
			case c == '\\':
				b.skipEsc = true
			case c == '"':
				b.inStr = false // the closing quote was written at the cut
			}
		case len(b.esc) > 0:
			b.esc = append(b.esc, c)
			switch {
			case len(b.esc) == 2 && c != 'u':
				b.keep(b.esc, 1, false)
				b.esc = b.esc[:0]
			case len(b.esc) == 6: // \uXXXX
				n, high := escapedLen(b.esc[2:])
				b.keep(b.esc, n, high)
				b.esc = b.esc[:0]
			}
		case c < utf8.RuneSelf:
			b.flushPend()
			switch {
			case b.skip: // the pending bytes were cut
				if c == '"' {
					b.inStr = false
				} else if c == '\\' {
					b.skipEsc = true
				}
			case c == '"':
				b.out.WriteByte(c)
				b.inStr = false
			case c == '\\':
				b.esc = append(b.esc, c)
			default:
				b.keep([]byte{c}, 1, false)
			}
		default:
			b.rawRune(c)
		}
	}
}

// rawRune takes one byte of a non-ASCII character. A character is kept or cut whole, never
// split; bytes that are not valid UTF-8 count 3 decoded bytes each, the size of the U+FFFD that
// the decoder puts in their place.
func (b *boundedBody) rawRune(c byte) {
	switch {
	case utf8.RuneStart(c):
		b.flushPend()
		if b.skip {
			return
		}
		b.pend = append(b.pend, c)
	case len(b.pend) == 0:
		b.keep([]byte{c}, 3, false) // a continuation byte without a start
		return
	default:
		b.pend = append(b.pend, c)
	}
	if !utf8.FullRune(b.pend) {
		return
	}
	if r, size := utf8.DecodeRune(b.pend); r != utf8.RuneError || size > 1 {
		b.keep(b.pend, size, false)
	} else {
		b.keep(b.pend, 3*len(b.pend), false)
	}
	b.pend = b.pend[:0]
}

// flushPend keeps the bytes of an unfinished character, as invalid ones.
func (b *boundedBody) flushPend() {
	if len(b.pend) > 0 {
		b.keep(b.pend, 3*len(b.pend), false)
		b.pend = b.pend[:0]
	}
}

// keep writes one character's encoding of n decoded bytes, or cuts the string there when it
// would pass a limit.
func (b *boundedBody) keep(enc []byte, n int, high bool) {
	if !b.highPending && (b.dec+n > b.l.str || b.enc+len(enc) > b.l.enc) {
		b.out.WriteString(truncMarkEsc + `"`)
		b.skip, b.skipEsc = true, false
		return
	}
	b.out.Write(enc)
	b.dec += n
	b.enc += len(enc)
	b.highPending = high
}

// escapedLen returns the UTF-8 length of the character a \u escape's four hex digits stand for
// (2 for each half of a surrogate pair), and whether it is a high surrogate.
func escapedLen(hex []byte) (int, bool) {
	var v rune
	for _, h := range hex {
		v <<= 4
		switch {
		case h >= '0' && h <= '9':
			v |= rune(h - '0')
		case h >= 'a' && h <= 'f':
			v |= rune(h - 'a' + 10)
		case h >= 'A' && h <= 'F':
			v |= rune(h - 'A' + 10)
		default:
			return 1, false // invalid: the decoder will say so
		}
	}
	switch {
	case v >= 0xD800 && v <= 0xDBFF:
		return 2, true
	case v >= 0xDC00 && v <= 0xDFFF:
		return 2, false
	}
	return utf8.RuneLen(v), false
}

// bound cuts s to at most limit bytes at a character boundary, removing truncMark; it reports
// whether s was cut, here or by boundedBody. limit <= 0 leaves s as it is.
func bound(s string, limit int) (string, bool) {
	if limit <= 0 {
		return s, false
	}
	cut := false
	if strings.Contains(s, truncMark) {
		s, cut = strings.ReplaceAll(s, truncMark, ""), true
	}
	if len(s) > limit {
		i := limit
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s, cut = s[:i], true
	}
	return s, cut
}
