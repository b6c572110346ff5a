package predictions

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// ColumnType is the kind of value a contract column holds.
type ColumnType int

const (
	ColString     ColumnType = iota // BYTE_ARRAY
	ColInt                          // INT32 or INT64
	ColFloat                        // FLOAT or DOUBLE
	ColBool                         // BOOLEAN
	ColFloatList                    // 3-level LIST of FLOAT or DOUBLE
	ColStringList                   // 3-level LIST of BYTE_ARRAY
)

func (c ColumnType) String() string {
	return [...]string{"string", "integer", "float", "boolean", "list<float>", "list<string>"}[c]
}

func (c ColumnType) isList() bool { return c == ColFloatList || c == ColStringList }

func (c ColumnType) accepts(k parquet.Kind) bool {
	switch c {
	case ColString, ColStringList:
		return k == parquet.ByteArray
	case ColInt:
		return k == parquet.Int32 || k == parquet.Int64
	case ColFloat, ColFloatList:
		return k == parquet.Float || k == parquet.Double
	case ColBool:
		return k == parquet.Boolean
	}
	return false
}

// Column is one column of a file contract.
type Column struct {
	Name string
	Type ColumnType
	// Optional columns may be missing from a file; they then read as zero values.
	Optional bool
}

// Open opens an input file; a file that cannot be opened is an input error naming it.
func Open(path string) (*os.File, error) {
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

// OpenParquet opens a Parquet file, turning every way it can be unreadable into an input error.
// The caller closes the returned os.File.
func OpenParquet(path string) (*parquet.File, *os.File, error) {
	f, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, inputerr.Wrap(path, err)
	}
	if st.Size() == 0 {
		f.Close()
		return nil, nil, inputerr.New(path, "empty file")
	}
	var pf *parquet.File
	err = recovered(func() error {
		var err error
		pf, err = parquet.OpenFile(f, st.Size())
		return err
	})
	if err != nil {
		f.Close()
		return nil, nil, inputerr.New(path, "not a readable Parquet file: %v", err)
	}
	return pf, f, nil
}

// CheckColumns validates a file's schema against a contract: every required column present,
// every present column of the right type. It returns the names of the contract columns present.
func CheckColumns(path string, pf *parquet.File, cols []Column) (map[string]bool, error) {
	fields := map[string]parquet.Field{}
	for _, f := range pf.Schema().Fields() {
		fields[f.Name()] = f
	}
	present := map[string]bool{}
	for _, c := range cols {
		f, ok := fields[c.Name]
		if !ok {
			if c.Optional {
				continue
			}
			return nil, &inputerr.Error{File: path, Key: c.Name,
				Msg: "missing column (the file has: " + fieldNames(pf) + ")"}
		}
		if err := checkNode(f, c.Type); err != nil {
			return nil, &inputerr.Error{File: path, Key: c.Name, Msg: err.Error()}
		}
		present[c.Name] = true
	}
	return present, nil
}

func checkNode(n parquet.Node, t ColumnType) error {
	if !t.isList() {
		if !n.Leaf() || n.Repeated() || !t.accepts(n.Type().Kind()) {
			return fmt.Errorf("want a column of type %s, the file has %s", t, nodeDesc(n))
		}
		return nil
	}
	// The standard 3-level LIST: <list> group (LIST) { repeated group list { element } }.
	if n.Leaf() || !isListNode(n) {
		return fmt.Errorf("want a column of type %s (a standard 3-level LIST), the file has %s", t, nodeDesc(n))
	}
	mid := n.Fields()
	if len(mid) != 1 || !mid[0].Repeated() || mid[0].Leaf() || len(mid[0].Fields()) != 1 {
		return fmt.Errorf("want a column of type %s (a standard 3-level LIST), the file has a list of another layout", t)
	}
	elem := mid[0].Fields()[0]
	if !elem.Leaf() || elem.Repeated() || !t.accepts(elem.Type().Kind()) {
		return fmt.Errorf("want a column of type %s, the file's list holds %s", t, nodeDesc(elem))
	}
	return nil
}

func isListNode(n parquet.Node) bool {
	if lt := n.Type().LogicalType(); lt != nil {
		if _, ok := lt.Value.(*format.ListType); ok {
			return true
		}
	}
	ct := n.Type().ConvertedType()
	return ct != nil && *ct == deprecated.List
}

func nodeDesc(n parquet.Node) string {
	switch {
	case !n.Leaf():
		return "a group"
	case n.Repeated():
		return "a repeated " + n.Type().String()
	}
	return n.Type().String()
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
		for _, rg := range pf.RowGroups() {
			pages := rg.ColumnChunks()[leaf.ColumnIndex].Pages()
			for {
				p, err := pages.ReadPage()
				if err == io.EOF {
					break
				}
				if err != nil {
					pages.Close()
					return err
				}
				stored += p.NumValues() - p.NumNulls()
				parquet.Release(p)
			}
			pages.Close()
		}
		return nil
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

// recovered runs fn, turning a panic into an error.
func recovered(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return fn()
}
