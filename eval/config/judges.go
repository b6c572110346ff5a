package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/safeyaml"
)

// judgesFile is a file of judges for `score --judge-config`: the judges section of emoeval.yaml.
type judgesFile struct {
	Judges []Judge `yaml:"judges"`
}

// LoadJudges reads a file holding a `judges:` list in the form of emoeval.yaml's, applies the
// same defaults and validates it the same way.
func LoadJudges(path string, env Env) ([]Judge, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputerr.Wrap(path, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, inputerr.New(path, "the judge configuration is empty")
	}
	var f judgesFile
	if err := safeyaml.Unmarshal(data, &f, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
		return nil, yamlError(path, err)
	}
	if len(f.Judges) == 0 {
		return nil, inputerr.New(path, "no judges: write a list under `judges:`")
	}
	c := Config{Judges: f.Judges}
	c.resolvePaths(filepath.Dir(path))
	c.applyDefaults()
	var errs []error
	for _, e := range c.validate(path, env) {
		var ie *inputerr.Error
		// Only the judges are checked here; the rest of a run configuration is absent.
		if errors.As(e, &ie) && len(ie.Key) >= 6 && ie.Key[:6] == "judges" {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c.Judges, nil
}
