package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/eval/backend/openai"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges/llm"
)

func envOf(m map[string]string) config.Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

var testEnv = envOf(map[string]string{"VLLM_API_KEY": "k1", "OPENAI_API_KEY": "k2"})

func opts(env config.Env) Options {
	return Options{Registries: DefaultRegistries(), Env: env, Resources: true}
}

// writeTree creates the files a configuration refers to and returns the directory.
func writeTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"split.parquet", "out.txt", "prompt.txt", "mi.csv", "gpt.json"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const good = `
name: dfew-fold5
dataset: {name: dfew, split: split.parquet, folds: [5], split_kind: test}
protocol: migr
models:
  - name: r1-omni
    backend: openai
    endpoint: http://gpu-1:8000/v1
    model: R1-Omni-7B
    api_key_env: VLLM_API_KEY
    prompt: r1-omni
    temperature: 0.3
    variants: [av, video, audio]
    concurrency: 32
    timeout: 60s
    max_retries: 8
  - name: migr
    backend: openai
    endpoint: http://gpu-2:8000/v1
    model: MIGR-7B
    prompt: prompt.txt
  - name: erv
    backend: replay
    path: out.txt
judges:
  - {name: gpt, kind: llm, endpoint: https://api.openai.com/v1, model: gpt-4.1-mini, api_key_env: OPENAI_API_KEY, input: think}
  - {name: lexicon, kind: lexicon}
  - {name: authors, kind: replay, replies: {erv: gpt.json}}
modality: {from: variants, model: r1-omni}
statistics: {bootstrap: 2000, seed: 7, alpha: 0.05}
report: {formats: [txt, md, pdf]}
comparisons: [{baseline: r1-omni, candidate: migr}]
`

func TestParseGood(t *testing.T) {
	dir := writeTree(t)
	s, err := Parse(filepath.Join(dir, "emoeval.yaml"), []byte(good), opts(testEnv))
	if err != nil {
		t.Fatal(err)
	}
	migr := s.Models[1].(*openai.Config)
	if migr.Prompt != filepath.Join(dir, "prompt.txt") {
		t.Errorf("prompt file not resolved against the configuration's folder: %s", migr.Prompt)
	}
	if s.Models[0].(*openai.Config).Prompt != "r1-omni" {
		t.Error("a built-in prompt name was rewritten")
	}
	if *migr.Temperature != 0.3 || migr.Concurrency != 32 || migr.MaxRetries != 8 || len(migr.Variants) != 1 {
		t.Errorf("openai defaults not applied: %+v", migr)
	}
	if g := s.Judges[0].(*llm.Block); g.Prompt != "migr-judge" || g.Votes != 1 || s.Judges[1].Base().Input != "think" {
		t.Errorf("judge defaults not applied: %+v", g)
	}
	if s.Statistics.Bootstrap != 2000 || s.Statistics.Seed != 7 || s.Dataset.FoldAggregation != "single" || !s.Report.Reference {
		t.Errorf("envelope: %+v %+v", s.Statistics, s.Dataset)
	}
	if s.Dataset.Split != filepath.Join(dir, "split.parquet") {
		t.Errorf("split not anchored: %s", s.Dataset.Split)
	}
}

// Zero values in YAML mean what they say; only keys left out take defaults.
func TestZeroValuesMeanWhatTheySay(t *testing.T) {
	dir := writeTree(t)
	src := strings.Replace(good, "statistics: {bootstrap: 2000, seed: 7, alpha: 0.05}", "statistics: {bootstrap: 0, seed: 0}", 1)
	src = strings.Replace(src, "    max_retries: 8\n", "    max_retries: 0\n    rps: 0\n", 1)
	src = strings.Replace(src, "report: {formats: [txt, md, pdf]}", "report: {formats: [md], reference: false, examples: 0}", 1)
	s, err := Parse(filepath.Join(dir, "emoeval.yaml"), []byte(src), opts(testEnv))
	if err != nil {
		t.Fatal(err)
	}
	if s.Statistics.Bootstrap != 0 || s.Statistics.Seed != 0 || s.Statistics.Alpha != 0.05 {
		t.Errorf("statistics %+v, want bootstrap 0, seed 0, alpha left at its default", s.Statistics)
	}
	if m := s.Models[0].(*openai.Config); m.MaxRetries != 0 {
		t.Errorf("max_retries %d, want 0", m.MaxRetries)
	}
	if s.Report.Reference || s.Report.Examples != 0 {
		t.Errorf("report %+v", s.Report)
	}
}

func TestHashIgnoresSecretsAndOperationalSettings(t *testing.T) {
	dir := writeTree(t)
	p := filepath.Join(dir, "emoeval.yaml")
	parse := func(src string, env config.Env) *Spec {
		t.Helper()
		s, err := Parse(p, []byte(src), opts(env))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a := parse(good, testEnv)
	if b := parse(good, envOf(map[string]string{"VLLM_API_KEY": "other", "OPENAI_API_KEY": "k"})); a.Hash() != b.Hash() {
		t.Error("the hash depends on the API key's value")
	}
	if c := parse(strings.Replace(good, "concurrency: 32", "concurrency: 4", 1), testEnv); a.Hash() != c.Hash() {
		t.Error("the hash depends on the concurrency")
	}
	if d := parse(strings.Replace(good, "temperature: 0.3", "temperature: 0.7", 1), testEnv); a.Hash() == d.Hash() {
		t.Error("the hash did not change with the temperature")
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name     string
		from, to string // the edit of the good configuration
		want     string
	}{
		{"unknown key", "protocol: migr\n", "protokol: migr\n", `emoeval.yaml:4: protokol: unknown key (did you mean protocol?)`},
		{"typo in a model", "    concurrency: 32\n", "    concurency: 32\n", `concurency: unknown key (did you mean concurrency?)`},
		{"missing split file", "split: split.parquet", "split: nope.parquet", "dataset.split: file"},
		{"model twice", "name: migr\n", "name: r1-omni\n", `models[1].name: "r1-omni" is used twice`},
		{"env not set", "api_key_env: VLLM_API_KEY", "api_key_env: NOT_SET_ANYWHERE", "models[r1-omni].api_key_env: environment variable NOT_SET_ANYWHERE is not set"},
		{"a key instead of a variable", "api_key_env: VLLM_API_KEY", "api_key_env: sk-proj-abcdefghijklmnop1234567890", "looks like a key itself (not shown)"},
		{"bad backend", "backend: replay", "backend: tensorrt", `models[erv].backend: "tensorrt": use openai, onnx or replay`},
		{"backend typo", "backend: replay", "backend: replya", `(did you mean replay?)`},
		{"judge twice", "{name: lexicon, kind: lexicon}", "{name: gpt, kind: lexicon}", `judges[1].name: "gpt" is used twice`},
		{"bad variant", "variants: [av, video, audio]", "variants: [av, sound]", `variant "sound": use av, video or audio`},
		{"mi needs variants", "modality: {from: variants, model: r1-omni}", "modality: {from: variants, model: migr}", "needs variants [av, video, audio]"},
		{"replay reply for unknown model", "replies: {erv: gpt.json}", "replies: {nobody: gpt.json}", `no model named "nobody"`},
		{"even votes", "input: think}", "input: think, votes: 2}", "use an odd number of votes"},
		{"bad duration", "timeout: 60s", "timeout: soon", "is not a duration"},
		{"negative timeout", "timeout: 60s", "timeout: -1s", "use a duration between 1ms and 24h"},
		{"temperature type", "temperature: 0.3", "temperature: hot", "temperature: a text value where a number is expected"},
		{"fractional fold", "folds: [5]", "folds: [5.5]", `dataset.folds[0]: fold "5.5": folds are whole numbers`},
		{"absurd bootstrap", "bootstrap: 2000", "bootstrap: 1000000000", "statistics.bootstrap: 1000000000 is out of range"},
		{"absurd retries", "max_retries: 8", "max_retries: 100000", "max_retries: 100000 is out of range"},
		{"replay with variants", "    path: out.txt\n", "    path: out.txt\n    variants: [av, video]\n", "a replayed file holds one pass"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t)
			if !strings.Contains(good, tc.from) {
				t.Fatalf("test edit %q not found in the good configuration", tc.from)
			}
			_, err := Parse(filepath.Join(dir, "emoeval.yaml"), []byte(strings.Replace(good, tc.from, tc.to, 1)), opts(testEnv))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
			if !inputerr.Is(err) || !strings.Contains(err.Error(), "emoeval.yaml:") {
				t.Errorf("not an input error naming the file and line: %v", err)
			}
			if strings.Contains(err.Error(), "k1") || strings.Contains(err.Error(), "sk-proj") {
				t.Errorf("error leaks a secret: %v", err)
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	dir := writeTree(t)
	src := strings.NewReplacer("split: split.parquet", "split: nope.parquet", "name: migr\n", "name: r1-omni\n",
		"temperature: 0.3", "temperature: 9").Replace(good)
	_, err := Parse(filepath.Join(dir, "emoeval.yaml"), []byte(src), opts(testEnv))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"dataset.split", "used twice", "temperature"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"  \n", "- a\n- b\n"} {
		if _, err := Parse("e.yaml", []byte(src), opts(testEnv)); err == nil || !inputerr.Is(err) {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// A manifest keeps the specification as JSON; merge reads it back through the same parser.
func TestJSONFormReadsBack(t *testing.T) {
	dir := writeTree(t)
	s, err := Parse(filepath.Join(dir, "emoeval.yaml"), []byte(good), opts(testEnv))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Redacted().MarshalJSONBytes()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("manifest.json", b, Options{Registries: DefaultRegistries()})
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if back.Hash() != s.Hash() {
		t.Errorf("the JSON form reads back as another configuration:\n%s", b)
	}
}
