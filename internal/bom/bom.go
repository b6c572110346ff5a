// Package bom drops a UTF-8 byte-order mark from the start of a text input. Editors on Windows
// write one; every text reader of emoeval accepts it, so that a file saved there reads as it
// reads elsewhere.
package bom

import (
	"bufio"
	"bytes"
	"io"
)

// Mark is the UTF-8 byte-order mark.
const Mark = "\xef\xbb\xbf"

// Trim drops a leading byte-order mark.
func Trim(b []byte) []byte { return bytes.TrimPrefix(b, []byte(Mark)) }

// Reader returns r without a leading byte-order mark.
func Reader(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if p, err := br.Peek(len(Mark)); err == nil && string(p) == Mark {
		br.Discard(len(Mark))
	}
	return br
}
