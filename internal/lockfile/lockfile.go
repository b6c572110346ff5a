// Package lockfile gives one writer at a time to a directory: an advisory lock (flock) on a file
// in it, which the kernel releases when the holder exits, however it exits, so a killed run
// never leaves a stale lock behind. The file names its holder (pid and start time) for the
// message the next writer gets.
package lockfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Name is the lock file's name in the directory it guards.
const Name = ".emoeval.lock"

// Lock is a held lock.
type Lock struct {
	f *os.File
}

// HeldError says that another process holds the lock.
type HeldError struct {
	Dir    string
	Holder string // "pid 4242, started 2026-12-04 17:02:11 UTC", as the holder wrote it
}

func (e *HeldError) Error() string {
	who := e.Holder
	if who == "" {
		who = "another process"
	}
	return fmt.Sprintf("%s is being written by another emoeval (%s): wait for it to finish, or use another --out", e.Dir, who)
}

// Acquire takes the lock of dir (which must exist) without waiting; it fails with a *HeldError
// when another process holds it. now stamps the holder's start time.
func Acquire(dir string, now time.Time) (*Lock, error) {
	p := filepath.Join(dir, Name)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder, _ := os.ReadFile(p)
			return nil, &HeldError{Dir: dir, Holder: strings.TrimSpace(string(holder))}
		}
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "pid %d, started %s\n", os.Getpid(), now.UTC().Format("2006-01-02 15:04:05 MST"))
	}
	return &Lock{f: f}, nil
}

// Release gives the lock up. The file stays: removing it would let two later writers lock two
// different files of one name.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
	l.f = nil
}
