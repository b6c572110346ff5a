//go:build linux

package onnx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// The GPU check (scripts/gpu-check.sh, make gpu-check) runs TestGPUCheck from a test binary built
// with `go test -c`, so that a GPU machine without Go can run it. It is skipped unless
// EMOEVAL_GPU_CHECK is set: 1 checks what the machine allows (without a GPU: the CPU path and the
// device errors), require fails without a usable GPU.
//
// On a GPU, for a small model (linear, 1536 → 7) and a large one (an MLP 1536 → 8704 → 8704 → 7,
// 89M parameters): predictions on cuda:0 (TF32 on, ONNX Runtime's default, and off), cpu and auto
// agree within tolerance; rows/s of the backend and of a bare onnxruntime_go loop over the same
// model, batch (64, 1024) and device, interleaved, and their ratio; the device errors a GPU
// machine can produce (a device number out of range, no visible GPU).
//
// EMOEVAL_GPU_CHECK_DIR, when set, receives the two models (small.onnx, large.onnx, for the
// script's end-to-end runs) and gpu-check.json, the figures.
const (
	// Agreement with the CPU. TF32 rounds matrix inputs to 10 mantissa bits: on an H200 it
	// moved probabilities by up to 2.5e-3 and changed 0–0.05% of predictions.
	tf32MaxDiff, tf32MinAgree = 2e-2, 0.99
	fp32MaxDiff, fp32MinAgree = 1e-3, 0.999
)

// gpuModel is a model of the check with the clips it runs on.
type gpuModel struct {
	Name   string `json:"name"`
	Desc   string `json:"desc"`
	Params int64  `json:"params"`
	Rows   int    `json:"rows"`
	bm     benchModel
}

// gpuReport is gpu-check.json.
type gpuReport struct {
	ORTVersion string        `json:"ort_version"`
	Library    string        `json:"library"`
	GPU        bool          `json:"gpu"`
	GPUs       int           `json:"gpus"`
	NoGPU      string        `json:"no_gpu,omitempty"` // why, when there is none
	Models     []gpuModel    `json:"models"`
	Agreement  []gpuAgree    `json:"agreement,omitempty"`
	Speed      []gpuSpeed    `json:"speed,omitempty"`
	Errors     []string      `json:"device_errors"`
	Took       time.Duration `json:"took_ns"`
}

type gpuAgree struct {
	Model   string  `json:"model"`
	What    string  `json:"what"` // e.g. "cuda:0 (tf32) vs cpu"
	Agree   float64 `json:"agree"`
	MaxDiff float64 `json:"max_diff"`
}

type gpuSpeed struct {
	Model       string  `json:"model"`
	Device      string  `json:"device"`
	Batch       int     `json:"batch"`
	BackendRate float64 `json:"backend_rows_per_s"`
	BareRate    float64 `json:"bare_rows_per_s"`
	Ratio       float64 `json:"backend_over_bare"`
}

func TestGPUCheck(t *testing.T) {
	mode := os.Getenv("EMOEVAL_GPU_CHECK")
	switch mode {
	case "":
		t.Skip("the GPU check: set EMOEVAL_GPU_CHECK=1 (scripts/gpu-check.sh does)")
	case "child-no-visible-gpu":
		gpuCheckNoVisibleGPU()
		return
	}
	start := time.Now()
	rt := onnxtest.Runtime(t)
	dir := os.Getenv("EMOEVAL_GPU_CHECK_DIR")
	rep := &gpuReport{ORTVersion: rt.Version(), Library: rt.Path(), GPUs: -1}
	defer func() {
		rep.Took = time.Since(start)
		if dir != "" {
			b, _ := json.MarshalIndent(rep, "", "  ")
			if err := os.WriteFile(filepath.Join(dir, "gpu-check.json"), b, 0o644); err != nil {
				t.Error(err)
			}
		}
	}()
	say := func(format string, args ...any) { fmt.Printf("gpu-check: "+format+"\n", args...) }

	small := gpuModel{Name: "small", Desc: "linear 1024+512 → 7", Rows: 1 << 16, bm: linearBenchModel(1024, 512)}
	small.Params = (1024+512)*benchClasses + benchClasses
	models := []gpuModel{small}
	rep.Models = models
	say("ONNX Runtime %s from %s", rt.Version(), rt.Path())

	// Is there a GPU ONNX Runtime can use?
	probe, err := Open(context.Background(), small.config(rt, ortenv.CUDADevice(0), 0))
	if err != nil {
		var de *ortenv.DeviceError
		if !errors.As(err, &de) {
			t.Fatalf("cuda:0: %v (%T), want an *ortenv.DeviceError", err, err)
		}
		rep.NoGPU = de.Reason()
		say("no usable GPU: %s", de.Reason())
		if mode == "require" {
			t.Fatal("EMOEVAL_GPU_CHECK=require and no usable GPU")
		}
		gpuCheckErrors(t, rt, small, rep, say)
		gpuCheckCPU(t, rt, small, rep, say)
		if dir != "" {
			writeModel(t, dir, small)
		}
		say("no GPU: checked the CPU path and the device errors")
		return
	}
	probe.Close()
	rep.GPU = true

	spec := mlpSpec(1024, 512, 8704, 8704)
	large := gpuModel{Name: "large", Desc: "MLP 1024+512 → 8704 → 8704 → 7", Params: spec.Params(), Rows: 1 << 13}
	t0 := time.Now()
	large.bm = mlpBenchModel(1024, 512, 8704, 8704)
	say("built the large model: %d parameters, %d MB, in %v", large.Params, len(large.bm.data)>>20, time.Since(t0).Round(time.Millisecond))
	models = append(models, large)
	rep.Models = models
	if dir != "" {
		for _, m := range models {
			writeModel(t, dir, m)
		}
	}
	gpuCheckErrors(t, rt, small, rep, say)
	for _, m := range models {
		gpuCheckAgreement(t, rt, m, rep, say)
	}
	for _, m := range models {
		clips := m.bm.clips(m.Rows, 3)
		for _, batch := range []int{64, 1024} {
			gpuCheckSpeed(t, rt, m, clips, ortenv.CUDADevice(0), batch, rep, say)
		}
		if m.Name == "small" {
			gpuCheckSpeed(t, rt, m, clips, ortenv.CPUDevice(), 64, rep, say)
		}
	}
	say("done in %v", time.Since(start).Round(time.Second))
}

func (m gpuModel) config(rt *ortenv.Runtime, dev ortenv.Device, batch int) Config {
	return Config{Name: m.Name, ONNX: m.bm.data, Device: dev, Inputs: map[string]string{"video": "video", "audio": "audio"},
		BatchSize: batch, Labels: benchLabels(), Runtime: rt}
}

func writeModel(t *testing.T, dir string, m gpuModel) {
	if err := os.WriteFile(filepath.Join(dir, m.Name+".onnx"), m.bm.data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// gpuCheckCPU checks the CPU path on a machine without a usable GPU: auto runs on the CPU, says
// why, and predicts what cpu predicts.
func gpuCheckCPU(t *testing.T, rt *ortenv.Runtime, m gpuModel, rep *gpuReport, say func(string, ...any)) {
	clips := m.bm.clips(4096, 5)
	cpu, err := Open(context.Background(), m.config(rt, ortenv.CPUDevice(), 0))
	if err != nil {
		t.Fatal(err)
	}
	defer cpu.Close()
	auto, err := Open(context.Background(), m.config(rt, ortenv.AutoDevice(), 0))
	if err != nil {
		t.Fatal(err)
	}
	defer auto.Close()
	if info := auto.Info(); info.Device != ortenv.CPUDevice() || info.Fallback == "" {
		t.Errorf("auto: %+v, want the CPU with the reason", info)
	}
	a, b := predictAll(t, cpu, clips), predictAll(t, auto, clips)
	agree, diff := compareProbs(a, b, cpu.Classes())
	rep.Agreement = append(rep.Agreement, gpuAgree{m.Name, "auto (cpu) vs cpu", agree, diff})
	if agree != 1 || diff != 0 {
		t.Errorf("auto on the CPU and cpu differ: agreement %v, max diff %v", agree, diff)
	}
	t0 := time.Now()
	predictAll(t, cpu, clips)
	say("cpu: %s model, %d threads, batch %d: %.0f rows/s; auto = cpu: %d clips identical",
		m.Name, cpu.Info().Threads, cpu.BatchSize(), float64(len(clips))/time.Since(t0).Seconds(), len(clips))
}

// gpuCheckErrors checks the device errors this machine can produce: on any machine a CUDA
// device that is not there; on a GPU machine also no visible GPU (CUDA_VISIBLE_DEVICES="", in a
// child process, since CUDA reads it once).
func gpuCheckErrors(t *testing.T, rt *ortenv.Runtime, m gpuModel, rep *gpuReport, say func(string, ...any)) {
	check := func(dev ortenv.Device, want ortenv.DeviceCause) *ortenv.DeviceError {
		mod, err := Open(context.Background(), m.config(rt, dev, 0))
		if err == nil {
			mod.Close()
			t.Errorf("%s opened", dev)
			return nil
		}
		var de *ortenv.DeviceError
		msg := err.Error()
		switch {
		case !errors.As(err, &de):
			t.Errorf("%s: %v (%T), want an *ortenv.DeviceError", dev, err, err)
		case want != ortenv.CauseOther && de.Cause != want:
			t.Errorf("%s: cause %s, want %s: %v", dev, de.Cause, want, err)
		case strings.Contains(msg, "onnxruntime_src") || strings.Contains(msg, "[ONNXRuntimeError]") || strings.Contains(msg, "hostname="):
			t.Errorf("%s: the error keeps ONNX Runtime's internals: %v", dev, err)
		}
		rep.Errors = append(rep.Errors, msg)
		say("%s: %v", dev, err)
		return de
	}
	if !rep.GPU {
		// Whatever the cause (no provider, its libraries, no GPU), the message names it.
		check(ortenv.CUDADevice(0), ortenv.CauseOther)
		check(ortenv.CUDADevice(64), ortenv.CauseOther)
		return
	}
	if de := check(ortenv.CUDADevice(64), ortenv.CauseNoSuchDevice); de != nil {
		rep.GPUs = de.GPUs
		if de.GPUs < 1 {
			t.Errorf("cuda:64: the number of GPUs is unknown: %v", de)
		} else {
			check(ortenv.CUDADevice(de.GPUs), ortenv.CauseNoSuchDevice)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestGPUCheck$")
	cmd.Env = append(os.Environ(), "EMOEVAL_GPU_CHECK=child-no-visible-gpu", "CUDA_VISIBLE_DEVICES=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("child without a visible GPU: %v\n%s", err, out)
		return
	}
	for _, want := range []string{"cuda:0 cause no-gpu:", "auto: cpu:"} {
		line := ""
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, want) {
				line = l
			}
		}
		if line == "" {
			t.Errorf("CUDA_VISIBLE_DEVICES=\"\": no line %q in:\n%s", want, out)
			continue
		}
		rep.Errors = append(rep.Errors, line)
		say("CUDA_VISIBLE_DEVICES=\"\": %s", line)
	}
}

// gpuCheckNoVisibleGPU runs in the child of gpuCheckErrors, with CUDA_VISIBLE_DEVICES="".
func gpuCheckNoVisibleGPU() {
	rt, err := ortenv.Load("")
	if err != nil {
		fmt.Println("load:", err)
		return
	}
	m := gpuModel{Name: "small", bm: linearBenchModel(1024, 512)}
	_, err = Open(context.Background(), m.config(rt, ortenv.CUDADevice(0), 0))
	var de *ortenv.DeviceError
	if errors.As(err, &de) {
		fmt.Printf("cuda:0 cause %s: %v\n", de.Cause, err)
	} else {
		fmt.Printf("cuda:0: %v\n", err)
	}
	auto, err := Open(context.Background(), m.config(rt, ortenv.AutoDevice(), 0))
	if err != nil {
		fmt.Println("auto error:", err)
		return
	}
	defer auto.Close()
	fmt.Printf("auto: %s: %s\n", auto.Device(), strings.Join(ortenv.Notices(map[string]ortenv.SessionInfo{`model "small"`: auto.Info()}), " | "))
}

// gpuCheckAgreement compares predictions on cuda:0 (TF32 on and off), auto and cpu.
func gpuCheckAgreement(t *testing.T, rt *ortenv.Runtime, m gpuModel, rep *gpuReport, say func(string, ...any)) {
	clips := m.bm.clips(min(m.Rows, 8192), 7)
	off := false
	probs := map[string][]float32{}
	var classes int
	for _, run := range []struct {
		name string
		dev  ortenv.Device
		tf32 *bool
	}{{"cuda:0", ortenv.CUDADevice(0), nil}, {"cuda:0 tf32 off", ortenv.CUDADevice(0), &off}, {"auto", ortenv.AutoDevice(), nil}, {"cpu", ortenv.CPUDevice(), nil}} {
		cfg := m.config(rt, run.dev, 0)
		cfg.TF32 = run.tf32
		mod, err := Open(context.Background(), cfg)
		if err != nil {
			t.Fatalf("%s on %s: %v", m.Name, run.name, err)
		}
		info := mod.Info()
		if run.dev.IsAuto() && info.Device != ortenv.CUDADevice(0) {
			t.Errorf("%s: auto runs on %s (%s), want cuda:0", m.Name, info.Device, info.Fallback)
		}
		t0 := time.Now()
		probs[run.name] = predictAll(t, mod, clips)
		say("%s model on %s: %d clips in %v (device %s, tf32 %v, %d threads, batch %d)", m.Name, run.name, len(clips),
			time.Since(t0).Round(time.Millisecond), info.Device, info.TF32, info.Threads, info.BatchSize)
		classes = mod.Classes()
		mod.Close()
	}
	for _, c := range []struct {
		a, b            string
		maxDiff, minAgr float64
	}{
		{"cuda:0", "cpu", tf32MaxDiff, tf32MinAgree},
		{"cuda:0 tf32 off", "cpu", fp32MaxDiff, fp32MinAgree},
		{"auto", "cuda:0", 1e-6, 1},
	} {
		agree, diff := compareProbs(probs[c.a], probs[c.b], classes)
		rep.Agreement = append(rep.Agreement, gpuAgree{m.Name, c.a + " vs " + c.b, agree, diff})
		say("%s model: %s vs %s: predictions agree for %.4f%% of clips, max probability difference %.2g", m.Name, c.a, c.b, 100*agree, diff)
		if agree < c.minAgr || diff > c.maxDiff {
			t.Errorf("%s model: %s vs %s: agreement %v (want ≥ %v), max diff %v (want ≤ %v)", m.Name, c.a, c.b, agree, c.minAgr, diff, c.maxDiff)
		}
	}
}

// gpuCheckSpeed measures the backend against a bare onnxruntime_go loop over the same model,
// batch and device: ops alternate, and the ratio is of median op times.
func gpuCheckSpeed(t *testing.T, rt *ortenv.Runtime, m gpuModel, clips []datasets.Clip, dev ortenv.Device, batch int, rep *gpuReport, say func(string, ...any)) {
	clips = clips[:len(clips)/batch*batch]
	mod, err := Open(context.Background(), m.config(rt, dev, batch))
	if err != nil {
		t.Fatal(err)
	}
	defer mod.Close()
	dst := make([]float32, len(clips)*mod.Classes())
	backend := func() {
		if err := mod.PredictInto(context.Background(), clips, "", dst, nil); err != nil {
			t.Fatal(err)
		}
	}
	bare := newBareLoop(t, m.bm, clips, dev, batch, mod.Info().Threads)
	backend() // warm-up: CUDA kernels, memory arenas
	bare()
	var times [2][]time.Duration
	loops := [2]func(){backend, bare}
	deadline := time.Now().Add(6 * time.Second)
	for i := 0; i < 5 || (i < 25 && time.Now().Before(deadline)); i++ {
		for k := range 2 {
			which := (i + k) % 2
			t0 := time.Now()
			loops[which]()
			times[which] = append(times[which], time.Since(t0))
		}
	}
	s := gpuSpeed{Model: m.Name, Device: dev.String(), Batch: batch,
		BackendRate: float64(len(clips)) / median(times[0]).Seconds(), BareRate: float64(len(clips)) / median(times[1]).Seconds()}
	s.Ratio = s.BackendRate / s.BareRate
	rep.Speed = append(rep.Speed, s)
	say("%s model on %s, batch %d: backend %.0f rows/s, bare onnxruntime_go %.0f rows/s, backend/bare %.3f (%d ops each)",
		m.Name, dev, batch, s.BackendRate, s.BareRate, s.Ratio, len(times[0]))
}

func predictAll(t *testing.T, m *Model, clips []datasets.Clip) []float32 {
	dst := make([]float32, len(clips)*m.Classes())
	if err := m.PredictInto(context.Background(), clips, "", dst, nil); err != nil {
		t.Fatal(err)
	}
	return dst
}

// compareProbs returns the share of rows whose most probable class is the same and the largest
// difference of a probability.
func compareProbs(a, b []float32, classes int) (agree, maxDiff float64) {
	rows, same := len(a)/classes, 0
	for r := range rows {
		ra, rb := a[r*classes:(r+1)*classes], b[r*classes:(r+1)*classes]
		if argmax(ra) == argmax(rb) {
			same++
		}
		for j := range ra {
			maxDiff = math.Max(maxDiff, math.Abs(float64(ra[j])-float64(rb[j])))
		}
	}
	return float64(same) / float64(rows), maxDiff
}

func argmax(row []float32) int {
	best := 0
	for j, v := range row {
		if v > row[best] {
			best = j
		}
	}
	return best
}

// TestGPUCheckPredictions compares the predictions.parquet of the runs in EMOEVAL_GPU_CHECK_RUNS
// (comma-separated run directories; the first is the reference): the script runs one
// configuration on cuda:0, cpu and auto. Every model × variant × clip must be in each run, with
// probabilities within the TF32 tolerance of the reference's.
func TestGPUCheckPredictions(t *testing.T) {
	runs := strings.Split(os.Getenv("EMOEVAL_GPU_CHECK_RUNS"), ",")
	if len(runs) < 2 {
		t.Skip("the GPU check's run comparison: set EMOEVAL_GPU_CHECK_RUNS=dir1,dir2,…")
	}
	type key struct{ model, variant, clip string }
	read := func(dir string) map[key][]float32 {
		rows, err := predictions.ReadPredictions(filepath.Join(dir, "predictions.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		out := map[key][]float32{}
		for _, p := range rows {
			out[key{p.Model, p.Variant, p.ClipID}] = p.Probs
		}
		return out
	}
	ref := read(runs[0])
	if len(ref) == 0 {
		t.Fatalf("%s: no predictions", runs[0])
	}
	for _, dir := range runs[1:] {
		got := read(dir)
		byModel := map[string][2][]float32{}
		for k, p := range ref {
			q, ok := got[k]
			if !ok || len(q) != len(p) {
				t.Fatalf("%s: no probabilities for %v (reference %s has %d)", dir, k, runs[0], len(p))
			}
			pair := byModel[k.model]
			pair[0], pair[1] = append(pair[0], p...), append(pair[1], q...)
			byModel[k.model] = pair
		}
		for _, model := range slices.Sorted(maps.Keys(byModel)) {
			pair := byModel[model]
			agree, diff := compareProbs(pair[0], pair[1], benchClasses)
			fmt.Printf("gpu-check: run %s vs %s, model %s: predictions agree for %.4f%%, max probability difference %.2g\n",
				filepath.Base(dir), filepath.Base(runs[0]), model, 100*agree, diff)
			if agree < tf32MinAgree || diff > tf32MaxDiff {
				t.Errorf("%s vs %s, model %s: agreement %v, max diff %v", dir, runs[0], model, agree, diff)
			}
		}
	}
}

// TestGPUCheckParts runs the GPU check's parts that a CPU can run, so that the check does not
// first fail on the GPU machine: the speed measurement on the CPU, the comparison of
// probabilities, the comparison of runs.
func TestGPUCheckParts(t *testing.T) {
	rt := onnxtest.Runtime(t)
	m := gpuModel{Name: "small", bm: linearBenchModel(64, 32), Rows: 1024}
	rep := &gpuReport{}
	var said []string
	say := func(format string, args ...any) { said = append(said, fmt.Sprintf(format, args...)) }
	gpuCheckSpeed(t, rt, m, m.bm.clips(m.Rows+10, 1), ortenv.CPUDevice(), 64, rep, say)
	if len(rep.Speed) != 1 || rep.Speed[0].Ratio <= 0 || rep.Speed[0].BackendRate <= 0 || len(said) != 1 ||
		!strings.Contains(said[0], "small model on cpu, batch 64: backend ") {
		t.Errorf("speed %+v, said %q", rep.Speed, said)
	}

	a := []float32{0.1, 0.9, 0.6, 0.4, 0.5, 0.5}
	b := []float32{0.2, 0.8, 0.3, 0.7, 0.5, 0.5}
	if agree, diff := compareProbs(a, b, 2); math.Abs(agree-2.0/3) > 1e-9 || math.Abs(diff-0.3) > 1e-6 {
		t.Errorf("compareProbs: %v %v, want 2/3 and 0.3", agree, diff)
	}

	// Runs whose probabilities differ by 1e-3 pass the comparison, by 0.2 they fail it (run in a
	// child, whose failure is the expected result).
	dir := t.TempDir()
	write := func(name string, delta float32) string {
		d := filepath.Join(dir, name)
		w, err := predictions.NewWriter(filepath.Join(d, "predictions.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			p := []float32{0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.3}
			p[0] += delta
			p[6] -= delta
			if err := w.Write(predictions.Prediction{Model: "fusion", Variant: "av", ClipID: fmt.Sprint(i), Probs: p}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return d
	}
	ref, near, far := write("cuda", 0), write("cpu", 1e-3), write("wrong", 0.2)
	for _, tc := range []struct {
		runs string
		ok   bool
	}{{ref + "," + near, true}, {ref + "," + far, false}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestGPUCheckPredictions$", "-test.v")
		cmd.Env = append(os.Environ(), "EMOEVAL_GPU_CHECK_RUNS="+tc.runs)
		out, err := cmd.CombinedOutput()
		if (err == nil) != tc.ok || !strings.Contains(string(out), "gpu-check: run ") {
			t.Errorf("runs %s: %v\n%s", tc.runs, err, out)
		}
	}
}
