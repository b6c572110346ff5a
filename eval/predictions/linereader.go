package predictions

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// MaxRecordBytes bounds a line, and a record of the authors' format (its lines joined), of a file
// of model outputs: sixteen times the size of the largest answer emoeval keeps from a server
// (max_output_bytes, 1 MiB by default). A longer one is not a model's answer, and holding it
// would cost memory in proportion.
const MaxRecordBytes = 16 << 20

// ErrLineTooLong is returned for a line longer than MaxRecordBytes.
var ErrLineTooLong = fmt.Errorf("longer than %d MiB: not a model's answer (a file of model outputs holds one answer per record)", MaxRecordBytes>>20)

// lineReader returns a file's lines one at a time, up to MaxRecordBytes, without their ends. With
// crEnds, "\r\n" and a lone "\r" end a line as "\n" does (Python's text-mode readlines, which the
// authors' scripts use); otherwise only "\n" does (and a "\r" before it stays in the line).
type lineReader struct {
	br      *bufio.Reader
	crEnds  bool
	pending []byte // the unread rest of the last ReadSlice; valid until the next read
	eof     bool
	afterCR bool   // the last line ended with '\r': a '\n' next belongs to it
	long    []byte // a line longer than the buffer, copied together
	n       int    // 1-based number of the line last returned
}

func newLineReader(r io.Reader, crEnds bool) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 1<<16), crEnds: crEnds}
}

// next returns the next line and whether a line end followed it (the last line may lack one).
// The line is valid until the next call. It returns io.EOF after the last line.
func (r *lineReader) next() (line []byte, ended bool, err error) {
	r.long = r.long[:0]
	isLong := false
	for {
		if len(r.pending) == 0 {
			if r.eof {
				if isLong {
					r.n++
					return r.long, false, nil
				}
				return nil, false, io.EOF
			}
			chunk, err := r.br.ReadSlice('\n')
			switch err {
			case nil, bufio.ErrBufferFull:
			case io.EOF:
				r.eof = true
			default:
				return nil, false, err
			}
			r.pending = chunk
			continue
		}
		if r.afterCR {
			r.afterCR = false
			if r.pending[0] == '\n' {
				r.pending = r.pending[1:]
				continue
			}
		}
		// ReadSlice stops at the first '\n', so a '\n' can only be the last byte.
		i := -1
		if r.crEnds {
			i = bytes.IndexByte(r.pending, '\r')
		}
		if i < 0 && r.pending[len(r.pending)-1] == '\n' {
			i = len(r.pending) - 1
		}
		if i < 0 {
			if len(r.long)+len(r.pending) > MaxRecordBytes {
				r.n++
				return nil, false, ErrLineTooLong
			}
			r.long = append(r.long, r.pending...)
			isLong = true
			r.pending = nil
			continue
		}
		seg := r.pending[:i]
		r.afterCR = r.pending[i] == '\r'
		r.pending = r.pending[i+1:]
		r.n++
		if isLong {
			if len(r.long)+len(seg) > MaxRecordBytes {
				return nil, false, ErrLineTooLong
			}
			r.long = append(r.long, seg...)
			return r.long, true, nil
		}
		return seg, true, nil
	}
}
