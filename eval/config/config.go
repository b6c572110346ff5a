// Package config is the plumbing of configuration files: YAML decoded block by block with
// messages in the configuration's own words (file, line, key, the nearest known key), a checker
// that reports every problem at once, and the value types blocks share.
package config

import (
	"fmt"
	"time"
)

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
