package pipeline

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"time"

	backendreplay "github.com/emoeval/emoeval/eval/backend/replay"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/judges/lexicon"
	judgereplay "github.com/emoeval/emoeval/judges/replay"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/pipeline/spec"
	"github.com/emoeval/emoeval/reports"
	"github.com/emoeval/emoeval/reports/tabular"
)

// ModelFile is a model's outputs produced elsewhere (`--model NAME=PATH[:FORMAT]`).
type ModelFile struct {
	Name, Path, Format string
}

// JudgmentFile is judge replies produced elsewhere (`--judgments [JUDGE/]MODEL=PATH[:FORMAT]`).
type JudgmentFile struct {
	Judge, Model, Path, Format string
}

// HumanFile is a file of human readings of explanations, compared with every judge.
type HumanFile struct {
	Name         string // the rater's name in agreement tables (default "human")
	Model        string // whose explanations were read; "" for every model
	Path, Format string
}

// ScoreOptions configure `emoeval score`: a run whose models are all replayed files.
type ScoreOptions struct {
	Split  string
	Labels string // custom label set file
	Folds  []int32
	Kind   string // test | train
	Models []ModelFile
	// Judgments replay judge replies, per model.
	Judgments []JudgmentFile
	// Judges are judge kinds to run here: lexicon, or llm / classifier from JudgeConfig.
	Judges      []string
	JudgeConfig string
	MI          string
	// Human are human labels of explanations, compared with every judge.
	Human       []HumanFile
	Protocol    string
	Aggregation string
	Bootstrap   int
	Seed        uint64
	Alpha       float64
	// Out, when set, receives a run directory: predictions, judgments, summary, manifest, report.
	Out    string
	Force  bool
	Report ReportOptions

	Registries spec.Registries
	Env        Env
	HTTP       *http.Client
	Command    string
	Now        func() time.Time
}

// ScoreResult is what `score` shows.
type ScoreResult struct {
	Summary *metrics.Summary
	Tables  []*tabular.Table
	// Report lists the files rendered under Out.
	Report []string
}

// Score scores existing model outputs: it builds the specification of a run whose models are
// the replayed files and runs it.
func Score(ctx context.Context, o ScoreOptions) (*ScoreResult, error) {
	if o.Registries.Backends == nil {
		o.Registries = spec.DefaultRegistries()
	}
	s, err := scoreSpec(o)
	if err != nil {
		return nil, err
	}
	inputs := map[string]string{}
	if o.JudgeConfig != "" {
		inputs["judge-config"] = o.JudgeConfig
	}
	res, err := Run(ctx, RunOptions{Spec: s, Kind: KindScore, Registries: o.Registries, Out: o.Out, Force: o.Force,
		Env: o.Env, HTTP: o.HTTP, Command: o.Command, ResumeCommand: o.Command, Now: o.Now, Inputs: inputs})
	if err != nil {
		return nil, err
	}
	return &ScoreResult{Summary: res.Summary, Tables: res.Tables, Report: res.Report}, nil
}

// scoreSpec is the specification of a score: the flags in emoeval.yaml's terms.
func scoreSpec(o ScoreOptions) (*spec.Spec, error) {
	protocol, err := parse.ParseProtocol(o.Protocol)
	if err != nil {
		return nil, inputerr.New("", "--protocol: %v", err)
	}
	if len(o.Models) == 0 {
		return nil, inputerr.New("", "give at least one --model NAME=PATH")
	}
	s := spec.Defaults()
	s.Name = "score"
	if o.Out != "" {
		s.Name = filepath.Base(filepath.Clean(o.Out))
	}
	s.Protocol = protocol
	s.Dataset = spec.Dataset{Split: o.Split, Labels: o.Labels, SplitKind: o.Kind, FoldAggregation: o.Aggregation}
	if s.Dataset.SplitKind == "" {
		s.Dataset.SplitKind = "test"
	}
	for _, f := range o.Folds {
		s.Dataset.Folds = append(s.Dataset.Folds, spec.Fold(f))
	}
	if len(s.Dataset.Folds) == 0 {
		s.Dataset.Folds = []spec.Fold{5}
	}
	if s.Dataset.FoldAggregation == "" {
		s.Dataset.FoldAggregation = metrics.FoldsSingle
		if len(s.Dataset.Folds) > 1 {
			s.Dataset.FoldAggregation = metrics.FoldsPooled
		}
	}
	var names []string
	for _, m := range o.Models {
		if slices.Contains(names, m.Name) {
			return nil, inputerr.New("", "--model: model name %q is used twice", m.Name)
		}
		names = append(names, m.Name)
		rc := backendreplay.Kind().New().(*backendreplay.Config)
		rc.Name, rc.Backend, rc.Path, rc.Format = m.Name, "replay", m.Path, m.Format
		s.Models = append(s.Models, rc)
	}

	for _, k := range o.Judges {
		switch k {
		case "lexicon":
			lc := lexicon.Kind().New()
			lc.Base().Name, lc.Base().Kind = "lexicon", "lexicon"
			s.Judges = append(s.Judges, lc)
		case "llm", "classifier":
		default:
			return nil, inputerr.New("", "--judge %q: use lexicon, llm or classifier", k)
		}
	}
	if o.JudgeConfig != "" {
		fromFile, err := spec.LoadJudges(o.JudgeConfig, names, spec.Options{Registries: o.Registries, Env: o.Env, Resources: true})
		if err != nil {
			return nil, err
		}
		s.Judges = append(s.Judges, fromFile...)
	}
	for _, k := range []string{"llm", "classifier"} {
		if slices.Contains(o.Judges, k) && !slices.ContainsFunc(s.Judges, func(j judges.Config) bool { return j.Base().Kind == k }) {
			return nil, inputerr.New(o.JudgeConfig, "--judge %s needs a --judge-config file with a judge of kind %s", k, k)
		}
	}
	replayed := map[string]*judgereplay.Config{}
	for _, jf := range o.Judgments {
		if !slices.Contains(names, jf.Model) {
			return nil, inputerr.New(jf.Path, "--judgments names model %q, which no --model gives", jf.Model)
		}
		if slices.ContainsFunc(s.Judges, func(j judges.Config) bool { return j.Base().Name == jf.Judge && j.Base().Kind != "replay" }) {
			return nil, inputerr.New(jf.Path, "--judgments names judge %q, which is also a judge run here; name the replayed one JUDGE/MODEL=PATH", jf.Judge)
		}
		rc := replayed[jf.Judge]
		if rc == nil {
			rc = judgereplay.Kind().New().(*judgereplay.Config)
			rc.Name, rc.Kind, rc.Replies = jf.Judge, "replay", map[string]string{}
			replayed[jf.Judge] = rc
			s.Judges = append(s.Judges, rc)
		}
		if _, dup := rc.Replies[jf.Model]; dup {
			return nil, inputerr.New(jf.Path, "a second file of judge %q's replies for model %q", jf.Judge, jf.Model)
		}
		path := jf.Path
		if jf.Format != "" {
			path += ":" + jf.Format
		}
		rc.Replies[jf.Model] = path
	}
	if o.MI != "" {
		s.Modality = &spec.Modality{From: "file", Path: o.MI}
	}
	for _, h := range o.Human {
		path := h.Path
		if h.Format != "" {
			path += ":" + h.Format
		}
		s.Human = append(s.Human, spec.Human{Name: h.Name, Model: h.Model, Path: path})
	}
	s.Statistics = spec.Statistics{Bootstrap: o.Bootstrap, Seed: o.Seed, Alpha: o.Alpha}
	if s.Statistics.Alpha == 0 {
		s.Statistics.Alpha = 0.05
	}
	s.Report = spec.Report{Formats: o.Report.Formats, Reference: o.Report.Reference, Examples: o.Report.Examples}
	if len(s.Report.Formats) == 0 {
		s.Report.Formats = reports.Formats()
	}
	return s, nil
}
