package parquetio

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/parquet-go/parquet-go"
)

// TableWriter streams rows of T into a Parquet file. Nothing is visible at the path until Close
// renames the finished file over it; Abort (or a failed Close) leaves the path untouched. It is
// safe for concurrent use.
type TableWriter[T any] struct {
	mu   sync.Mutex
	path string
	f    *os.File
	w    *parquet.GenericWriter[T]
	done bool
}

// NewTableWriter starts a Parquet file of rows of T at path (created on Close).
func NewTableWriter[T any](path string) (*TableWriter[T], error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	w := parquet.NewGenericWriter[T](f, parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(1<<14))
	return &TableWriter[T]{path: path, f: f, w: w}, nil
}

// Write appends rows.
func (t *TableWriter[T]) Write(rows ...T) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return fmt.Errorf("write %s: writer already closed", t.path)
	}
	if _, err := t.w.Write(rows); err != nil {
		return fmt.Errorf("write %s: %w", t.path, err)
	}
	return nil
}

// Close finishes the file and renames it into place.
func (t *TableWriter[T]) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return fmt.Errorf("close %s: writer already closed", t.path)
	}
	t.done = true
	err := t.w.Close()
	if err == nil {
		err = t.f.Chmod(0o644)
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
		return fmt.Errorf("write %s: %w", t.path, err)
	}
	return nil
}

// Abort discards everything written; the path is left as it was. It is a no-op after Close.
func (t *TableWriter[T]) Abort() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return
	}
	t.done = true
	t.f.Close()
	os.Remove(t.f.Name())
}
