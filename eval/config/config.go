// Package config reads and validates emoeval.yaml, the configuration of a run.
package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/safeyaml"
)

// Config is emoeval.yaml. Relative paths are resolved against the file's directory by Load.
type Config struct {
	Name       string           `yaml:"name" json:"name"`
	Dataset    Dataset          `yaml:"dataset" json:"dataset"`
	Protocol   string           `yaml:"protocol" json:"protocol"`
	Models     []Model          `yaml:"models" json:"models"`
	Judges     []Judge          `yaml:"judges" json:"judges"`
	Modality   *Modality        `yaml:"modality" json:"modality,omitempty"`
	Human      []Human          `yaml:"human" json:"human,omitempty"`
	Statistics Statistics       `yaml:"statistics" json:"statistics"`
	Report     Report           `yaml:"report" json:"report"`
	Comparison []ComparisonPair `yaml:"comparisons" json:"comparisons,omitempty"`
	// Concurrency caps the requests in flight over all models and judges (0: 256).
	Concurrency int `yaml:"concurrency" json:"concurrency"`
}

// Dataset selects the split and the samples to evaluate.
type Dataset struct {
	Name  string  `yaml:"name" json:"name"`
	Split string  `yaml:"split" json:"split"`
	Folds []int32 `yaml:"folds" json:"folds"`
	// SplitKind is "test" (default) or "train".
	SplitKind string `yaml:"split_kind" json:"split_kind"`
	// Labels is a custom label set file (YAML) for datasets other than dfew and mafw.
	Labels string `yaml:"labels" json:"labels,omitempty"`
	// FoldAggregation is single, pooled or mean (default: single for one fold, pooled otherwise).
	FoldAggregation string `yaml:"fold_aggregation" json:"fold_aggregation,omitempty"`
}

// Model is one model under evaluation.
type Model struct {
	Name    string `yaml:"name" json:"name"`
	Backend string `yaml:"backend" json:"backend"` // openai | onnx | replay

	// openai
	Endpoint    string   `yaml:"endpoint" json:"endpoint,omitempty"`
	Model       string   `yaml:"model" json:"model,omitempty"`
	APIKeyEnv   string   `yaml:"api_key_env" json:"api_key_env,omitempty"`
	Prompt      string   `yaml:"prompt" json:"prompt,omitempty"`
	Temperature *float64 `yaml:"temperature" json:"temperature,omitempty"`
	MaxTokens   int      `yaml:"max_tokens" json:"max_tokens,omitempty"`
	Variants    []string `yaml:"variants" json:"variants,omitempty"`
	Concurrency int      `yaml:"concurrency" json:"concurrency,omitempty"`
	Timeout     Duration `yaml:"timeout" json:"timeout,omitempty"`
	MaxRetries  *int     `yaml:"max_retries" json:"max_retries,omitempty"`
	RPS         float64  `yaml:"rps" json:"rps,omitempty"`

	// onnx (Path also names a replay file)
	Path       string            `yaml:"path" json:"path,omitempty"`
	Device     string            `yaml:"device" json:"device,omitempty"`
	Inputs     map[string]string `yaml:"inputs" json:"inputs,omitempty"`
	Output     string            `yaml:"output" json:"output,omitempty"`
	OutputKind string            `yaml:"output_kind" json:"output_kind,omitempty"`
	BatchSize  int               `yaml:"batch_size" json:"batch_size,omitempty"`
	Threads    int               `yaml:"threads" json:"threads,omitempty"`

	// replay
	Format string `yaml:"format" json:"format,omitempty"`
}

// Judge is one explanation judge.
type Judge struct {
	Name  string `yaml:"name" json:"name"`
	Kind  string `yaml:"kind" json:"kind"`   // llm | lexicon | classifier | replay
	Input string `yaml:"input" json:"input"` // think | think+desc | full

	// llm
	Endpoint    string   `yaml:"endpoint" json:"endpoint,omitempty"`
	Model       string   `yaml:"model" json:"model,omitempty"`
	APIKeyEnv   string   `yaml:"api_key_env" json:"api_key_env,omitempty"`
	Prompt      string   `yaml:"prompt" json:"prompt,omitempty"`
	Temperature *float64 `yaml:"temperature" json:"temperature,omitempty"`
	Votes       int      `yaml:"votes" json:"votes,omitempty"`
	Concurrency int      `yaml:"concurrency" json:"concurrency,omitempty"`
	Timeout     Duration `yaml:"timeout" json:"timeout,omitempty"`
	MaxRetries  *int     `yaml:"max_retries" json:"max_retries,omitempty"`
	RPS         float64  `yaml:"rps" json:"rps,omitempty"`

	// classifier
	Path      string         `yaml:"path" json:"path,omitempty"`
	Tokenizer string         `yaml:"tokenizer" json:"tokenizer,omitempty"`
	LabelMap  map[int]string `yaml:"label_map" json:"label_map,omitempty"`
	Threshold float64        `yaml:"threshold" json:"threshold,omitempty"`
	Device    string         `yaml:"device" json:"device,omitempty"`

	// replay: judge replies per model name
	Replies map[string]string `yaml:"replies" json:"replies,omitempty"`
	Format  string            `yaml:"format" json:"format,omitempty"`
}

// Modality says where modality importance comes from.
type Modality struct {
	From      string  `yaml:"from" json:"from"`   // variants | onnx | file
	Model     string  `yaml:"model" json:"model"` // for variants and onnx
	Path      string  `yaml:"path" json:"path,omitempty"`
	Threshold float64 `yaml:"threshold" json:"threshold,omitempty"`
}

// Human is a file of human labels of explanations (clip_id and emotion, in any judge-reply
// format), compared with every judge.
type Human struct {
	Name  string `yaml:"name" json:"name"`
	Path  string `yaml:"path" json:"path"`
	Model string `yaml:"model" json:"model,omitempty"` // whose explanations; "" for every model
}

// Statistics configures bootstrap intervals and tests.
type Statistics struct {
	Bootstrap int     `yaml:"bootstrap" json:"bootstrap"`
	Seed      uint64  `yaml:"seed" json:"seed"`
	Alpha     float64 `yaml:"alpha" json:"alpha"`
}

// Report configures rendered reports.
type Report struct {
	Formats   []string `yaml:"formats" json:"formats"`
	Reference *bool    `yaml:"reference" json:"reference,omitempty"`
	Examples  int      `yaml:"examples" json:"examples,omitempty"`
}

// ComparisonPair names a baseline and candidate to compare with paired tests.
type ComparisonPair struct {
	Baseline  string `yaml:"baseline" json:"baseline"`
	Candidate string `yaml:"candidate" json:"candidate"`
}

// Duration is a time.Duration written as "60s" in YAML.
type Duration time.Duration

// UnmarshalText parses "60s", "1m30s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration (e.g. 60s, 2m)", string(b))
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as "60s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Env looks up environment variables; injected so tests need not touch the process environment.
type Env func(name string) (string, bool)

// Load reads, resolves and validates a configuration file. Every problem found is reported,
// each as an *inputerr.Error naming the key.
func Load(path string, env Env) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputerr.Wrap(path, err)
	}
	return Parse(path, data, env)
}

// Parse is Load for content already read; path names the file in errors and anchors relative paths.
func Parse(path string, data []byte, env Env) (*Config, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, inputerr.New(path, "the configuration is empty")
	}
	// A strict pass finds an unknown key; a lenient pass then lets validation report every other
	// problem in the same run.
	var errs []error
	var c Config
	if err := safeyaml.Unmarshal(data, &c, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
		errs = append(errs, yamlError(path, err))
		c = Config{}
		if err := safeyaml.Unmarshal(data, &c); err != nil {
			return nil, errors.Join(errs...)
		}
	}
	c.resolvePaths(filepath.Dir(path))
	c.applyDefaults()
	errs = append(errs, c.validate(path, env)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &c, nil
}

// yamlError turns a go-yaml error ("[3:1] unknown field "x"" plus a source excerpt) into an
// input error at that line.
func yamlError(path string, err error) error {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.TrimSpace(msg)
	var line, col int
	if n, _ := fmt.Sscanf(msg, "[%d:%d]", &line, &col); n == 2 {
		msg = strings.TrimSpace(msg[strings.IndexByte(msg, ']')+1:])
		msg = strings.Replace(msg, "unknown field", "unknown key", 1)
		msg = typeMismatch(msg, col)
	}
	return &inputerr.Error{File: path, Line: line, Msg: msg}
}

// typeMismatchRE matches go-yaml's "cannot unmarshal string into Go struct field
// Config.Models of type float64", which speaks of Go rather than of the configuration.
var typeMismatchRE = regexp.MustCompile(`^cannot unmarshal (\S+) into Go struct field ([\w.]+) of type (\S+)`)

// typeMismatch rewrites a type error in the configuration's own words: the key's section, the
// column, and what kind of value was expected.
func typeMismatch(msg string, col int) string {
	m := typeMismatchRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	section := strings.ToLower(strings.TrimPrefix(m[2], "Config."))
	want := m[3]
	switch {
	case strings.HasPrefix(want, "float"), strings.HasPrefix(want, "*float"):
		want = "a number"
	case strings.HasPrefix(want, "int"), strings.HasPrefix(want, "*int"), strings.HasPrefix(want, "uint"):
		want = "a whole number"
	case want == "bool":
		want = "true or false"
	case strings.HasPrefix(want, "[]"):
		want = "a list"
	case strings.HasPrefix(want, "map"):
		want = "a mapping"
	case want == "string":
		want = "a text value"
	}
	return fmt.Sprintf("column %d (in %s): a %s where %s is expected", col, section, m[1], want)
}

func (c *Config) resolvePaths(dir string) {
	// An absolute anchor, so that a run resumed or merged from another working directory sees
	// the same paths (and the same configuration hash).
	if d, err := filepath.Abs(dir); err == nil {
		dir = d
	}
	abs := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) && !strings.Contains(*p, "://") {
			*p = filepath.Join(dir, *p)
		}
	}
	abs(&c.Dataset.Split)
	abs(&c.Dataset.Labels)
	for i := range c.Models {
		m := &c.Models[i]
		abs(&m.Path)
		if m.Prompt != "" && !isBuiltinPrompt(m.Prompt) {
			abs(&m.Prompt)
		}
	}
	for i := range c.Judges {
		j := &c.Judges[i]
		abs(&j.Path)
		abs(&j.Tokenizer)
		if j.Prompt != "" && !isBuiltinPrompt(j.Prompt) {
			abs(&j.Prompt)
		}
		for k, v := range j.Replies {
			abs(&v)
			j.Replies[k] = v
		}
	}
	if c.Modality != nil {
		abs(&c.Modality.Path)
	}
	for i := range c.Human {
		abs(&c.Human[i].Path)
		if c.Human[i].Name == "" {
			c.Human[i].Name = "human"
		}
	}
}

// Built-in prompt templates.
var builtinPrompts = []string{"r1-omni", "migr", "migr-judge"}

func isBuiltinPrompt(name string) bool { return slices.Contains(builtinPrompts, name) }

func (c *Config) applyDefaults() {
	if c.Protocol == "" {
		c.Protocol = "migr"
	}
	if c.Dataset.SplitKind == "" {
		c.Dataset.SplitKind = "test"
	}
	if len(c.Dataset.Folds) == 0 {
		c.Dataset.Folds = []int32{5}
	}
	if c.Dataset.FoldAggregation == "" {
		c.Dataset.FoldAggregation = "single"
		if len(c.Dataset.Folds) > 1 {
			c.Dataset.FoldAggregation = "pooled"
		}
	}
	if c.Concurrency == 0 {
		c.Concurrency = 256
	}
	for i := range c.Models {
		m := &c.Models[i]
		if len(m.Variants) == 0 {
			m.Variants = []string{"av"}
		}
		switch m.Backend {
		case "openai":
			if m.Prompt == "" {
				m.Prompt = "r1-omni"
			}
			if m.Temperature == nil {
				t := 0.3
				m.Temperature = &t
			}
			if m.Concurrency == 0 {
				m.Concurrency = 32
			}
			if m.Timeout == 0 {
				m.Timeout = Duration(60 * time.Second)
			}
			if m.MaxRetries == nil {
				r := 8
				m.MaxRetries = &r
			}
		case "onnx":
			if m.Device == "" {
				m.Device = "auto"
			}
			if m.BatchSize == 0 {
				m.BatchSize = 64
			}
			if m.Threads == 0 {
				m.Threads = 1
			}
			if m.OutputKind == "" {
				m.OutputKind = "auto"
			}
		}
	}
	for i := range c.Judges {
		j := &c.Judges[i]
		if j.Input == "" {
			j.Input = "think"
		}
		if j.Kind == "llm" {
			if j.Prompt == "" {
				j.Prompt = "migr-judge"
			}
			if j.Votes == 0 {
				j.Votes = 1
			}
			if j.Concurrency == 0 {
				j.Concurrency = 64
			}
			if j.Timeout == 0 {
				j.Timeout = Duration(20 * time.Second)
			}
			if j.MaxRetries == nil {
				r := 8
				j.MaxRetries = &r
			}
		}
		if j.Kind == "classifier" && j.Threshold == 0 {
			j.Threshold = 0.1
		}
	}
	if c.Statistics.Bootstrap == 0 {
		c.Statistics.Bootstrap = 10000
	}
	if c.Statistics.Seed == 0 {
		c.Statistics.Seed = 1
	}
	if c.Statistics.Alpha == 0 {
		c.Statistics.Alpha = 0.05
	}
	if len(c.Report.Formats) == 0 {
		c.Report.Formats = []string{"txt", "md", "tex", "csv", "html", "png", "svg", "pdf"}
	}
	if c.Report.Examples == 0 {
		c.Report.Examples = 3
	}
}

// ReferenceRows says whether reports show the published numbers (default true).
func (r Report) ReferenceRows() bool { return r.Reference == nil || *r.Reference }

// Hash is the sha256 of the configuration's canonical JSON form, leaving out the settings that
// only change how a run goes, not what it produces (concurrency, timeouts, retries, request
// rates, report formats): it identifies a run's configuration in manifests, resumes and merges,
// so that easing the load on a struggling server does not block a resume. Secrets are never in
// it: the configuration holds only the names of the environment variables that carry them.
func (c *Config) Hash() string {
	h := *c
	h.Concurrency, h.Report = 0, Report{}
	h.Models = slices.Clone(c.Models)
	for i := range h.Models {
		m := &h.Models[i]
		m.Concurrency, m.Timeout, m.MaxRetries, m.RPS, m.BatchSize, m.Threads, m.Device = 0, 0, nil, 0, 0, 0, ""
	}
	h.Judges = slices.Clone(c.Judges)
	for i := range h.Judges {
		j := &h.Judges[i]
		j.Concurrency, j.Timeout, j.MaxRetries, j.RPS = 0, 0, nil, 0
	}
	b, err := json.Marshal(&h)
	if err != nil {
		// Only non-finite numbers fail to marshal, and validation rejects them; hash the Go form.
		b = []byte(fmt.Sprintf("%#v", h))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Redacted returns a copy whose endpoint URLs carry no credentials or query strings, for
// writing into manifests.
func (c *Config) Redacted() *Config {
	r := *c
	r.Models = slices.Clone(c.Models)
	for i := range r.Models {
		r.Models[i].Endpoint = RedactURL(r.Models[i].Endpoint)
	}
	r.Judges = slices.Clone(c.Judges)
	for i := range r.Judges {
		r.Judges[i].Endpoint = RedactURL(r.Judges[i].Endpoint)
	}
	return &r
}

// RedactURL drops user information, query and fragment from a URL, which may carry keys.
func RedactURL(e string) string {
	if i := strings.Index(e, "://"); i >= 0 {
		rest := e[i+3:]
		host, _, _ := strings.Cut(rest, "/")
		if at := strings.LastIndex(host, "@"); at >= 0 {
			e = e[:i+3] + rest[at+1:]
		}
	}
	if q := strings.IndexAny(e, "?#"); q >= 0 {
		e = e[:q]
	}
	return e
}
