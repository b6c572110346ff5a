package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emoeval/emoeval/eval/backend"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/pipeline/spec"
)

// echoConfig is a tiny backend kind of the test's own: it answers every clip with one emotion.
// Adding it takes this file and one registration, nothing else.
type echoConfig struct {
	backend.Common `yaml:",inline"`
	Answer         string `yaml:"answer" json:"answer"`
}

func (c *echoConfig) ResolvePaths(func(*string)) {}
func (c *echoConfig) Check(s *config.Section) {
	s.Required("answer", c.Answer, "the emotion to answer")
}
func (c *echoConfig) Identity() backend.Config { i := *c; return &i }
func (c *echoConfig) Redacted() backend.Config { r := *c; return &r }

type echo struct{ answer string }

func (e echo) Predict(_ context.Context, tasks []runner.Task) ([]runner.Result, error) {
	out := make([]runner.Result, len(tasks))
	for i := range out {
		out[i] = runner.Result{Raw: "<think>It is " + e.answer + ".</think><answer>" + e.answer + "</answer>", Attempts: 1}
	}
	return out, nil
}

func echoKind() backend.Kind {
	return backend.Kind{
		Name: "echo",
		New: func() backend.Config {
			return &echoConfig{Common: backend.Common{Variants: []variant.Variant{variant.AV}}}
		},
		Open: func(_ context.Context, c backend.Config, _ backend.Deps) (*backend.Model, error) {
			return &backend.Model{Backend: echo{c.(*echoConfig).Answer}, Concurrency: 1, BatchSize: 16, Explains: true}, nil
		},
	}
}

func TestANewBackendKindIsOneRegistration(t *testing.T) {
	dir := t.TempDir()
	splitPath, split := smallSplit(t, dir, 30)
	regs := spec.DefaultRegistries()
	if err := regs.Backends.Register(echoKind().Name, echoKind()); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "emoeval.yaml")
	writeFile(t, cfg, fmt.Sprintf("name: echo\ndataset: {name: dfew, split: %q}\nmodels:\n  - {name: always-happy, backend: echo, answer: happy}\njudges: [{name: lexicon, kind: lexicon}]\nstatistics: {bootstrap: 0}\nreport: {formats: [md]}\n", splitPath))
	var out, errOut strings.Builder
	f := &factory{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) (string, bool) { return "", false },
		HTTPClient: func() *http.Client { return &http.Client{} }, Now: time.Now, Registries: regs}
	if code := execute(context.Background(), f, []string{"run", "-c", cfg, "--out", filepath.Join(dir, "run"), "--format", "none"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	s := readSummary(t, filepath.Join(dir, "run"))
	happy := 0
	for _, c := range split.Clips {
		if c.Label == "happy" {
			happy++
		}
	}
	if m := s.Models["always-happy"]; m == nil || m.N != 30 || m.WAR != float64(happy)/30 {
		t.Errorf("summary %+v, want WAR %d/30", s.Models["always-happy"], happy)
	}
	// Its block is checked like any other: a missing key names the model and the line.
	writeFile(t, cfg, fmt.Sprintf("name: echo\ndataset: {name: dfew, split: %q}\nmodels:\n  - name: always-happy\n    backend: echo\n    anwser: happy\n", splitPath))
	errOut.Reset()
	if code := execute(context.Background(), f, []string{"run", "-c", cfg}); code != exitBadInput || !strings.Contains(errOut.String(), "emoeval.yaml:6: models[always-happy].anwser: unknown key (did you mean answer?)") {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
}
