package spec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/reports"
)

// check reports every problem of the specification; modelNodes and judgeNodes are the blocks'
// YAML (nil for a specification built in memory), for the lines in messages.
func (s *Spec) check(c *config.Checker, modelNodes, judgeNodes []ast.Node, failed []string) {
	var root ast.Node
	if c.Doc != nil {
		root = c.Doc.Root
	}
	top := c.Section("", root)
	if top.Required("name", s.Name, "it names the run directory (runs/<name>)") &&
		(strings.ContainsAny(s.Name, `/\`) || s.Name == "." || s.Name == "..") {
		top.Bad("name", "%q must not contain path separators", s.Name)
	}
	ds := c.Section("dataset", config.Lookup(root, "dataset"))
	ds.Required("name", s.Dataset.Name, "dfew, mafw, or a custom label set's name")
	ds.File("split", s.Dataset.Split)
	ds.OptionalFile("labels", s.Dataset.Labels)
	if len(s.Dataset.Folds) == 0 {
		ds.Bad("folds", "give at least one fold, e.g. [5]")
	}
	for i, f := range s.Dataset.Folds {
		if f < 1 || f > 99 {
			ds.Bad(fmt.Sprintf("folds[%d]", i), "fold %d: folds are numbered from 1", f)
		}
		if slices.Contains(s.Dataset.Folds[:i], f) {
			ds.Bad(fmt.Sprintf("folds[%d]", i), "fold %d is listed twice", f)
		}
	}
	ds.OneOf("split_kind", s.Dataset.SplitKind, "test", "train")
	if ds.OneOf("fold_aggregation", s.Dataset.FoldAggregation, "single", "pooled", "mean") &&
		s.Dataset.FoldAggregation == "single" && len(s.Dataset.Folds) != 1 {
		ds.Bad("fold_aggregation", "single needs exactly one fold, got %d", len(s.Dataset.Folds))
	}
	top.IntRange("concurrency", s.Concurrency, 1, 1<<16)

	if len(s.Models) == 0 && len(failed) == 0 {
		top.Bad("models", "at least one model is required")
	}
	seen := map[string]bool{}
	for i, m := range s.Models {
		c.Section(fmt.Sprintf("models[%d]", i), nodeAt(modelNodes, i)).Name("name", m.Base().Name, "=,:/\\@", seen)
	}
	c.Models = seen
	for _, n := range failed {
		seen[n] = true // already reported; references to it are not news
	}
	for i, m := range s.Models {
		m.Check(c.Section(blockName("models", i, m.Base().Name), nodeAt(modelNodes, i)))
	}
	judgeNames := map[string]bool{}
	for i, j := range s.Judges {
		c.Section(fmt.Sprintf("judges[%d]", i), nodeAt(judgeNodes, i)).Name("name", j.Base().Name, "=,:/\\. ", judgeNames)
		j.Check(c.Section(blockName("judges", i, j.Base().Name), nodeAt(judgeNodes, i)))
	}

	if mo := s.Modality; mo != nil {
		sec := c.Section("modality", config.Lookup(root, "modality"))
		if sec.OneOf("from", mo.From, "variants", "onnx", "file") {
			switch mo.From {
			case "variants":
				if m := s.Model(mo.Model); sec.Model("model", mo.Model) && m != nil &&
					(!slices.Contains(m.Base().Variants, variant.Video) || !slices.Contains(m.Base().Variants, variant.Audio)) {
					sec.Bad("model", "model %q needs variants [av, video, audio] to derive MI from", mo.Model)
				}
			case "onnx":
				if m := s.Model(mo.Model); sec.Model("model", mo.Model) && m != nil && m.Base().Backend != "onnx" {
					sec.Bad("model", "%q is a %s model; MI from ablation needs an onnx model", mo.Model, m.Base().Backend)
				}
			case "file":
				sec.File("path", mo.Path)
			}
		}
		sec.Range("threshold", mo.Threshold, 0, 1)
	}
	humanNodes := config.Items(config.Lookup(root, "human"))
	for i, h := range s.Human {
		sec := c.Section(fmt.Sprintf("human[%d]", i), nodeAt(humanNodes, i))
		sec.File("path", h.Path)
		if h.Model != "" {
			sec.Model("model", h.Model)
		}
		if judgeNames[h.Name] {
			sec.Bad("name", "%q is also a judge's name", h.Name)
		}
	}
	st := c.Section("statistics", config.Lookup(root, "statistics"))
	st.IntRange("bootstrap", s.Statistics.Bootstrap, 0, 1_000_000)
	if st.Finite("alpha", s.Statistics.Alpha) && !(s.Statistics.Alpha > 0 && s.Statistics.Alpha < 1) {
		st.Bad("alpha", "%v: must be between 0 and 1 (e.g. 0.05)", s.Statistics.Alpha)
	}
	rep := c.Section("report", config.Lookup(root, "report"))
	for i, f := range s.Report.Formats {
		rep.OneOf(fmt.Sprintf("formats[%d]", i), f, reports.Formats()...)
	}
	rep.IntRange("examples", s.Report.Examples, 0, 100)
	cmpNodes := config.Items(config.Lookup(root, "comparisons"))
	for i, p := range s.Comparisons {
		sec := c.Section(fmt.Sprintf("comparisons[%d]", i), nodeAt(cmpNodes, i))
		sec.Model("baseline", p.Baseline)
		sec.Model("candidate", p.Candidate)
		if p.Baseline == p.Candidate {
			sec.Bad("candidate", "a model compared with itself")
		}
	}
}

func nodeAt(nodes []ast.Node, i int) ast.Node {
	if i < len(nodes) {
		return nodes[i]
	}
	return nil
}

func blockName(list string, i int, name string) string {
	if name != "" {
		return fmt.Sprintf("%s[%s]", list, name)
	}
	return fmt.Sprintf("%s[%d]", list, i)
}

// Check checks a specification built in memory (emoeval score's), reporting every problem.
func (s *Spec) Check(o Options) error {
	c := &config.Checker{Env: o.Env, Resources: o.Resources, Models: map[string]bool{}}
	s.resolvePaths(func(*string) {})
	s.check(c, nil, nil, nil)
	return c.Err()
}
