package config

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// validate checks the configuration and returns one error per problem, each naming its key.
func (c *Config) validate(file string, env Env) []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &inputerr.Error{File: file, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	fileExists := func(key, path string) {
		if path == "" {
			bad(key, "is required")
			return
		}
		if st, err := os.Stat(path); err != nil {
			bad(key, "file %s: %v", path, unwrapPathError(err))
		} else if st.IsDir() {
			bad(key, "%s is a directory, not a file", path)
		}
	}
	envSet := func(key, name string) {
		if name == "" {
			return
		}
		if v, ok := env(name); !ok || v == "" {
			bad(key, "environment variable %s is not set", name)
		}
	}
	finite := func(key string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			bad(key, "must be a finite number")
		}
	}

	if c.Name == "" {
		bad("name", "is required (it names the run directory)")
	} else if strings.ContainsAny(c.Name, `/\`) || c.Name == "." || c.Name == ".." {
		bad("name", "%q must not contain path separators", c.Name)
	}
	fileExists("dataset.split", c.Dataset.Split)
	if c.Dataset.Labels != "" {
		fileExists("dataset.labels", c.Dataset.Labels)
	}
	if c.Dataset.Name == "" {
		bad("dataset.name", "is required (dfew, mafw, or a custom label set's name)")
	}
	for i, f := range c.Dataset.Folds {
		if f < 1 {
			bad(fmt.Sprintf("dataset.folds[%d]", i), "fold %d: folds are numbered from 1", f)
		}
	}
	if c.Dataset.SplitKind != "test" && c.Dataset.SplitKind != "train" {
		bad("dataset.split_kind", "%q: use test or train", c.Dataset.SplitKind)
	}
	switch c.Dataset.FoldAggregation {
	case "single":
		if len(c.Dataset.Folds) != 1 {
			bad("dataset.fold_aggregation", "single needs exactly one fold, got %d", len(c.Dataset.Folds))
		}
	case "pooled", "mean":
	default:
		bad("dataset.fold_aggregation", "%q: use single, pooled or mean", c.Dataset.FoldAggregation)
	}
	if c.Protocol != "migr" && c.Protocol != "robust" {
		bad("protocol", "%q: use migr or robust", c.Protocol)
	}
	if c.Concurrency < 0 {
		bad("concurrency", "must not be negative")
	}

	if len(c.Models) == 0 {
		bad("models", "at least one model is required")
	}
	models := map[string]*Model{}
	for i := range c.Models {
		m := &c.Models[i]
		key := fmt.Sprintf("models[%d]", i)
		if m.Name != "" {
			key = fmt.Sprintf("models[%s]", m.Name)
		}
		switch {
		case m.Name == "":
			bad(key+".name", "is required")
		case models[m.Name] != nil:
			bad(key+".name", "model name %q is used twice", m.Name)
		case strings.ContainsAny(m.Name, "=,:/\\"):
			bad(key+".name", "%q must not contain = , : / or \\", m.Name)
		case strings.TrimSpace(m.Name) != m.Name || strings.IndexFunc(m.Name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0:
			bad(key+".name", "%q must not start or end with spaces or hold control characters", m.Name)
		default:
			models[m.Name] = m
		}
		for j, v := range m.Variants {
			if !slices.Contains([]string{"av", "video", "audio"}, v) {
				bad(fmt.Sprintf("%s.variants[%d]", key, j), "%q: use av, video or audio", v)
			}
		}
		if m.Temperature != nil {
			finite(key+".temperature", *m.Temperature)
		}
		finite(key+".rps", m.RPS)
		switch m.Backend {
		case "openai":
			if m.Endpoint == "" {
				bad(key+".endpoint", "is required for backend openai (e.g. http://gpu-1:8000/v1)")
			} else if !isHTTP(m.Endpoint) {
				// Not echoed: an endpoint may carry credentials.
				bad(key+".endpoint", "must start with http:// or https:// (e.g. http://gpu-1:8000/v1)")
			}
			if m.Model == "" {
				bad(key+".model", "is required for backend openai (the served model id)")
			}
			envSet(key+".api_key_env", m.APIKeyEnv)
			if !isBuiltinPrompt(m.Prompt) {
				fileExists(key+".prompt", m.Prompt)
			}
			if m.Concurrency < 1 {
				bad(key+".concurrency", "must be at least 1")
			}
			if m.MaxRetries != nil && *m.MaxRetries < 0 {
				bad(key+".max_retries", "must not be negative")
			}
			if m.RPS < 0 {
				bad(key+".rps", "must not be negative")
			}
		case "onnx":
			fileExists(key+".path", m.Path)
			if len(m.Inputs) == 0 {
				bad(key+".inputs", "is required for backend onnx: map each model input to a feature modality, e.g. {video: feat_video}")
			}
			if d := m.Device; d != "cpu" && d != "auto" && !strings.HasPrefix(d, "cuda:") {
				bad(key+".device", "%q: use cpu, cuda:N or auto", d)
			}
			if k := m.OutputKind; k != "auto" && k != "probs" && k != "logits" {
				bad(key+".output_kind", "%q: use probs, logits or auto", k)
			}
			if m.BatchSize < 1 {
				bad(key+".batch_size", "must be at least 1")
			}
		case "replay":
			fileExists(key+".path", m.Path)
		case "":
			bad(key+".backend", "is required: openai, onnx or replay")
		default:
			bad(key+".backend", "%q: use openai, onnx or replay", m.Backend)
		}
	}

	judges := map[string]bool{}
	for i := range c.Judges {
		j := &c.Judges[i]
		key := fmt.Sprintf("judges[%d]", i)
		if j.Name != "" {
			key = fmt.Sprintf("judges[%s]", j.Name)
		}
		switch {
		case j.Name == "":
			bad(key+".name", "is required")
		case judges[j.Name]:
			bad(key+".name", "judge name %q is used twice", j.Name)
		case strings.ContainsAny(j.Name, "=,:/\\. "):
			bad(key+".name", "%q must not contain = , : / \\ . or spaces (it prefixes metric names like gpt.tf)", j.Name)
		default:
			judges[j.Name] = true
		}
		if !slices.Contains([]string{"think", "think+desc", "full"}, j.Input) {
			bad(key+".input", "%q: use think, think+desc or full", j.Input)
		}
		switch j.Kind {
		case "lexicon":
		case "llm":
			if j.Endpoint == "" {
				bad(key+".endpoint", "is required for kind llm")
			} else if !isHTTP(j.Endpoint) {
				bad(key+".endpoint", "must start with http:// or https:// (e.g. https://api.openai.com/v1)")
			}
			if j.Model == "" {
				bad(key+".model", "is required for kind llm")
			}
			envSet(key+".api_key_env", j.APIKeyEnv)
			if !isBuiltinPrompt(j.Prompt) {
				fileExists(key+".prompt", j.Prompt)
			}
			if j.Votes < 1 || j.Votes%2 == 0 {
				bad(key+".votes", "%d: use an odd number of votes (1, 3, 5…)", j.Votes)
			}
			if j.Temperature != nil {
				finite(key+".temperature", *j.Temperature)
			}
		case "classifier":
			fileExists(key+".path", j.Path)
			fileExists(key+".tokenizer", j.Tokenizer)
		case "replay":
			if len(j.Replies) == 0 {
				bad(key+".replies", "is required for kind replay: a file of replies per model name")
			}
			for m, p := range j.Replies {
				if models[m] == nil {
					bad(key+".replies."+m, "no model named %q", m)
				}
				fileExists(key+".replies."+m, p)
			}
		case "":
			bad(key+".kind", "is required: llm, lexicon, classifier or replay")
		default:
			bad(key+".kind", "%q: use llm, lexicon, classifier or replay", j.Kind)
		}
	}

	if mo := c.Modality; mo != nil {
		switch mo.From {
		case "variants":
			m := models[mo.Model]
			if m == nil {
				bad("modality.model", "no model named %q", mo.Model)
			} else if !slices.Contains(m.Variants, "video") || !slices.Contains(m.Variants, "audio") {
				bad("modality.model", "model %q needs variants video and audio (and av) to derive MI", mo.Model)
			}
		case "onnx":
			if m := models[mo.Model]; m == nil || m.Backend != "onnx" {
				bad("modality.model", "%q is not an onnx model of this run", mo.Model)
			}
		case "file":
			fileExists("modality.path", mo.Path)
		default:
			bad("modality.from", "%q: use variants, onnx or file", mo.From)
		}
	}
	for i, h := range c.Human {
		key := fmt.Sprintf("human[%d]", i)
		fileExists(key+".path", h.Path)
		if h.Model != "" && models[h.Model] == nil {
			bad(key+".model", "no model named %q", h.Model)
		}
		if judges[h.Name] {
			bad(key+".name", "%q is also a judge's name", h.Name)
		}
	}
	if c.Statistics.Bootstrap < 0 {
		bad("statistics.bootstrap", "must not be negative")
	}
	if !(c.Statistics.Alpha > 0 && c.Statistics.Alpha < 1) {
		bad("statistics.alpha", "%v: must be between 0 and 1", c.Statistics.Alpha)
	}
	for i, f := range c.Report.Formats {
		if !slices.Contains([]string{"txt", "md", "tex", "csv", "html", "png", "svg", "pdf"}, f) {
			bad(fmt.Sprintf("report.formats[%d]", i), "%q: use txt, md, tex, csv, html, png, svg or pdf", f)
		}
	}
	for i, p := range c.Comparison {
		if models[p.Baseline] == nil {
			bad(fmt.Sprintf("comparisons[%d].baseline", i), "no model named %q", p.Baseline)
		}
		if models[p.Candidate] == nil {
			bad(fmt.Sprintf("comparisons[%d].candidate", i), "no model named %q", p.Candidate)
		}
	}
	return errs
}

func isHTTP(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
