// Package parquetio is the Parquet plumbing shared by the readers and writers of emoeval's
// tables (predictions.parquet, judgments.parquet, modality.parquet, split files): opening a file
// with every failure (parquet-go's panics included) turned into an *inputerr.Error naming it,
// schema checks against a file contract, typed row reading, list-length checks and an atomic
// row writer.
package parquetio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// OpenInput opens an input file, Parquet or not; a file that cannot be opened is an input error
// naming it.
func OpenInput(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in the input error
		}
		return nil, &inputerr.Error{File: path, Msg: "cannot open", Err: err}
	}
	return f, nil
}

// Open opens a Parquet file, turning every way it can be unreadable into an input error. The
// caller closes the returned os.File.
func Open(path string, opts ...parquet.FileOption) (*parquet.File, *os.File, error) {
	f, err := OpenInput(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, inputerr.Wrap(path, err)
	}
	pf, err := OpenReader(path, f, st.Size(), opts...)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return pf, f, nil
}

// OpenReader opens Parquet content of the given size in r; name stands for the file in errors.
// The footer and every page header are checked first (CheckFooter, CheckPages), so that a
// damaged file cannot make parquet-go allocate more than its size justifies.
func OpenReader(name string, r io.ReaderAt, size int64, opts ...parquet.FileOption) (*parquet.File, error) {
	if size == 0 {
		return nil, inputerr.New(name, "empty file")
	}
	if err := CheckFooter(name, r, size); err != nil {
		return nil, err
	}
	var pf *parquet.File
	err := recovered(func() error {
		var err error
		pf, err = parquet.OpenFile(r, size, opts...)
		return err
	})
	if err != nil {
		return nil, &inputerr.Error{File: name, Msg: "not a readable Parquet file", Err: err}
	}
	if err := CheckPages(name, r, pf); err != nil {
		return nil, err
	}
	return pf, nil
}

// Recover, deferred by a function reading a Parquet file with err its named result, turns a
// panic into an input error naming the file: parquet-go panics on some damaged files, and no
// panic may reach the user.
func Recover(name string, err *error) {
	if r := recover(); r != nil {
		*err = &inputerr.Error{File: name, Msg: "damaged Parquet file", Err: fmt.Errorf("%v", r)}
	}
}

// recovered runs fn, turning a panic into an error.
func recovered(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return fn()
}
