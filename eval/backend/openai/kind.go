package openai

import (
	"context"
	"os"
	"time"

	"github.com/emoeval/emoeval/eval/backend"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/prompts"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/redact"
)

// Config is the openai backend's block in emoeval.yaml.
type Config struct {
	backend.Common `yaml:",inline"`
	// Endpoint is the server's base URL, e.g. http://gpu-1:8000/v1.
	Endpoint string `yaml:"endpoint" json:"endpoint"`
	// Model is the id the server serves the model under.
	Model string `yaml:"model" json:"model"`
	// APIKeyEnv names the environment variable holding the key; the key is never written.
	APIKeyEnv string `yaml:"api_key_env" json:"api_key_env"`
	// Prompt is a built-in prompt (r1-omni, migr) or a prompt file.
	Prompt      string   `yaml:"prompt" json:"prompt"`
	Temperature *float64 `yaml:"temperature" json:"temperature"`
	MaxTokens   int      `yaml:"max_tokens" json:"max_tokens"`
	// Seed, when set, is sent as seed+sample index.
	Seed        *int64          `yaml:"seed" json:"seed,omitempty"`
	Concurrency int             `yaml:"concurrency" json:"concurrency"`
	Timeout     config.Duration `yaml:"timeout" json:"timeout"`
	MaxRetries  int             `yaml:"max_retries" json:"max_retries"`
	// RPS caps requests per second (0: no cap).
	RPS float64 `yaml:"rps" json:"rps"`
	// MaxOutputBytes bounds one answer: a longer one is cut there, and the sample marked
	// truncated, so that memory depends on the limit, not on what a server sends.
	MaxOutputBytes int `yaml:"max_output_bytes" json:"max_output_bytes"`
}

// Kind is the openai backend: chat completions against any OpenAI-compatible server.
func Kind() backend.Kind {
	return backend.Kind{Name: "openai", New: newConfig, Open: open}
}

func newConfig() backend.Config {
	t := DefaultTemperature
	return &Config{
		Common: backend.Common{Variants: []variant.Variant{variant.AV}},
		Prompt: "r1-omni", Temperature: &t, Concurrency: 32,
		Timeout: config.Duration(60 * time.Second), MaxRetries: 8, MaxOutputBytes: chat.DefaultMaxOutputBytes,
	}
}

// ResolvePaths anchors a prompt file; built-in prompt names stay as they are.
func (c *Config) ResolvePaths(abs func(*string)) {
	if _, builtin := prompts.Model(c.Prompt); !builtin {
		abs(&c.Prompt)
	}
}

// Check reports every problem of the block.
func (c *Config) Check(s *config.Section) {
	backend.CheckVariants(s, c.Variants)
	s.HTTPURL("endpoint", c.Endpoint, "http://gpu-1:8000/v1")
	s.Required("model", c.Model, "the id the server serves the model under")
	s.EnvVar("api_key_env", c.APIKeyEnv)
	if _, builtin := prompts.Model(c.Prompt); !builtin {
		s.File("prompt", c.Prompt)
	}
	if c.Temperature != nil {
		s.Range("temperature", *c.Temperature, 0, 2)
	}
	s.IntRange("max_tokens", c.MaxTokens, 0, 1<<20)
	s.IntRange("concurrency", c.Concurrency, 1, 4096)
	checkTimeout(s, "timeout", time.Duration(c.Timeout))
	s.IntRange("max_retries", c.MaxRetries, 0, 100)
	s.Range("rps", c.RPS, 0, 1e6)
	s.IntRange("max_output_bytes", c.MaxOutputBytes, 1024, 64<<20)
}

// checkTimeout refuses timeouts that would switch the request timeout off or wait for days.
func checkTimeout(s *config.Section, key string, d time.Duration) {
	if d <= 0 || d > 24*time.Hour {
		s.Bad(key, "%s: use a duration between 1ms and 24h (e.g. 60s)", d)
	}
}

// Identity leaves out the settings that only change how the run goes.
func (c *Config) Identity() backend.Config {
	i := *c
	i.Concurrency, i.Timeout, i.MaxRetries, i.RPS = 0, 0, 0, 0
	return &i
}

// Redacted removes credentials from the endpoint.
func (c *Config) Redacted() backend.Config {
	r := *c
	r.Endpoint = redact.URL(c.Endpoint)
	return &r
}

func open(ctx context.Context, bc backend.Config, d backend.Deps) (*backend.Model, error) {
	c := bc.(*Config)
	prompt, info := c.Prompt, backend.Info{Endpoint: redact.URL(c.Endpoint), Model: c.Model}
	if _, builtin := prompts.Model(prompt); !builtin {
		b, err := os.ReadFile(prompt)
		if err != nil {
			return nil, inputerr.Wrap(prompt, err)
		}
		prompt, info.PromptFile = string(b), c.Prompt
	}
	client, h, err := backend.NewClient(backend.ClientSpec{Endpoint: c.Endpoint, APIKeyEnv: c.APIKeyEnv,
		Timeout: time.Duration(c.Timeout), MaxRetries: c.MaxRetries, RPS: c.RPS, MaxOutputBytes: c.MaxOutputBytes,
		Namespace: "model:" + c.Name}, d.Env, d.HTTP, d.Store, d.Stats)
	if err != nil {
		return nil, err
	}
	b, err := New(Options{Name: c.Name, Model: c.Model, Prompt: prompt, Temperature: c.Temperature,
		MaxTokens: c.MaxTokens, Variants: c.Variants, Seed: c.Seed}, client)
	if err != nil {
		return nil, err
	}
	if err := b.Check(d.Clips); err != nil {
		return nil, err
	}
	return &backend.Model{
		Backend: b, Concurrency: c.Concurrency, BatchSize: 1, Explains: true, Info: info, Cached: d.Store != nil,
		Preflight: func(ctx context.Context) error { return backend.Preflight(ctx, h, c.Model) },
	}, nil
}
