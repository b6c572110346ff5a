// Package inputerr is the error type for bad input: a file, a place in it and the problem. The
// CLI maps it to exit code 2.
package inputerr

import (
	"errors"
	"fmt"
)

// Error is a problem with an input file (or flag, or configuration key).
type Error struct {
	File string // the file's path as the user gave it; "" for flags and arguments
	Line int    // 1-based line of a text file; 0 when not known or not a text file
	Row  int    // 1-based data row of a table (Parquet, CSV rows after the header); 0 when not known
	Key  string // a configuration key or column name, when that is where the problem is
	Msg  string
	Err  error // the cause, if any
}

func (e *Error) Error() string {
	where := e.File
	switch {
	case e.Line > 0 && where != "":
		where = fmt.Sprintf("%s:%d", where, e.Line)
	case e.Line > 0:
		where = fmt.Sprintf("line %d", e.Line)
	case e.Row > 0 && where != "":
		where = fmt.Sprintf("%s row %d", where, e.Row)
	case e.Row > 0:
		where = fmt.Sprintf("row %d", e.Row)
	}
	if e.Key != "" {
		if where != "" {
			where += ": "
		}
		where += e.Key
	}
	msg := e.Msg
	if e.Err != nil {
		if msg != "" {
			msg += ": "
		}
		msg += e.Err.Error()
	}
	if where == "" {
		return msg
	}
	return where + ": " + msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an input error for a file.
func New(file string, format string, args ...any) *Error {
	return &Error{File: file, Msg: fmt.Sprintf(format, args...)}
}

// AtLine returns an input error at a line of a text file.
func AtLine(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// AtRow returns an input error at a data row of a table.
func AtRow(file string, row int, format string, args ...any) *Error {
	return &Error{File: file, Row: row, Msg: fmt.Sprintf(format, args...)}
}

// Wrap marks err as bad input in file (it is returned unchanged when it already is one).
func Wrap(file string, err error) error {
	if err == nil || Is(err) {
		return err
	}
	return &Error{File: file, Err: err}
}

// Is reports whether err is, or wraps, an input error.
func Is(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
