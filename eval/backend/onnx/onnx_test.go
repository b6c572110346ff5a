package onnx

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/onnxmodel"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/internal/ortenv"
)

var avInputs = []onnxmodel.Input{{Name: "video_in", Dim: 6}, {Name: "audio_in", Dim: 4}}

// tinyModel is a 2-input, 7-class linear model and its weights.
type tinyModel struct {
	w [][]float32
	b []float32
}

func newTinyModel(seed uint64) tinyModel {
	w, b := onnxmodel.RandomWeights(avInputs, 7, seed)
	// Bigger weights than RandomWeights' keep the probabilities far from uniform.
	for _, m := range w {
		for i := range m {
			m[i] *= 10
		}
	}
	return tinyModel{w: w, b: b}
}

func (tm tinyModel) onnx(softmax bool, batch int) []byte {
	return onnxmodel.ClassifierSpec{Inputs: avInputs, Classes: 7, W: tm.w, B: tm.b, Softmax: softmax, Batch: batch}.Build()
}

// want is the plain Go computation of the model: softmax(Σ x_i·W_i + b), with the modality
// named by ablate read as zeros.
func (tm tinyModel) want(c datasets.Clip, ablate string) []float64 {
	logits := make([]float64, 7)
	for j := range logits {
		logits[j] = float64(tm.b[j])
	}
	for i, in := range avInputs {
		mod := strings.TrimSuffix(in.Name, "_in")
		if mod == ablate {
			continue
		}
		x := c.Features[mod]
		for k := 0; k < in.Dim; k++ {
			for j := 0; j < 7; j++ {
				logits[j] += float64(x[k]) * float64(tm.w[i][k*7+j])
			}
		}
	}
	hi := math.Inf(-1)
	for _, v := range logits {
		hi = math.Max(hi, v)
	}
	var sum float64
	for j, v := range logits {
		logits[j] = math.Exp(v - hi)
		sum += logits[j]
	}
	for j := range logits {
		logits[j] /= sum
	}
	return logits
}

func makeClips(n int, seed uint64) []datasets.Clip {
	r := rand.New(rand.NewPCG(seed, 7))
	clips := make([]datasets.Clip, n)
	for i := range clips {
		f := map[string][]float32{"video": make([]float32, 6), "audio": make([]float32, 4)}
		for _, v := range f {
			for k := range v {
				v[k] = float32(r.NormFloat64())
			}
		}
		clips[i] = datasets.Clip{Dataset: "dfew", ClipID: fmt.Sprintf("%05d", i+1), Label: "happy", Features: f}
	}
	return clips
}

func baseConfig(t testing.TB, data []byte) Config {
	return Config{
		Name:    "fusion",
		ONNX:    data,
		Device:  ortenv.CPUDevice(),
		Inputs:  map[string]string{"video_in": "feat_video", "audio_in": "audio"},
		Labels:  datasets.DFEW(),
		Runtime: onnxtest.Runtime(t),
	}
}

func open(t testing.TB, cfg Config) *Model {
	t.Helper()
	m, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func assertProbs(t *testing.T, tm tinyModel, clips []datasets.Clip, got [][]float32, ablate string) {
	t.Helper()
	if len(got) != len(clips) {
		t.Fatalf("got %d rows for %d clips", len(got), len(clips))
	}
	for i, c := range clips {
		want := tm.want(c, ablate)
		if len(got[i]) != len(want) {
			t.Fatalf("clip %s: %d probabilities, want %d", c.ClipID, len(got[i]), len(want))
		}
		for j := range want {
			if d := math.Abs(float64(got[i][j]) - want[j]); d > 1e-5 {
				t.Fatalf("clip %s class %d: got %v, want %v (diff %.2g)", c.ClipID, j, got[i][j], want[j], d)
			}
		}
	}
}

func TestPredictEqualsGoComputation(t *testing.T) {
	tm := newTinyModel(3)
	clips := makeClips(10, 1)
	tests := []struct {
		name    string
		softmax bool // the model ends in Softmax
		kind    string
		batch   int // Config.BatchSize
		fixed   int // the model's own batch dimension; 0 dynamic
	}{
		{"probs model, probs", true, OutputProbs, 64, 0},
		{"probs model, auto", true, OutputAuto, 64, 0},
		{"logits model, logits", false, OutputLogits, 64, 0},
		{"logits model, auto", false, OutputAuto, 64, 0},
		{"batch 1", false, OutputLogits, 1, 0},
		{"batch 3, short last batch", false, OutputLogits, 3, 0},
		{"batch 5, exact batches", true, OutputProbs, 5, 0},
		{"fixed batch 4, padded last batch", false, OutputLogits, 0, 4},
		{"fixed batch 16, one padded batch", true, OutputAuto, 2, 16},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig(t, tm.onnx(tc.softmax, tc.fixed))
			cfg.OutputKind, cfg.BatchSize = tc.kind, tc.batch
			m := open(t, cfg)
			if tc.fixed > 0 && m.BatchSize() != tc.fixed {
				t.Errorf("batch size %d, want the model's fixed %d", m.BatchSize(), tc.fixed)
			}
			for _, ablate := range []string{"", "video", "audio"} {
				got, err := m.PredictClips(context.Background(), clips, ablate)
				if err != nil {
					t.Fatal(err)
				}
				assertProbs(t, tm, clips, got, ablate)
			}
		})
	}
}

func TestAblation(t *testing.T) {
	tm := newTinyModel(4)
	clips := makeClips(9, 2)
	m := open(t, baseConfig(t, tm.onnx(false, 0)))
	res, err := m.Ablation(context.Background(), clips, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(clips) {
		t.Fatalf("%d results for %d clips", len(res), len(clips))
	}
	for i, r := range res {
		if r.ClipID != clips[i].ClipID {
			t.Errorf("result %d is clip %s, want %s", i, r.ClipID, clips[i].ClipID)
		}
	}
	pick := func(f func(AblationResult) []float32) [][]float32 {
		out := make([][]float32, len(res))
		for i, r := range res {
			out[i] = f(r)
		}
		return out
	}
	assertProbs(t, tm, clips, pick(func(r AblationResult) []float32 { return r.Probs }), "")
	assertProbs(t, tm, clips, pick(func(r AblationResult) []float32 { return r.NoVideo }), "video")
	assertProbs(t, tm, clips, pick(func(r AblationResult) []float32 { return r.NoAudio }), "audio")
}

func TestAblationNeedsBothModalities(t *testing.T) {
	in := []onnxmodel.Input{{Name: "x", Dim: 6}}
	w, b := onnxmodel.RandomWeights(in, 7, 1)
	cfg := baseConfig(t, onnxmodel.Classifier(in, 7, w, b, true))
	cfg.Inputs = map[string]string{"x": "video"}
	m := open(t, cfg)
	_, err := m.Ablation(context.Background(), makeClips(2, 1), nil)
	if err == nil || !strings.Contains(err.Error(), "feat_audio") {
		t.Errorf("got %v, want an error naming feat_audio", err)
	}
	if _, err := m.PredictClips(context.Background(), makeClips(2, 1), "audio"); err == nil || !strings.Contains(err.Error(), "cannot zero the audio inputs") {
		t.Errorf("ablating a modality the model does not read: got %v", err)
	}
}

// TestOpenRejectsBadSetUps checks that each bad set-up fails in Open, before any work, with a
// message that says what to change.
func TestOpenRejectsBadSetUps(t *testing.T) {
	tm := newTinyModel(1)
	twoOutputs := onnxmodel.Classifier(avInputs, 7, tm.w, tm.b, true) // one output; see "wrong output name"
	tests := []struct {
		name   string
		change func(*Config)
		want   []string
		input  bool // an *inputerr.Error (exit 2)
	}{
		{"wrong input name", func(c *Config) { c.Inputs = map[string]string{"video": "video", "audio_in": "audio"} },
			[]string{`no input "video"`, "video_in [? 6] float, audio_in [? 4] float"}, true},
		{"unmapped model input", func(c *Config) { c.Inputs = map[string]string{"video_in": "video"} },
			[]string{`model input "audio_in" is not mapped`}, true},
		{"wrong output name", func(c *Config) { c.ONNX, c.Output = twoOutputs, "logits" },
			[]string{`no output "logits"`, "probs [? 7] float"}, true},
		{"output width is not the label count", func(c *Config) { c.Labels = datasets.MAFW() },
			[]string{"7 columns", "mafw has 11 labels"}, true},
		{"no labels", func(c *Config) { c.Labels = nil }, []string{"no label set"}, true},
		{"no inputs", func(c *Config) { c.Inputs = nil }, []string{"map each ONNX input"}, true},
		{"bad output kind", func(c *Config) { c.OutputKind = "scores" }, []string{`"scores": use probs, logits or auto`}, true},
		{"negative batch size", func(c *Config) { c.BatchSize = -1 }, []string{"batch_size", "-1: must be at least 1, or 0"}, true},
		{"negative threads", func(c *Config) { c.Threads = -2 }, []string{"threads", "-2: must be at least 1, or 0"}, true},
		{"missing file", func(c *Config) { c.ONNX, c.Path = nil, "/nonexistent/fusion.onnx" }, []string{"/nonexistent/fusion.onnx", "no such file"}, true},
		{"not an ONNX model", func(c *Config) { c.ONNX = []byte("this is not protobuf") }, []string{"not a usable ONNX model"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig(t, tm.onnx(true, 0))
			tc.change(&cfg)
			m, err := Open(context.Background(), cfg)
			if err == nil {
				m.Close()
				t.Fatal("Open succeeded")
			}
			t.Log(err)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if inputerr.Is(err) != tc.input {
				t.Errorf("inputerr.Is = %v, want %v (%v)", inputerr.Is(err), tc.input, err)
			}
		})
	}
}

func TestCheckSplit(t *testing.T) {
	m := open(t, baseConfig(t, newTinyModel(1).onnx(true, 0)))
	good := makeClips(4, 1)
	short := makeClips(4, 1)
	short[2].Features["audio"] = short[2].Features["audio"][:3]
	nonFinite := func(modality string, i int, v float32) []datasets.Clip {
		clips := makeClips(4, 1)
		clips[i].Features[modality][1] = v
		return clips
	}
	noAudio := makeClips(3, 1)
	for i := range noAudio {
		delete(noAudio[i].Features, "audio")
	}
	tests := []struct {
		name  string
		split *datasets.Split
		want  []string
		row   int
	}{
		{"good", &datasets.Split{Labels: datasets.DFEW(), Clips: good}, nil, 0},
		{"dim mismatch", &datasets.Split{Clips: short}, []string{"clip 00003", "feat_audio has 3 values", `input "audio_in" takes 4`}, 3},
		{"NaN", &datasets.Split{Clips: nonFinite("audio", 1, float32(math.NaN()))}, []string{"feat_audio", "clip 00002", "value 2 of 4 is NaN"}, 2},
		{"+Inf", &datasets.Split{Clips: nonFinite("video", 3, float32(math.Inf(1)))}, []string{"feat_video", "clip 00004", "value 2 of 6 is +Inf"}, 4},
		{"-Inf", &datasets.Split{Clips: nonFinite("video", 0, float32(math.Inf(-1)))}, []string{"feat_video", "clip 00001", "is -Inf", "finite"}, 1},
		{"missing column", &datasets.Split{Clips: noAudio}, []string{"column feat_audio", "its feature columns are: feat_video"}, 0},
		{"other label set", &datasets.Split{Labels: datasets.MAFW(), Clips: good}, []string{"outputs 7 classes", "mafw has 11"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := m.Check(tc.split)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ie *inputerr.Error
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an *inputerr.Error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if ie.Row != tc.row {
				t.Errorf("row %d, want %d", ie.Row, tc.row)
			}
		})
	}
}

func TestPredictRejectsBadClips(t *testing.T) {
	m := open(t, baseConfig(t, newTinyModel(1).onnx(true, 0)))
	clips := makeClips(3, 1)
	clips[1].Features["video"] = append(clips[1].Features["video"], 1)
	_, err := m.PredictClips(context.Background(), clips, "")
	if err == nil || !strings.Contains(err.Error(), "clip 00002: feat_video has 7 values") {
		t.Errorf("got %v", err)
	}
	// The bad modality ablated is not read, so it is not checked.
	if _, err := m.PredictClips(context.Background(), clips, "video"); err != nil {
		t.Errorf("ablated video: %v", err)
	}
}

func TestOutputValidation(t *testing.T) {
	tm := newTinyModel(1)
	t.Run("probs kind on a logits model", func(t *testing.T) {
		cfg := baseConfig(t, tm.onnx(false, 0))
		cfg.OutputKind = OutputProbs
		_, err := open(t, cfg).PredictClips(context.Background(), makeClips(2, 1), "")
		if err == nil || !strings.Contains(err.Error(), "use output_kind: logits or auto") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("non-finite output", func(t *testing.T) {
		bad := newTinyModel(1)
		bad.b[3] = float32(math.Inf(1))
		_, err := open(t, baseConfig(t, bad.onnx(false, 0))).PredictClips(context.Background(), makeClips(2, 1), "")
		if err == nil || !strings.Contains(err.Error(), "not finite") {
			t.Errorf("got %v", err)
		}
	})
}

// TestDevices checks the devices a CPU-only machine can check: auto runs on the CPU and says why
// without a warning of its own, and cuda:N fails with the cause. TestDeviceCauses in
// internal/ortenv checks every cause against the library's own messages.
func TestDevices(t *testing.T) {
	data := newTinyModel(1).onnx(true, 0)
	t.Run("cuda:1 without a usable provider", func(t *testing.T) {
		cfg := baseConfig(t, data)
		cfg.Device = ortenv.CUDADevice(1)
		m, err := Open(context.Background(), cfg)
		if err == nil {
			m.Close()
			t.Skip("CUDA device 1 works here")
		}
		t.Log(err)
		var de *ortenv.DeviceError
		if !errors.As(err, &de) || de.What != `model "fusion"` || de.Device != ortenv.CUDADevice(1) {
			t.Fatalf("got %v (%T), want an *ortenv.DeviceError for model \"fusion\" on cuda:1", err, err)
		}
		for _, w := range []string{`model "fusion": device cuda:1: `, "use device cpu, or auto"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not contain %q", err, w)
			}
		}
		if strings.Contains(err.Error(), "onnxruntime_src") {
			t.Errorf("error %q keeps ONNX Runtime's source location", err)
		}
	})
	t.Run("auto falls back to the CPU and says why", func(t *testing.T) {
		cfg := baseConfig(t, data)
		cfg.Device = ortenv.AutoDevice()
		m := open(t, cfg)
		info := m.Info()
		if _, cuda := info.Device.CUDA(); cuda {
			t.Skip("a CUDA device works here")
		}
		if m.Device() != ortenv.CPUDevice() || info.Requested != ortenv.AutoDevice() || info.Fallback == "" || info.TF32 {
			t.Errorf("info %+v: want auto resolved to the CPU with a reason", info)
		}
		if m.BatchSize() != DefaultBatchCPU {
			t.Errorf("batch %d, want the CPU default %d", m.BatchSize(), DefaultBatchCPU)
		}
		if _, err := m.PredictClips(context.Background(), makeClips(3, 1), ""); err != nil {
			t.Error(err)
		}
	})
}

// TestInfo checks what the model records about its session and the batch size it chose.
func TestInfo(t *testing.T) {
	tm := newTinyModel(1)
	tests := []struct {
		name           string
		batch, threads int
		fixed          int // the model's own batch dimension
		wantBatch      int
		wantThreads    int
	}{
		{"defaults on the CPU", 0, 0, 0, DefaultBatchCPU, ortenv.DefaultThreads()},
		{"batch and threads given", 100, 1, 0, 100, 1},
		{"a fixed batch dimension wins", 100, 2, 8, 8, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig(t, tm.onnx(true, tc.fixed))
			cfg.BatchSize, cfg.Threads = tc.batch, tc.threads
			m := open(t, cfg)
			want := ortenv.SessionInfo{Requested: ortenv.CPUDevice(), Device: ortenv.CPUDevice(), ORTVersion: cfg.Runtime.Version(),
				Threads: tc.wantThreads, BatchSize: tc.wantBatch}
			if got := m.Info(); got != want || m.BatchSize() != tc.wantBatch {
				t.Errorf("info %+v, batch %d; want %+v", got, m.BatchSize(), want)
			}
		})
	}
}

// TestPredictTasks checks the runner's view of the model: a batch of tasks straddling variants
// gets each clip's probabilities with the withheld modality zeroed.
func TestPredictTasks(t *testing.T) {
	tm := newTinyModel(6)
	cfg := baseConfig(t, tm.onnx(false, 0))
	cfg.BatchSize = 4
	m := open(t, cfg)
	clips := makeClips(5, 4)
	var tasks []runner.Task
	for _, v := range []variant.Variant{variant.AV, variant.Video, variant.Audio} {
		for _, c := range clips {
			tasks = append(tasks, runner.Task{Clip: c, Variant: v})
		}
	}
	// Batches as the runner makes them: 15 tasks in batches of 4 straddle the variants.
	for start := 0; start < len(tasks); start += 4 {
		batch := tasks[start:min(start+4, len(tasks))]
		res, err := m.Predict(context.Background(), batch)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != len(batch) {
			t.Fatalf("%d results for %d tasks", len(res), len(batch))
		}
		for i, r := range res {
			task := batch[i]
			if r.Err != nil || r.Attempts != 1 || r.Latency <= 0 || r.Raw != "" {
				t.Errorf("task %s/%s: result %+v", task.Variant, task.Clip.ClipID, r)
			}
			assertProbs(t, tm, []datasets.Clip{task.Clip}, [][]float32{r.Probs}, task.Variant.Withheld())
			if cap(r.Probs) != len(r.Probs) {
				t.Errorf("a result's probabilities can grow into the next one's (cap %d)", cap(r.Probs))
			}
		}
	}
	// A batch that fails as a whole says which variant and which model.
	bad := []runner.Task{{Clip: datasets.Clip{ClipID: "x", Features: map[string][]float32{"video": {1}}}, Variant: variant.Audio}}
	if _, err := m.Predict(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "variant audio") || !strings.Contains(err.Error(), "clip x") {
		t.Errorf("bad clip: %v", err)
	}
}

func TestProgress(t *testing.T) {
	cfg := baseConfig(t, newTinyModel(1).onnx(true, 0))
	cfg.BatchSize = 4
	m := open(t, cfg)
	clips := makeClips(10, 1)
	var calls [][2]int
	progress := func(done, total int) { calls = append(calls, [2]int{done, total}) }
	if err := m.PredictInto(context.Background(), clips, "", make([]float32, 10*m.Classes()), progress); err != nil {
		t.Fatal(err)
	}
	if want := [][2]int{{4, 10}, {8, 10}, {10, 10}}; !slices.Equal(calls, want) {
		t.Errorf("pass progress %v, want %v", calls, want)
	}
	calls = nil
	if _, err := m.Ablation(context.Background(), clips, progress); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 9 || calls[0] != [2]int{4, 30} || calls[3] != [2]int{14, 30} || calls[8] != [2]int{30, 30} {
		t.Errorf("ablation progress %v: want 9 calls over the three passes, 4/30 … 30/30", calls)
	}
}

func TestConcurrentPredict(t *testing.T) {
	tm := newTinyModel(5)
	cfg := baseConfig(t, tm.onnx(false, 0))
	cfg.BatchSize = 4
	m := open(t, cfg)
	clips := makeClips(60, 3)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	results := make([][][]float32, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			part := clips[g*5 : g*5+10+g] // overlapping parts of different lengths
			results[g], errs[g] = m.PredictClips(context.Background(), part, []string{"", "video", "audio"}[g%3])
		}()
	}
	wg.Wait()
	for g := range 8 {
		if errs[g] != nil {
			t.Fatal(errs[g])
		}
		assertProbs(t, tm, clips[g*5:g*5+10+g], results[g], []string{"", "video", "audio"}[g%3])
	}
}

func TestCancelledContext(t *testing.T) {
	m := open(t, baseConfig(t, newTinyModel(1).onnx(true, 0)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.PredictClips(ctx, makeClips(3, 1), ""); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	// The model still works after a cancelled call.
	if _, err := m.PredictClips(context.Background(), makeClips(3, 1), ""); err != nil {
		t.Error(err)
	}
}

func TestClosedModel(t *testing.T) {
	m := open(t, baseConfig(t, newTinyModel(1).onnx(true, 0)))
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.PredictClips(context.Background(), makeClips(1, 1), ""); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("got %v", err)
	}
}

// TestAblationFromVariants checks that the variants a run makes give the same ablation as the
// model's own three passes, and the MI computed from them.
func TestAblationFromVariants(t *testing.T) {
	tm := newTinyModel(7)
	m := open(t, baseConfig(t, tm.onnx(false, 0)))
	clips := makeClips(12, 3)
	for i := range clips {
		clips[i].Label = datasets.DFEW().Labels[i%7]
	}
	want, err := m.Ablation(context.Background(), clips, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The run's variants, keyed as the run's outcomes are; the audio ones with zero-padded ids,
	// as another file may write them.
	byVariant := map[variant.Variant]map[string][]float32{}
	for _, v := range variant.All() {
		byVariant[v] = map[string][]float32{}
		var tasks []runner.Task
		for _, c := range clips {
			tasks = append(tasks, runner.Task{Clip: c, Variant: v})
		}
		res, err := m.Predict(context.Background(), tasks)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			id := tasks[i].Clip.ClipID
			if v == variant.Audio {
				id = "00" + id
			}
			byVariant[v][id] = r.Probs
		}
	}
	got, err := AblationFromVariants(clips, byVariant[variant.AV], byVariant[variant.Video], byVariant[variant.Audio])
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i].ClipID != want[i].ClipID || !slices.Equal(got[i].Probs, want[i].Probs) ||
			!slices.Equal(got[i].NoVideo, want[i].NoVideo) || !slices.Equal(got[i].NoAudio, want[i].NoAudio) {
			t.Fatalf("clip %d: from variants %+v, from Ablation %+v", i, got[i], want[i])
		}
	}
	mi, err := AblationMI(datasets.DFEW(), clips, got, 0)
	if err != nil {
		t.Fatal(err)
	}
	if mi.Len() != len(clips) || mi.Source != "onnx" {
		t.Fatalf("MI of %d clips from %q", mi.Len(), mi.Source)
	}
	for i, c := range clips {
		k := datasets.DFEW().Index(c.Label)
		wantScore := modality.AblationScore(float64(want[i].Probs[k]), float64(want[i].NoVideo[k]), float64(want[i].NoAudio[k]))
		score, ok := mi.Score(c.ClipID)
		class, _ := mi.Get(c.ClipID)
		if !ok || score != wantScore || class != modality.FromAblation(wantScore, modality.DefaultAblationThreshold) {
			t.Errorf("clip %s: score %v %v class %v, want %v", c.ClipID, score, ok, class, wantScore)
		}
	}

	t.Run("errors", func(t *testing.T) {
		delete(byVariant[variant.Video], clips[3].ClipID)
		if _, err := AblationFromVariants(clips, byVariant[variant.AV], byVariant[variant.Video], byVariant[variant.Audio]); err == nil ||
			!strings.Contains(err.Error(), "clip 00004 has no probabilities from the video variant") {
			t.Errorf("missing clip: %v", err)
		}
		short := slices.Clone(got)
		short[2].NoAudio = short[2].NoAudio[:3]
		if _, err := AblationMI(datasets.DFEW(), clips, short, 0); err == nil || !strings.Contains(err.Error(), "clip 00003 has 3 probabilities") {
			t.Errorf("short row: %v", err)
		}
		if _, err := AblationMI(datasets.DFEW(), clips[:2], got, 0); err == nil || !strings.Contains(err.Error(), "clip 00003 is not one of the run's clips") {
			t.Errorf("foreign clip: %v", err)
		}
		unknown := slices.Clone(clips)
		unknown[0].Label = "bored"
		if _, err := AblationMI(datasets.DFEW(), unknown, got, 0); err == nil || !strings.Contains(err.Error(), `label "bored"`) {
			t.Errorf("unknown label: %v", err)
		}
	})
}

// tinyVideoOnly is a one-input (video_in) classifier with tm's video weights.
func tinyVideoOnly(tm tinyModel) []byte {
	return onnxmodel.Classifier(avInputs[:1], 7, tm.w[:1], tm.b, true)
}
