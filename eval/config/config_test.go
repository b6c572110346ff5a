package config

import (
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

func TestSuggest(t *testing.T) {
	keys := []string{"concurrency", "endpoint", "max_retries", "inspect", "import", "synth"}
	tests := []struct{ in, want string }{
		{"concurency", "concurrency"},
		{"endpont", "endpoint"},
		{"inpsect", "inspect"}, // an adjacent swap counts once
		{"max_retires", "max_retries"},
		{"zzz", ""},
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, keys); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKnownKeysFollowsInlineStructs(t *testing.T) {
	type common struct {
		Name string `yaml:"name"`
	}
	type block struct {
		common   `yaml:",inline"`
		Endpoint string `yaml:"endpoint"`
		skipped  int
		Dash     int `yaml:"-"`
	}
	if got := strings.Join(KnownKeys(&block{}), ","); got != "name,endpoint" {
		t.Errorf("KnownKeys = %s", got)
	}
}

func TestDecodeMessages(t *testing.T) {
	type block struct {
		Name        string   `yaml:"name"`
		Temperature float64  `yaml:"temperature"`
		Timeout     Duration `yaml:"timeout"`
		Folds       []int    `yaml:"folds"`
	}
	tests := []struct {
		src  string
		want string
	}{
		{"name: a\ntemprature: 1\n", "m.yaml:2: temprature: unknown key (did you mean temperature?)"},
		{"name: a\ntemperature: hot\n", "m.yaml:2: temperature: a text value where a number is expected"},
		{"name: a\ntimeout: soon\n", `m.yaml:2: timeout: "soon" is not a duration`},
		{"name: a\nfolds: five\n", "m.yaml:2: folds:"},
	}
	for _, tt := range tests {
		doc, err := ParseDocument("m.yaml", []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		var b block
		err = doc.Decode(doc.Root, &b)
		if err == nil || !inputerr.Is(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.src, err, tt.want)
		}
	}
}

func TestCheckerNamesKeyAndLine(t *testing.T) {
	doc, err := ParseDocument("c.yaml", []byte("models:\n  - name: a\n    endpoint: ftp://x\n    rps: -1\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := &Checker{Doc: doc, Resources: true}
	s := c.Section("models[a]", Items(Lookup(doc.Root, "models"))[0])
	s.HTTPURL("endpoint", "ftp://x", "http://host:8000/v1")
	s.Range("rps", -1, 0, 100)
	s.OneOf("backend", "tensorrt", "openai", "onnx")
	s.EnvVar("api_key_env", "sk-live-0123456789abcdefghij")
	s.File("path", "/nonexistent/file")
	msg := c.Err().Error()
	for _, want := range []string{
		"c.yaml:3: models[a].endpoint: must start with http:// or https://",
		"c.yaml:4: models[a].rps: -1 is out of range",
		`models[a].backend: "tensorrt": use openai or onnx`,
		"models[a].api_key_env: holds what looks like a key itself (not shown)",
		"models[a].path: file /nonexistent/file: no such file or directory",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "sk-live") {
		t.Errorf("a key was echoed:\n%s", msg)
	}
}
