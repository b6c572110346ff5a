package safeyaml

import (
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// ParseFile parses YAML text into its syntax tree, for readers that decode a document section by
// section (a configuration hands each model block to its backend). It is Limits{}.Parse: the
// same limits as Unmarshal, so that the nodes it returns are safe to hand to DecodeNode.
func ParseFile(data []byte) (*ast.File, error) {
	return Limits{}.Parse(data)
}

// DecodeNode is yaml.NodeToValue with panics turned into errors. node must come from ParseFile
// (or Limits.Parse): the limits checked there, on the whole document, are what bound the cost
// of decoding any part of it.
func DecodeNode(node ast.Node, v any, opts ...yaml.DecodeOption) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Msg: fmt.Sprintf("the YAML cannot be read (the decoder failed: %v)", r)}
		}
	}()
	return yaml.NodeToValue(node, v, opts...)
}
