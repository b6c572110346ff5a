//go:build linux

package onnx

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/onnxmodel"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// The Issue 3 target: the backend reaches at least 90% of the throughput of a bare
// onnxruntime_go loop over the same model (2 inputs of 128 floats → 7 classes), batch size (64)
// and threads (1). All in one go:
//
//	go test -run '^$' -bench PredictVsBare ./eval/backend/onnx/
//
// Both loops do the same essential work per batch: copy the clips' feature vectors from their
// feature maps into the input tensors, run, copy the probabilities out into storage reused across
// ops. "backend" is PredictInto (which also checks that each row is a probability
// distribution, as output_kind auto requires); "predict" is PredictClips, which allocates its
// result.
//
// "interleaved" alternates the backend and bare loops op by op on one locked OS thread (ONNX
// Runtime runs a single-threaded session on the calling thread) and reports backend/bare, the
// ratio of their median op times, by wall time and by the thread's CPU time; on a shared machine
// they are the figures to trust, since both loops see the same load and medians ignore the ops
// another process interrupted.
const (
	benchDim     = 128
	benchBatch   = 64
	benchClips   = 1024 // 16 batches per op
	benchClasses = 7
)

func BenchmarkPredictVsBare(b *testing.B) {
	rt := onnxtest.Runtime(b)
	bm := linearBenchModel(benchDim, benchDim)
	clips := bm.clips(benchClips, 1)
	m := bm.open(b, rt, ortenv.CPUDevice(), benchBatch, 1)
	dst := make([]float32, len(clips)*m.Classes())
	ctx := context.Background()
	backend := func() {
		if err := m.PredictInto(ctx, clips, "", dst, nil); err != nil {
			b.Fatal(err)
		}
	}
	bare := newBareLoop(b, bm, clips, ortenv.CPUDevice(), benchBatch, 1)

	b.Run("backend", func(b *testing.B) {
		cpu := processCPU()
		for b.Loop() {
			backend()
		}
		reportRates(b, len(clips), processCPU()-cpu)
	})
	b.Run("predict", func(b *testing.B) {
		cpu := processCPU()
		for b.Loop() {
			if _, err := m.PredictClips(ctx, clips, ""); err != nil {
				b.Fatal(err)
			}
		}
		reportRates(b, len(clips), processCPU()-cpu)
	})
	b.Run("bare", func(b *testing.B) {
		cpu := processCPU()
		for b.Loop() {
			bare()
		}
		reportRates(b, len(clips), processCPU()-cpu)
	})
	b.Run("interleaved", func(b *testing.B) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		var wall, cpu [2][]time.Duration // [0] backend, [1] bare
		loops := [2]func(){backend, bare}
		for i := 0; b.Loop(); i++ {
			for k := range 2 {
				which := (i + k) % 2 // alternate which loop goes first
				t0, c0 := time.Now(), threadCPU()
				loops[which]()
				cpu[which] = append(cpu[which], threadCPU()-c0)
				wall[which] = append(wall[which], time.Since(t0))
			}
		}
		b.ReportMetric(median(wall[1]).Seconds()/median(wall[0]).Seconds(), "backend/bare")
		b.ReportMetric(median(cpu[1]).Seconds()/median(cpu[0]).Seconds(), "backend/bare-cpu")
	})
}

// BenchmarkThreads measures whether more intra-op threads help: the demo's model (a linear
// classifier over 2 inputs of 32 features → 7 classes), a linear one over 1024 + 512 features,
// and an MLP over those (1536 → 1024 → 7, 1.6M parameters), at batch 64. Ops of each thread
// count alternate, and threads=N/threads=1 is the ratio of median op times (above 1: N threads
// are faster); N is what the machine offers (GOMAXPROCS, the default of threads: 0).
//
//	go test -run '^$' -bench Threads -benchtime 100x ./eval/backend/onnx/
func BenchmarkThreads(b *testing.B) {
	rt := onnxtest.Runtime(b)
	for _, bc := range []struct {
		name string
		bm   benchModel
	}{
		{"demo-linear-2x32", linearBenchModel(32, 32)},
		{"linear-1024+512", linearBenchModel(1024, 512)},
		{"mlp-1536-1024", mlpBenchModel(1024, 512, 1024)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bm := bc.bm
			clips := bm.clips(1024, 2)
			counts := []int{1, ortenv.DefaultThreads()}
			if counts[1] == 1 {
				counts[1] = 2 // still measure two threads on a one-CPU machine
			}
			loops := make([]func(), len(counts))
			for i, n := range counts {
				m := bm.open(b, rt, ortenv.CPUDevice(), benchBatch, n)
				dst := make([]float32, len(clips)*m.Classes())
				loops[i] = func() {
					if err := m.PredictInto(context.Background(), clips, "", dst, nil); err != nil {
						b.Fatal(err)
					}
				}
			}
			wall := make([][]time.Duration, len(counts))
			for i := 0; b.Loop(); i++ {
				for k := range loops {
					which := (i + k) % len(loops)
					t0 := time.Now()
					loops[which]()
					wall[which] = append(wall[which], time.Since(t0))
				}
			}
			b.ReportMetric(float64(len(clips))/median(wall[0]).Seconds(), "rows/s-1thread")
			b.ReportMetric(float64(len(clips))/median(wall[1]).Seconds(), "rows/s-"+strconv.Itoa(counts[1])+"threads")
			b.ReportMetric(median(wall[0]).Seconds()/median(wall[1]).Seconds(), "threads="+strconv.Itoa(counts[1])+"/threads=1")
		})
	}
}

// benchModel is a linear classifier over a video and an audio input, with inputs named after
// their modalities, and the data to run it.
type benchModel struct {
	data   []byte
	inputs []onnxmodel.Input
	output string
}

func linearBenchModel(video, audio int) benchModel {
	in := []onnxmodel.Input{{Name: "video", Dim: video}, {Name: "audio", Dim: audio}}
	w, bias := onnxmodel.RandomWeights(in, benchClasses, 1)
	return benchModel{data: onnxmodel.Classifier(in, benchClasses, w, bias, true), inputs: in, output: "probs"}
}

// mlpBenchModel is an MLP over a video and an audio input (onnxmodel.MLPSpec).
func mlpBenchModel(video, audio int, hidden ...int) benchModel {
	spec := mlpSpec(video, audio, hidden...)
	return benchModel{data: spec.Build(), inputs: spec.Inputs, output: "probs"}
}

func mlpSpec(video, audio int, hidden ...int) onnxmodel.MLPSpec {
	in := []onnxmodel.Input{{Name: "video", Dim: video}, {Name: "audio", Dim: audio}}
	return onnxmodel.MLPSpec{Inputs: in, Hidden: hidden, Classes: benchClasses, Softmax: true, Seed: 1}
}

// benchLabels is the label set of the bench models' classes.
func benchLabels() *datasets.LabelSet { return datasets.DFEW() }

// clips returns n clips with normally distributed features for every input.
func (bm benchModel) clips(n int, seed uint64) []datasets.Clip {
	r := rand.New(rand.NewPCG(seed, 2))
	clips := make([]datasets.Clip, n)
	labels := datasets.DFEW().Labels
	for i := range clips {
		f := make(map[string][]float32, len(bm.inputs))
		for _, in := range bm.inputs {
			v := make([]float32, in.Dim)
			for k := range v {
				v[k] = float32(r.NormFloat64())
			}
			f[in.Name] = v
		}
		clips[i] = datasets.Clip{Dataset: "dfew", ClipID: fmt.Sprintf("%05d", i+1), Label: labels[i%len(labels)], Features: f}
	}
	return clips
}

// open opens the model through the backend.
func (bm benchModel) open(tb testing.TB, rt *ortenv.Runtime, dev ortenv.Device, batch, threads int) *Model {
	inputs := map[string]string{}
	for _, in := range bm.inputs {
		inputs[in.Name] = in.Name
	}
	m, err := Open(context.Background(), Config{
		Name: "bench", ONNX: bm.data, Device: dev, Inputs: inputs,
		BatchSize: batch, Threads: threads, Labels: benchLabels(), Runtime: rt,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return m
}

// newBareLoop returns one op of the plainest onnxruntime_go loop doing the same work, on the same
// device with the same threads: an AdvancedSession with bound, reused tensors; per batch, copy
// the clips' features in, run, copy the probabilities out. len(clips) must be a multiple of
// batch.
func newBareLoop(tb testing.TB, bm benchModel, clips []datasets.Clip, dev ortenv.Device, batch, threads int) func() {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		tb.Fatal(err)
	}
	defer opts.Destroy()
	opts.SetIntraOpNumThreads(threads)
	opts.SetInterOpNumThreads(1)
	if id, cuda := dev.CUDA(); cuda {
		cudaOpts, err := ort.NewCUDAProviderOptions()
		if err != nil {
			tb.Fatal(err)
		}
		defer cudaOpts.Destroy()
		if err := cudaOpts.Update(map[string]string{"device_id": strconv.Itoa(id)}); err != nil {
			tb.Fatal(err)
		}
		if err := opts.AppendExecutionProviderCUDA(cudaOpts); err != nil {
			tb.Fatal(err)
		}
	}
	var (
		values []ort.Value
		bufs   [][]float32
		names  []string
	)
	for _, in := range bm.inputs {
		t, err := ort.NewEmptyTensor[float32](ort.NewShape(int64(batch), int64(in.Dim)))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { t.Destroy() })
		values, bufs, names = append(values, t), append(bufs, t.GetData()), append(names, in.Name)
	}
	probs, err := ort.NewEmptyTensor[float32](ort.NewShape(int64(batch), benchClasses))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { probs.Destroy() })
	s, err := ort.NewAdvancedSessionWithONNXData(bm.data, names, []string{bm.output}, values, []ort.Value{probs}, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Destroy() })
	out := make([]float32, len(clips)*benchClasses)
	pd := probs.GetData()
	return func() {
		for start := 0; start < len(clips); start += batch {
			for r, c := range clips[start : start+batch] {
				for k, in := range bm.inputs {
					copy(bufs[k][r*in.Dim:], c.Features[in.Name])
				}
			}
			if err := s.Run(); err != nil {
				tb.Fatal(err)
			}
			copy(out[start*benchClasses:], pd)
		}
	}
}

// reportRates reports rows per second of wall time and of process CPU time (other processes
// stretch wall time more than CPU time).
func reportRates(b *testing.B, rowsPerOp int, cpu time.Duration) {
	rows := float64(b.N * rowsPerOp)
	b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(rows/cpu.Seconds(), "rows/cpu-s")
}

// threadCPU is the CPU time of the calling OS thread (lock the goroutine to it).
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// processCPU is the user and system CPU time the process has used (GC included).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}
