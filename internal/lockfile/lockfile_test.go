package lockfile

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestOneWriterAtATime(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC)
	a, err := Acquire(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to open files: a second open in this process conflicts like another
	// process would.
	_, err = Acquire(dir, now)
	var held *HeldError
	if !errors.As(err, &held) || !strings.Contains(err.Error(), "pid ") || !strings.Contains(err.Error(), "2026-12-04 17:00:00 UTC") {
		t.Fatalf("second writer: %v", err)
	}
	a.Release()
	b, err := Acquire(dir, now)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	b.Release()
}

// A holder that dies without releasing (SIGKILL) leaves no stale lock.
func TestKilledHolderLeavesNoLock(t *testing.T) {
	if os.Getenv("LOCKFILE_HOLD") != "" {
		if _, err := Acquire(os.Getenv("LOCKFILE_HOLD"), time.Now()); err != nil {
			os.Exit(2)
		}
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestKilledHolderLeavesNoLock$")
	cmd.Env = append(os.Environ(), "LOCKFILE_HOLD="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := out.Read(buf); err != nil || string(buf) != "locked\n" {
		t.Fatalf("holder did not lock: %q %v", buf, err)
	}
	if _, err := Acquire(dir, time.Now()); err == nil {
		t.Fatal("the lock was not held")
	}
	cmd.Process.Kill()
	cmd.Wait()
	l, err := Acquire(dir, time.Now())
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	l.Release()
}
