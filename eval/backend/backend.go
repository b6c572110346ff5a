// Package backend is the registry of model backends. Each backend kind (openai, onnx, replay, or
// one of a user's own) owns its configuration block — YAML keys, defaults, checks — and knows how
// to open a model from it; the run configuration only reads the envelope (name, backend,
// variants) and hands the block to the kind the registry names.
//
// Adding a backend is one package with a Config and a Kind, and one line where the registry is
// made (pipeline.Backends).
package backend

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/ortenv"
	"github.com/emoeval/emoeval/internal/registry"
)

// Common is the part of every model block the run reads itself.
type Common struct {
	Name    string `yaml:"name" json:"name"`
	Backend string `yaml:"backend" json:"backend"`
	// Variants are the passes to run (default [av]); video and audio passes give modality
	// importance.
	Variants []variant.Variant `yaml:"variants" json:"variants"`
}

// Base gives the common part of a block.
func (c *Common) Base() *Common { return c }

// Config is a backend kind's configuration block, decoded from the model's YAML mapping onto the
// kind's defaults (Kind.New).
type Config interface {
	Base() *Common
	// ResolvePaths rewrites the block's file paths with abs (relative paths are relative to the
	// configuration file).
	ResolvePaths(abs func(*string))
	// Check reports every problem of the block to s.
	Check(s *config.Section)
	// Identity is a copy without the settings that only change how a run goes, not what it
	// produces (concurrency, timeouts, retries, request rates, device, batch size): the
	// configuration hash covers it, so that easing the load on a server does not block a resume.
	Identity() Config
	// Redacted is a copy fit for a manifest: no credential in any field.
	Redacted() Config
}

// Deps are what opening a model may need.
type Deps struct {
	Labels *datasets.LabelSet
	// Clips are the clips the run scores; a backend checks them (media paths, features) before
	// any task.
	Clips []datasets.Clip
	// SplitPath names the split file in messages about its clips.
	SplitPath string
	Env       config.Env
	HTTP      *http.Client
	// Store caches responses (nil: none); Stats counts requests (nil: none).
	Store chat.Store
	Stats *chat.Stats
	Logf  func(format string, args ...any)
}

// Model is an opened model, ready to run.
type Model struct {
	// Backend runs tasks; nil for outputs produced elsewhere (Scan).
	Backend runner.Backend
	// Scan yields outputs produced elsewhere in file order; nil for backends that run.
	Scan func(ctx context.Context, yield func(predictions.Output) error) error
	// File and Format name a replayed file, for messages about its lines.
	File, Format string
	// Cached says that answers go to the response cache as they arrive, so that a resumed run
	// does not ask for them again; in-process models (ONNX) answer again, in seconds.
	Cached bool
	// Concurrency is how many batches of BatchSize tasks may be in flight.
	Concurrency, BatchSize int
	// Explains says whether outputs are explanations worth judging (not a classifier's
	// probabilities).
	Explains bool
	// Preflight checks, before the first task, that the model can answer at all (the endpoint
	// is reachable, the model id is served); nil when there is nothing to check.
	Preflight func(ctx context.Context) error
	// Info describes the model for the manifest and the report.
	Info Info
	// Close releases what the model holds; nil when nothing.
	Close func() error
}

// Info describes an opened model.
type Info struct {
	Endpoint string `json:"endpoint,omitempty"` // redacted
	Model    string `json:"model,omitempty"`    // the id the server knows
	Path     string `json:"path,omitempty"`
	// Placement is where and how an in-process model actually ran (cpu, cuda:0), not what was
	// asked; empty for a remote one.
	ortenv.Placement
	PromptFile string `json:"prompt_file,omitempty"`
}

// Kind is a backend kind.
type Kind struct {
	Name string
	// New returns a block holding the kind's defaults, for the YAML to be decoded onto.
	New func() Config
	// Open makes a model ready to run. Every set-up problem (a missing file, an unset key, a
	// clip without the media a variant needs) fails here, before any task.
	Open func(ctx context.Context, cfg Config, deps Deps) (*Model, error)
}

// Registry holds the backend kinds a run may use.
type Registry = registry.Registry[Kind]

// NewRegistry returns a registry of kinds.
func NewRegistry(kinds ...Kind) (*Registry, error) {
	r := registry.New[Kind]("backend")
	for _, k := range kinds {
		if k.New == nil || k.Open == nil {
			return nil, fmt.Errorf("backend %q: a kind needs New and Open", k.Name)
		}
		if err := r.Register(k.Name, k); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// CheckVariants reports variants listed twice (values are already parsed).
func CheckVariants(s *config.Section, vs []variant.Variant) {
	for i, v := range vs {
		if slices.Contains(vs[:i], v) {
			s.Bad(fmt.Sprintf("variants[%d]", i), "variant %s is listed twice", v)
		}
	}
}
