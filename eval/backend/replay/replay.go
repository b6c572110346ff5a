// Package replay is the backend of outputs produced elsewhere: the authors' id-pipe result files,
// JSONL or Parquet (an emoeval predictions.parquet included), read in file order. `emoeval score`
// is a run whose models are all replayed.
package replay

import (
	"context"
	"slices"

	"github.com/emoeval/emoeval/eval/backend"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/variant"
)

// Config is the replay backend's block: the file and, when its extension does not say, its
// format.
type Config struct {
	backend.Common `yaml:",inline"`
	Path           string `yaml:"path" json:"path"`
	// Format is idpipe, jsonl or parquet; "" picks it from the extension (.txt, .jsonl, .parquet).
	Format string `yaml:"format" json:"format"`
}

// Kind is the replay backend.
func Kind() backend.Kind {
	return backend.Kind{Name: "replay", New: newConfig, Open: open}
}

func newConfig() backend.Config {
	return &Config{Common: backend.Common{Variants: []variant.Variant{variant.AV}}}
}

// ResolvePaths anchors the file.
func (c *Config) ResolvePaths(abs func(*string)) { abs(&c.Path) }

// Check reports every problem of the block.
func (c *Config) Check(s *config.Section) {
	if !slices.Equal(c.Variants, []variant.Variant{variant.AV}) {
		s.Bad("variants", "a replayed file holds one pass: leave variants out (av), and give video and audio passes as models of their own")
	}
	s.File("path", c.Path)
	if c.Format != "" {
		s.OneOf("format", c.Format, predictions.FormatIDPipe, predictions.FormatJSONL, predictions.FormatParquet)
	} else if _, _, err := predictions.FormatOf(c.Path); err != nil && c.Path != "" {
		s.Bad("format", "%v; name the format (idpipe, jsonl or parquet)", err)
	}
}

// Identity is the whole block: nothing in it is operational.
func (c *Config) Identity() backend.Config { i := *c; return &i }

// Redacted is the whole block: it holds no credential.
func (c *Config) Redacted() backend.Config { r := *c; return &r }

func open(_ context.Context, bc backend.Config, _ backend.Deps) (*backend.Model, error) {
	c := bc.(*Config)
	path, format := c.Path, c.Format
	if format == "" {
		var err error
		if path, format, err = predictions.FormatOf(c.Path); err != nil {
			return nil, err
		}
	}
	return &backend.Model{
		Scan: func(ctx context.Context, yield func(predictions.Output) error) error {
			return predictions.Scan(ctx, path, format, yield)
		},
		File: path, Format: format, Explains: true, Info: backend.Info{Path: path},
	}, nil
}
