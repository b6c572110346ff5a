package lexicon

import (
	"context"

	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/judges"
)

// Config is the lexicon judge's block: only the common keys.
type Config struct {
	judges.Common `yaml:",inline"`
}

// Kind is the lexicon judge: offline, deterministic, fast.
func Kind() judges.Kind {
	return judges.Kind{Name: "lexicon", New: func() judges.Config { return &Config{Common: judges.Common{Input: parse.InputThink}} }, Open: open}
}

// ResolvePaths: the block names no file.
func (c *Config) ResolvePaths(func(*string)) {}

// Check reports problems of the common keys.
func (c *Config) Check(s *config.Section) { c.CheckCommon(s) }

// Identity is the whole block.
func (c *Config) Identity() judges.Config { i := *c; return &i }

// Redacted is the whole block.
func (c *Config) Redacted() judges.Config { r := *c; return &r }

func open(_ context.Context, jc judges.Config, d judges.Deps) ([]judges.Spec, error) {
	c := jc.(*Config)
	return []judges.Spec{{Judge: New(d.Labels, WithName(c.Name)), Kind: "lexicon", Input: c.Input}}, nil
}
