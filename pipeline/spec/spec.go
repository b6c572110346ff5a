// Package spec is the specification of a run: the envelope of emoeval.yaml (data set, protocol,
// statistics, report, comparisons) with each model's and judge's block decoded by the kind its
// registry names. `emoeval run` reads one from a file; `emoeval score` builds one of replayed
// models from its flags; `emoeval merge` reads one back from a manifest.
package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/emoeval/emoeval/eval/backend"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/bom"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports"
)

// Spec is a run's specification. Paths in it are absolute once it is read.
type Spec struct {
	Name        string           `yaml:"name" json:"name"`
	Dataset     Dataset          `yaml:"dataset" json:"dataset"`
	Protocol    parse.Protocol   `yaml:"protocol" json:"protocol"`
	Models      []backend.Config `yaml:"-" json:"models"`
	Judges      []judges.Config  `yaml:"-" json:"judges"`
	Modality    *Modality        `yaml:"modality" json:"modality,omitempty"`
	Human       []Human          `yaml:"human" json:"human,omitempty"`
	Statistics  Statistics       `yaml:"statistics" json:"statistics"`
	Report      Report           `yaml:"report" json:"report"`
	Comparisons []Pair           `yaml:"comparisons" json:"comparisons,omitempty"`
	// Concurrency caps the requests in flight over all models and judges.
	Concurrency int `yaml:"concurrency" json:"concurrency"`
}

// Dataset selects the split and the samples to evaluate.
type Dataset struct {
	Name  string `yaml:"name" json:"name"`
	Split string `yaml:"split" json:"split"`
	Folds []Fold `yaml:"folds" json:"folds"`
	// SplitKind is test or train.
	SplitKind string `yaml:"split_kind" json:"split_kind"`
	// Labels is a custom label set file (YAML) for data sets other than dfew and mafw.
	Labels string `yaml:"labels" json:"labels,omitempty"`
	// FoldAggregation is single, pooled or mean ("": single for one fold, pooled otherwise).
	FoldAggregation string `yaml:"fold_aggregation" json:"fold_aggregation"`
}

// FoldNumbers are the folds as numbers.
func (d Dataset) FoldNumbers() []int32 {
	out := make([]int32, len(d.Folds))
	for i, f := range d.Folds {
		out[i] = int32(f)
	}
	return out
}

// Fold is a fold number. It must be written as a whole number: 5.5 is refused, not read as 5.
type Fold int32

// UnmarshalYAML reads a whole number.
func (f *Fold) UnmarshalYAML(b []byte) error {
	s := strings.TrimSpace(string(b))
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return fmt.Errorf("fold %q: folds are whole numbers from 1 to 5", s)
	}
	*f = Fold(n)
	return nil
}

// Modality says where modality importance comes from.
type Modality struct {
	From      string  `yaml:"from" json:"from"`   // variants | onnx | file
	Model     string  `yaml:"model" json:"model"` // for variants and onnx
	Path      string  `yaml:"path" json:"path,omitempty"`
	Threshold float64 `yaml:"threshold" json:"threshold,omitempty"`
}

// Human is a file of human labels of explanations (clip_id and emotion, in any judge-reply
// format), compared with every judge.
type Human struct {
	Name  string `yaml:"name" json:"name"`
	Path  string `yaml:"path" json:"path"`
	Model string `yaml:"model" json:"model,omitempty"` // whose explanations; "" for every model
}

// Statistics configures bootstrap intervals and tests. Zero values mean what they say:
// bootstrap 0 is no intervals, seed 0 is the seed 0.
type Statistics struct {
	Bootstrap int     `yaml:"bootstrap" json:"bootstrap"`
	Seed      uint64  `yaml:"seed" json:"seed"`
	Alpha     float64 `yaml:"alpha" json:"alpha"`
}

// Report configures rendered reports.
type Report struct {
	Formats []string `yaml:"formats" json:"formats"`
	// Reference adds the published numbers to the recognition table.
	Reference bool `yaml:"reference" json:"reference"`
	// Examples is how many correct-but-inconsistent explanations the PDF shows per model.
	Examples int `yaml:"examples" json:"examples"`
}

// Pair names a baseline and candidate to compare with paired tests.
type Pair struct {
	Baseline  string `yaml:"baseline" json:"baseline"`
	Candidate string `yaml:"candidate" json:"candidate"`
}

// Defaults returns a specification holding every default, for a file to be decoded onto.
func Defaults() *Spec {
	return &Spec{
		Dataset:    Dataset{Folds: []Fold{5}, SplitKind: "test"},
		Protocol:   parse.ProtocolMigr,
		Statistics: Statistics{Bootstrap: 10000, Seed: 1, Alpha: 0.05},
		Report:     Report{Formats: reports.Formats(), Reference: true, Examples: 3},
		// High: each model's and judge's own concurrency is the limit that matters.
		Concurrency: 256,
	}
}

// Registries are the backend and judge kinds a specification may use.
type Registries struct {
	Backends *backend.Registry
	Judges   *judges.Registry
}

// Options configure reading a specification.
type Options struct {
	Registries
	Env config.Env
	// Resources checks the outside world too: files exist, environment variables are set.
	Resources bool
}

// Load reads and checks a specification file. Every problem found is reported, each an
// *inputerr.Error naming the file, line and key.
func Load(path string, o Options) (*Spec, error) {
	data, err := readRegular(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, o)
}

// readRegular reads a regular file; a FIFO or a device would hang or never end.
func readRegular(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, inputerr.Wrap(path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, inputerr.New(path, "not a regular file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputerr.Wrap(path, err)
	}
	return bom.Trim(data), nil
}

// envelope is the file's top level with the model and judge blocks left as YAML, for their
// kinds to decode.
type envelope struct {
	Spec   `yaml:",inline"`
	Models []ast.Node `yaml:"models"`
	Judges []ast.Node `yaml:"judges"`
}

// Parse is Load for text already read; path names it in messages and anchors relative paths.
func Parse(path string, data []byte, o Options) (*Spec, error) {
	doc, err := config.ParseDocument(path, data)
	if err != nil {
		return nil, err
	}
	c := &config.Checker{Doc: doc, Env: o.Env, Resources: o.Resources, Models: map[string]bool{}}
	env := envelope{Spec: *Defaults()}
	if err := doc.Decode(doc.Root, &env); err != nil {
		return nil, err
	}
	s := &env.Spec
	abs := anchor(filepath.Dir(path))
	var failed []string                   // names of model blocks that did not decode
	var modelNodes, judgeNodes []ast.Node // the YAML of each decoded block
	for i, n := range env.Models {
		mc, err := decodeBlock(doc, n, i, "models", "backend", o.Backends.Names(), func(kind string) (any, bool) {
			k, ok := o.Backends.Lookup(kind)
			if !ok {
				return nil, false
			}
			return k.New(), true
		})
		if err != nil {
			c.Add(err)
			failed = append(failed, config.ScalarString(config.Lookup(n, "name")))
			continue
		}
		b := mc.(backend.Config)
		b.ResolvePaths(abs)
		s.Models = append(s.Models, b)
		modelNodes = append(modelNodes, n)
	}
	for i, n := range env.Judges {
		jc, err := decodeBlock(doc, n, i, "judges", "kind", o.Judges.Names(), func(kind string) (any, bool) {
			k, ok := o.Judges.Lookup(kind)
			if !ok {
				return nil, false
			}
			return k.New(), true
		})
		if err != nil {
			c.Add(err)
			continue
		}
		j := jc.(judges.Config)
		j.ResolvePaths(abs)
		s.Judges = append(s.Judges, j)
		judgeNodes = append(judgeNodes, n)
	}
	s.resolvePaths(abs)
	s.check(c, modelNodes, judgeNodes, failed)
	if err := c.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// decodeBlock decodes a model or judge block with the kind its kindKey names.
func decodeBlock(doc *config.Document, n ast.Node, i int, list, kindKey string, kinds []string, newBlock func(string) (any, bool)) (any, error) {
	key := blockKey(list, i, n)
	kn := config.Lookup(n, kindKey)
	if kn == nil {
		return nil, &inputerr.Error{File: doc.File, Line: config.LineOf(n), Key: key + "." + kindKey,
			Msg: "is required: " + strings.Join(kinds, ", ")}
	}
	kind := config.ScalarString(kn)
	v, ok := newBlock(kind)
	if !ok {
		return nil, &inputerr.Error{File: doc.File, Line: config.LineOf(kn), Key: key + "." + kindKey, Msg: config.OneOfMsg(kind, kinds)}
	}
	if err := doc.Decode(n, v); err != nil {
		return nil, err
	}
	return v, nil
}

// blockKey names a block by its name when it has one: models[r1-omni], else models[0].
func blockKey(list string, i int, n ast.Node) string {
	if nn := config.Lookup(n, "name"); nn != nil {
		if name := config.ScalarString(nn); name != "" {
			return fmt.Sprintf("%s[%s]", list, name)
		}
	}
	return fmt.Sprintf("%s[%d]", list, i)
}

// anchor returns the function that makes a relative path absolute against dir (itself made
// absolute, so that a run resumed or merged from another working directory sees the same paths
// and the same configuration hash). URLs are left alone.
func anchor(dir string) func(*string) {
	if d, err := filepath.Abs(dir); err == nil {
		dir = d
	}
	return func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) && !strings.Contains(*p, "://") {
			*p = filepath.Join(dir, *p)
		}
	}
}

func (s *Spec) resolvePaths(abs func(*string)) {
	abs(&s.Dataset.Split)
	abs(&s.Dataset.Labels)
	if s.Modality != nil {
		abs(&s.Modality.Path)
	}
	for i := range s.Human {
		abs(&s.Human[i].Path)
		if s.Human[i].Name == "" {
			s.Human[i].Name = "human"
		}
	}
	if s.Dataset.FoldAggregation == "" {
		s.Dataset.FoldAggregation = metrics.FoldsSingle
		if len(s.Dataset.Folds) > 1 {
			s.Dataset.FoldAggregation = metrics.FoldsPooled
		}
	}
}

// Hash is the sha256 of the specification's canonical JSON form without the settings that only
// change how a run goes (concurrency, timeouts, retries, request rates, devices, report): it
// identifies a run's configuration in manifests, resumes and merges. No secret is in it: the
// specification holds only the names of the environment variables that carry them.
func (s *Spec) Hash() string {
	h := *s
	h.Concurrency, h.Report = 0, Report{}
	h.Models = make([]backend.Config, len(s.Models))
	for i, m := range s.Models {
		h.Models[i] = m.Identity()
	}
	h.Judges = make([]judges.Config, len(s.Judges))
	for i, j := range s.Judges {
		h.Judges[i] = j.Identity()
	}
	b, err := json.Marshal(&h)
	if err != nil {
		// Only non-finite numbers fail to marshal, and the checks refuse them.
		b = fmt.Appendf(nil, "%#v", h)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Redacted is a copy fit for a manifest: no credential in any block.
func (s *Spec) Redacted() *Spec {
	r := *s
	r.Models = make([]backend.Config, len(s.Models))
	for i, m := range s.Models {
		r.Models[i] = m.Redacted()
	}
	r.Judges = make([]judges.Config, len(s.Judges))
	for i, j := range s.Judges {
		r.Judges[i] = j.Redacted()
	}
	return &r
}

// Model returns the block of a model by name.
func (s *Spec) Model(name string) backend.Config {
	for _, m := range s.Models {
		if m.Base().Name == name {
			return m
		}
	}
	return nil
}

// Pairs are the comparisons to make: those configured, or the first model against each other.
func (s *Spec) Pairs() []metrics.Pair {
	pairs := []metrics.Pair{}
	for _, p := range s.Comparisons {
		pairs = append(pairs, metrics.Pair{Baseline: p.Baseline, Candidate: p.Candidate})
	}
	if len(s.Comparisons) == 0 {
		for _, m := range s.Models[min(1, len(s.Models)):] {
			pairs = append(pairs, metrics.Pair{Baseline: s.Models[0].Base().Name, Candidate: m.Base().Name})
		}
	}
	return pairs
}

// MarshalJSONBytes is the specification's JSON form, which Parse reads back (JSON is YAML).
func (s *Spec) MarshalJSONBytes() ([]byte, error) { return json.Marshal(s) }

// LoadJudges reads a file holding only a `judges:` list in emoeval.yaml's form (`emoeval score
// --judge-config`), checked as in a configuration whose models are named by models.
func LoadJudges(path string, models []string, o Options) ([]judges.Config, error) {
	data, err := readRegular(path)
	if err != nil {
		return nil, err
	}
	doc, err := config.ParseDocument(path, data)
	if err != nil {
		return nil, err
	}
	var f struct {
		Judges []ast.Node `yaml:"judges"`
	}
	if err := doc.Decode(doc.Root, &f); err != nil {
		return nil, err
	}
	if len(f.Judges) == 0 {
		return nil, inputerr.New(path, "no judges: write a list under `judges:`")
	}
	c := &config.Checker{Doc: doc, Env: o.Env, Resources: o.Resources, Models: map[string]bool{}}
	for _, m := range models {
		c.Models[m] = true
	}
	abs := anchor(filepath.Dir(path))
	var out []judges.Config
	seen := map[string]bool{}
	for i, n := range f.Judges {
		jc, err := decodeBlock(doc, n, i, "judges", "kind", o.Judges.Names(), func(kind string) (any, bool) {
			k, ok := o.Judges.Lookup(kind)
			if !ok {
				return nil, false
			}
			return k.New(), true
		})
		if err != nil {
			c.Add(err)
			continue
		}
		j := jc.(judges.Config)
		j.ResolvePaths(abs)
		c.Section(fmt.Sprintf("judges[%d]", i), n).Name("name", j.Base().Name, "=,:/\\. ", seen)
		j.Check(c.Section(blockName("judges", i, j.Base().Name), n))
		out = append(out, j)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
