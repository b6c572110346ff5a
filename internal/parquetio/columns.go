package parquetio

import (
	"fmt"
	"strings"

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

// Accepts reports whether a leaf of physical kind k holds values of type c (the elements, for
// a list type).
func (c ColumnType) Accepts(k parquet.Kind) bool {
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

// CheckColumns validates a file's schema against a contract: every required column present,
// every present column of the right type. It returns the names of the contract columns present.
// parquet-go itself reads missing columns as zero values and ignores extra ones, silently.
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
				Msg: "missing column (the file has: " + FieldNames(pf) + ")"}
		}
		if err := checkNode(f, c.Type); err != nil {
			return nil, &inputerr.Error{File: path, Key: c.Name, Msg: err.Error()}
		}
		present[c.Name] = true
	}
	return present, nil
}

// FieldNames lists a file's top-level columns, for error messages.
func FieldNames(pf *parquet.File) string {
	var names []string
	for _, f := range pf.Schema().Fields() {
		names = append(names, f.Name())
	}
	return strings.Join(names, ", ")
}

func checkNode(n parquet.Node, t ColumnType) error {
	if !t.isList() {
		if !n.Leaf() || n.Repeated() || !t.Accepts(n.Type().Kind()) {
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
	if !elem.Leaf() || elem.Repeated() || !t.Accepts(elem.Type().Kind()) {
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
