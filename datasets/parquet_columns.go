package datasets

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/parquetio"
)

// leafColumn is where a contract column's values are in a file: its leaf index and levels.
type leafColumn struct {
	name   string
	index  int
	kind   parquet.Kind
	maxDef int
	// listDef is the definition level at which a list has an element (null or not); a lower
	// level is an empty or null list. Lists only.
	listDef int
}

// describeNode names a column's type for error messages.
func describeNode(n parquet.Node) string {
	var b strings.Builder
	switch {
	case n.Repeated():
		b.WriteString("repeated ")
	case n.Optional():
		b.WriteString("optional ")
	}
	if !n.Leaf() {
		b.WriteString("group")
		return b.String()
	}
	b.WriteString(n.Type().Kind().String())
	return b.String()
}

// scalarLeaf finds a column holding one value per row (required or optional) of one of kinds.
func scalarLeaf(s *parquet.Schema, f parquet.Field, want string, kinds ...parquet.Kind) (leafColumn, string) {
	if !f.Leaf() || f.Repeated() {
		return leafColumn{}, fmt.Sprintf("type %s, want %s", describeNode(f), want)
	}
	lc, ok := s.Lookup(f.Name())
	if !ok {
		return leafColumn{}, "column not found in the schema"
	}
	k := f.Type().Kind()
	for _, want := range kinds {
		if k == want {
			return leafColumn{name: f.Name(), index: lc.ColumnIndex, kind: k, maxDef: lc.MaxDefinitionLevel}, ""
		}
	}
	return leafColumn{}, fmt.Sprintf("type %s, want %s", describeNode(f), want)
}

// floatListLeaf finds a list<float32> column: the standard 3-level LIST (any nullability) or
// the legacy 2-level form (repeated float).
func floatListLeaf(s *parquet.Schema, f parquet.Field) (leafColumn, string) {
	bad := fmt.Sprintf("type %s, want list<float32>", describeNode(f))
	var node parquet.Node = f
	path := []string{f.Name()}
	def, repeats, listDef := 0, 0, 0
	for {
		if node.Optional() {
			def++
		}
		if node.Repeated() {
			def++
			repeats++
			listDef = def
		}
		if node.Leaf() {
			break
		}
		fields := node.Fields()
		if len(fields) != 1 {
			return leafColumn{}, bad
		}
		node = fields[0]
		path = append(path, fields[0].Name())
	}
	if repeats != 1 {
		return leafColumn{}, bad
	}
	if k := node.Type().Kind(); k != parquet.Float {
		return leafColumn{}, fmt.Sprintf("list of %s, want list<float32>", k)
	}
	lc, ok := s.Lookup(path...)
	if !ok {
		return leafColumn{}, "column not found in the schema"
	}
	return leafColumn{name: f.Name(), index: lc.ColumnIndex, kind: parquet.Float, maxDef: lc.MaxDefinitionLevel, listDef: listDef}, ""
}

// capHint bounds a count taken from a file's metadata by the file's size before memory is
// reserved for it: a damaged or hostile footer may claim any number.
func capHint[N int | int64](f *parquet.File, n N) int {
	return int(min(int64(n), f.Size()))
}

// forEachValue calls fn with every value of a column (in row order for one-value-per-row
// columns).
func forEachValue(f *parquet.File, col int, fn func(v parquet.Value)) error {
	buf := make([]parquet.Value, 1024)
	return parquetio.ForEachPage(f, col, func(p parquet.Page) error {
		vr := p.Values()
		for {
			n, err := vr.ReadValues(buf)
			for _, v := range buf[:n] {
				fn(v)
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
}

// stringColumn reads a string column; null marks the rows without a value.
func stringColumn(f *parquet.File, lc leafColumn, rows int) (vals []string, null []bool, err error) {
	vals = make([]string, 0, capHint(f, rows))
	null = make([]bool, 0, capHint(f, rows))
	var dict parquet.Dictionary
	var dictStrings []string
	err = parquetio.ForEachPage(f, lc.index, func(p parquet.Page) error {
		defs := p.DefinitionLevels()
		if d := p.Dictionary(); d != nil {
			if d != dict {
				dict, dictStrings = d, pageStrings(d.Page())
			}
			values := p.Data()
			return appendStrings(&vals, &null, defs, byte(lc.maxDef), values.Int32(), func(i int32) (string, bool) {
				if i < 0 || int(i) >= len(dictStrings) {
					return "", false
				}
				return dictStrings[i], true
			})
		}
		strs := pageStrings(p)
		return appendStrings(&vals, &null, defs, byte(lc.maxDef), strs, func(s string) (string, bool) { return s, true })
	})
	return vals, null, err
}

// pageStrings returns the non-null strings of a plain BYTE_ARRAY page. They share one
// allocation: a string per value would be most of the cost of reading a split.
func pageStrings(p parquet.Page) []string {
	values := p.Data()
	data, offsets := values.ByteArray()
	if len(offsets) == 0 {
		return nil
	}
	all := string(data)
	out := make([]string, len(offsets)-1)
	for i := range out {
		out[i] = all[offsets[i]:offsets[i+1]]
	}
	return out
}

// appendStrings appends a page's rows to vals: rows whose definition level is below maxDef are
// null, the others take the next of values.
func appendStrings[V any](vals *[]string, null *[]bool, defs []byte, maxDef byte, values []V, str func(V) (string, bool)) error {
	next := 0
	take := func() error {
		if next >= len(values) {
			return fmt.Errorf("page has fewer values than its levels say")
		}
		s, ok := str(values[next])
		if !ok {
			return fmt.Errorf("dictionary index out of range")
		}
		next++
		*vals, *null = append(*vals, s), append(*null, false)
		return nil
	}
	if len(defs) == 0 {
		for range values {
			if err := take(); err != nil {
				return err
			}
		}
		return nil
	}
	for _, d := range defs {
		if d < maxDef {
			*vals, *null = append(*vals, ""), append(*null, true)
			continue
		}
		if err := take(); err != nil {
			return err
		}
	}
	return nil
}

// intColumn reads an INT32 or INT64 column.
func intColumn(f *parquet.File, lc leafColumn, rows int) (vals []int64, null []bool, err error) {
	vals = make([]int64, 0, capHint(f, rows))
	null = make([]bool, 0, capHint(f, rows))
	err = forEachValue(f, lc.index, func(v parquet.Value) {
		switch {
		case v.IsNull():
			vals, null = append(vals, 0), append(null, true)
		case lc.kind == parquet.Int64:
			vals, null = append(vals, v.Int64()), append(null, false)
		default:
			vals, null = append(vals, int64(v.Int32())), append(null, false)
		}
	})
	return vals, null, err
}

// vectorColumn is a list<float32> column read into one array: row i is
// values[start[i]:start[i+1]].
type vectorColumn struct {
	values []float32
	start  []int
	// nullRow is the first row (0-based) holding a null element, or -1.
	nullRow int
}

// readVectors reads a list<float32> column straight from its pages' level and value arrays,
// which is several times faster than decoding Value by Value; dictionary-encoded pages (rare
// for floats) take the Value path.
func readVectors(f *parquet.File, lc leafColumn, rows int) (*vectorColumn, error) {
	var total int64
	for _, rg := range f.RowGroups() {
		total += rg.ColumnChunks()[lc.index].NumValues()
	}
	vc := &vectorColumn{values: make([]float32, 0, capHint(f, total)), start: make([]int, 0, capHint(f, int64(rows)+1)), nullRow: -1}
	maxDef, listDef := byte(lc.maxDef), byte(lc.listDef)
	buf := make([]parquet.Value, 1024)
	err := parquetio.ForEachPage(f, lc.index, func(p parquet.Page) error {
		reps, defs := p.RepetitionLevels(), p.DefinitionLevels()
		if p.Dictionary() != nil || len(reps) != len(defs) || len(defs) == 0 {
			return vc.readValues(p, maxDef, listDef, buf)
		}
		values := p.Data()
		data := values.Float()
		if len(data) == len(defs) {
			// No empty list and no null anywhere in the page: copy the values in one go and
			// find the row starts, the zeros of the repetition levels, with IndexByte (vector
			// instructions: a row of 1,024 values is one call).
			base := len(vc.values)
			vc.values = append(vc.values, data...)
			for i := 0; i < len(reps); {
				j := bytes.IndexByte(reps[i:], 0)
				if j < 0 {
					break
				}
				vc.start = append(vc.start, base+i+j)
				i += j + 1
			}
			return nil
		}
		k := 0
		for i, def := range defs {
			if reps[i] == 0 {
				vc.start = append(vc.start, len(vc.values))
			}
			switch {
			case def == maxDef && k < len(data):
				vc.values = append(vc.values, data[k])
				k++
			case def == maxDef:
				return fmt.Errorf("page has fewer values than its levels say")
			case def >= listDef && vc.nullRow < 0:
				vc.nullRow = len(vc.start) - 1
			}
		}
		return nil
	})
	vc.start = append(vc.start, len(vc.values))
	return vc, err
}

// readValues reads a page Value by Value: the slow path, for pages whose levels or values are
// not directly available (dictionary encoding).
func (vc *vectorColumn) readValues(p parquet.Page, maxDef, listDef byte, buf []parquet.Value) error {
	vr := p.Values()
	for {
		n, err := vr.ReadValues(buf)
		for _, v := range buf[:n] {
			if v.RepetitionLevel() == 0 {
				vc.start = append(vc.start, len(vc.values))
			}
			switch def := byte(v.DefinitionLevel()); {
			case def == maxDef:
				vc.values = append(vc.values, v.Float())
			case def >= listDef && vc.nullRow < 0:
				vc.nullRow = len(vc.start) - 1
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
