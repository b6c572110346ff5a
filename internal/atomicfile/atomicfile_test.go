package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Modes do not depend on the umask: a user with umask 077 still gets a report others can read.
func TestModesIgnoreUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	root := t.TempDir()
	path := filepath.Join(root, "run", "report", "table.md")
	if err := WriteFile(path, []byte("| a |\n")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]fs.FileMode{
		path:                                 0o644,
		filepath.Join(root, "run"):           0o755,
		filepath.Join(root, "run", "report"): 0o755,
	} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %v; want %v", p, st.Mode().Perm(), want)
		}
	}
	// An existing directory keeps its mode.
	private := filepath.Join(root, "private")
	if err := os.Mkdir(private, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(private, "f"), nil); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(private); st.Mode().Perm() != 0o700 {
		t.Errorf("an existing directory's mode changed to %v", st.Mode().Perm())
	}
}

// fullDisk is a temporary file on a disk that fills after room bytes.
type fullDisk struct {
	*os.File
	room    int
	syncErr error
}

func (f *fullDisk) Write(p []byte) (int, error) {
	if len(p) > f.room {
		n, _ := f.File.Write(p[:f.room])
		f.room = 0
		return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	f.room -= len(p)
	return f.File.Write(p)
}

func (f *fullDisk) Sync() error {
	if f.syncErr != nil {
		return &fs.PathError{Op: "sync", Path: f.Name(), Err: f.syncErr}
	}
	return f.File.Sync()
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	tests := []struct {
		name     string
		room     int
		syncErr  error
		fnErr    error
		diskFull bool
		want     string
	}{
		{"disk full while writing", 1000, nil, nil, true, "the disk is full"},
		{"disk full on sync", 1 << 30, syscall.ENOSPC, nil, true, "the disk is full"},
		{"quota exceeded", 1 << 30, syscall.EDQUOT, nil, true, "the disk is full"},
		{"I/O error", 1 << 30, syscall.EIO, nil, false, "input/output error"},
		{"content fails", 1 << 30, nil, errors.New("render: bad table"), false, "render: bad table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "predictions.csv")
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			create := func(dir, pattern string) (file, error) {
				f, err := os.CreateTemp(dir, pattern)
				if err != nil {
					return nil, err
				}
				return &fullDisk{File: f, room: tt.room, syncErr: tt.syncErr}, nil
			}
			err := write(path, func(w io.Writer) error {
				if _, err := w.Write([]byte(strings.Repeat("x", 1<<20))); err != nil {
					return err
				}
				return tt.fnErr
			}, create)
			if err == nil || !strings.Contains(err.Error(), "write "+path+": ") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want one naming %s and saying %q", err, path, tt.want)
			}
			if strings.Count(err.Error(), dir) != 1 {
				t.Errorf("the message names a path more than once (the temporary file?): %v", err)
			}
			if IsDiskFull(err) != tt.diskFull {
				t.Errorf("IsDiskFull = %v", IsDiskFull(err))
			}
			if tt.fnErr != nil && !errors.Is(err, tt.fnErr) {
				t.Error("the content's error is not wrapped")
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("left behind: %v", entries)
			}
			// Directories made for the file are removed with it.
			deep := filepath.Join(dir, "run", "report", "t.md")
			if err := write(deep, func(w io.Writer) error { return tt.fnErr }, create); err == nil && tt.fnErr != nil {
				t.Fatal("no error")
			}
			if _, err := os.Stat(filepath.Join(dir, "run")); tt.fnErr != nil && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the directories made for a failed write remain: %v", err)
			}
			if data, _ := os.ReadFile(path); string(data) != "old" {
				t.Errorf("the target changed: %q", data)
			}
		})
	}
}

func TestIsDiskFull(t *testing.T) {
	for err, want := range map[error]bool{
		syscall.ENOSPC: true,
		&fs.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}: true,
		fmt.Errorf("flush: %w", syscall.EDQUOT):                    true,
		syscall.EIO:                                                false,
		nil:                                                        false,
	} {
		if IsDiskFull(err) != want {
			t.Errorf("IsDiskFull(%v) = %v", err, !want)
		}
	}
	if Err("p", nil) != nil {
		t.Error("Err(nil) is not nil")
	}
}

func TestMkdirAllErrors(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := MkdirAll(file); err == nil || !strings.Contains(err.Error(), "a file of that name is in the way") {
		t.Errorf("MkdirAll over a file: %v", err)
	}
	if err := WriteFile(filepath.Join(file, "x"), nil); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("WriteFile under a file: %v", err)
	}
}
