package datasets

import (
	"bytes"
	"fmt"
	"io"
	"slices"
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

// vectorColumn is a list<float32> column read into memory: row i's values are rows[i].
type vectorColumn struct {
	rows [][]float32
	// nullRow is the first row (0-based) holding a null element, or -1.
	nullRow int
}

// readVectors reads a list<float32> column straight from its pages' level and value arrays,
// which is several times faster than decoding Value by Value. Each page's values are copied once,
// into an array of the page's size, and rows are slices of it.
//
// Keeping parquet-go's own page buffers instead (not releasing the pages) would save that copy,
// but was no faster: the buffers then never return to parquet-go's pools, so every page
// allocates fresh ones, levels included (263 MB allocated per read of the 123 MB benchmark file,
// against 140 MB), and the CPU time per read stayed the same.
func readVectors(f *parquet.File, lc leafColumn, rows int) (*vectorColumn, error) {
	vc := &vectorColumn{rows: make([][]float32, 0, capHint(f, rows)), nullRow: -1}
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
			// Every level has its value (no null, no empty list): the row starts are the
			// zeros of the repetition levels, found with IndexByte (vector instructions: a row
			// of 1,024 values is one call).
			vc.addRows(slices.Clone(data), reps)
			return nil
		}
		own := make([]float32, 0, len(data))
		k := 0
		starts := make([]int, 0, 64)
		for i, def := range defs {
			if reps[i] == 0 {
				starts = append(starts, len(own))
			}
			switch {
			case def == maxDef && k < len(data):
				own = append(own, data[k])
				k++
			case def == maxDef:
				return fmt.Errorf("page has fewer values than its levels say")
			case def >= listDef && vc.nullRow < 0:
				vc.nullRow = vc.rowAt(len(starts))
			}
		}
		vc.addStarts(own, starts, reps[0] != 0)
		return nil
	})
	return vc, err
}

// addRows adds the rows of a page whose every level has a value: data are the values, reps
// their repetition levels.
func (vc *vectorColumn) addRows(data []float32, reps []byte) {
	first := bytes.IndexByte(reps, 0)
	if first < 0 {
		first = len(reps)
	}
	vc.continueRow(data[:first])
	for i := first; i < len(reps); {
		j := bytes.IndexByte(reps[i+1:], 0)
		end := len(reps)
		if j >= 0 {
			end = i + 1 + j
		}
		vc.rows = append(vc.rows, data[i:end:end])
		i = end
	}
}

// addStarts adds rows from values and the offsets where rows start; continued says that the
// values before the first start belong to the last row of the previous page.
func (vc *vectorColumn) addStarts(values []float32, starts []int, continued bool) {
	first := len(values)
	if len(starts) > 0 {
		first = starts[0]
	}
	if continued || len(starts) == 0 {
		vc.continueRow(values[:first])
	}
	for k, a := range starts {
		b := len(values)
		if k+1 < len(starts) {
			b = starts[k+1]
		}
		vc.rows = append(vc.rows, values[a:b:b])
	}
}

// rowAt is the index of the row a page's value is in, when the page has started n rows before
// it (0: the value continues the previous page's last row).
func (vc *vectorColumn) rowAt(n int) int {
	return max(len(vc.rows)+n-1, 0)
}

// continueRow appends values to the last row: a row that a page boundary cut (Parquet v1 pages
// may). The row gets an array of its own.
func (vc *vectorColumn) continueRow(values []float32) {
	if len(values) == 0 {
		return
	}
	if len(vc.rows) == 0 {
		// Values before any row start: the file's first page does not start a row.
		vc.rows = append(vc.rows, nil)
	}
	last := len(vc.rows) - 1
	vc.rows[last] = slices.Clip(append(slices.Clip(vc.rows[last]), values...))
}

// readValues reads a page Value by Value: the slow path, for pages whose levels or values are
// not directly available (dictionary encoding). Its values go to an array of their own.
func (vc *vectorColumn) readValues(p parquet.Page, maxDef, listDef byte, buf []parquet.Value) error {
	own := make([]float32, 0, min(p.NumValues(), int64(1<<20)))
	var starts []int
	continued := false
	vr := p.Values()
	for seen := 0; ; {
		n, err := vr.ReadValues(buf)
		for _, v := range buf[:n] {
			if v.RepetitionLevel() == 0 {
				starts = append(starts, len(own))
			} else if seen == 0 {
				continued = true
			}
			seen++
			switch def := byte(v.DefinitionLevel()); {
			case def == maxDef:
				own = append(own, v.Float())
			case def >= listDef && vc.nullRow < 0:
				vc.nullRow = vc.rowAt(len(starts))
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	vc.addStarts(own, starts, continued)
	return nil
}
