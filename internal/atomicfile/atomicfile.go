// Package atomicfile writes files so that a reader never sees half of one: the content goes to
// a temporary file in the same directory, which is synced and renamed over the target only when
// complete. A failed write (a full disk included) leaves nothing behind.
//
// Modes are fixed, not left to the process's umask: files are 0644 and the directories created
// for them 0755, since what emoeval writes (run directories, reports, tables) is meant to be read
// by others (CI artifacts, colleagues). os.CreateTemp alone would give 0600, and os.MkdirAll
// under a umask of 077 would give 0700.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Modes of what the package creates.
const (
	FileMode fs.FileMode = 0o644
	DirMode  fs.FileMode = 0o755
)

// file is what Write needs of a temporary file; tests stand in a failing one.
type file interface {
	io.Writer
	Name() string
	Chmod(fs.FileMode) error
	Sync() error
	Close() error
}

// createFunc makes the temporary file for path in dir.
type createFunc func(dir, pattern string) (file, error)

func createTemp(dir, pattern string) (file, error) { return os.CreateTemp(dir, pattern) }

// Write creates path with the content fn writes. On any error the target is left untouched, the
// temporary file is removed, and the error names path (and says the disk is full when it is:
// IsDiskFull).
func Write(path string, fn func(w io.Writer) error) error {
	return write(path, fn, createTemp)
}

func write(path string, fn func(w io.Writer) error, create createFunc) (err error) {
	dir := filepath.Dir(path)
	created, err := mkdirAll(dir)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			RemoveCreated(created)
		}
	}()
	f, err := create(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return Err(path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = fn(bw); err != nil {
		return Err(path, err)
	}
	if err = bw.Flush(); err != nil {
		return Err(path, err)
	}
	if err = f.Chmod(FileMode); err != nil {
		return Err(path, err)
	}
	// Some file systems (NFS, delayed allocation) report a full disk only here.
	if err = f.Sync(); err != nil {
		return Err(path, err)
	}
	if err = f.Close(); err != nil {
		return Err(path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return Err(path, err)
	}
	return nil
}

// WriteFile is Write for content already in memory.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// MkdirAll creates dir and its missing parents with mode 0755 whatever the umask; directories
// that exist are left as they are. The error names the directory and says when the disk is full.
func MkdirAll(dir string) error {
	_, err := mkdirAll(dir)
	return err
}

// MkdirAllCreated is MkdirAll returning the directories it created, parents first, for
// RemoveCreated to undo when what they were made for fails.
func MkdirAllCreated(dir string) ([]string, error) { return mkdirAll(dir) }

func mkdirAll(dir string) ([]string, error) {
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return nil, fmt.Errorf("create directory %s: a file of that name is in the way", dir)
		}
		return nil, nil
	}
	var created []string
	if parent := filepath.Dir(dir); parent != dir {
		c, err := mkdirAll(parent)
		if err != nil {
			return nil, err
		}
		created = c
	}
	if err := os.Mkdir(dir, DirMode); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return created, nil // made meanwhile by another writer
		}
		RemoveCreated(created)
		return nil, dirErr(dir, err)
	}
	created = append(created, dir)
	if err := os.Chmod(dir, DirMode); err != nil { // Mkdir's mode is filtered by the umask
		RemoveCreated(created)
		return nil, dirErr(dir, err)
	}
	return created, nil
}

// RemoveCreated removes the directories MkdirAllCreated made, deepest first, as long as they
// are empty: a failed write leaves no empty directories behind either.
func RemoveCreated(created []string) {
	for i := len(created) - 1; i >= 0; i-- {
		if os.Remove(created[i]) != nil {
			return
		}
	}
}

func dirErr(dir string, err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		err = pe.Err // the path is in the message already
	}
	if IsDiskFull(err) {
		return fmt.Errorf("create directory %s: the disk is full (%w)", dir, err)
	}
	return fmt.Errorf("create directory %s: %w", dir, err)
}

// IsDiskFull reports whether err says the disk (or the user's quota on it) is full.
func IsDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// Err wraps an error of writing path: the message names path once (the path of a *fs.PathError,
// usually the temporary file's, is dropped) and says when the disk is full; errors.Is and
// errors.As still see the cause. Writers of their own files (the Parquet table writer) use it
// too, so that every "disk full" reads alike.
func Err(path string, err error) error {
	if err == nil {
		return nil
	}
	if pe, ok := err.(*fs.PathError); ok {
		err = pe.Err
	}
	if IsDiskFull(err) {
		return fmt.Errorf("write %s: the disk is full: free some space and run again (%w)", path, err)
	}
	return fmt.Errorf("write %s: %w", path, err)
}
