package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/cache"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/sim"
	"github.com/emoeval/emoeval/internal/onnxmodel"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/pipeline"
)

// startSim serves simulated models for a split in this test process.
func startSim(t *testing.T, split *datasets.Split, faults sim.Faults) (*sim.Server, string) {
	t.Helper()
	srv, err := sim.NewServer(sim.Config{Split: split, Seed: 7, Models: sim.DefaultModels(), Judge: sim.DefaultJudge(), Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := srv.Start(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); stop() })
	return srv, url
}

// runConfig is an emoeval.yaml for two simulated models (the baseline with modality variants),
// the lexicon judge and the simulated LLM judge.
func runConfig(split, endpoint, extra string) string {
	return fmt.Sprintf(`name: e2e
dataset: {name: dfew, split: %q, folds: [5]}
models:
  - {name: r1-omni, backend: openai, endpoint: %s, model: r1-omni-sim, prompt: r1-omni, variants: [av, video, audio], concurrency: 8, timeout: 2s, max_retries: 8%s}
  - {name: migr, backend: openai, endpoint: %s, model: migr-sim, prompt: migr, concurrency: 8, timeout: 2s, max_retries: 8%s}
judges:
  - {name: lexicon, kind: lexicon}
  - {name: gpt, kind: llm, endpoint: %s, model: judge-sim, concurrency: 8, timeout: 2s%s}
modality: {from: variants, model: r1-omni}
statistics: {bootstrap: 300, seed: 1}
report: {formats: [md]}
`, split, endpoint, extra, endpoint, extra, endpoint, extra)
}

// subprocess runs emoeval as a separate process (the test binary acting as the CLI).
func subprocess(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "EMOEVAL_TEST_AS_CLI=1"), env...)
	return cmd
}

func readSummaryJSON(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// keyOf identifies a prediction row.
func keyOf(p predictions.Prediction) string { return p.Model + "/" + p.Variant + "/" + p.ClipID }

func TestRunKilledAndResumed(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 120)
	srv, url := startSim(t, split, sim.Faults{Latency: 4 * time.Millisecond})
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, runConfig(splitPath, url, ""))
	out := filepath.Join(dir, "run")
	modelTasks := 120 * 4 // r1-omni × 3 variants + migr
	judgeTasks := 120 * 2 // the LLM judge on both models' av outputs
	total := modelTasks + judgeTasks

	// Kill -9 once about half the model calls are answered.
	cmd := subprocess(nil, "run", "-c", cfg, "--out", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for srv.Stats().Completions < modelTasks/2 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the run made no progress:\n%s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	before := srv.Stats().Requests
	c, err := cache.Open(filepath.Join(out, "cache.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	cached, err := c.Len(context.Background())
	c.Close()
	if err != nil {
		t.Fatal(err)
	}
	if cached == 0 || cached >= total {
		t.Fatalf("%d responses cached when killed; want some but not all of %d", cached, total)
	}
	if _, err := os.Stat(filepath.Join(out, "summary.json")); err == nil {
		t.Fatal("a killed run left a summary")
	}

	// Rerun: only what is missing is requested.
	r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--resume", "--format", "none")
	if r.code != 0 {
		t.Fatalf("rerun: exit %d: %s", r.code, r.stderr)
	}
	// Identical judge prompts (two clips with the same reasoning) share one cache entry, so the
	// distinct requests can be fewer than the tasks; none of those cached is asked for again.
	got := srv.Stats().Requests - before
	c, err = cache.Open(filepath.Join(out, "cache.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	distinct, err := c.Len(context.Background())
	c.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got > total-cached || got < distinct-cached {
		t.Errorf("the rerun made %d requests; %d tasks (%d distinct), %d cached before: want %d..%d", got, total, distinct, cached, distinct-cached, total-cached)
	}
	// Per model call: once, or twice for the few in flight when the process was killed.
	twice := 0
	for k, n := range srv.Stats().PerKey {
		if k.Variant == "judge" {
			continue
		}
		if n > 2 {
			t.Errorf("%v was requested %d times", k, n)
		}
		if n == 2 {
			twice++
		}
	}
	if twice > 16 {
		t.Errorf("%d model calls were requested twice; at most 16 were in flight when the run was killed", twice)
	}
	preds, err := predictions.ReadPredictions(filepath.Join(out, "predictions.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, p := range preds {
		seen[keyOf(p)]++
	}
	if len(preds) != modelTasks || len(seen) != modelTasks {
		t.Errorf("%d prediction rows, %d distinct; want exactly one per clip, model and variant (%d)", len(preds), len(seen), modelTasks)
	}

	// The same configuration run uninterrupted from scratch gives the same summary.
	fresh := filepath.Join(dir, "fresh")
	r = runCLI(t, nil, "run", "-c", cfg, "--out", fresh, "--format", "none")
	if r.code != 0 {
		t.Fatalf("fresh run: exit %d: %s", r.code, r.stderr)
	}
	a, b := readSummaryJSON(t, out), readSummaryJSON(t, fresh)
	aj, _ := json.Marshal(a)
	bj, _ := json.Marshal(b)
	if !bytes.Equal(aj, bj) {
		t.Errorf("the resumed run's summary differs from an uninterrupted run's")
	}
}

func TestRunSurvivesFaults(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 150)
	srv, url := startSim(t, split, sim.Faults{
		Latency: time.Millisecond, P429: 0.10, RetryAfter: 20 * time.Millisecond, P500: 0.05,
		PMalformed: 0.02, PReset: 0.01, PHang: 0.01,
	})
	cfg := filepath.Join(dir, "emoeval.yaml")
	// A short timeout so that hung requests are retried quickly; backoff is short in this test
	// through the config's own retries.
	writeFile(t, cfg, strings.ReplaceAll(runConfig(splitPath, url, ""), "timeout: 2s", "timeout: 300ms"))
	out := filepath.Join(dir, "run")
	r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--format", "none")
	if r.code != 0 && r.code != exitFailedItems {
		t.Fatalf("run under faults: exit %d: %s", r.code, r.stderr)
	}
	st := srv.Stats()
	for _, k := range []string{"429", "500", "malformed", "reset", "hang"} {
		if st.Faults[k] == 0 {
			t.Errorf("no %s fault was injected; the test does not test it", k)
		}
	}
	preds, err := predictions.ReadPredictions(filepath.Join(out, "predictions.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, p := range preds {
		if p.Error != "" {
			failed++
			if p.ParseStatus != "error" {
				t.Errorf("failed sample %s has parse status %q", keyOf(p), p.ParseStatus)
			}
		} else if p.RawOutput == "" {
			t.Errorf("sample %s has neither an output nor an error", keyOf(p))
		}
	}
	if len(preds) != 150*4 {
		t.Fatalf("%d prediction rows, want %d", len(preds), 150*4)
	}
	s := readSummaryJSON(t, out)
	errs := 0.0
	for _, m := range s["models"].(map[string]any) {
		errs += m.(map[string]any)["failed"].(float64)
	}
	if int(errs) != failed {
		t.Errorf("the summary counts %v failed samples, the predictions hold %d", errs, failed)
	}
	// Retries describe how the run went, not what it measured: they are the manifest's.
	man, err := pipeline.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if man.Counts == nil || man.Counts.Retries == 0 || man.Counts.Failed != failed {
		t.Errorf("manifest counts %+v, want retries and %d failed", man.Counts, failed)
	}
	if (failed > 0) != (r.code == exitFailedItems) {
		t.Errorf("exit %d with %d failed samples", r.code, failed)
	}
}

func TestShardsMergeToTheUnshardedSummary(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 100)
	_, url := startSim(t, split, sim.Faults{})
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, runConfig(splitPath, url, ""))

	whole := filepath.Join(dir, "whole")
	if r := runCLI(t, nil, "run", "-c", cfg, "--out", whole, "--format", "none"); r.code != 0 {
		t.Fatalf("unsharded run: exit %d: %s", r.code, r.stderr)
	}
	// Four shards as separate processes, at the same time; two take their index from the
	// environment as a Kubernetes Indexed Job and a Slurm array would give it.
	var (
		cmds   []*exec.Cmd
		errs   []*bytes.Buffer
		shards []string
	)
	for i := 0; i < 4; i++ {
		d := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		shards = append(shards, d)
		var c *exec.Cmd
		switch i {
		case 1:
			c = subprocess([]string{"JOB_COMPLETION_INDEX=1"}, "run", "-c", cfg, "--out", d, "--shard-count", "4", "--format", "none")
		case 2:
			c = subprocess([]string{"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=1"}, "run", "-c", cfg, "--out", d, "--shard-count", "4", "--format", "none")
		default:
			c = subprocess(nil, "run", "-c", cfg, "--out", d, "--shard", fmt.Sprintf("%d/4", i), "--format", "none")
		}
		var errb bytes.Buffer
		c.Stderr = &errb
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, c)
		errs = append(errs, &errb)
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("shard %d: %v\n%s", i, err, errs[i])
		}
	}
	merged := filepath.Join(dir, "merged")
	if r := runCLI(t, nil, "merge", shards[0], shards[1], shards[2], shards[3], "-o", merged); r.code != 0 {
		t.Fatalf("merge: exit %d: %s", r.code, r.stderr)
	}
	a, _ := json.Marshal(readSummaryJSON(t, whole))
	b, _ := json.Marshal(readSummaryJSON(t, merged))
	if !bytes.Equal(a, b) {
		t.Errorf("the merged summary differs from the unsharded run's:\n%s\n%s", a, b)
	}

	// Merge refuses incomplete or mixed shard sets.
	if r := runCLI(t, nil, "merge", shards[0], shards[1], shards[2], "-o", filepath.Join(dir, "m2")); r.code != exitBadInput || !strings.Contains(r.stderr, "shards missing: 3/4") {
		t.Errorf("merge of 3 of 4 shards: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "merge", shards[0], shards[0], shards[1], shards[2], "-o", filepath.Join(dir, "m3")); r.code != exitBadInput {
		t.Errorf("merge with a shard twice: exit %d: %s", r.code, r.stderr)
	}
}

func TestAPIKeyIsNeverWritten(t *testing.T) {
	const secret = "sk-emoeval-test-5ecret-0123456789"
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 30)
	_, url := startSim(t, split, sim.Faults{P500: 0.2})
	// A second server that lists the model (the check before the run passes) but rejects every
	// completion and echoes the Authorization header back.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/models" {
			fmt.Fprint(w, `{"data": [{"id": "migr-sim"}]}`)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error": {"message": "bad key %s"}}`, r.Header.Get("Authorization"))
	}))
	defer echo.Close()
	cfg := filepath.Join(dir, "emoeval.yaml")
	body := strings.ReplaceAll(runConfig(splitPath, url, ", api_key_env: EMOEVAL_TEST_KEY"), "max_retries: 8", "max_retries: 1")
	body = strings.Replace(body, "endpoint: "+url+", model: migr-sim", "endpoint: "+echo.URL+"/v1, model: migr-sim", 1)
	writeFile(t, cfg, body)
	out := filepath.Join(dir, "run")
	r := runCLI(t, map[string]string{"EMOEVAL_TEST_KEY": secret}, "run", "-c", cfg, "--out", out, "--format", "txt")
	if r.code != exitFailedItems {
		t.Fatalf("exit %d, want 3 (the echoing server fails every migr sample): %s", r.code, r.stderr)
	}
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.Contains(s, secret) || strings.Contains(s, "5ecret") {
			t.Fatal("the API key reached the output")
		}
	}
	walkFiles(t, out, func(p string, data []byte) {
		if bytes.Contains(data, []byte(secret)) || bytes.Contains(data, []byte("5ecret")) {
			t.Errorf("the API key was written to %s", p)
		}
	})
	// Without the variable set, the run stops before any request and names the variable.
	r = runCLI(t, nil, "run", "-c", cfg, "--out", filepath.Join(dir, "run2"))
	if r.code != exitBadInput || !strings.Contains(r.stderr, "EMOEVAL_TEST_KEY is not set") {
		t.Fatalf("unset key: exit %d: %s", r.code, r.stderr)
	}
}

func TestRunRefusesAnotherConfiguration(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 20)
	_, url := startSim(t, split, sim.Faults{})
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, runConfig(splitPath, url, ""))
	out := filepath.Join(dir, "run")
	if r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--format", "none"); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	writeFile(t, cfg, strings.Replace(runConfig(splitPath, url, ""), "bootstrap: 300", "bootstrap: 400", 1))
	if r := runCLI(t, nil, "run", "-c", cfg, "--out", out); r.code != exitBadInput || !strings.Contains(r.stderr, "another configuration") {
		t.Fatalf("reuse with another configuration: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--force", "--format", "none"); r.code != 0 {
		t.Fatalf("--force: exit %d: %s", r.code, r.stderr)
	}
}

func TestRunInterruptedExits130WithResumeCommand(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 200)
	srv, url := startSim(t, split, sim.Faults{Latency: 20 * time.Millisecond})
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, runConfig(splitPath, url, ""))
	out := filepath.Join(dir, "run")
	cmd := subprocess(nil, "run", "-c", cfg, "--out", out, "--grace", "5s")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for srv.Stats().Completions < 50 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no progress:\n%s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("exit %v, want 130\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "Resume with:") || !strings.Contains(stderr.String(), "--resume") {
		t.Errorf("no resume command printed:\n%s", stderr.String())
	}
	// In-flight requests were let finish: every request the server answered is in the cache.
	c, err := cache.Open(filepath.Join(out, "cache.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, err := c.Len(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st := srv.Stats(); n != st.Completions {
		t.Errorf("%d responses cached, %d answered by the server: in-flight requests were not let finish", n, st.Completions)
	}
}

func TestRunRejectsBadONNXSetUpsBeforeAnyRequest(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 20)
	srv, url := startSim(t, split, sim.Faults{})
	model := filepath.Join(dir, "fusion.onnx")
	writeFile(t, model, string(onnxmodel.Classifier([]onnxmodel.Input{{Name: "video", Dim: 8}, {Name: "audio", Dim: 8}}, 7,
		[][]float32{make([]float32, 8*7), make([]float32, 8*7)}, make([]float32, 7), true)))
	base := runConfig(splitPath, url, "")
	cases := []struct {
		name, inputs, want string
		env                map[string]string
	}{
		{"wrong input name", "{vision: video, audio: audio}", `"vision"`, nil},
		{"missing feature column", "{video: video, audio: depth}", "feat_depth", nil},
		{"missing library", "{video: video, audio: audio}", "make ort", map[string]string{"ONNXRUNTIME_SHARED_LIBRARY_PATH": filepath.Join(dir, "nowhere.so")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			body := strings.Replace(base, "judges:", fmt.Sprintf("  - {name: fusion, backend: onnx, path: %q, device: cpu, inputs: %s}\njudges:", model, tc.inputs), 1)
			writeFile(t, cfg, body)
			before := srv.Stats().Requests
			var r cli
			if tc.env != nil {
				// The library is loaded once per process, so a missing one is tried in a process of its own.
				var env []string
				for k, v := range tc.env {
					env = append(env, k+"="+v)
				}
				cmd := subprocess(env, "run", "-c", cfg, "--out", filepath.Join(dir, "out-"+tc.name))
				var errb bytes.Buffer
				cmd.Stderr = &errb
				err := cmd.Run()
				r.stderr = errb.String()
				if ee, ok := err.(*exec.ExitError); ok {
					r.code = ee.ExitCode()
				}
			} else {
				onnxtest.Runtime(t)
				r = runCLI(t, nil, "run", "-c", cfg, "--out", filepath.Join(dir, "out-"+tc.name))
			}
			if r.code != exitBadInput || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d, want 2 with %q:\n%s", r.code, tc.want, r.stderr)
			}
			if got := srv.Stats().Requests - before; got != 0 {
				t.Errorf("%d requests were made before the set-up error", got)
			}
		})
	}
}

// Two ONNX models on a device this machine cannot give: one error names both, with one cause.
func TestRunReportsOneDeviceProblemOnce(t *testing.T) {
	onnxtest.Runtime(t)
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 20)
	_, url := startSim(t, split, sim.Faults{})
	model := filepath.Join(dir, "fusion.onnx")
	writeFile(t, model, string(onnxmodel.Classifier([]onnxmodel.Input{{Name: "video", Dim: 8}, {Name: "audio", Dim: 8}}, 7,
		[][]float32{make([]float32, 8*7), make([]float32, 8*7)}, make([]float32, 7), true)))
	var blocks string
	for _, name := range []string{"fusion-a", "fusion-b"} {
		blocks += fmt.Sprintf("  - {name: %s, backend: onnx, path: %q, device: \"cuda:7\", inputs: {video: video, audio: audio}}\n", name, model)
	}
	cfg := filepath.Join(dir, "cuda.yaml")
	writeFile(t, cfg, strings.Replace(runConfig(splitPath, url, ""), "judges:", blocks+"judges:", 1))
	r := runCLI(t, nil, "run", "-c", cfg, "--out", filepath.Join(dir, "out"))
	if r.code != exitBadInput || !strings.Contains(r.stderr, `"fusion-a"`) || !strings.Contains(r.stderr, `"fusion-b"`) {
		t.Fatalf("exit %d, want 2 naming both models:\n%s", r.code, r.stderr)
	}
	if lines := strings.Count(strings.TrimSpace(r.stderr), "\n") + 1; lines != 1 {
		t.Errorf("%d lines, want one error for both models:\n%s", lines, r.stderr)
	}
}

func TestRunONNXModelWithAblationMI(t *testing.T) {
	onnxtest.Runtime(t)
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 60)
	_, url := startSim(t, split, sim.Faults{})
	// Video weights are the class means of the video features, audio weights zero: the model
	// reads the truth from the video alone, so removing the video costs the true class most.
	in := []onnxmodel.Input{{Name: "video", Dim: 8}, {Name: "audio", Dim: 8}}
	w := [][]float32{make([]float32, 8*7), make([]float32, 8*7)}
	counts := make([]float32, 7)
	for _, c := range split.Clips {
		y := split.Labels.Index(c.Label)
		counts[y]++
		for i, v := range c.Features["video"] {
			w[0][i*7+y] += v
		}
	}
	for i := range w[0] {
		if n := counts[i%7]; n > 0 {
			w[0][i] *= 3 / n
		}
	}
	b := make([]float32, 7)
	model := filepath.Join(dir, "fusion.onnx")
	writeFile(t, model, string(onnxmodel.Classifier(in, 7, w, b, false)))
	body := strings.Replace(runConfig(splitPath, url, ""), "judges:", fmt.Sprintf(
		"  - {name: fusion, backend: onnx, path: %q, device: auto, inputs: {video: feat_video, audio: audio}, output_kind: logits, variants: [av, video, audio]}\njudges:", model), 1)
	body = strings.Replace(body, "modality: {from: variants, model: r1-omni}", "modality: {from: onnx, model: fusion, threshold: 0.01}", 1)
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, body)
	out := filepath.Join(dir, "run")
	r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--format", "none")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	s := readSummaryJSON(t, out)
	fusion := s["models"].(map[string]any)["fusion"].(map[string]any)
	mod := fusion["modality"].(map[string]any)
	if mod["mi_source"] != "onnx" {
		t.Fatalf("MI source %v, want onnx", mod["mi_source"])
	}
	mi := mod["mi"].(map[string]any)
	if mi["vision"].(float64) <= mi["audio"].(float64) {
		t.Errorf("a model led by its video input gave MI %v: vision should dominate", mi)
	}
	if fusion["n"].(float64) != 60 {
		t.Errorf("fusion scored %v clips", fusion["n"])
	}
	// The video-only variant of an ONNX model zeroes the audio inputs; it differs from av.
	models := s["models"].(map[string]any)
	if _, ok := models["fusion@video"]; !ok {
		t.Error("no fusion@video variant run")
	}
	if _, err := os.Stat(filepath.Join(out, "modality.parquet")); err != nil {
		t.Error("no modality.parquet")
	}
}

func TestModelsServedUnderOneIDDoNotShareCachedAnswers(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 30)
	srv, url := startSim(t, split, sim.Faults{})
	// Two checkpoints a server knows by one id; credentials in the endpoint must not be written.
	endpoint := strings.Replace(url, "http://", "http://alice:S3CRETPW@", 1) + "?api-key=QUERYSECRET"
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, fmt.Sprintf(`name: same-id
dataset: {name: dfew, split: %q, folds: [5]}
models:
  - {name: ckpt-a, backend: openai, endpoint: %q, model: r1-omni-sim, concurrency: 4}
  - {name: ckpt-b, backend: openai, endpoint: %q, model: r1-omni-sim, concurrency: 4}
judges: [{name: lexicon, kind: lexicon}]
statistics: {bootstrap: 100}
report: {formats: [md]}
`, splitPath, endpoint, endpoint))
	out := filepath.Join(dir, "run")
	if r := runCLI(t, nil, "run", "-c", cfg, "--out", out, "--format", "none"); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if got := srv.Stats().Completions; got != 60 {
		t.Errorf("%d requests for two models × 30 clips: the second model was answered from the first one's cache", got)
	}
	walkFiles(t, out, func(p string, data []byte) {
		if bytes.Contains(data, []byte("S3CRETPW")) || bytes.Contains(data, []byte("QUERYSECRET")) {
			t.Errorf("endpoint credentials written to %s", p)
		}
	})
}

// A second Ctrl-C exits at once, without waiting for the requests in flight (a slow server here:
// the grace period would be a minute).
func TestSecondInterruptExitsAtOnce(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 50)
	srv, url := startSim(t, split, sim.Faults{Latency: 30 * time.Second})
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, runConfig(splitPath, url, ""))
	cmd := subprocess(nil, "run", "-c", cfg, "--out", filepath.Join(dir, "run"), "--grace", "60s")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); srv.Stats().Requests < 4; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no request was sent:\n%s", stderr.String())
		}
	}
	cmd.Process.Signal(os.Interrupt)
	time.Sleep(200 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != exitInterrupted || !strings.Contains(stderr.String(), "interrupted again") {
			t.Errorf("exit %v, want 130 saying so:\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("still waiting for the requests in flight after a second Ctrl-C:\n%s", stderr.String())
	}
}
