package llm

import (
	"context"
	"os"
	"time"

	"github.com/emoeval/emoeval/eval/backend"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/redact"
	"github.com/emoeval/emoeval/judges"
)

// BuiltinPrompt is the authors' judge prompt.
const BuiltinPrompt = "migr-judge"

// Block is the llm judge's block in emoeval.yaml.
type Block struct {
	judges.Common `yaml:",inline"`
	Endpoint      string `yaml:"endpoint" json:"endpoint"`
	Model         string `yaml:"model" json:"model"`
	APIKeyEnv     string `yaml:"api_key_env" json:"api_key_env"`
	// Prompt is migr-judge (the authors') or a template file with {labels} and {reason}.
	Prompt string `yaml:"prompt" json:"prompt"`
	// Temperature nil leaves the provider's default, as the authors did.
	Temperature *float64 `yaml:"temperature" json:"temperature,omitempty"`
	// Votes asks that many times and takes the majority (odd).
	Votes       int             `yaml:"votes" json:"votes"`
	Concurrency int             `yaml:"concurrency" json:"concurrency"`
	Timeout     config.Duration `yaml:"timeout" json:"timeout"`
	MaxRetries  int             `yaml:"max_retries" json:"max_retries"`
	RPS         float64         `yaml:"rps" json:"rps"`
}

// Kind is the LLM judge: an OpenAI-compatible model asked with the authors' prompt.
func Kind() judges.Kind {
	return judges.Kind{Name: "llm", New: func() judges.Config {
		return &Block{Common: judges.Common{Input: parse.InputThink}, Prompt: BuiltinPrompt, Votes: 1, Concurrency: 64,
			Timeout: config.Duration(20 * time.Second), MaxRetries: 8}
	}, Open: open}
}

// JudgeModelID is the model the judge asks, for reports that say which judge measured a rate.
func (c *Block) JudgeModelID() string { return c.Model }

// ResolvePaths anchors a prompt file.
func (c *Block) ResolvePaths(abs func(*string)) {
	if c.Prompt != BuiltinPrompt {
		abs(&c.Prompt)
	}
}

// Check reports every problem of the block.
func (c *Block) Check(s *config.Section) {
	c.CheckCommon(s)
	s.HTTPURL("endpoint", c.Endpoint, "https://api.openai.com/v1")
	s.Required("model", c.Model, "the judge's model id at the endpoint, e.g. gpt-4.1-mini")
	s.EnvVar("api_key_env", c.APIKeyEnv)
	if c.Prompt != BuiltinPrompt {
		s.File("prompt", c.Prompt)
	}
	if c.Temperature != nil {
		s.Range("temperature", *c.Temperature, 0, 2)
	}
	if c.Votes < 1 || c.Votes%2 == 0 || c.Votes > 99 {
		s.Bad("votes", "%d: use an odd number of votes from 1 to 99", c.Votes)
	}
	s.IntRange("concurrency", c.Concurrency, 1, 4096)
	if d := time.Duration(c.Timeout); d <= 0 || d > 24*time.Hour {
		s.Bad("timeout", "%s: use a duration between 1ms and 24h (e.g. 20s)", d)
	}
	s.IntRange("max_retries", c.MaxRetries, 0, 100)
	s.Range("rps", c.RPS, 0, 1e6)
}

// Identity leaves out the settings that only change how the run goes.
func (c *Block) Identity() judges.Config {
	i := *c
	i.Concurrency, i.Timeout, i.MaxRetries, i.RPS = 0, 0, 0, 0
	return &i
}

// Redacted removes credentials from the endpoint.
func (c *Block) Redacted() judges.Config {
	r := *c
	r.Endpoint = redact.URL(c.Endpoint)
	return &r
}

func open(_ context.Context, jc judges.Config, d judges.Deps) ([]judges.Spec, error) {
	c := jc.(*Block)
	tmpl := ""
	if c.Prompt != BuiltinPrompt {
		b, err := os.ReadFile(c.Prompt)
		if err != nil {
			return nil, inputerr.Wrap(c.Prompt, err)
		}
		tmpl = string(b)
	}
	client, h, err := backend.NewClient(backend.ClientSpec{Endpoint: c.Endpoint, APIKeyEnv: c.APIKeyEnv, Timeout: time.Duration(c.Timeout),
		MaxRetries: c.MaxRetries, RPS: c.RPS, Namespace: "judge:" + c.Name}, d.Env, d.HTTP, d.Store, d.Stats)
	if err != nil {
		return nil, err
	}
	j, err := New(Config{Name: c.Name, Model: c.Model, Labels: d.Labels, Protocol: d.Protocol, Template: tmpl,
		Temperature: c.Temperature, Votes: c.Votes, Concurrency: c.Concurrency}, client)
	if err != nil {
		return nil, err
	}
	return []judges.Spec{{Judge: j, Kind: "llm", Input: c.Input, ModelID: c.Model,
		Preflight: func(ctx context.Context) error { return backend.Preflight(ctx, h, c.Model) }}}, nil
}
