package parquetio

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// answerRow has the long text columns of predictions.parquet: the answer, its reasoning and the
// text sent to the judge, which repeat most of the answer.
type answerRow struct {
	Model     string `parquet:"model"`
	ClipID    string `parquet:"clip_id"`
	RawOutput string `parquet:"raw_output"`
	Think     string `parquet:"think"`
	Reason    string `parquet:"reason"`
	Latency   int32  `parquet:"latency_ms"`
}

// noise is 8 MiB of random lower-case words: like a model's answer, made of letters and
// spaces, and like the worst answer, incompressible by parquet-go's zstd. Made once: the race
// detector makes generating it per row slower than the writing under test.
var noise = func() []byte {
	b := make([]byte, 8<<20)
	rand.NewChaCha8([32]byte{1}).Read(b)
	const alphabet = "abcdefghijklmnopqrstuvwxyz     "
	for i, c := range b {
		b[i] = alphabet[int(c)%len(alphabet)]
	}
	return b
}()

// text returns n bytes of noise from a random place (n at most 8 MiB).
func text(r *rand.Rand, n int) string {
	off := r.IntN(len(noise) - n + 1)
	return string(noise[off : off+n])
}

// footerSize reads the length of a Parquet file's footer from its last 8 bytes.
func footerSize(t *testing.T, path string) int64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 12 || string(data[len(data)-4:]) != "PAR1" {
		t.Fatalf("%s is not a Parquet file", path)
	}
	return int64(binary.LittleEndian.Uint32(data[len(data)-8:]))
}

// Five 5 MiB answers: without statistics on text columns, the file is about the data's size and
// the footer stays small (they were 346 MB and 31 MB).
func TestLongTextFileSize(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	path := filepath.Join(t.TempDir(), "predictions.parquet")
	w, err := NewTableWriter[answerRow](path, KeepStatistics("clip_id"))
	if err != nil {
		t.Fatal(err)
	}
	var data int64
	var want []answerRow
	for i := range 5 {
		answer := text(r, 5<<20)
		row := answerRow{Model: "m", ClipID: string(rune('a' + i)), RawOutput: answer, Think: answer[:4<<20], Reason: answer[1<<20:], Latency: int32(i)}
		data += int64(len(row.RawOutput) + len(row.Think) + len(row.Reason))
		want = append(want, row)
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	footer := footerSize(t, path)
	t.Logf("%.1f MiB of text → %.1f MiB file, %d-byte footer", float64(data)/(1<<20), float64(st.Size())/(1<<20), footer)
	if st.Size() > data*11/10 {
		t.Errorf("file %d bytes for %d bytes of text", st.Size(), data)
	}
	if footer > 64<<10 {
		t.Errorf("footer %d bytes", footer)
	}
	pf, f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The values read back (the last row's: the race detector makes reading all of them slow).
	var last answerRow
	err = ScanRows(path, pf, func(batch []answerRow, first int) error {
		if first+len(batch)-1 == 5 {
			last = batch[len(batch)-1]
		}
		return nil
	})
	if err != nil || last != want[4] {
		t.Fatalf("read back: %v, last row equal %v", err, last == want[4])
	}
	// The kept column has its statistics; a text column has none.
	rg := pf.RowGroups()[0]
	for i, field := range pf.Schema().Fields() {
		min, max, ok := rg.ColumnChunks()[i].(*parquet.FileColumnChunk).Bounds()
		switch field.Name() {
		case "clip_id":
			if !ok || min.String() != "a" || max.String() < "b" {
				t.Errorf("clip_id bounds %v %v %v", min, max, ok)
			}
		case "raw_output", "think", "reason":
			if ok {
				t.Errorf("%s has bounds in the footer", field.Name())
			}
		}
	}
}

// 2,336 rows of 64 KB answers (three text columns, 375 MB of text) are written with a heap far
// below the data's size: row groups are flushed by bytes.
func TestWriterMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 375 MB of text")
	}
	const rows = 2336
	path := filepath.Join(t.TempDir(), "predictions.parquet")
	w, err := NewTableWriter[answerRow](path)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	r := rand.New(rand.NewPCG(3, 4))
	for i := range rows {
		answer := text(r, 64<<10)
		row := answerRow{Model: "m", ClipID: strings.Repeat("0", 5) + string(rune('0'+i%10)), RawOutput: answer, Think: answer[:48<<10], Reason: answer[16<<10:]}
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	close(stop)
	<-sampled
	growth := int64(peak.Load()) - int64(before.HeapInuse)
	pf, f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	t.Logf("%d rows: file %.0f MiB in %d row groups, footer %d bytes; heap in use grew by at most %.0f MiB",
		rows, float64(st.Size())/(1<<20), len(pf.RowGroups()), footerSize(t, path), float64(growth)/(1<<20))
	if growth > 150<<20 {
		t.Errorf("heap grew by %d MiB; want well under 400 MiB (at most 150)", growth>>20)
	}
	if pf.NumRows() != rows || len(pf.RowGroups()) < 2 {
		t.Errorf("%d rows in %d row groups", pf.NumRows(), len(pf.RowGroups()))
	}
}

func TestRowGroupOptions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	w, err := NewTableWriter[row](path, RowGroupRows(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(sampleRows(250)...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	pf, f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n := len(pf.RowGroups()); n != 3 {
		t.Errorf("%d row groups; want 3 of at most 100 rows", n)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
}

// A write that fails (here: the file closed under the writer, as a full disk would fail it)
// leaves nothing behind, names the path, and ends the file.
func TestFailedWriteLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.parquet")
	w, err := NewTableWriter[answerRow](path, RowGroupBytes(1))
	if err != nil {
		t.Fatal(err)
	}
	w.f.Close() // every later write to the file fails
	// Incompressible, so that the row group is larger than parquet-go's write buffer.
	err = w.Write(answerRow{RawOutput: text(rand.New(rand.NewPCG(5, 6)), 1<<20)})
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v; want one naming %s", err, path)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	if err2 := w.Close(); !errors.Is(err2, os.ErrClosed) && err2 != err {
		t.Errorf("Close after a failed write = %v", err2)
	}
	w.Abort()
}
