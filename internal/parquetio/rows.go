package parquetio

import (
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// Count returns, for a batch of rows (the first at 1-based row first), the number of list
// elements read into each of the contract's list columns; it may also check the rows, returning
// an error. Parquet-go reads a list column it cannot map as empty lists, without an error: the
// totals are checked against what the file stores.
type Count[T any] func(batch []T, first int) (map[string]int64, error)

// ScanTable streams a file that must hold the contract cols, in batches of T that fn may not keep
// (the batch is reused): memory is that of one batch, whatever the file holds.
func ScanTable[T any](path string, cols []Column, count Count[T], fn func(batch []T, first int) error) error {
	pf, f, err := Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := CheckColumns(path, pf, cols); err != nil {
		return err
	}
	totals := map[string]int64{}
	err = ScanRows(path, pf, func(batch []T, first int) error {
		counts, err := count(batch, first)
		if err != nil {
			return err
		}
		for k, n := range counts {
			totals[k] += n
		}
		return fn(batch, first)
	})
	if err != nil {
		return err
	}
	for _, c := range cols {
		if c.Type.isList() {
			if err := CheckListLengths(path, pf, c.Name, totals[c.Name]); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReadTable reads a whole file that must hold the contract cols, as rows of T (see ScanTable).
func ReadTable[T any](path string, cols []Column, count Count[T]) ([]T, error) {
	var rows []T
	err := ScanTable(path, cols, count, func(batch []T, _ int) error {
		rows = append(rows, batch...)
		return nil
	})
	if err != nil {
		return nil, err
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
	buf := make([]T, batchRows(pf))
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

// scanBatchBytes is about how much row data one batch of ScanRows holds.
const scanBatchBytes = 16 << 20

// batchRows is how many rows a batch of ScanRows reads: 256, fewer where the footer says rows
// are large (answers of a megabyte make batches of 16), never fewer than one. A footer that
// lies only changes the batch size within those bounds.
func batchRows(pf *parquet.File) int {
	var rows, size int64
	for _, rg := range pf.Metadata().RowGroups {
		rows += rg.NumRows
		size += rg.TotalByteSize
	}
	if rows <= 0 || size <= 0 {
		return 256
	}
	return int(min(max(scanBatchBytes/(size/rows+1), 1), 256))
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
