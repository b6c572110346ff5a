package cache

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emoeval/emoeval/eval/chat"
)

var _ chat.MetaStore = (*Cache)(nil)

func openTemp(t testing.TB) (*Cache, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache.sqlite")
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, path
}

func TestPutGetReopen(t *testing.T) {
	ctx := context.Background()
	c, path := openTemp(t)
	if _, ok, err := c.Get(ctx, "missing"); ok || err != nil {
		t.Fatalf("Get(missing) = %v, %v", ok, err)
	}
	values := map[string][]byte{"a": []byte("1"), "b": {0, 0xff, '\n'}, "empty": {}}
	for k, v := range values {
		if err := c.Put(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.PutMeta(ctx, "a", []byte("replaced"), "model=m clip=1"); err != nil {
		t.Fatal(err)
	}
	values["a"] = []byte("replaced")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := c.Put(ctx, "late", nil); err == nil || !strings.Contains(err.Error(), "after Close") {
		t.Fatalf("Put after Close = %v", err)
	}

	c2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	for k, want := range values {
		got, ok, err := c2.Get(ctx, k)
		if err != nil || !ok || string(got) != string(want) {
			t.Errorf("after reopen Get(%q) = %q, %v, %v; want %q", k, got, ok, err, want)
		}
	}
	var meta string
	var created int64
	if err := c2.read.QueryRow(`SELECT meta, created_at FROM responses WHERE key = 'a'`).Scan(&meta, &created); err != nil || meta != "model=m clip=1" || created == 0 {
		t.Errorf("meta %q, created_at %d, %v", meta, created, err)
	}
	if n, err := c2.Len(ctx); err != nil || n != len(values) {
		t.Errorf("Len = %d, %v; want %d", n, err, len(values))
	}
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	ctx := context.Background()
	c, path := openTemp(t)
	const writers, each = 16, 50
	var wg sync.WaitGroup
	errs := make(chan error, writers*2)
	for w := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := c.Put(ctx, fmt.Sprintf("w%d-%d", w, i), []byte(strconv.Itoa(i))); err != nil {
					errs <- err
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := range each {
				if _, _, err := c.Get(ctx, fmt.Sprintf("w%d-%d", w, i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	// A second process-like handle on the same file writes at the same time.
	other, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range each {
		if err := other.Put(ctx, fmt.Sprintf("other-%d", i), []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	other.Close()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n, err := c.Len(ctx); err != nil || n != writers*each+each {
		t.Fatalf("Len = %d, %v; want %d", n, err, writers*each+each)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.sqlite")
	if err := os.WriteFile(corrupt, []byte(strings.Repeat("this is not a database ", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(corrupt); err == nil || !strings.Contains(err.Error(), corrupt) || !strings.Contains(err.Error(), "move it away") {
		t.Errorf("corrupt file: err = %v", err)
	}

	// A valid SQLite file with a table of the same name and another shape.
	foreign := filepath.Join(dir, "foreign.sqlite")
	c, err := Open(foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.write.Exec(`DROP TABLE responses; CREATE TABLE responses (id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := Open(foreign); err == nil || !strings.Contains(err.Error(), "not an emoeval cache") {
		t.Errorf("foreign table: err = %v", err)
	}

	if _, err := Open(filepath.Join(dir, "no", "such", "dir", "c.sqlite")); err == nil {
		t.Error("Open in a missing directory succeeded")
	}
}

func TestOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a dir?with#odd%chars", "cache.sqlite")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Put(context.Background(), "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("cache not at the given path: %v", err)
	}
}

func TestPutCancelled(t *testing.T) {
	c, _ := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.Put(ctx, "k", []byte("v"))
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with cancelled context = %v", err)
	}
}

// TestKilledWriterLosesNothingCommitted runs a child process that puts rows and acknowledges
// each on stdout after Put returns, kills it with SIGKILL, and checks every acknowledged row.
func TestKilledWriterLosesNothingCommitted(t *testing.T) {
	if path := os.Getenv("EMOEVAL_CACHE_KILL_CHILD"); path != "" {
		killChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "cache.sqlite")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterLosesNothingCommitted$")
	cmd.Env = append(os.Environ(), "EMOEVAL_CACHE_KILL_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acked) < 300 {
		if k, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
			acked = append(acked, k)
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if len(acked) < 300 {
		t.Fatalf("child acknowledged only %d puts", len(acked))
	}
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, k := range acked {
		if _, ok, err := c.Get(context.Background(), k); !ok || err != nil {
			t.Fatalf("acknowledged key %s lost after SIGKILL (%v)", k, err)
		}
	}
}

func killChild(path string) {
	c, err := Open(path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				k := fmt.Sprintf("g%d-%d", g, i)
				if err := c.Put(context.Background(), k, []byte(strings.Repeat("x", 500))); err != nil {
					return
				}
				mu.Lock()
				fmt.Fprintln(w, "ack", k)
				w.Flush()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}
