// Package safeyaml decodes YAML that a user or an attacker wrote without letting it crash or
// exhaust the process. Every YAML reader of emoeval (emoeval.yaml, label sets, judge
// configurations) goes through it.
//
// goccy/go-yaml v1.19.2 alone is not safe on hostile input:
//   - it panics on some malformed documents (a tag on a scalar where a list is expected, found
//     by fuzzing the configuration readers);
//   - it expands aliases while decoding, so that a 463-byte document of nested aliases (a
//     "billion laughs") grows past 2.8 GB in 10 s, and `[&s "<1 MB>", *s, *s, …]` takes 51 s and
//     10.8 GB;
//   - its parser is quadratic in the nesting depth (100,000 nested `[` take 44 s and 14.7 GB)
//     and in the number of keys of one block mapping (40,000 keys, 389 KB, take 4 s and 6.3 GB),
//     and it recurses once per key, so that deep or wide enough input ends in a fatal stack
//     overflow, which recover cannot catch;
//   - it decodes the first document of a file and silently ignores the rest.
//
// So before the decoder sees a document, Unmarshal checks its size, then its shape on the token
// stream (nesting depth, keys per block mapping: both before the parser runs, since the parser
// is where the cost is), then, on the syntax tree, its documents and its aliases (count,
// expanded size, self-reference, redefinition). Each limit is a field of Limits; the zero value
// of a field means its default.
package safeyaml

import (
	"fmt"
	"math"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Defaults of Limits. A configuration file is a few kilobytes with a handful of levels; these
// leave a wide margin while keeping the decoder's worst case (about 100 bytes allocated per
// input byte, measured on go-yaml v1.19.2) near 100 MB and well under a second.
const (
	DefaultMaxBytes         = 1 << 20 // 1 MiB
	DefaultMaxDepth         = 100
	DefaultMaxKeys          = 1000    // keys of one block mapping
	DefaultMaxAliases       = 1000    // alias uses (*name) in a document
	DefaultMaxAliasExpanded = 1 << 20 // bytes that all alias uses add once expanded
)

// Limits bounds what a document may cost. The zero value of a field means its default.
type Limits struct {
	// MaxBytes is the largest input accepted, in bytes.
	MaxBytes int
	// MaxDepth is the deepest nesting of collections (block and flow) accepted.
	MaxDepth int
	// MaxKeys is the most keys one block mapping may have (flow mappings, {…}, are bounded by
	// MaxBytes only: the parser handles them in linear time).
	MaxKeys int
	// MaxAliases is the most alias uses (*name) a document may have.
	MaxAliases int
	// MaxAliasExpanded bounds the size, in bytes of scalar text plus one per node, that the
	// alias uses add to the document once each is replaced by what it names. A document without
	// aliases adds nothing; `<<: *defaults` in a few model entries adds a few hundred bytes.
	MaxAliasExpanded int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxKeys <= 0 {
		l.MaxKeys = DefaultMaxKeys
	}
	if l.MaxAliases <= 0 {
		l.MaxAliases = DefaultMaxAliases
	}
	if l.MaxAliasExpanded <= 0 {
		l.MaxAliasExpanded = DefaultMaxAliasExpanded
	}
	return l
}

// Error is a document refused by a limit, or one the decoder could not read without failing.
// Its message starts with "[line:column]" when the place is known, the form go-yaml's own
// errors have, so that callers reporting the line of one report the line of the other.
type Error struct {
	Line, Column int // 1-based; 0 when the problem is not at one place (the file's size)
	Msg          string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("[%d:%d] %s", e.Line, e.Column, e.Msg)
	}
	return e.Msg
}

func errorAt(tk *token.Token, format string, args ...any) *Error {
	e := &Error{Msg: fmt.Sprintf(format, args...)}
	if tk != nil {
		e.Line, e.Column = tk.Position.Line, tk.Position.Column
	}
	return e
}

// Unmarshal is Limits{}.Unmarshal: yaml.UnmarshalWithOptions within the default limits.
func Unmarshal(data []byte, v any, opts ...yaml.DecodeOption) error {
	return Limits{}.Unmarshal(data, v, opts...)
}

// Unmarshal checks data against the limits (see Parse), then decodes its single document into v
// with yaml.UnmarshalWithOptions. Panics of the decoder become errors.
func (l Limits) Unmarshal(data []byte, v any, opts ...yaml.DecodeOption) (err error) {
	if _, err := l.Parse(data); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Msg: fmt.Sprintf("the YAML cannot be read (the decoder failed: %v)", r)}
		}
	}()
	// The text is parsed again by the decoder, so that every decode option (strictness,
	// duplicate keys, comments) applies as it always did; the limits make that second parse
	// as bounded as the first.
	return yaml.UnmarshalWithOptions(data, v, opts...)
}

// Parse parses data into its syntax tree after checking that it is a single YAML document
// within the limits. A syntax error is returned as the parser's error; a limit crossed as an
// *Error at its line. Panics of the lexer and parser become errors.
func (l Limits) Parse(data []byte) (f *ast.File, err error) {
	l = l.withDefaults()
	if len(data) > l.MaxBytes {
		return nil, &Error{Msg: fmt.Sprintf("the YAML is %s, more than the %s limit (a configuration is a few kilobytes: is this the right file?)",
			size(int64(len(data))), size(int64(l.MaxBytes)))}
	}
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, &Error{Msg: fmt.Sprintf("the YAML cannot be read (the parser failed: %v)", r)}
		}
	}()
	// The lexer's cost is linear (about 300 bytes allocated per input byte at worst, one token
	// per byte); the parser's is not, so the shape is checked on the tokens before it runs.
	tokens := lexer.Tokenize(string(data))
	if err := l.checkShape(tokens); err != nil {
		return nil, err
	}
	f, err = parser.Parse(tokens, 0)
	if err != nil {
		return nil, err
	}
	if err := l.checkTree(f); err != nil {
		return nil, err
	}
	return f, nil
}

// frame is a block collection open at a column, as checkShape tracks them.
type frame struct {
	col  int
	seq  bool // a block sequence; otherwise a block mapping
	keys int  // keys seen, for a mapping
}

// checkShape bounds the nesting depth and the keys of each block mapping on the token stream,
// before the parser (quadratic in both) runs. Block structure is followed by indentation, the
// way YAML defines it: a sequence entry or a key opens a collection at its column, or continues
// the one open there; a shallower column closes the deeper ones. It is an estimate of the
// parser's structure, exact for well-formed documents and close enough on malformed ones,
// whose depth and width it still bounds.
func (l Limits) checkShape(tokens token.Tokens) error {
	var stack []frame
	flow := 0 // open [ and {
	for i, tk := range tokens {
		at := tk // where a collection opens, for the depth error
		switch tk.Type {
		case token.DocumentHeaderType:
			stack, flow = stack[:0], 0
			continue
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow = max(flow-1, 0)
			continue
		case token.SequenceEntryType:
			if flow > 0 {
				continue
			}
			c := tk.Position.Column
			for len(stack) > 0 && stack[len(stack)-1].col > c {
				stack = stack[:len(stack)-1]
			}
			if n := len(stack); n == 0 || stack[n-1].col != c || !stack[n-1].seq {
				stack = append(stack, frame{col: c, seq: true})
			}
		case token.MappingKeyType, token.MappingValueType:
			if flow > 0 {
				continue
			}
			key := keyToken(tokens, i)
			if key == nil {
				continue
			}
			at = key
			c := key.Position.Column
			for len(stack) > 0 && (stack[len(stack)-1].col > c || stack[len(stack)-1].col == c && stack[len(stack)-1].seq) {
				stack = stack[:len(stack)-1]
			}
			if n := len(stack); n > 0 && stack[n-1].col == c {
				stack[n-1].keys++
				if stack[n-1].keys > l.MaxKeys {
					return errorAt(key, "more than %d keys in one mapping: the YAML parser's time grows with the square of that number", l.MaxKeys)
				}
			} else {
				stack = append(stack, frame{col: c, keys: 1})
			}
		default:
			continue
		}
		if len(stack)+flow > l.MaxDepth {
			return errorAt(at, "collections nested more than %d deep", l.MaxDepth)
		}
	}
	return nil
}

// keyToken returns the token standing for the key that tokens[i] belongs to: the `?` of an
// explicit key or, for a `:`, the start of the key before it on the same line, anchor and tag
// included (`&a key:` is a key at the column of `&`; `<<:` at that of `<<`). It returns nil for
// a `:` that opens no key: that of an explicit key, or one with nothing before it on its line.
func keyToken(tokens token.Tokens, i int) *token.Token {
	tk := tokens[i]
	if tk.Type == token.MappingKeyType {
		return tk
	}
	if i == 0 || tokens[i-1].Position.Line != tk.Position.Line || tokens[i-1].Type == token.MappingKeyType {
		return nil
	}
	j := i - 1
	// Walk back over the properties of the key: "&name", "!tag", both in either order.
	for j > 0 && tokens[j-1].Position.Line == tk.Position.Line {
		switch {
		case tokens[j-1].Type == token.TagType:
			j--
		case j > 1 && tokens[j-2].Type == token.AnchorType && tokens[j-2].Position.Line == tk.Position.Line:
			j -= 2
		default:
			return tokens[j]
		}
	}
	return tokens[j]
}

// checkTree refuses a second document, and aliases beyond the limits or of a form that makes
// go-yaml's decoder loop or expand without bound.
func (l Limits) checkTree(f *ast.File) error {
	for i, doc := range f.Docs {
		if i == 0 || doc == nil || doc.Body == nil {
			continue // an empty trailing document ("---" at the end) holds nothing to lose
		}
		tk := doc.Start
		if tk == nil {
			tk = doc.Body.GetToken()
		}
		return errorAt(tk, "a second YAML document starts here: a file holds one document, and the decoder would ignore this one (remove the '---' line, or move the rest to its own file)")
	}
	if len(f.Docs) == 0 || f.Docs[0] == nil || f.Docs[0].Body == nil {
		return nil
	}
	w := aliasWalker{l: l, anchors: map[string]*anchorInfo{}}
	_, err := w.cost(f.Docs[0].Body, 0)
	return err
}

type anchorInfo struct {
	tk      *token.Token // where it is defined
	cost    int64        // expanded cost of its value; -1 while its value is being walked
	defined bool
}

// aliasWalker computes the expanded cost of a document: each scalar costs its length plus one,
// each collection one plus its contents, each alias the expanded cost of the value it names.
// Because an alias may only name an anchor defined before it (go-yaml's rule too) and anchors
// may not be redefined, each anchor's cost is computed once, and nested aliases (a → 10 × b →
// 10 × c …) are priced without being expanded.
type aliasWalker struct {
	l        Limits
	anchors  map[string]*anchorInfo
	aliases  int
	expanded int64 // what the alias uses add
}

func (w *aliasWalker) cost(n ast.Node, depth int) (int64, error) {
	if n == nil {
		return 0, nil
	}
	// checkShape bounds the depth already; this guards the recursion against any node shape
	// it estimated wrong.
	if depth > 2*w.l.MaxDepth+16 {
		return 0, errorAt(n.GetToken(), "collections nested more than %d deep", w.l.MaxDepth)
	}
	switch n := n.(type) {
	case *ast.AliasNode:
		return w.alias(n)
	case *ast.AnchorNode:
		name := nodeText(n.Name)
		if a, ok := w.anchors[name]; ok {
			return 0, errorAt(n.GetToken(), "anchor &%s is defined again (first at line %d): give each anchor its own name, since the decoder resolves every *%s to the last one",
				name, a.tk.Position.Line, name)
		}
		a := &anchorInfo{tk: n.GetToken(), cost: -1}
		w.anchors[name] = a
		c, err := w.cost(n.Value, depth+1)
		if err != nil {
			return 0, err
		}
		a.cost, a.defined = c, true
		return c, nil
	case *ast.MappingNode:
		total := int64(1)
		for _, v := range n.Values {
			c, err := w.cost(v, depth+1)
			if err != nil {
				return 0, err
			}
			total = add(total, c)
		}
		return total, nil
	case *ast.MappingValueNode:
		k, err := w.cost(n.Key, depth)
		if err != nil {
			return 0, err
		}
		v, err := w.cost(n.Value, depth)
		if err != nil {
			return 0, err
		}
		return add(k, v), nil
	case *ast.MappingKeyNode:
		return w.cost(n.Value, depth)
	case *ast.SequenceNode:
		total := int64(1)
		for _, v := range n.Values {
			c, err := w.cost(v, depth+1)
			if err != nil {
				return 0, err
			}
			total = add(total, c)
		}
		return total, nil
	case *ast.SequenceEntryNode:
		return w.cost(n.Value, depth)
	case *ast.TagNode:
		return w.cost(n.Value, depth)
	case *ast.LiteralNode:
		if n.Value == nil {
			return 1, nil
		}
		return int64(len(n.Value.Value)) + 1, nil
	case *ast.StringNode:
		return int64(len(n.Value)) + 1, nil
	case *ast.CommentGroupNode, *ast.CommentNode:
		return 0, nil
	}
	// Other scalars (numbers, booleans, null, merge key): their source text.
	if tk := n.GetToken(); tk != nil {
		return int64(len(tk.Value)) + 1, nil
	}
	return 1, nil
}

func (w *aliasWalker) alias(n *ast.AliasNode) (int64, error) {
	name := nodeText(n.Value)
	tk := n.GetToken()
	w.aliases++
	if w.aliases > w.l.MaxAliases {
		return 0, errorAt(tk, "more than %d aliases (*name) in the document", w.l.MaxAliases)
	}
	a, ok := w.anchors[name]
	switch {
	case !ok:
		return 0, errorAt(tk, "alias *%s names no anchor defined before it (&%s)", name, name)
	case !a.defined:
		return 0, errorAt(tk, "alias *%s is inside the value of its own anchor &%s (line %d): a recursive structure cannot be decoded", name, name, a.tk.Position.Line)
	}
	w.expanded = add(w.expanded, a.cost)
	if w.expanded > w.l.MaxAliasExpanded {
		return 0, errorAt(tk, "the aliases expand the document by more than %s (at *%s, which alone stands for %s): aliases that repeat large or nested values are refused",
			size(w.l.MaxAliasExpanded), name, size(a.cost))
	}
	return a.cost, nil
}

// nodeText is the name an anchor or alias node carries.
func nodeText(n ast.Node) string {
	if n == nil {
		return ""
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return n.String()
}

// add is a + b, saturating instead of overflowing: nested aliases can name sizes beyond int64.
func add(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// size writes a byte count for messages.
func size(n int64) string {
	switch {
	case n == math.MaxInt64:
		return "more than 8 EiB"
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
