package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/sim"
	"github.com/emoeval/emoeval/internal/atomicfile"
	"github.com/emoeval/emoeval/internal/onnxmodel"
	"github.com/emoeval/emoeval/pipeline/spec"
)

// DemoOptions configure `emoeval demo`.
type DemoOptions struct {
	Out  string
	Seed int64
	// NewProgress makes the progress display of each phase; nil shows none.
	NewProgress func() runner.Progress
	Logf        func(format string, args ...any)
	HTTP        *http.Client
	Now         func() time.Time
	Command     string
}

// Demo runs the whole pipeline on built-in data: a synthetic DFEW fold-5 split with feature
// columns, an R1-Omni-style baseline and a MIGR-style model served by the in-process simulated
// server (through real HTTP on loopback), a linear ONNX model over the synthetic features, the
// lexicon judge and the simulated LLM judge, modality importance from variant runs, statistics
// and the full report.
func Demo(ctx context.Context, o DemoOptions) (*RunResult, error) {
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	data := filepath.Join(o.Out, "data")
	if err := atomicfile.MkdirAll(data); err != nil {
		return nil, err
	}
	split, err := datasets.Synth(datasets.SynthOptions{
		Dataset: "dfew", Folds: []int32{5}, Seed: o.Seed, MediaRoot: "/data/DFEW",
		Features: map[string]datasets.FeatureSpec{"video": {Dim: 32, Informativeness: 0.35}, "audio": {Dim: 32, Informativeness: 0.25}},
	})
	if err != nil {
		return nil, err
	}
	splitPath := filepath.Join(data, "dfew-synth.parquet")
	if err := datasets.WriteSplit(splitPath, split); err != nil {
		return nil, err
	}
	onnxPath := filepath.Join(data, "fusion.onnx")
	if err := atomicfile.WriteFile(onnxPath, fitLinear(split)); err != nil {
		return nil, err
	}

	srv, err := sim.NewServer(sim.Config{
		Split: split, Seed: o.Seed, Models: sim.DefaultModels(), Judge: sim.DefaultJudge(),
		// A little of everything a real server does, so the run shows its retries.
		Faults: sim.Faults{Latency: 2 * time.Millisecond, LatencyJitter: 3 * time.Millisecond,
			P429: 0.01, RetryAfter: 50 * time.Millisecond, P500: 0.005, PMalformed: 0.002},
	})
	if err != nil {
		return nil, err
	}
	url, stop, err := srv.Start(ctx, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer stop()
	o.Logf("simulated model server at %s", url)

	// The configuration names its files relative to its own folder, as the loader reads them, so
	// that it works from any working directory and can be copied with its data.
	cfgPath := filepath.Join(o.Out, "emoeval.yaml")
	relSplit, err := filepath.Rel(o.Out, splitPath)
	if err != nil {
		return nil, err
	}
	relONNX, err := filepath.Rel(o.Out, onnxPath)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(cfgPath, []byte(demoConfig(url, filepath.ToSlash(relSplit), filepath.ToSlash(relONNX)))); err != nil {
		return nil, err
	}
	env := func(string) (string, bool) { return "", false }
	s, err := LoadSpec(cfgPath, env, spec.Registries{})
	if err != nil {
		return nil, err
	}
	return Run(ctx, RunOptions{
		Spec: s, ConfigFile: cfgPath, Kind: KindRun, Out: filepath.Join(o.Out, "run"), Force: true, Grace: 5 * time.Second,
		NewProgress: o.NewProgress, Logf: o.Logf, Env: env,
		HTTP: o.HTTP, Command: o.Command, ResumeCommand: o.Command, Now: o.Now,
	})
}

// demoConfig is the demo's emoeval.yaml.
func demoConfig(endpoint, split, onnxModel string) string {
	return fmt.Sprintf(`# The demo's configuration, written by emoeval demo. The endpoint is the simulated server
# the demo started; everything else is what a real evaluation would write.
name: demo-dfew-fold5
dataset: {name: dfew, split: %q, folds: [5], split_kind: test}
protocol: migr
models:
  - name: r1-omni
    backend: openai
    endpoint: %s
    model: r1-omni-sim
    prompt: r1-omni
    variants: [av, video, audio]
    concurrency: 32
    timeout: 10s
    max_retries: 8
  - name: migr
    backend: openai
    endpoint: %s
    model: migr-sim
    prompt: migr
    concurrency: 32
    timeout: 10s
    max_retries: 8
  - name: fusion
    backend: onnx
    path: %q
    device: cpu
    inputs: {video: video, audio: audio}
judges:
  - {name: lexicon, kind: lexicon}
  - {name: gpt-sim, kind: llm, endpoint: %s, model: judge-sim, concurrency: 64, timeout: 10s}
modality: {from: variants, model: r1-omni}
comparisons: [{baseline: r1-omni, candidate: migr}]
statistics: {bootstrap: 2000, seed: 1, alpha: 0.05}
report: {formats: [txt, md, tex, csv, html, png, svg, pdf], reference: true, examples: 3}
`, split, endpoint, endpoint, onnxModel, endpoint)
}

// fitLinear fits the demo's ONNX model on the split's fold-5 training clips: a linear
// discriminant with class means as weights (shared identity covariance), the simplest model
// that learns something from the synthetic features.
func fitLinear(s *datasets.Split) []byte {
	k := s.Labels.Len()
	mods := []string{"video", "audio"}
	means := map[string][][]float64{}
	counts := make([]int, k)
	for _, c := range s.Select([]int32{5}, datasets.Train) {
		y := s.Labels.Index(c.Label)
		counts[y]++
		for _, m := range mods {
			if means[m] == nil {
				means[m] = make([][]float64, k)
			}
			if means[m][y] == nil {
				means[m][y] = make([]float64, len(c.Features[m]))
			}
			for i, v := range c.Features[m] {
				means[m][y][i] += float64(v)
			}
		}
	}
	var inputs []onnxmodel.Input
	var w [][]float32
	b := make([]float32, k)
	for _, m := range mods {
		dim := 0
		for y := 0; y < k; y++ {
			if counts[y] > 0 {
				for i := range means[m][y] {
					means[m][y][i] /= float64(counts[y])
				}
				dim = len(means[m][y])
			}
		}
		mat := make([]float32, dim*k)
		for y := 0; y < k; y++ {
			for i := 0; i < dim && means[m][y] != nil; i++ {
				mat[i*k+y] = float32(means[m][y][i])
				b[y] -= float32(means[m][y][i] * means[m][y][i] / 2)
			}
		}
		inputs = append(inputs, onnxmodel.Input{Name: m, Dim: dim})
		w = append(w, mat)
	}
	return onnxmodel.Classifier(inputs, k, w, b, true)
}
