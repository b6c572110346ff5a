package parquetio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// TestCompactReader checks the Thrift walker the guards use: every declared length and count
// must fit in the bytes left, and a partial window asks for more instead of failing.
func TestCompactReader(t *testing.T) {
	tests := []struct {
		name    string
		b       []byte
		partial bool
		want    string // "" ok, "short" errShort, else part of the error
		ints    map[int16]int64
	}{
		{"empty struct", []byte{0}, false, "", map[int16]int64{}},
		{"i32 fields", []byte{0x15, 0x04, 0x15, 0x06, 0}, false, "", map[int16]int64{1: 2, 2: 3}},
		{"binary that fits", []byte{0x18, 3, 'a', 'b', 'c', 0}, false, "", map[int16]int64{}},
		{"binary longer than the bytes", []byte{0x18, 0xff, 0xff, 0xff, 0xff, 0x07, 0}, false, "elements declared", nil},
		{"binary longer than a window", []byte{0x18, 0x80, 0x01, 'a'}, true, "short", nil},
		{"list of 2^31 structs", []byte{0x19, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0}, false, "elements declared", nil},
		{"list that fits", []byte{0x19, 0x25, 2, 4, 0}, false, "", map[int16]int64{}},
		{"truncated", []byte{0x15}, false, "short", nil},
		{"unknown type", []byte{0x1e, 0}, false, "unknown Thrift type 14", nil},
		{"nested too deep", append(bytes.Repeat([]byte{0x1c}, 70), 0), false, "nested more than 64 deep", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := compactReader{b: tc.b, partial: tc.partial}
			v, err := c.value(thriftStruct, 0, true)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want == "short" && !errors.Is(err, errShort):
				t.Fatalf("got %v, want errShort", err)
			case tc.want != "" && tc.want != "short" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if tc.ints != nil && !reflect.DeepEqual(v.ints, tc.ints) {
				t.Errorf("ints %v, want %v", v.ints, tc.ints)
			}
		})
	}
}

// TestDamagedTablesAllocateBySize reads seeded random damages of a small table (bytes and
// 32-bit words overwritten, bits flipped, as the fuzzer does) through ReadTable, as every run
// file is read: none may make the reader allocate more than its size justifies (a damaged
// human.parquet of 2.4 KB made parquet-go allocate 4 GiB for its footer, then 2.7 GiB for one
// page, before the guards ran on every file).
func TestDamagedTablesAllocateBySize(t *testing.T) {
	if raceEnabled {
		// -race turns on checkptr, under which parquet-go's unsafe.Slice of a damaged value is a
		// fatal error instead of the panic emoeval recovers from (as it does in a normal build).
		t.Skip("damaged files crash checkptr builds inside parquet-go: make test runs this again without -race")
	}
	seed := encode(t, sampleRows(40))
	cols := []Column{{Name: "clip_id", Type: ColString}, {Name: "probs", Type: ColFloatList}}
	count := func(rows []row, _ int) (map[string]int64, error) {
		var n int64
		for _, r := range rows {
			n += int64(len(r.Probs))
		}
		return map[string]int64{"probs": n}, nil
	}
	r := rand.New(rand.NewPCG(1, 2))
	path := filepath.Join(t.TempDir(), "t.parquet")
	var worst uint64
	for range 3000 {
		data := bytes.Clone(seed)
		for range 1 + r.IntN(4) {
			i := r.IntN(len(data))
			switch r.IntN(3) {
			case 0:
				data[i] ^= 1 << r.IntN(8)
			case 1:
				data[i] = byte(r.IntN(256))
			case 2:
				if i+4 <= len(data) {
					binary.LittleEndian.PutUint32(data[i:], r.Uint32())
				}
			}
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := ReadTable(path, cols, count)
		runtime.ReadMemStats(&after)
		if err != nil && !inputerr.Is(err) {
			t.Fatalf("error %v is not an input error", err)
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		worst = max(worst, alloc)
		if limit := uint64(4<<20 + 64*len(data)); alloc > limit {
			t.Fatalf("a damaged file of %d bytes made the reader allocate %d bytes (limit %d): %v", len(data), alloc, limit, err)
		}
	}
	t.Logf("3000 damaged files of %d bytes: at most %d KB allocated", len(seed), worst>>10)
}
