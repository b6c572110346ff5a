package config

import (
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/redact"
)

// Checker collects every problem of a configuration, each an *inputerr.Error naming the file,
// the line and the key, so that one run reports them all.
type Checker struct {
	Doc *Document
	Env Env
	// Resources turns on the checks of the outside world: named files exist and are regular
	// files, environment variables are set. A merge re-reads a finished run's configuration
	// without them.
	Resources bool
	// Models are the configured model names, for sections that refer to models.
	Models map[string]bool
	errs   []error
}

// Err is every problem found, joined; nil when there is none.
func (c *Checker) Err() error { return errors.Join(c.errs...) }

// Add records an error found elsewhere (a decoding error).
func (c *Checker) Add(err error) {
	if err != nil {
		c.errs = append(c.errs, err)
	}
}

// Section is a part of the configuration under a key ("models[r1-omni]") with its node, so that
// problems name the line of the key they are about.
type Section struct {
	c    *Checker
	key  string
	node ast.Node
}

// Section returns the section at key whose YAML is node (nil when it came from elsewhere).
func (c *Checker) Section(key string, node ast.Node) *Section {
	return &Section{c: c, key: key, node: node}
}

// Checker is the checker the section reports to.
func (s *Section) Checker() *Checker { return s.c }

// Key is the full name of a key of the section.
func (s *Section) Key(k string) string {
	switch {
	case s.key == "":
		return k
	case k == "":
		return s.key
	}
	return s.key + "." + k
}

// Bad records a problem with key (relative to the section).
func (s *Section) Bad(key, format string, args ...any) {
	line := LineOf(s.node)
	if n := Lookup(s.node, firstKey(key)); n != nil {
		line = LineOf(n)
	}
	file := ""
	if s.c.Doc != nil {
		file = s.c.Doc.File
	}
	s.c.errs = append(s.c.errs, &inputerr.Error{File: file, Line: line, Key: s.Key(key), Msg: fmt.Sprintf(format, args...)})
}

func firstKey(k string) string {
	if i := strings.IndexAny(k, ".["); i >= 0 {
		return k[:i]
	}
	return k
}

// Required reports an empty value; what says what the key holds (e.g. "the served model id").
func (s *Section) Required(key, v, what string) bool {
	if strings.TrimSpace(v) == "" {
		s.Bad(key, "is required: %s", what)
		return false
	}
	return true
}

// File checks that a required file exists and is a regular file (not a directory, a FIFO or a
// device, which would hang or flood a reader).
func (s *Section) File(key, path string) {
	if path == "" {
		s.Bad(key, "is required (a file)")
		return
	}
	s.OptionalFile(key, path)
}

// OptionalFile checks a file when one is named.
func (s *Section) OptionalFile(key, path string) {
	if path == "" || !s.c.Resources {
		return
	}
	st, err := os.Stat(path)
	switch {
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		s.Bad(key, "file %s: %v", path, err)
	case st.IsDir():
		s.Bad(key, "%s is a directory, not a file", path)
	case !st.Mode().IsRegular():
		s.Bad(key, "%s is not a regular file", path)
	}
}

// EnvVar checks that the environment variable named by key is set. A value that looks like a
// key itself (a secret pasted where its variable's name belongs) is never echoed.
func (s *Section) EnvVar(key, name string) {
	if name == "" {
		return
	}
	if LooksLikeSecret(name) {
		s.Bad(key, "holds what looks like a key itself (not shown); name the environment variable that holds it, e.g. OPENAI_API_KEY")
		return
	}
	if !s.c.Resources || s.c.Env == nil {
		return
	}
	if v, ok := s.c.Env(name); !ok || v == "" {
		s.Bad(key, "environment variable %s is not set", name)
	}
}

// LooksLikeSecret says whether a value meant to be an environment variable's name looks like a
// credential instead: variable names are letters, digits and underscores.
func LooksLikeSecret(name string) bool {
	if redact.LooksLikeSecret(name) {
		return true
	}
	for _, r := range name {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return true
		}
	}
	return strings.HasPrefix(name, "sk") && len(name) > 20
}

// Finite reports NaN and infinities.
func (s *Section) Finite(key string, v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		s.Bad(key, "must be a finite number")
		return false
	}
	return true
}

// Range reports a value outside [lo, hi].
func (s *Section) Range(key string, v, lo, hi float64) {
	if s.Finite(key, v) && (v < lo || v > hi) {
		s.Bad(key, "%v is out of range: use %v to %v", v, lo, hi)
	}
}

// IntRange reports a whole number outside [lo, hi].
func (s *Section) IntRange(key string, v, lo, hi int) {
	if v < lo || v > hi {
		s.Bad(key, "%d is out of range: use %d to %d", v, lo, hi)
	}
}

// OneOf reports a value outside allowed, suggesting the nearest.
func (s *Section) OneOf(key, v string, allowed ...string) bool {
	if slices.Contains(allowed, v) {
		return true
	}
	s.Bad(key, "%s", OneOfMsg(v, allowed))
	return false
}

// HTTPURL checks an endpoint without echoing it (it may carry credentials).
func (s *Section) HTTPURL(key, u, example string) {
	if !s.Required(key, u, "the server's base URL, e.g. "+example) {
		return
	}
	l := strings.ToLower(u)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
		s.Bad(key, "must start with http:// or https:// (e.g. %s)", example)
	}
}

// Model reports a reference to a model the configuration does not have.
func (s *Section) Model(key, name string) bool {
	if s.c.Models[name] {
		return true
	}
	names := make([]string, 0, len(s.c.Models))
	for n := range s.c.Models {
		names = append(names, n)
	}
	slices.Sort(names)
	msg := fmt.Sprintf("no model named %q (models: %s)", name, strings.Join(names, ", "))
	if sg := Suggest(name, names); sg != "" {
		msg += fmt.Sprintf("; did you mean %s?", sg)
	}
	s.Bad(key, "%s", msg)
	return false
}

// Name checks a component's name: required, used once, free of the characters that would break
// file arguments (NAME=PATH), metric names (judge.tf) or table rows.
func (s *Section) Name(key, name, forbidden string, seen map[string]bool) bool {
	switch {
	case name == "":
		s.Bad(key, "is required")
	case seen[name]:
		s.Bad(key, "%q is used twice", name)
	case strings.ContainsAny(name, forbidden):
		s.Bad(key, "%q must not contain any of %s", name, strings.Join(strings.Split(forbidden, ""), " "))
	case strings.TrimSpace(name) != name || strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0:
		s.Bad(key, "%q must not start or end with spaces or hold control characters", name)
	default:
		seen[name] = true
		return true
	}
	return false
}
