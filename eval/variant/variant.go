// Package variant names which modalities a model sees in a pass: both (av), the video only or the
// audio only. Video-only and audio-only passes give modality importance.
package variant

import (
	"fmt"
	"strings"
)

// Variant is a pass's modalities. The zero value is not a variant; Parse and UnmarshalText
// accept only the three names.
type Variant string

// The variants.
const (
	AV    Variant = "av"
	Video Variant = "video"
	Audio Variant = "audio"
)

// All lists the variants in the order runs and reports use.
func All() []Variant { return []Variant{AV, Video, Audio} }

// Parse reads a variant name (case-insensitive).
func Parse(s string) (Variant, error) {
	v := Variant(strings.ToLower(strings.TrimSpace(s)))
	switch v {
	case AV, Video, Audio:
		return v, nil
	}
	return "", fmt.Errorf("variant %q: use av, video or audio", s)
}

// UnmarshalText parses a variant from configuration.
func (v *Variant) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// MarshalText writes the variant's name.
func (v Variant) MarshalText() ([]byte, error) { return []byte(v), nil }

func (v Variant) String() string { return string(v) }

// Sees says which modalities the pass gives the model.
func (v Variant) Sees() (video, audio bool) { return v != Audio, v != Video }

// Withheld is the modality the pass hides ("" for av): an in-process model gets zeros for it.
func (v Variant) Withheld() string {
	switch v {
	case Video:
		return "audio"
	case Audio:
		return "video"
	}
	return ""
}

// ScoredName is the name a variant's results are scored under: the model's name for av, else
// "<model>@<variant>".
func (v Variant) ScoredName(model string) string {
	if v == AV {
		return model
	}
	return model + "@" + string(v)
}

// Strings converts variants to their names.
func Strings(vs []Variant) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
