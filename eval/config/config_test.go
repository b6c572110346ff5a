package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

func envOf(m map[string]string) Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// writeTree creates the files a configuration refers to and returns the directory.
func writeTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"split.parquet", "fusion.onnx", "out.txt", "prompt.txt", "mi.csv", "gpt.json"} {
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
  - name: fusion
    backend: onnx
    path: fusion.onnx
    device: auto
    inputs: {video: video, audio: audio}
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
	c, err := Parse(filepath.Join(dir, "emoeval.yaml"), []byte(good), envOf(map[string]string{"VLLM_API_KEY": "k1", "OPENAI_API_KEY": "k2"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Models[1].Prompt; got != filepath.Join(dir, "prompt.txt") {
		t.Errorf("prompt file not resolved against the config's directory: %s", got)
	}
	if c.Models[0].Prompt != "r1-omni" {
		t.Errorf("built-in prompt name was rewritten: %s", c.Models[0].Prompt)
	}
	if *c.Models[1].Temperature != 0.3 || c.Models[1].Concurrency != 32 || *c.Models[1].MaxRetries != 8 {
		t.Errorf("openai defaults not applied: %+v", c.Models[1])
	}
	if c.Models[2].BatchSize != 64 || c.Models[2].Threads != 1 {
		t.Errorf("onnx defaults not applied: %+v", c.Models[2])
	}
	if c.Judges[0].Prompt != "migr-judge" || c.Judges[1].Input != "think" {
		t.Errorf("judge defaults not applied: %+v", c.Judges)
	}
	if c.Statistics.Bootstrap != 2000 || c.Statistics.Seed != 7 {
		t.Errorf("statistics: %+v", c.Statistics)
	}
	if c.Dataset.FoldAggregation != "single" {
		t.Errorf("fold aggregation default: %s", c.Dataset.FoldAggregation)
	}
}

func TestHashIgnoresSecretsAndTracksChanges(t *testing.T) {
	dir := writeTree(t)
	p := filepath.Join(dir, "emoeval.yaml")
	a, err := Parse(p, []byte(good), envOf(map[string]string{"VLLM_API_KEY": "secret-1", "OPENAI_API_KEY": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(p, []byte(good), envOf(map[string]string{"VLLM_API_KEY": "secret-2", "OPENAI_API_KEY": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash() != b.Hash() {
		t.Error("the hash depends on the API key's value")
	}
	c, err := Parse(p, []byte(strings.Replace(good, "temperature: 0.3", "temperature: 0.7", 1)), envOf(map[string]string{"VLLM_API_KEY": "k", "OPENAI_API_KEY": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash() == c.Hash() {
		t.Error("the hash did not change with the temperature")
	}
}

func TestParseErrors(t *testing.T) {
	env := envOf(map[string]string{"VLLM_API_KEY": "k", "OPENAI_API_KEY": "k"})
	cases := []struct {
		name     string
		from, to string // the edit of the good configuration
		want     string
	}{
		{"unknown key", "protocol: migr\n", "protokol: migr\n", `emoeval.yaml:4: unknown key "protokol"`},
		{"missing split file", "split: split.parquet", "split: nope.parquet", "dataset.split: file"},
		{"model twice", "name: migr\n", "name: r1-omni\n", `model name "r1-omni" is used twice`},
		{"env not set", "api_key_env: VLLM_API_KEY", "api_key_env: NOT_SET_ANYWHERE", "environment variable NOT_SET_ANYWHERE is not set"},
		{"bad backend", "backend: replay", "backend: tensorrt", `"tensorrt": use openai, onnx or replay`},
		{"judge twice", "{name: lexicon, kind: lexicon}", "{name: gpt, kind: lexicon}", `judge name "gpt" is used twice`},
		{"bad variant", "variants: [av, video, audio]", "variants: [av, sound]", `"sound": use av, video or audio`},
		{"mi needs variants", "modality: {from: variants, model: r1-omni}", "modality: {from: variants, model: migr}", "needs variants video and audio"},
		{"replay reply for unknown model", "replies: {erv: gpt.json}", "replies: {nobody: gpt.json}", `no model named "nobody"`},
		{"even votes", "input: think}", "input: think, votes: 2}", "use an odd number of votes"},
		{"bad duration", "timeout: 60s", "timeout: soon", "is not a duration"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t)
			if !strings.Contains(good, tc.from) {
				t.Fatalf("test edit %q not found in the good config", tc.from)
			}
			src := strings.Replace(good, tc.from, tc.to, 1)
			_, err := Parse(filepath.Join(dir, "emoeval.yaml"), []byte(src), env)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
			if !inputerr.Is(err) {
				t.Errorf("error is not an input error (exit 2): %v", err)
			}
			if !strings.Contains(err.Error(), "emoeval.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
			if strings.Contains(err.Error(), "k1") {
				t.Errorf("error leaks a secret: %v", err)
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	dir := writeTree(t)
	src := strings.NewReplacer("protocol: migr\n", "protokol: migr\n", "split: split.parquet", "split: nope.parquet",
		"name: migr\n", "name: r1-omni\n").Replace(good)
	_, err := Parse(filepath.Join(dir, "emoeval.yaml"), []byte(src), envOf(map[string]string{"VLLM_API_KEY": "k", "OPENAI_API_KEY": "k"}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"unknown key", "dataset.split", "used twice"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestParseEmpty(t *testing.T) {
	if _, err := Parse("e.yaml", []byte("  \n"), envOf(nil)); err == nil || !inputerr.Is(err) {
		t.Fatalf("empty config: %v", err)
	}
}

func TestParseTypeErrorsSpeakOfTheConfiguration(t *testing.T) {
	dir := writeTree(t)
	src := strings.Replace(good, "temperature: 0.3", "temperature: hot", 1)
	_, err := Parse(filepath.Join(dir, "emoeval.yaml"), []byte(src), envOf(map[string]string{"VLLM_API_KEY": "k", "OPENAI_API_KEY": "k"}))
	if err == nil || !strings.Contains(err.Error(), "(in models): a string where a number is expected") || strings.Contains(err.Error(), "Go struct") {
		t.Fatalf("type error: %v", err)
	}
}
