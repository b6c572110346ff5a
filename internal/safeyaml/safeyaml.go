// Package safeyaml decodes YAML without letting the decoder's panics through: goccy/go-yaml
// v1.19.2 panics on some malformed documents (a tag on a scalar where a list is expected, found
// by fuzzing the configuration readers), and a user's typo must end in an error, not a crash.
package safeyaml

import (
	"fmt"

	"github.com/goccy/go-yaml"
)

// Unmarshal is yaml.UnmarshalWithOptions with panics turned into errors.
func Unmarshal(data []byte, v any, opts ...yaml.DecodeOption) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML cannot be read (the decoder failed: %v)", r)
		}
	}()
	return yaml.UnmarshalWithOptions(data, v, opts...)
}
