package parquetio

import (
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// ReadTable reads a whole file that must hold the contract cols, as rows of T. Since parquet-go
// reads a list column it cannot map as empty lists, count returns the number of elements read
// into each of the contract's list columns (it may also check the rows, returning an error);
// they are checked against the file.
func ReadTable[T any](path string, cols []Column, count func(rows []T) (map[string]int64, error)) ([]T, error) {
	pf, f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := CheckColumns(path, pf, cols); err != nil {
		return nil, err
	}
	rows, err := ReadRows[T](path, pf)
	if err != nil {
		return nil, err
	}
	counts, err := count(rows)
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		if c.Type.isList() {
			if err := CheckListLengths(path, pf, c.Name, counts[c.Name]); err != nil {
				return nil, err
			}
		}
	}
	return rows, nil
}

// ReadRows reads every row of T from an open, checked file.
func ReadRows[T any](path string, pf *parquet.File) ([]T, error) {
	rows := make([]T, 0, min(pf.NumRows(), 1<<16)) // the footer's count is not trusted for memory
	err := ScanRows(path, pf, func(batch []T, _ int) error {
		rows = append(rows, batch...)
		return nil
	})
	return rows, err
}

// ScanRows reads the rows of T in batches; first is the 1-based row number of batch[0]. The batch
// is reused between calls. Parquet-go panics on some damaged files; that becomes an input error
// naming the row where reading stopped. An error from fn is returned as it is.
func ScanRows[T any](path string, pf *parquet.File, fn func(batch []T, first int) error) error {
	var r *parquet.GenericReader[T]
	if err := recovered(func() error {
		r = parquet.NewGenericReader[T](pf)
		return nil
	}); err != nil {
		return inputerr.New(path, "cannot read the file with this schema: %v", err)
	}
	defer recovered(r.Close)
	buf := make([]T, 256)
	read := 0
	for {
		clear(buf)
		var n int
		var readErr error
		if err := recovered(func() error {
			n, readErr = r.Read(buf)
			return nil
		}); err != nil {
			readErr = err
		}
		if n > 0 {
			if err := fn(buf[:n], read+1); err != nil {
				return err
			}
			read += n
		}
		if readErr == io.EOF {
			return nil
		}
		if readErr != nil {
			return inputerr.AtRow(path, read+1, "cannot read the rows from here on (damaged file, or a column of an unexpected type): %v", readErr)
		}
	}
}

// CheckListLengths guards against parquet-go's silent empty lists (a list column it cannot map
// reads as empty slices, without an error): the number of list elements stored in the file
// must equal the number read.
func CheckListLengths(path string, pf *parquet.File, column string, read int64) error {
	var leaf parquet.LeafColumn
	ok := false
	for _, f := range pf.Schema().Fields() {
		if f.Name() == column && !f.Leaf() && len(f.Fields()) == 1 && len(f.Fields()[0].Fields()) == 1 {
			mid := f.Fields()[0]
			leaf, ok = pf.Schema().Lookup(column, mid.Name(), mid.Fields()[0].Name())
		}
	}
	if !ok {
		if read > 0 {
			return &inputerr.Error{File: path, Key: column, Msg: "list values were read from a column the file does not have"}
		}
		return nil
	}
	var stored int64
	err := recovered(func() error {
		return ForEachPage(pf, leaf.ColumnIndex, func(p parquet.Page) error {
			stored += p.NumValues() - p.NumNulls()
			return nil
		})
	})
	if err != nil {
		return &inputerr.Error{File: path, Key: column, Msg: "cannot read the column", Err: err}
	}
	if stored != read {
		return &inputerr.Error{File: path, Key: column, Msg: fmt.Sprintf(
			"the file stores %d list elements but %d were read: null elements or a list layout this reader cannot map", stored, read)}
	}
	return nil
}

// ForEachPage calls visit with every page of a leaf column, over all row groups, in order. The
// page is released when visit returns. It does not recover parquet-go's panics: callers do.
func ForEachPage(pf *parquet.File, column int, visit func(parquet.Page) error) error {
	for _, rg := range pf.RowGroups() {
		pages := rg.ColumnChunks()[column].Pages()
		for {
			p, err := pages.ReadPage()
			if err == io.EOF {
				break
			}
			if err != nil {
				pages.Close()
				return err
			}
			err = visit(p)
			parquet.Release(p)
			if err != nil {
				pages.Close()
				return err
			}
		}
		if err := pages.Close(); err != nil {
			return err
		}
	}
	return nil
}
