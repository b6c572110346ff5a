// Package datasets holds label sets, the split schema and its Parquet I/O, importers for the
// official DFEW and MAFW split files, and synthetic splits.
package datasets

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/emoeval/emoeval/internal/bom"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/safeyaml"
)

// Unknown is the prediction for an answer that is not in the label set.
const Unknown = "unknown"

// LabelSet is an ordered set of canonical (lower-case) class names. The official numeric id of
// Labels[i] is i+1.
type LabelSet struct {
	Name   string
	Labels []string
	// Synonyms maps a lower-case answer word to a canonical label. The robust protocol uses them;
	// the migr protocol uses the authors' fixed rules for DFEW and MAFW instead.
	Synonyms map[string]string
}

// DFEW returns the DFEW label set in official order (1 Happy … 7 Fear).
func DFEW() *LabelSet {
	return &LabelSet{
		Name:   "dfew",
		Labels: []string{"happy", "sad", "neutral", "angry", "surprise", "disgust", "fear"},
		Synonyms: map[string]string{
			"happiness": "happy", "joy": "happy", "joyful": "happy", "glad": "happy", "pleased": "happy",
			"sadness": "sad", "sorrow": "sad", "unhappy": "sad",
			"calm": "neutral", "neutrality": "neutral",
			"anger": "angry", "mad": "angry", "furious": "angry", "rage": "angry", "irritated": "angry",
			"surprised": "surprise", "astonished": "surprise", "amazed": "surprise", "shocked": "surprise",
			"disgusted": "disgust", "disgusting": "disgust", "revulsion": "disgust",
			"fearful": "fear", "afraid": "fear", "scared": "fear", "frightened": "fear", "terrified": "fear",
		},
	}
}

// MAFW returns the MAFW label set in official order (1 anger … 11 disappointment).
func MAFW() *LabelSet {
	return &LabelSet{
		Name: "mafw",
		Labels: []string{"anger", "disgust", "fear", "happiness", "neutral", "sadness", "surprise",
			"contempt", "anxiety", "helplessness", "disappointment"},
		Synonyms: map[string]string{
			"angry": "anger", "mad": "anger", "furious": "anger", "rage": "anger",
			"disgusted": "disgust", "disgusting": "disgust",
			"fearful": "fear", "afraid": "fear", "scared": "fear", "frightened": "fear",
			"happy": "happiness", "joy": "happiness", "joyful": "happiness",
			"calm": "neutral",
			"sad":  "sadness", "sorrow": "sadness",
			"surprised": "surprise", "astonished": "surprise", "shocked": "surprise",
			"contemptuous": "contempt", "disdain": "contempt", "scorn": "contempt",
			"anxious": "anxiety", "nervous": "anxiety", "nervousness": "anxiety", "worried": "anxiety",
			"helpless": "helplessness", "powerless": "helplessness",
			"disappointed": "disappointment",
		},
	}
}

// LabelSetByName returns a built-in label set ("dfew" or "mafw").
func LabelSetByName(name string) (*LabelSet, error) {
	switch strings.ToLower(name) {
	case "dfew":
		return DFEW(), nil
	case "mafw":
		return MAFW(), nil
	}
	return nil, fmt.Errorf("unknown label set %q: built-in sets are dfew and mafw; give a custom set as a YAML file", name)
}

// labelSetFile is the YAML form of a custom label set.
type labelSetFile struct {
	Name     string            `yaml:"name" json:"name"`
	Labels   []string          `yaml:"labels" json:"labels"`
	Synonyms map[string]string `yaml:"synonyms,omitempty" json:"synonyms,omitempty"`
}

// LoadLabelSet reads a custom label set from YAML:
//
//	name: mydata
//	labels: [calm, tense, joyful]      # official order; ids 1..n
//	synonyms: {relaxed: calm}
func LoadLabelSet(path string) (*LabelSet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputerr.Wrap(path, err)
	}
	return ParseLabelSet(path, bom.Trim(data))
}

// ParseLabelSet parses the YAML form of a custom label set; name is used in error messages,
// which are *inputerr.Error.
func ParseLabelSet(name string, data []byte) (*LabelSet, error) {
	var f labelSetFile
	if err := safeyaml.Unmarshal(data, &f, yaml.Strict()); err != nil {
		return nil, &inputerr.Error{File: name, Msg: "not a label set", Err: err}
	}
	if f.Name == "" {
		return nil, &inputerr.Error{File: name, Key: "name", Msg: "label set has no name"}
	}
	if f.Name == "dfew" || f.Name == "mafw" {
		return nil, &inputerr.Error{File: name, Key: "name", Msg: fmt.Sprintf("%q is reserved for the built-in label set", f.Name)}
	}
	if len(f.Labels) < 2 {
		return nil, &inputerr.Error{File: name, Key: "labels", Msg: fmt.Sprintf("a label set needs at least two labels, got %d", len(f.Labels))}
	}
	ls := &LabelSet{Name: f.Name, Synonyms: map[string]string{}}
	seen := map[string]bool{}
	for i, l := range f.Labels {
		c := strings.ToLower(strings.TrimSpace(l))
		if c == "" || c == Unknown {
			return nil, &inputerr.Error{File: name, Key: "labels", Msg: fmt.Sprintf("label %d: %q is not a usable label name", i+1, l)}
		}
		if seen[c] {
			return nil, &inputerr.Error{File: name, Key: "labels", Msg: fmt.Sprintf("label %d: %q appears twice", i+1, c)}
		}
		seen[c] = true
		ls.Labels = append(ls.Labels, c)
	}
	for _, k := range slices.Sorted(maps.Keys(f.Synonyms)) {
		v := strings.ToLower(strings.TrimSpace(f.Synonyms[k]))
		if !seen[v] {
			return nil, &inputerr.Error{File: name, Key: "synonyms", Msg: fmt.Sprintf("%q maps to %q, which is not a label", k, v)}
		}
		ls.Synonyms[strings.ToLower(strings.TrimSpace(k))] = v
	}
	return ls, nil
}

// Len is the number of classes.
func (s *LabelSet) Len() int { return len(s.Labels) }

// Index returns the position of a canonical label, or -1.
func (s *LabelSet) Index(label string) int {
	for i, l := range s.Labels {
		if l == label {
			return i
		}
	}
	return -1
}

// Contains reports whether label is one of the canonical labels.
func (s *LabelSet) Contains(label string) bool { return s.Index(label) >= 0 }

// ID returns the official numeric id of a canonical label, or 0.
func (s *LabelSet) ID(label string) int32 { return int32(s.Index(label) + 1) }

// ByID returns the canonical label of an official numeric id.
func (s *LabelSet) ByID(id int32) (string, bool) {
	if id < 1 || int(id) > len(s.Labels) {
		return "", false
	}
	return s.Labels[id-1], true
}
