package safeyaml

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

func TestUnmarshalRecoversDecoderPanics(t *testing.T) {
	var v struct {
		Labels []string `yaml:"labels"`
	}
	// This document makes go-yaml v1.19.2 dereference a nil pointer.
	if err := Unmarshal([]byte("name: 0\nlabels: !00000000000000000 0000000000"), &v); err == nil {
		t.Error("no error for a document the decoder cannot read")
	}
	if err := Unmarshal([]byte("labels: [a, b]"), &v); err != nil || len(v.Labels) != 2 {
		t.Errorf("a good document: %v %v", err, v)
	}
}

// laughs is a "billion laughs" emoeval.yaml: nine levels of nine aliases, 463 bytes, that
// go-yaml v1.19.2 alone expands past 2.8 GB in 10 s.
func laughs() string {
	var b strings.Builder
	b.WriteString("name: lol\ndataset: {name: dfew, split: s.parquet}\n")
	b.WriteString(`a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d,", i-1), 9), ","))
	}
	b.WriteString("models: [{name: m, variants: *a8}]\n")
	return b.String()
}

// bigAlias is `variants: [&s "<1 MB>", *s × 2000]`: 1 MB of text that go-yaml v1.19.2 alone
// turns into 2 GB of strings in 51 s and 10.8 GB of allocation.
func bigAlias() string {
	return `variants: [&s "` + strings.Repeat("x", 1_000_000) + `"` + strings.Repeat(", *s", 2000) + "]\n"
}

// wideMap is a block mapping of n keys.
func wideMap(n int) string {
	var b strings.Builder
	b.WriteString("synonyms:\n")
	for i := range n {
		fmt.Fprintf(&b, "  k%d: v\n", i)
	}
	return b.String()
}

// TestHostileDocumentsRefusedQuickly feeds documents that exhaust go-yaml alone and checks that
// each is refused, at its line, within a second and a bounded allocation.
func TestHostileDocumentsRefusedQuickly(t *testing.T) {
	tests := []struct {
		name, doc string
		line      int    // the line the error names; 0 for none
		want      string // in the message
		maxAlloc  uint64 // bytes allocated while refusing it
	}{
		{"billion laughs", laughs(), 8, "the aliases expand the document by more than 1.0 MiB", 1 << 20},
		{"1 MB string aliased 2000 times", bigAlias(), 1, "the aliases expand the document by more than 1.0 MiB", 64 << 20},
		{"too large", "a: " + strings.Repeat("x", DefaultMaxBytes), 0, "more than the 1.0 MiB limit", 1 << 20},
		{"deep flow nesting", "a: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000), 1, "nested more than 100 deep", 64 << 20},
		{"deep block nesting", strings.Repeat("- ", 100_000) + "x", 1, "nested more than 100 deep", 64 << 20},
		{"deep indentation", deepIndent(1200), 101, "nested more than 100 deep", 64 << 20},
		{"wide block mapping", wideMap(20_000), 1002, "more than 1000 keys in one mapping", 64 << 20},
		{"self-referencing alias", "a: &a [*a, *a]\nb: *a\n", 1, "inside the value of its own anchor &a", 1 << 20},
		{"anchor redefined", "a: &a small\nb: [*a, *a]\nc: &a [big, bigger]\n", 3, "anchor &a is defined again (first at line 1)", 1 << 20},
		{"alias before anchor", "b: *a\na: &a 1\n", 1, "alias *a names no anchor defined before it", 1 << 20},
		{"too many aliases", "a: &a 1\nb: [" + strings.TrimSuffix(strings.Repeat("*a, ", 1001), ", ") + "]\n", 2, "more than 1000 aliases", 4 << 20},
		{"second document", "name: a\n---\nname: b\n", 2, "a second YAML document starts here", 1 << 20},
		{"second document after end marker", "name: a\n...\nname: b\n", 3, "a second YAML document", 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := []byte(tt.doc)
			var v map[string]any
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			err := Unmarshal(doc, &v, yaml.Strict())
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			var e *Error
			if !errors.As(err, &e) || e.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v (line %d); want an *Error at line %d with %q", err, lineOf(e), tt.line, tt.want)
			}
			if tt.line > 0 && !strings.HasPrefix(err.Error(), fmt.Sprintf("[%d:", tt.line)) {
				t.Errorf("message %q does not start with [line:column]", err)
			}
			if took > time.Second {
				t.Errorf("took %v; want under a second", took)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > tt.maxAlloc {
				t.Errorf("allocated %d MiB; want under %d MiB", alloc>>20, tt.maxAlloc>>20)
			}
			t.Logf("%d bytes refused in %v, %.1f MiB allocated", len(doc), took, float64(after.TotalAlloc-before.TotalAlloc)/(1<<20))
		})
	}
	if n := len(laughs()); n > 600 {
		t.Errorf("the billion-laughs document is %d bytes; it should stay small", n)
	}
}

func lineOf(e *Error) int {
	if e == nil {
		return -1
	}
	return e.Line
}

// deepIndent is a block mapping nested n deep by indentation.
func deepIndent(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String()
}

// What real configurations do stays accepted: anchors shared through merge keys and plain
// aliases, a leading "---", a trailing empty document, comments.
func TestOrdinaryDocumentsAccepted(t *testing.T) {
	type model struct {
		Name     string   `yaml:"name"`
		Endpoint string   `yaml:"endpoint"`
		Timeout  string   `yaml:"timeout"`
		Variants []string `yaml:"variants"`
	}
	type config struct {
		Name     string           `yaml:"name"`
		Defaults map[string]any   `yaml:"defaults"`
		Models   []model          `yaml:"models"`
		Labels   []string         `yaml:"labels"`
		Extra    []map[string]any `yaml:"extra"`
	}
	tests := []struct {
		name, doc string
		check     func(c config) bool
	}{
		{"merge keys", `name: x
defaults: &d {endpoint: "http://gpu-1:8000/v1", timeout: 60s}
models:
  - {<<: *d, name: a}
  - <<: *d
    name: b
    variants: &v [av, video, audio]
  - {name: c, endpoint: e, variants: *v}
`, func(c config) bool {
			return len(c.Models) == 3 && c.Models[1].Endpoint == "http://gpu-1:8000/v1" && c.Models[1].Name == "b" && len(c.Models[2].Variants) == 3
		}},
		{"leading document marker", "---\nname: x\n", func(c config) bool { return c.Name == "x" }},
		{"trailing empty document", "name: x\n---\n", func(c config) bool { return c.Name == "x" }},
		{"trailing comment document", "name: x\n---\n# nothing here\n", func(c config) bool { return c.Name == "x" }},
		{"end marker", "name: x\n...\n", func(c config) bool { return c.Name == "x" }},
		{"empty", "", func(c config) bool { return c.Name == "" }},
		{"comments only", "# a\n# b\n", func(c config) bool { return c.Name == "" }},
		{"1000 keys", wideMap(999), func(c config) bool { return true }},
		{"100 levels", deepIndent(99) + strings.Repeat(" ", 99) + "a: 1\n", func(c config) bool { return true }},
		{"anchored keys and tags", "&n name: x\n!!str labels: [a, b]\n", func(c config) bool { return c.Name == "x" && len(c.Labels) == 2 }},
		{"sequence of mappings at the key's column", "name: x\nextra:\n- a: 1\n  b: 2\n- c: 3\nlabels: [p]\n", func(c config) bool {
			return len(c.Extra) == 2 && len(c.Labels) == 1
		}},
		{"block literal", "name: |\n  several\n  lines\n", func(c config) bool { return c.Name == "several\nlines\n" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c config
			if err := Unmarshal([]byte(tt.doc), &c); err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tt.check(c) {
				t.Errorf("decoded %+v", c)
			}
		})
	}
}

func TestLimitsAreConfigurable(t *testing.T) {
	doc := []byte("a: &a [1, 2, 3]\nb: [*a, *a]\nc:\n  d:\n    e: 1\n")
	var v map[string]any
	if err := Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		limits Limits
		want   string
	}{
		{Limits{MaxBytes: 10}, "more than the 10 bytes limit"},
		{Limits{MaxDepth: 2}, "[5:5] collections nested more than 2 deep"},
		{Limits{MaxKeys: 2}, "[3:1] more than 2 keys in one mapping"},
		{Limits{MaxAliases: 1}, "[2:9] more than 1 aliases"},
		{Limits{MaxAliasExpanded: 10}, "[2:9] the aliases expand the document by more than 10 bytes (at *a, which alone stands for 7 bytes)"},
	}
	for _, tt := range tests {
		if err := tt.limits.Unmarshal(doc, &v); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err = %v; want %q", tt.limits, err, tt.want)
		}
	}
	if err := (Limits{MaxBytes: 8 << 20}).Unmarshal([]byte("a: "+strings.Repeat("x", 2<<20)), &v); err != nil {
		t.Errorf("a raised size limit: %v", err)
	}
}

// A syntax error still comes from go-yaml, with its line, and decode options still apply.
func TestDecoderErrorsAndOptionsPassThrough(t *testing.T) {
	var v struct {
		Name string `yaml:"name"`
	}
	err := Unmarshal([]byte("name: x\nname: y\n"), &v)
	if err == nil || !strings.HasPrefix(err.Error(), "[2:1]") {
		t.Errorf("duplicate key: %v", err)
	}
	err = Unmarshal([]byte("name: x\nnmae: y\n"), &v, yaml.DisallowUnknownField())
	if err == nil || !strings.Contains(err.Error(), `unknown field "nmae"`) {
		t.Errorf("unknown field: %v", err)
	}
}

func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		"name: x\nmodels:\n  - {name: a, endpoint: http://h/v1}\n",
		"a: &a [1, 2]\nb: {<<: *a}\nc: *a\n",
		"- - - x\n",
		"a: [[{b: c}]]\n",
		"? a\n: b\n",
		"a: |\n  x\n---\nb: 1\n",
		"&x !!str a: 1\nb: *x\n",
		"name: 0\nlabels: !00000000000000000 0000000000",
		laughs(),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		err := Unmarshal(data, &v)
		var e *Error
		if errors.As(err, &e) && e.Line < 0 {
			t.Fatalf("negative line in %v", err)
		}
		// A document accepted is within the limits whatever it decodes to: decoding it again
		// into a struct must not panic either.
		var s struct {
			Name   string         `yaml:"name"`
			Models []any          `yaml:"models"`
			Rest   map[string]any `yaml:",inline"`
		}
		_ = Unmarshal(data, &s, yaml.Strict())
	})
}

// ParseFile, for readers that decode section by section, applies the same limits; DecodeNode
// decodes a section and turns panics into errors.
func TestParseFileAndDecodeNode(t *testing.T) {
	for name, doc := range map[string]string{
		"billion laughs":  laughs(),
		"second document": "a: 1\n---\nb: 2\n",
		"deep":            strings.Repeat("- ", 500) + "x",
	} {
		if f, err := ParseFile([]byte(doc)); err == nil || f != nil {
			t.Errorf("%s: ParseFile = %v, %v; want a refusal", name, f, err)
		}
	}
	f, err := ParseFile([]byte("name: x\nmodels:\n  - {name: a, concurrency: 4}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var models []struct {
		Name        string `yaml:"name"`
		Concurrency int    `yaml:"concurrency"`
	}
	root := f.Docs[0].Body.(*ast.MappingNode)
	if err := DecodeNode(root.Values[1].Value, &models, yaml.Strict()); err != nil || len(models) != 1 || models[0].Concurrency != 4 {
		t.Errorf("DecodeNode = %v, %+v", err, models)
	}
	var labels []string
	if err := DecodeNode(nil, &labels); err == nil && labels != nil {
		t.Errorf("a nil node decoded to %v", labels)
	}
}
