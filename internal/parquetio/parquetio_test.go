package parquetio

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/inputerr"
)

type row struct {
	ClipID string    `parquet:"clip_id"`
	Fold   int32     `parquet:"fold"`
	Score  float64   `parquet:"score"`
	Probs  []float32 `parquet:"probs,list"`
}

func sampleRows(n int) []row {
	rows := make([]row, n)
	for i := range rows {
		rows[i] = row{ClipID: fmt.Sprintf("%05d", i+1), Fold: 5, Score: float64(i) / 2}
		if i%2 == 0 {
			rows[i].Probs = []float32{0.25, 0.75}
		}
	}
	return rows
}

func encode[T any](t testing.TB, rows []T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.parquet")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// openRows writes rows to a file and opens it.
func openRows(t *testing.T, rows []row) (string, *parquet.File) {
	t.Helper()
	path := writeFile(t, encode(t, rows))
	pf, f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return path, pf
}

func TestOpenErrors(t *testing.T) {
	good := encode(t, sampleRows(10))
	tests := []struct {
		name, path, want string
	}{
		{"absent", filepath.Join(t.TempDir(), "absent.parquet"), "cannot open: no such file"},
		{"empty", writeFile(t, nil), "empty file"},
		{"text", writeFile(t, []byte("clip_id,mi\n1,audio\n")), "not a readable Parquet file"},
		{"truncated", writeFile(t, good[:len(good)/2]), "not a readable Parquet file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pf, f, err := Open(tt.path)
			var ie *inputerr.Error
			if !errors.As(err, &ie) || ie.File != tt.path || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open = %v, %v; want an input error naming the file and %q", pf, err, tt.want)
			}
			if f != nil {
				t.Error("a file is returned with the error")
			}
		})
	}
	pf, f, err := Open(writeFile(t, good))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if pf.NumRows() != 10 {
		t.Errorf("%d rows; want 10", pf.NumRows())
	}
}

func TestRecover(t *testing.T) {
	read := func() (err error) {
		defer Recover("x.parquet", &err)
		panic("index out of range")
	}
	err := read()
	var ie *inputerr.Error
	if !errors.As(err, &ie) || ie.File != "x.parquet" || err.Error() != "x.parquet: damaged Parquet file: index out of range" {
		t.Errorf("err = %v; want an input error naming the file and the panic", err)
	}
}

func TestCheckColumns(t *testing.T) {
	path, pf := openRows(t, sampleRows(3))
	tests := []struct {
		name      string
		cols      []Column
		key, want string // want "" for no error
	}{
		{"all there", []Column{{Name: "clip_id", Type: ColString}, {Name: "fold", Type: ColInt}, {Name: "score", Type: ColFloat},
			{Name: "probs", Type: ColFloatList}, {Name: "extra", Type: ColBool, Optional: true}}, "", ""},
		{"missing", []Column{{Name: "label", Type: ColString}}, "label", "missing column (the file has: clip_id, fold, score, probs)"},
		{"wrong scalar type", []Column{{Name: "fold", Type: ColString}}, "fold", "want a column of type string, the file has INT(32,true)"},
		{"scalar for a list", []Column{{Name: "probs", Type: ColFloat}}, "probs", "want a column of type float, the file has a group"},
		{"list for a scalar", []Column{{Name: "score", Type: ColFloatList}}, "score", "standard 3-level LIST"},
		{"wrong element type", []Column{{Name: "probs", Type: ColStringList}}, "probs", "the file's list holds FLOAT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			present, err := CheckColumns(path, pf, tt.cols)
			if tt.want == "" {
				if err != nil || len(present) != 4 || present["extra"] {
					t.Errorf("present %v, %v", present, err)
				}
				return
			}
			var ie *inputerr.Error
			if !errors.As(err, &ie) || ie.Key != tt.key || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want key %q and %q", err, tt.key, tt.want)
			}
		})
	}
}

func TestScanRowsNumbersRowsAcrossBatches(t *testing.T) {
	want := sampleRows(700) // several batches of 256
	path, pf := openRows(t, want)
	next := 1
	err := ScanRows(path, pf, func(batch []row, first int) error {
		if first != next {
			return fmt.Errorf("batch starts at row %d; want %d", first, next)
		}
		for i, r := range batch {
			if r.ClipID != want[first+i-1].ClipID || len(r.Probs) != len(want[first+i-1].Probs) {
				return fmt.Errorf("row %d: %+v", first+i, r)
			}
		}
		next += len(batch)
		return nil
	})
	if err != nil || next != 701 {
		t.Fatalf("%v after %d rows", err, next-1)
	}
	stop := errors.New("stop")
	if err := ScanRows(path, pf, func([]row, int) error { return stop }); err != stop {
		t.Errorf("fn's error came back as %v", err)
	}
	rows, err := ReadRows[row](path, pf)
	if err != nil || len(rows) != 700 || rows[699].ClipID != "00700" {
		t.Errorf("ReadRows: %d rows, %v", len(rows), err)
	}
}

func TestCheckListLengths(t *testing.T) {
	path, pf := openRows(t, sampleRows(9)) // 5 rows with 2 probabilities
	tests := []struct {
		column string
		read   int64
		want   string // "" for no error
	}{
		{"probs", 10, ""},
		{"probs", 0, "the file stores 10 list elements but 0 were read"},
		{"absent", 0, ""},
		{"absent", 3, "a column the file does not have"},
	}
	for _, tt := range tests {
		err := CheckListLengths(path, pf, tt.column, tt.read)
		if tt.want == "" && err != nil || tt.want != "" && (!inputerr.Is(err) || !strings.Contains(fmt.Sprint(err), tt.want)) {
			t.Errorf("%s, %d read: %v; want %q", tt.column, tt.read, err, tt.want)
		}
	}
}

func TestTableWriterIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "t.parquet")
	w, err := NewTableWriter[row](path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(sampleRows(3)...); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file is visible before Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	pf, f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rows, err := ReadRows[row](path, pf); err != nil || len(rows) != 3 {
		t.Errorf("read back %d rows, %v", len(rows), err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// Whatever the bytes, reading ends in rows or an input error, never a panic.
func FuzzOpenAndRead(f *testing.F) {
	good := encode(f, sampleRows(20))
	f.Add(good)
	f.Add(good[:len(good)-9])
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pf, err := OpenReader("fuzz.parquet", bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !inputerr.Is(err) {
				t.Fatalf("error %v is not an input error", err)
			}
			return
		}
		cols := []Column{{Name: "clip_id", Type: ColString}, {Name: "probs", Type: ColFloatList}}
		if _, err := CheckColumns("fuzz.parquet", pf, cols); err != nil {
			return
		}
		rows, err := ReadRows[row]("fuzz.parquet", pf)
		if err != nil {
			if !inputerr.Is(err) {
				t.Fatalf("error %v is not an input error", err)
			}
			return
		}
		var n int64
		for _, r := range rows {
			n += int64(len(r.Probs))
		}
		if err := CheckListLengths("fuzz.parquet", pf, "probs", n); err != nil && !inputerr.Is(err) {
			t.Fatalf("error %v is not an input error", err)
		}
	})
}

func TestReadTable(t *testing.T) {
	path := writeFile(t, encode(t, sampleRows(9))) // 5 rows with 2 probabilities
	cols := []Column{{Name: "clip_id", Type: ColString}, {Name: "probs", Type: ColFloatList}}
	countProbs := func(rows []row, _ int) (map[string]int64, error) {
		var n int64
		for _, r := range rows {
			n += int64(len(r.Probs))
		}
		return map[string]int64{"probs": n}, nil
	}
	rows, err := ReadTable(path, cols, countProbs)
	if err != nil || len(rows) != 9 || len(rows[8].Probs) != 2 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	// A reader that drops the lists (here: a count that says none were read) is caught.
	_, err = ReadTable(path, cols, func([]row, int) (map[string]int64, error) { return nil, nil })
	if !inputerr.Is(err) || !strings.Contains(err.Error(), "stores 10 list elements but 0 were read") {
		t.Errorf("uncounted lists: %v", err)
	}
	bad := inputerr.AtRow(path, 3, "bad row")
	if _, err := ReadTable(path, cols, func([]row, int) (map[string]int64, error) { return nil, bad }); err != bad {
		t.Errorf("count's error came back as %v", err)
	}
	if _, err := ReadTable(path, []Column{{Name: "label", Type: ColString}}, countProbs); !inputerr.Is(err) {
		t.Errorf("contract not checked: %v", err)
	}
}

// Batches hold about 16 MiB of row data: large rows make small batches.
func TestBatchRowsFollowsTheRowSize(t *testing.T) {
	_, small := openRows(t, sampleRows(1000))
	if got := batchRows(small); got != 256 {
		t.Errorf("small rows: batch of %d, want 256", got)
	}
	type text struct {
		Text string `parquet:"text"`
	}
	rows := make([]text, 20)
	for i := range rows {
		rows[i].Text = strings.Repeat(string(rune('a'+i)), 1<<20)
	}
	path := writeFile(t, encode(t, rows))
	pf, f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := batchRows(pf); got < 8 || got > 16 {
		t.Errorf("1 MiB rows: batch of %d, want about 16", got)
	}
	n := 0
	err = ScanRows(path, pf, func(batch []text, first int) error {
		if len(batch) > 16 {
			t.Errorf("a batch of %d rows", len(batch))
		}
		n += len(batch)
		return nil
	})
	if err != nil || n != 20 {
		t.Errorf("read %d rows, %v", n, err)
	}
}
