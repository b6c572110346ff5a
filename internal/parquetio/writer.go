package parquetio

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/atomicfile"
)

// Row groups are bounded in rows and in bytes: parquet-go keeps a whole row group in memory
// (its compressed pages) until it is flushed, so that a row limit alone lets long answers grow
// it without bound (16,384 rows of 64 KB answers in three text columns are 3 GB).
const (
	DefaultRowGroupRows  = 1 << 14
	DefaultRowGroupBytes = 32 << 20
)

// writeChunk is how many rows Write hands parquet-go at a time, checking the row group's size
// between chunks: a caller writing a whole table in one call gets bounded row groups too.
const writeChunk = 64

// Option configures a TableWriter.
type Option func(*writerConfig)

type writerConfig struct {
	rowGroupRows  int64
	rowGroupBytes int64
	keepStats     map[string]bool
}

// RowGroupRows bounds the rows of a row group (DefaultRowGroupRows when n <= 0).
func RowGroupRows(n int64) Option {
	return func(c *writerConfig) {
		if n > 0 {
			c.rowGroupRows = n
		}
	}
}

// RowGroupBytes bounds the bytes a row group holds before it is written out, as parquet-go
// estimates them (compressed pages plus buffered values; DefaultRowGroupBytes when n <= 0).
// It bounds the writer's memory.
func RowGroupBytes(n int64) Option {
	return func(c *writerConfig) {
		if n > 0 {
			c.rowGroupBytes = n
		}
	}
}

// KeepStatistics keeps min/max statistics for the named string columns (dotted paths for
// nested ones), which TableWriter otherwise leaves out of every string column: parquet-go
// writes them untruncated, in each page header (twice: the deprecated fields too) and in the
// footer, so that five 5 MiB answers in three text columns made a 346 MB file with a 31 MB
// footer. Keep them only for columns of short values (identifiers, labels) that readers filter
// on.
func KeepStatistics(columns ...string) Option {
	return func(c *writerConfig) {
		for _, col := range columns {
			c.keepStats[col] = true
		}
	}
}

// TableWriter streams rows of T into a Parquet file. Nothing is visible at the path until Close
// renames the finished file over it; Abort (or a failed Close) leaves the path untouched. Memory
// is bounded by the row group limits, not by the number or size of the rows. It is safe for
// concurrent use.
type TableWriter[T any] struct {
	mu       sync.Mutex
	path     string
	f        *os.File
	w        *parquet.GenericWriter[T]
	maxBytes int64
	flushed  int64 // w.Size() after the last row group was written out
	done     bool
	failed   error    // the error that ended the file early: Close returns it
	created  []string // directories made for the file, removed with it when it is not finished
}

// NewTableWriter starts a Parquet file of rows of T at path (created on Close).
func NewTableWriter[T any](path string, opts ...Option) (*TableWriter[T], error) {
	cfg := writerConfig{rowGroupRows: DefaultRowGroupRows, rowGroupBytes: DefaultRowGroupBytes, keepStats: map[string]bool{}}
	for _, o := range opts {
		o(&cfg)
	}
	dir := filepath.Dir(path)
	created, err := atomicfile.MkdirAllCreated(dir)
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		atomicfile.RemoveCreated(created)
		return nil, atomicfile.Err(path, err)
	}
	wopts := []parquet.WriterOption{parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(cfg.rowGroupRows)}
	schema := parquet.SchemaOf(new(T))
	for _, col := range schema.Columns() {
		leaf, ok := schema.Lookup(col...)
		if !ok || cfg.keepStats[strings.Join(col, ".")] {
			continue
		}
		if k := leaf.Node.Type().Kind(); k == parquet.ByteArray || k == parquet.FixedLenByteArray {
			wopts = append(wopts, parquet.SkipPageStatistics(col...), parquet.SkipPageBounds(col...))
		}
	}
	w := parquet.NewGenericWriter[T](f, wopts...)
	return &TableWriter[T]{path: path, f: f, w: w, maxBytes: cfg.rowGroupBytes, created: created}, nil
}

// Write appends rows.
func (t *TableWriter[T]) Write(rows ...T) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failed != nil {
		return t.failed
	}
	if t.done {
		return fmt.Errorf("write %s: writer already closed", t.path)
	}
	for len(rows) > 0 {
		n := min(len(rows), writeChunk)
		_, err := t.w.Write(rows[:n])
		if err == nil && t.w.Size()-t.flushed >= t.maxBytes {
			err = t.w.Flush()
			t.flushed = t.w.Size()
		}
		if err != nil {
			// A file that failed half-way (a full disk) cannot be finished: it is removed
			// at once, so that nothing is left behind whether or not the caller aborts.
			t.failed = atomicfile.Err(t.path, err)
			t.abort()
			return t.failed
		}
		rows = rows[n:]
	}
	return nil
}

// Close finishes the file and renames it into place.
func (t *TableWriter[T]) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failed != nil {
		return t.failed
	}
	if t.done {
		return fmt.Errorf("close %s: writer already closed", t.path)
	}
	t.done = true
	err := t.w.Close()
	if err == nil {
		err = t.f.Chmod(atomicfile.FileMode)
	}
	if err == nil {
		err = t.f.Sync()
	}
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(t.f.Name(), t.path)
	}
	if err != nil {
		os.Remove(t.f.Name())
		atomicfile.RemoveCreated(t.created)
		return atomicfile.Err(t.path, err)
	}
	return nil
}

// Abort discards everything written; the path is left as it was. It is a no-op after Close.
func (t *TableWriter[T]) Abort() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.abort()
}

func (t *TableWriter[T]) abort() {
	if t.done {
		return
	}
	t.done = true
	t.f.Close()
	os.Remove(t.f.Name())
	atomicfile.RemoveCreated(t.created)
}
