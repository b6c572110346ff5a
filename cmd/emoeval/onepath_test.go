package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/sim"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/pipeline"
)

func readSummary(t *testing.T, dir string) *metrics.Summary {
	t.Helper()
	s, err := pipeline.ReadSummary(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// writeModelJSONL writes one model's av outputs of a run as the JSONL a replay reads.
func writeModelJSONL(t *testing.T, run, model, path string) {
	t.Helper()
	preds, err := predictions.ReadPredictions(filepath.Join(run, "predictions.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range preds {
		if p.Model == model && p.Variant == "av" {
			line, _ := json.Marshal(map[string]string{"clip_id": p.ClipID, "output": p.RawOutput})
			b.Write(append(line, '\n'))
		}
	}
	writeFile(t, path, b.String())
}

// modelNumbers is the part of a model's summary every command must agree on.
func modelNumbers(ms *metrics.ModelSummary, judge string) string {
	r := ms.Reliability[judge]
	out := fmt.Sprintf("n=%d failed=%d war=%.12f uar=%.12f f1=%.12f", ms.N, ms.Failed, ms.WAR, ms.UAR, ms.MacroF1)
	if r != nil {
		out += fmt.Sprintf(" tt=%.12f tf=%.12f ft=%.12f ff=%.12f epc=%.12f", r.TT, r.TF, r.FT, r.FF, r.EPC)
	}
	if m := ms.Modality; m != nil && m.MIAligned != nil {
		out += fmt.Sprintf(" mi_aligned=%.12f", *m.MIAligned)
	}
	return out
}

func comparisonOf(cs []metrics.Comparison, metric string) (metrics.Comparison, bool) {
	for _, c := range cs {
		if c.Metric == metric {
			return c, true
		}
	}
	return metrics.Comparison{}, false
}

// One case through run, score, merge, report and compare: the same outputs give the same
// numbers in every command, because every command builds its samples in one place.
func TestOneCaseGivesOneAnswerInEveryCommand(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 120)
	_, url := startSim(t, split, sim.Faults{})
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, strings.Replace(runConfig(splitPath, url, ""), "  - {name: gpt, kind: llm, endpoint: "+url+", model: judge-sim, concurrency: 8, timeout: 2s}\n", "", 1))

	// run
	run := filepath.Join(dir, "run")
	r0 := runCLI(t, nil, "run", "-c", cfg, "--out", run, "--format", "none")
	if r0.code != 0 {
		t.Fatalf("run: exit %d: %s", r0.code, r0.stderr)
	}
	// Off a terminal, every phase logs plain lines, with counters of its own.
	for _, want := range []string{"r1-omni: ", "judge lexicon · migr: ", "computing the summary", "rendering the report",
		"480 model calls ("} {
		if !strings.Contains(r0.stderr, want) {
			t.Errorf("the run's log lacks %q:\n%s", want, r0.stderr)
		}
	}
	a := readSummary(t, run)

	// score: the same outputs replayed, the run's MI table given as a file
	writeModelJSONL(t, run, "r1-omni", filepath.Join(dir, "r1.jsonl"))
	writeModelJSONL(t, run, "migr", filepath.Join(dir, "migr.jsonl"))
	scored := filepath.Join(dir, "score")
	if r := runCLI(t, nil, "score", "--split", splitPath, "--model", "r1-omni="+filepath.Join(dir, "r1.jsonl"),
		"--model", "migr="+filepath.Join(dir, "migr.jsonl"), "--judge", "lexicon", "--mi", filepath.Join(run, "modality.parquet"),
		"--bootstrap", "300", "--seed", "1", "--out", scored, "--format", "none"); r.code != 0 {
		t.Fatalf("score: exit %d: %s", r.code, r.stderr)
	}
	b := readSummary(t, scored)

	// merge of two shards
	var shards []string
	for i := range 2 {
		d := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		shards = append(shards, d)
		if r := runCLI(t, nil, "run", "-c", cfg, "--shard", fmt.Sprintf("%d/2", i), "--out", d, "--format", "none"); r.code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, r.code, r.stderr)
		}
	}
	merged := filepath.Join(dir, "merged")
	if r := runCLI(t, nil, "merge", shards[0], shards[1], "-o", merged); r.code != 0 {
		t.Fatalf("merge: exit %d: %s", r.code, r.stderr)
	}
	c := readSummary(t, merged)

	// report: rendering again leaves the summary as it is
	before, _ := os.ReadFile(filepath.Join(run, "summary.json"))
	if r := runCLI(t, nil, "report", run, "--formats", "md"); r.code != 0 {
		t.Fatalf("report: exit %d: %s", r.code, r.stderr)
	}
	after, _ := os.ReadFile(filepath.Join(run, "summary.json"))
	if string(before) != string(after) {
		t.Error("report changed summary.json")
	}

	for _, m := range []string{"r1-omni", "migr"} {
		want := modelNumbers(a.Models[m], "lexicon")
		for name, s := range map[string]*metrics.Summary{"score": b, "merge": c} {
			if got := modelNumbers(s.Models[m], "lexicon"); got != want {
				t.Errorf("%s of %s:\n got %s\nwant %s (run)", name, m, got, want)
			}
		}
	}
	if a.Models["migr"].Modality.MIAligned == nil {
		t.Fatal("the run has no MI-aligned rate for migr: the test does not test it")
	}

	// compare: two models of one run compare exactly as the run compared them
	r := runCLI(t, nil, "compare", run, run, "--base-model", "r1-omni", "--cand-model", "migr", "--markdown", filepath.Join(dir, "cmp.md"))
	if r.code != 0 {
		t.Fatalf("compare: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	rep, err := pipeline.Compare(t.Context(), pipeline.CompareOptions{Base: run, Cand: run, BaseModel: "r1-omni", CandModel: "migr"})
	if err != nil {
		t.Fatal(err)
	}
	for _, metric := range []string{"war", "uar", "lexicon.tf", "lexicon.tf_given_correct"} {
		want, ok1 := comparisonOf(a.Comparisons, metric)
		got, ok2 := comparisonOf(rep.Comparisons, metric)
		if !ok1 || !ok2 {
			t.Errorf("%s: in run %v, in compare %v", metric, ok1, ok2)
			continue
		}
		if got.Delta != want.Delta || got.CI != want.CI || math.Abs(got.PValue-want.PValue) > 0 || got.N != want.N {
			t.Errorf("%s: compare %+v, run %+v", metric, got, want)
		}
	}
	// r1-omni writes no description tags: MI alignment is not compared, in either command.
	for _, cs := range [][]metrics.Comparison{a.Comparisons, rep.Comparisons} {
		if c, ok := comparisonOf(cs, "mi_aligned"); ok {
			t.Errorf("mi_aligned compared against a model without description tags: %+v", c)
		}
	}
	if r := runCLI(t, nil, "compare", run, run, "--base-model", "r1-omni", "--cand-model", "migr", "--gate", "mi_aligned:significant-drop"); r.code != exitBadInput {
		t.Errorf("a gate on a metric that is not defined for both models: exit %d, want 2\n%s", r.code, r.stdout)
	}
}

// A model whose every call fails alike (a server that lists the model but rejects every
// request for it) is stopped after its first calls, its clips are counted as failed, never as
// wrong answers, the run exits 3; and compare refuses to read that as a regression.
func TestFailedCallsAreNotWrongAnswers(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 60)
	_, url := startSim(t, split, sim.Faults{})
	var completions atomic.Int32
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/models" {
			fmt.Fprint(w, `{"data": [{"id": "migr-sim"}]}`)
			return
		}
		completions.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error": {"message": "this model does not accept video"}}`)
	}))
	defer broken.Close()
	cfg := func(endpoint string) string {
		return fmt.Sprintf("name: x\ndataset: {name: dfew, split: %q}\nmodels:\n  - {name: m, backend: openai, endpoint: %s, model: migr-sim, concurrency: 4, timeout: 2s}\njudges: [{name: lexicon, kind: lexicon}]\nstatistics: {bootstrap: 100}\nreport: {formats: [md]}\n",
			splitPath, endpoint)
	}
	good, bad := filepath.Join(dir, "good.yaml"), filepath.Join(dir, "broken.yaml")
	writeFile(t, good, cfg(url))
	writeFile(t, bad, cfg(broken.URL+"/v1"))
	if r := runCLI(t, nil, "run", "-c", good, "--out", filepath.Join(dir, "good"), "--format", "none"); r.code != 0 {
		t.Fatalf("good run: exit %d: %s", r.code, r.stderr)
	}
	r := runCLI(t, nil, "run", "-c", bad, "--out", filepath.Join(dir, "broken"), "--format", "txt")
	if r.code != exitFailedItems || !strings.Contains(r.stderr, "was stopped") || !strings.Contains(r.stderr, "does not accept video") {
		t.Fatalf("broken run: exit %d, want 3 naming the stop and its cause: %s", r.code, r.stderr)
	}
	if sent := completions.Load(); sent > 30 {
		t.Errorf("%d requests sent for a model that cannot answer; it should stop after about 20", sent)
	}
	s := readSummary(t, filepath.Join(dir, "broken"))
	if m := s.Models["m"]; m.Failed != 60 || m.N != 0 || m.WAR != 0 {
		t.Errorf("broken model: failed %d n %d war %v; want 60 failed and nothing scored", m.Failed, m.N, m.WAR)
	}
	if !strings.Contains(r.stdout, "Failed") || !strings.Contains(r.stdout, "WARNING: 60 model calls failed") {
		t.Errorf("the tables do not show the failed calls:\n%s", r.stdout)
	}
	c := runCLI(t, nil, "compare", filepath.Join(dir, "good"), filepath.Join(dir, "broken"), "--gate", "war:max-drop=1pp")
	if c.code != exitBadInput || !strings.Contains(c.stderr, "failed calls") || !strings.Contains(c.stderr, "--max-failed") {
		t.Errorf("compare with a broken run: exit %d, want 2 naming the failed calls:\n%s%s", c.code, c.stdout, c.stderr)
	}
}

// Fail fast: a wrong model id, a stopped server or a refused key is found before the first
// request, in seconds, naming the model, the endpoint and the cause; a server that is only busy
// (429) does not stop the run.
func TestPreflightFailsFastBeforeSpending(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 20)
	srv, url := startSim(t, split, sim.Faults{})
	stopped := httptest.NewServer(http.NotFoundHandler())
	stoppedURL := stopped.URL + "/v1"
	stopped.Close()
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer busy.Close()
	tests := []struct {
		name, endpoint, model string
		code                  int
		want                  []string
	}{
		{"unknown model id", url, "migr-sim-typo", exitBadInput, []string{"model m", "migr-sim-typo", `"migr-sim"`, "r1-omni-sim"}},
		{"stopped server", stoppedURL, "migr-sim", exitBadInput, []string{"model m", "127.0.0.1", "refused"}},
		{"busy server", busy.URL + "/v1", "migr-sim", exitFailedItems, []string{"warning: model m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "emoeval.yaml")
			writeFile(t, cfg, fmt.Sprintf("name: x\ndataset: {name: dfew, split: %q}\nmodels:\n  - {name: m, backend: openai, endpoint: %s, model: %s, max_retries: 1, timeout: 2s}\nstatistics: {bootstrap: 0}\nreport: {formats: [md]}\n",
				splitPath, tt.endpoint, tt.model))
			before := srv.Stats().Completions
			r := runCLI(t, nil, "run", "-c", cfg, "--out", filepath.Join(filepath.Dir(cfg), "run"), "--format", "none")
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tt.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("the message lacks %q:\n%s", w, r.stderr)
				}
			}
			if tt.code == exitBadInput && srv.Stats().Completions != before {
				t.Errorf("%d completions were asked before the run stopped", srv.Stats().Completions-before)
			}
		})
	}
}

// A shard run without --out writes to its own directory, never over the complete run.
func TestShardWithoutOutKeepsTheCompleteRun(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	splitPath, split := smallSplit(t, dir, 40)
	_, url := startSim(t, split, sim.Faults{})
	writeFile(t, "emoeval.yaml", fmt.Sprintf("name: x\ndataset: {name: dfew, split: %q}\nmodels:\n  - {name: m, backend: openai, endpoint: %s, model: migr-sim}\nstatistics: {bootstrap: 0}\nreport: {formats: [md]}\n", splitPath, url))
	if r := runCLI(t, nil, "run", "-c", "emoeval.yaml", "--format", "none"); r.code != 0 {
		t.Fatalf("run: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "run", "-c", "emoeval.yaml", "--shard", "0/2", "--format", "none"); r.code != 0 {
		t.Fatalf("shard: exit %d: %s", r.code, r.stderr)
	}
	if n := readSummary(t, filepath.Join("runs", "x")).Models["m"].N; n != 40 {
		t.Errorf("the complete run now has %d clips, want 40", n)
	}
	if n := readSummary(t, filepath.Join("runs", "x", "shard-0-of-2")).Models["m"].N; n == 0 || n == 40 {
		t.Errorf("the shard has %d clips", n)
	}
}

// `report --formats md,pdf` adds and replaces only those formats.
func TestReportFormatsReplaceOnlyThemselves(t *testing.T) {
	dir := t.TempDir()
	split := importFixture(t, dir)
	res := filepath.Join(repo, "testdata/results")
	out := filepath.Join(dir, "run")
	if r := runCLI(t, nil, "score", "--split", split, "--model", "migr="+filepath.Join(res, "migr_dfew5.txt"), "--judge", "lexicon",
		"--bootstrap", "0", "--out", out, "--formats", "txt,csv,html,svg", "--format", "none"); r.code != 0 {
		t.Fatalf("score: exit %d: %s", r.code, r.stderr)
	}
	kept := []string{"tables/recognition.txt", "tables/recognition.csv", "tables.html", "figures/recognition.svg"}
	if r := runCLI(t, nil, "report", out, "--formats", "md,pdf"); r.code != 0 {
		t.Fatalf("report: exit %d: %s", r.code, r.stderr)
	}
	for _, f := range append(kept, "tables/recognition.md", "report.pdf") {
		if _, err := os.Stat(filepath.Join(out, "report", f)); err != nil {
			t.Errorf("after report --formats md,pdf: %v", err)
		}
	}
}
