package config

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/safeyaml"
)

// Document is a parsed YAML file: its path, for messages, and its root mapping.
type Document struct {
	File string
	Root ast.Node
}

// ParseDocument parses a configuration file's text. An empty file, a file that is not YAML, or
// one whose top level is not a mapping is an input error naming the file and line.
func ParseDocument(file string, data []byte) (*Document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, inputerr.New(file, "the file is empty")
	}
	f, err := safeyaml.ParseFile(data)
	if err != nil {
		return nil, yamlError(file, nil, nil, err)
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, inputerr.New(file, "the file holds no YAML mapping")
	}
	root := f.Docs[0].Body
	if _, ok := root.(*ast.MappingNode); !ok {
		if _, ok := root.(*ast.MappingValueNode); !ok {
			return nil, inputerr.AtLine(file, root.GetToken().Position.Line, "the top level must be a mapping of keys (name:, dataset:, …)")
		}
	}
	return &Document{File: file, Root: root}, nil
}

// Decode decodes node onto v strictly: unknown keys and values of the wrong type are input
// errors at their line, naming the key (and the nearest known key for a typo). v should already
// hold its defaults: keys the YAML leaves out keep them, keys it gives replace them (a 0 in YAML
// is a 0).
func (d *Document) Decode(node ast.Node, v any) error {
	err := safeyaml.DecodeNode(node, v, yaml.Strict(), yaml.DisallowUnknownField())
	if err == nil {
		return nil
	}
	return yamlError(d.File, d.Root, v, err)
}

// Lookup returns the value node of key in a mapping node, or nil.
func Lookup(node ast.Node, key string) ast.Node {
	for _, mv := range mappingValues(node) {
		if mv.Key != nil && unquote(mv.Key.String()) == key {
			return mv.Value
		}
	}
	return nil
}

// unquote strips the quotes of a quoted key or scalar ("backend" in JSON, which is YAML too).
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// ScalarString is a scalar node's text without its quotes.
func ScalarString(node ast.Node) string {
	if node == nil {
		return ""
	}
	return unquote(node.String())
}

// Items returns the elements of a sequence node (nil for anything else).
func Items(node ast.Node) []ast.Node {
	seq, ok := node.(*ast.SequenceNode)
	if !ok {
		return nil
	}
	return seq.Values
}

// LineOf is the line of a node (0 for nil).
func LineOf(node ast.Node) int {
	if node == nil || node.GetToken() == nil {
		return 0
	}
	return node.GetToken().Position.Line
}

func mappingValues(node ast.Node) []*ast.MappingValueNode {
	switch n := node.(type) {
	case *ast.MappingNode:
		return n.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{n}
	}
	return nil
}

var (
	posRE          = regexp.MustCompile(`^\[(\d+):(\d+)\]\s*`)
	unknownFieldRE = regexp.MustCompile(`unknown field "([^"]*)"`)
	typeMismatchRE = regexp.MustCompile(`cannot unmarshal (\S+) into Go (?:struct field [\w.]+|value) of type (\S+)`)
)

// yamlError turns a go-yaml error (a "[line:col] message" plus a source excerpt, in Go's
// words) into an input error in the configuration's words: the file and line, the key, and what
// was expected or the nearest known key.
func yamlError(file string, root ast.Node, v any, err error) error {
	var ie *inputerr.Error
	if errors.As(err, &ie) {
		if ie.File == "" {
			ie.File = file
		}
		return ie
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.TrimSpace(msg)
	var line, col int
	if m := posRE.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[1], &line)
		fmt.Sscan(m[2], &col)
		msg = msg[len(m[0]):]
	}
	out := &inputerr.Error{File: file, Line: line}
	switch {
	case unknownFieldRE.MatchString(msg):
		key := unknownFieldRE.FindStringSubmatch(msg)[1]
		out.Key = key
		if p := keyAt(root, line, col); strings.HasSuffix(p, key) {
			out.Key = p
		}
		out.Msg = "unknown key"
		if s := Suggest(key, KnownKeys(v)); s != "" {
			out.Msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
	case typeMismatchRE.MatchString(msg):
		m := typeMismatchRE.FindStringSubmatch(msg)
		out.Key = keyAt(root, line, col)
		out.Msg = fmt.Sprintf("%s where %s is expected", article(yamlKind(m[1])), expected(m[2]))
	default:
		out.Key = keyAt(root, line, col)
		out.Msg = strings.TrimPrefix(msg, "yaml: ")
		if line == 0 {
			// A value a type's own parser refused ("soon" as a duration): find it.
			if m := quotedRE.FindStringSubmatch(msg); m != nil {
				out.Line, out.Key = scalarAt(root, m[1])
			}
		}
	}
	return out
}

func yamlKind(k string) string {
	switch k {
	case "string":
		return "text value"
	case "[]interface", "[]interface {}", "array", "sequence":
		return "list"
	case "map[string]interface", "mapping", "object":
		return "mapping"
	}
	return k
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

func expected(goType string) string {
	t := strings.TrimLeft(goType, "*")
	switch {
	case strings.HasPrefix(t, "float"):
		return "a number"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "a whole number"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map"):
		return "a mapping"
	case t == "string":
		return "a text value"
	case strings.HasSuffix(t, "Duration"):
		return "a duration (e.g. 60s)"
	}
	return "another kind of value"
}

// keyAt names the key whose value starts at line:col (or whose line it is), as a dotted path.
func keyAt(root ast.Node, line, col int) string {
	if root == nil || line == 0 {
		return ""
	}
	best := ""
	var walk func(n ast.Node, path string)
	walk = func(n ast.Node, path string) {
		switch n := n.(type) {
		case *ast.MappingNode:
			for _, mv := range n.Values {
				walk(mv, path)
			}
		case *ast.MappingValueNode:
			p := unquote(n.Key.String())
			if path != "" {
				p = path + "." + p
			}
			if t := n.Key.GetToken(); t != nil && t.Position.Line == line {
				best = p
			}
			if t := n.Value.GetToken(); t != nil && t.Position.Line == line && t.Position.Column <= col+1 {
				best = p
			}
			walk(n.Value, p)
		case *ast.SequenceNode:
			for i, v := range n.Values {
				walk(v, fmt.Sprintf("%s[%s]", path, itemName(v, i)))
			}
		case *ast.TagNode:
			walk(n.Value, path)
		}
	}
	walk(root, "")
	return best
}

// itemName names a list item by its name key when it has one (models[r1-omni]), else by index.
func itemName(n ast.Node, i int) string {
	if name := ScalarString(Lookup(n, "name")); name != "" {
		return name
	}
	return fmt.Sprint(i)
}

// scalarAt finds the first scalar whose text is value: the place of a value that a type's own
// parser refused (those errors come without a position).
func scalarAt(root ast.Node, value string) (line int, key string) {
	var walk func(n ast.Node, path string) bool
	walk = func(n ast.Node, path string) bool {
		switch n := n.(type) {
		case *ast.MappingNode:
			for _, mv := range n.Values {
				if walk(mv, path) {
					return true
				}
			}
		case *ast.MappingValueNode:
			p := unquote(n.Key.String())
			if path != "" {
				p = path + "." + p
			}
			return walk(n.Value, p)
		case *ast.SequenceNode:
			for i, v := range n.Values {
				if walk(v, fmt.Sprintf("%s[%s]", path, itemName(v, i))) {
					return true
				}
			}
		case *ast.TagNode:
			return walk(n.Value, path)
		default:
			if n != nil && ScalarString(n) == value {
				line, key = LineOf(n), path
				return true
			}
		}
		return false
	}
	walk(root, "")
	return line, key
}

var quotedRE = regexp.MustCompile(`"([^"]*)"`)

// KnownKeys lists the YAML keys of v's struct type (inline structs included).
func KnownKeys(v any) []string {
	if v == nil {
		return nil
	}
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(opts, "inline") {
			keys = append(keys, KnownKeys(reflect.New(f.Type).Interface())...)
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		keys = append(keys, name)
	}
	return keys
}

// Suggest returns the candidate nearest to s (edit distance at most 2, or one a prefix of the
// other), or "".
func Suggest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" && s != "" {
		for _, c := range candidates {
			if strings.HasPrefix(c, s) || strings.HasPrefix(s, c) {
				return c
			}
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (adjacent swaps count once: "inpsect").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// OneOfMsg is the message for a value outside allowed, with the nearest allowed value.
func OneOfMsg(v string, allowed []string) string {
	msg := fmt.Sprintf("%q: use %s", v, orList(allowed))
	if s := Suggest(v, allowed); s != "" && !slices.Contains(allowed, v) {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg
}

func orList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
