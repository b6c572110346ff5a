package datasets

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// cpuTime is the process's user+system CPU time so far. Benchmarks report it per operation
// besides wall time, which a shared machine makes noisy.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRate reports rows/s of wall time and CPU milliseconds per operation.
func reportRate(b *testing.B, start time.Duration, rowsPerOp int) {
	cpu := cpuTime() - start
	b.ReportMetric(float64(b.N*rowsPerOp)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// benchSplit is the size the brief names: 11,697 rows (DFEW's single-labelled clips, fold
// by fold) with two 128-float feature columns.
func benchSplit(b *testing.B) *Split {
	s, err := Synth(SynthOptions{Dataset: "dfew", Seed: 1,
		Features: map[string]FeatureSpec{"video": {Dim: 128, Informativeness: 1}, "audio": {Dim: 128, Informativeness: 1}}})
	if err != nil {
		b.Fatal(err)
	}
	s.Clips = s.Select(nil, Test) // each clip once: 11,697 rows
	return s
}

func BenchmarkReadSplit(b *testing.B) {
	s := benchSplit(b)
	path := filepath.Join(b.TempDir(), "splits.parquet")
	if err := WriteSplit(path, s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		got, err := ReadSplit(path)
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Clips) != 11697 {
			b.Fatalf("%d rows", len(got.Clips))
		}
	}
	reportRate(b, start, len(s.Clips))
}

// reflectedRow is a split row for parquet-go's reflection reader, the baseline ReadSplit's
// page-level reading is measured against.
type reflectedRow struct {
	Dataset    string    `parquet:"dataset"`
	ClipID     string    `parquet:"clip_id"`
	Fold       int32     `parquet:"fold"`
	Split      string    `parquet:"split"`
	Label      string    `parquet:"label"`
	LabelID    int32     `parquet:"label_id"`
	VideoPath  string    `parquet:"video_path,optional"`
	AudioPath  string    `parquet:"audio_path,optional"`
	Transcript string    `parquet:"transcript,optional"`
	Audio      []float32 `parquet:"feat_audio,list"`
	Video      []float32 `parquet:"feat_video,list"`
}

func BenchmarkReadSplitReflectionBaseline(b *testing.B) {
	s := benchSplit(b)
	path := filepath.Join(b.TempDir(), "splits.parquet")
	if err := WriteSplit(path, s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		st, _ := f.Stat()
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			b.Fatal(err)
		}
		r := parquet.NewGenericReader[reflectedRow](pf)
		rows := make([]reflectedRow, pf.NumRows())
		n, err := r.Read(rows)
		if n != len(s.Clips) || len(rows[n-1].Video) != 128 {
			b.Fatalf("%d rows, %v", n, err)
		}
		r.Close()
		f.Close()
	}
	reportRate(b, start, len(s.Clips))
}

func BenchmarkWriteSplit(b *testing.B) {
	s := benchSplit(b)
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		var buf bytes.Buffer
		if err := EncodeSplit(&buf, s); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, start, len(s.Clips))
}

func BenchmarkSynth(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts SynthOptions
	}{
		{"dfew", SynthOptions{Dataset: "dfew", Seed: 1}},
		{"dfew-features-2x128", SynthOptions{Dataset: "dfew", Seed: 1,
			Features: map[string]FeatureSpec{"video": {Dim: 128, Informativeness: 1}, "audio": {Dim: 128, Informativeness: 1}}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			rows := 0
			for b.Loop() {
				s, err := Synth(bc.opts)
				if err != nil {
					b.Fatal(err)
				}
				rows = len(s.Clips)
			}
			reportRate(b, start, rows)
		})
	}
}

func BenchmarkInspect(b *testing.B) {
	s, err := Synth(SynthOptions{Dataset: "dfew", Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		Inspect(s)
	}
	reportRate(b, start, len(s.Clips))
}
