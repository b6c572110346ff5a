package replay

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges"
)

// Config is the replay judge's block: a file of judge replies per model.
type Config struct {
	judges.Common `yaml:",inline"`
	// Replies maps a model's name to its file of replies (the authors' JSON, JSONL or Parquet).
	Replies map[string]string `yaml:"replies" json:"replies"`
	// Format names the files' format when their extension does not say it.
	Format string `yaml:"format" json:"format"`
}

// Kind is the replay judge: replies produced elsewhere.
func Kind() judges.Kind {
	return judges.Kind{Name: "replay", New: func() judges.Config { return &Config{Common: judges.Common{Input: parse.InputThink}} }, Open: open}
}

// ResolvePaths anchors the reply files.
func (c *Config) ResolvePaths(abs func(*string)) {
	for m, p := range c.Replies {
		abs(&p)
		c.Replies[m] = p
	}
}

// Check reports every problem of the block.
func (c *Config) Check(s *config.Section) {
	c.CheckCommon(s)
	if len(c.Replies) == 0 {
		s.Bad("replies", "is required: a file of replies per model name, e.g. {migr: results/gpt_migr.json}")
	}
	for _, m := range slices.Sorted(maps.Keys(c.Replies)) {
		s.Model("replies."+m, m)
		s.File("replies."+m, c.Replies[m])
	}
	if c.Format != "" {
		s.OneOf("format", c.Format, FormatERVJSON, FormatJSONL, FormatParquet)
	}
}

// Identity is the whole block.
func (c *Config) Identity() judges.Config { i := *c; return &i }

// Redacted is the whole block.
func (c *Config) Redacted() judges.Config { r := *c; return &r }

func open(_ context.Context, jc judges.Config, d judges.Deps) ([]judges.Spec, error) {
	c := jc.(*Config)
	ids := make([]string, len(d.Clips))
	for i, cl := range d.Clips {
		ids[i] = cl.ClipID
	}
	var out []judges.Spec
	for _, model := range slices.Sorted(maps.Keys(c.Replies)) {
		path, format, err := FormatOf(c.Replies[model])
		if err != nil {
			return nil, err
		}
		if c.Format != "" {
			format = c.Format
		}
		j, err := New(c.Name, path, format, d.Labels, d.Protocol, model)
		if err != nil {
			return nil, err
		}
		// Replies for clips outside the selection belong to another split or fold.
		if extra := j.Unmatched(ids); len(extra) > 0 {
			return nil, inputerr.New(path, "%d replies are for clips not in the %s (e.g. %s)", len(extra), d.SplitDesc, strings.Join(extra[:min(5, len(extra))], ", "))
		}
		out = append(out, judges.Spec{Judge: j, Kind: "replay", Input: c.Input, Model: model})
	}
	return out, nil
}
