package datasets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestScratchAllocHunt(t *testing.T) {
	if os.Getenv("HUNT") == "" {
		t.Skip()
	}
	var buf bytes.Buffer
	if err := EncodeSplit(&buf, smallSplit()); err != nil {
		t.Fatal(err)
	}
	seed := buf.Bytes()
	t.Logf("seed %d bytes", len(seed))
	r := rand.New(rand.NewPCG(1, 2))
	found := 0
	t0 := time.Now()
	var total, maxA uint64
	for it := 0; it < 20000; it++ {
		data := append([]byte(nil), seed...)
		for k := 0; k < 1+r.IntN(4); k++ {
			i := r.IntN(len(data))
			switch r.IntN(4) {
			case 0:
				data[i] ^= byte(1 << r.IntN(8))
			case 1:
				data[i] = byte(r.IntN(256))
			case 2:
				if i+4 <= len(data) {
					binary.LittleEndian.PutUint32(data[i:], r.Uint32())
				}
			case 3:
				data[i] = 0xff
			}
		}
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		DecodeSplit("fuzz", bytes.NewReader(data), int64(len(data)))
		runtime.ReadMemStats(&m1)
		total += m1.TotalAlloc - m0.TotalAlloc
		if d := m1.TotalAlloc - m0.TotalAlloc; d > maxA {
			maxA = d
		}
		if d := m1.TotalAlloc - m0.TotalAlloc; d > 2<<20 && found < 5 {
			found++
			p := filepath.Join("/tmp/fz", fmt.Sprintf("in%d", it))
			os.WriteFile(p, data, 0o644)
			t.Logf("%s: %d MB", p, d>>20)
		}
	}
	t.Logf("20000 mutated inputs: %v, %d MB allocated, %d over 2 MB, max %d KB", time.Since(t0), total>>20, found, maxA>>10)
}

func TestScratchAllocOne(t *testing.T) {
	p := os.Getenv("ONE")
	if p == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(p)
	for _, f := range files {
		data, _ := os.ReadFile(f)
		_, err := DecodeSplit("fuzz", bytes.NewReader(data), int64(len(data)))
		t.Logf("%s: %v", f, err)
	}
}

func TestScratchTimeCorpus(t *testing.T) {
	dir := os.Getenv("CORPUS")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		// "go test fuzz v1\n[]byte(\"...\")"
		s := string(raw)
		i := strings.Index(s, "[]byte(")
		q, err := strconv.Unquote(strings.TrimSuffix(strings.TrimSpace(s[i+7:]), ")"))
		if err != nil {
			t.Log(f, err)
			continue
		}
		data := []byte(q)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		t0 := time.Now()
		_, err = DecodeSplit("fuzz", bytes.NewReader(data), int64(len(data)))
		runtime.ReadMemStats(&m1)
		if d := time.Since(t0); d > 20*time.Millisecond || m1.TotalAlloc-m0.TotalAlloc > 10<<20 {
			t.Logf("%s: %d bytes, %v, %d MB: %v", filepath.Base(f), len(data), d, (m1.TotalAlloc-m0.TotalAlloc)>>20, err)
		}
	}
}

func FuzzScratchSlow(f *testing.F) {
	var buf bytes.Buffer
	if err := EncodeSplit(&buf, smallSplit()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		go func() {
			select {
			case <-done:
			case <-time.After(500 * time.Millisecond):
				os.WriteFile(fmt.Sprintf("/tmp/slow/%d", time.Now().UnixNano()), data, 0o644)
			}
		}()
		DecodeSplit("fuzz", bytes.NewReader(data), int64(len(data)))
		close(done)
	})
}

func TestScratchMinimizeLike(t *testing.T) {
	if os.Getenv("MIN") == "" {
		t.Skip()
	}
	var buf bytes.Buffer
	EncodeSplit(&buf, smallSplit())
	seed := buf.Bytes()
	var total time.Duration
	var slow int
	for i := range seed {
		data := append(append([]byte(nil), seed[:i]...), seed[i+1:]...)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		t0 := time.Now()
		_, err := DecodeSplit("fuzz", bytes.NewReader(data), int64(len(data)))
		d := time.Since(t0)
		runtime.ReadMemStats(&m1)
		total += d
		if d > 5*time.Millisecond || m1.TotalAlloc-m0.TotalAlloc > 5<<20 {
			slow++
			if slow < 10 {
				t.Logf("cut %d: %v %d MB: %v", i, d, (m1.TotalAlloc-m0.TotalAlloc)>>20, err)
			}
		}
	}
	t.Logf("%d cuts, %v total, %d slow", len(seed), total, slow)
}
