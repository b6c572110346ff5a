package datasets

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// featureSplit is a feature-heavy split: n rows with a 1024-float video and a 512-float audio
// feature column (the size of real extracted features), the other columns as a real split has
// them.
func featureSplit(n int) *Split {
	r := rand.New(rand.NewPCG(1, 3))
	labels := DFEW()
	s := &Split{Dataset: "dfew", Labels: labels, Clips: make([]Clip, n)}
	for i := range s.Clips {
		k := i % labels.Len()
		f := map[string][]float32{"video": make([]float32, 1024), "audio": make([]float32, 512)}
		for _, v := range f {
			for j := range v {
				v[j] = float32(r.NormFloat64())
			}
		}
		s.Clips[i] = Clip{Dataset: "dfew", ClipID: fmt.Sprintf("%05d", i+1), Fold: int32(1 + i%5), Split: Test,
			Label: labels.Labels[k], LabelID: int32(k + 1), VideoPath: fmt.Sprintf("clips/%05d.mp4", i+1), Features: f}
	}
	return s
}

// BenchmarkReadSplitFeatures is the target: ReadSplit at 1 GB/s or more on a
// feature-heavy split (20,000 rows × 1,536 floats, 123 MB of features). "pages" decodes every
// page of the same file with parquet-go (levels and values, no Clips); "interleaved" alternates
// the two op by op and reports readsplit/pages, the ratio of their median op times (1 would be
// ReadSplit at the speed of decoding alone), as the figure to trust on a shared machine. MB/s
// counts the file's bytes.
//
//	go test -run '^$' -bench ReadSplitFeatures -benchtime 10x ./datasets/
func BenchmarkReadSplitFeatures(b *testing.B) {
	const rows = 20000
	path := filepath.Join(b.TempDir(), "features.parquet")
	if err := WriteSplit(path, featureSplit(rows)); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	read := func() {
		s, err := ReadSplit(path)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Clips) != rows || len(s.Clips[rows-1].Features["video"]) != 1024 {
			b.Fatalf("%d rows", len(s.Clips))
		}
	}
	pages := func() { decodePages(b, path) }
	runtime.GC()
	b.Run("readsplit", func(b *testing.B) {
		b.SetBytes(st.Size())
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			read()
		}
		b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
	})
	runtime.GC()
	b.Run("pages", func(b *testing.B) {
		b.SetBytes(st.Size())
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			pages()
		}
		b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
	})
	b.Run("interleaved", func(b *testing.B) {
		var times [2][]time.Duration // [0] ReadSplit, [1] pages
		loops := [2]func(){read, pages}
		for i := 0; b.Loop(); i++ {
			for k := range 2 {
				which := (i + k) % 2
				t0 := time.Now()
				loops[which]()
				times[which] = append(times[which], time.Since(t0))
			}
		}
		mb := float64(st.Size()) / 1e6
		b.ReportMetric(mb/medianDuration(times[0]).Seconds(), "readsplit-MB/s")
		b.ReportMetric(mb/medianDuration(times[1]).Seconds(), "pages-MB/s")
		b.ReportMetric(medianDuration(times[1]).Seconds()/medianDuration(times[0]).Seconds(), "readsplit/pages")
	})
}

// decodePages reads every page of every column of the file and decodes its levels and values,
// as the least any reader must do: the reference ReadSplit is measured against.
func decodePages(tb testing.TB, path string) {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		tb.Fatal(err)
	}
	var n int64
	for _, rg := range pf.RowGroups() {
		for _, chunk := range rg.ColumnChunks() {
			pages := chunk.Pages()
			for {
				p, err := pages.ReadPage()
				if err == io.EOF {
					break
				}
				if err != nil {
					tb.Fatal(err)
				}
				n += int64(len(p.DefinitionLevels()) + len(p.RepetitionLevels()))
				values := p.Data()
				n += values.Size()
				parquet.Release(p)
			}
			pages.Close()
		}
	}
	if n == 0 {
		tb.Fatal("no values")
	}
}

func medianDuration(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}
