package judges

import (
	"context"
	"fmt"
	"net/http"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/ortenv"
	"github.com/emoeval/emoeval/internal/registry"
)

// Common is the part of every judge block the run reads itself.
type Common struct {
	Name string `yaml:"name" json:"name"`
	Kind string `yaml:"kind" json:"kind"`
	// Input is what the judge reads: think (the authors' choice), think+desc or full.
	Input string `yaml:"input" json:"input"`
}

// Base gives the common part of a block.
func (c *Common) Base() *Common { return c }

// CheckCommon reports problems of the common keys.
func (c *Common) CheckCommon(s *config.Section) {
	s.OneOf("input", c.Input, parse.InputThink, parse.InputThinkDesc, parse.InputFull)
}

// Config is a judge kind's configuration block, decoded onto the kind's defaults (Kind.New).
type Config interface {
	Base() *Common
	// ResolvePaths rewrites the block's file paths with abs.
	ResolvePaths(abs func(*string))
	// Check reports every problem of the block.
	Check(s *config.Section)
	// Identity is a copy without the settings that only change how a run goes (concurrency,
	// timeouts, retries, rates, device).
	Identity() Config
	// Redacted is a copy fit for a manifest.
	Redacted() Config
}

// Deps are what opening a judge may need.
type Deps struct {
	Labels   *datasets.LabelSet
	Protocol parse.Protocol
	// Clips are the scored clips and SplitDesc names them ("test set of fold 5 of dfew.parquet"):
	// replayed replies for other clips are refused.
	Clips     []datasets.Clip
	SplitDesc string
	Env       config.Env
	HTTP      *http.Client
	Store     chat.Store
	Stats     *chat.Stats
	Logf      func(format string, args ...any)
}

// Spec is an opened judge of a run.
type Spec struct {
	Judge Judge
	Kind  string
	Input string
	// Model restricts the judge to one model's explanations (replayed replies); "" judges every
	// model.
	Model string
	// ModelID is an LLM judge's model at its endpoint, for the manifest.
	ModelID string
	// Placement is where and how an in-process judge (classifier) runs.
	Placement ortenv.Placement
	// Preflight checks, before the first request, that the judge can answer; nil when there is
	// nothing to check.
	Preflight func(ctx context.Context) error
	// Close releases what the judge holds; nil when nothing.
	Close func() error
}

// Kind is a judge kind.
type Kind struct {
	Name string
	// New returns a block holding the kind's defaults, for the YAML to be decoded onto.
	New func() Config
	// Open makes the judge ready; set-up problems fail here, before any request. A kind may
	// open one judge per model (replayed replies).
	Open func(ctx context.Context, cfg Config, deps Deps) ([]Spec, error)
}

// Registry holds the judge kinds a run may use.
type Registry = registry.Registry[Kind]

// NewRegistry returns a registry of kinds.
func NewRegistry(kinds ...Kind) (*Registry, error) {
	r := registry.New[Kind]("judge kind")
	for _, k := range kinds {
		if k.New == nil || k.Open == nil {
			return nil, fmt.Errorf("judge kind %q: a kind needs New and Open", k.Name)
		}
		if err := r.Register(k.Name, k); err != nil {
			return nil, err
		}
	}
	return r, nil
}
