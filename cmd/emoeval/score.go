package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/judges/replay"
	"github.com/emoeval/emoeval/pipeline"
	"github.com/emoeval/emoeval/reports"
)

type scoreOptions struct {
	Split       string
	Labels      string
	Folds       string
	Kind        string
	Models      []string
	Judgments   []string
	Judges      []string
	JudgeConfig string
	MI          string
	Human       []string
	Protocol    string
	Aggregation string
	Bootstrap   int
	Seed        uint64
	Alpha       float64
	Out         string
	Force       bool
	JSON        string
	terminalOptions
	Formats   []string
	Reference bool
	Examples  int
}

func newScoreCmd(f *factory, runF func(*scoreOptions) error) *cobra.Command {
	opts := &scoreOptions{}
	cmd := &cobra.Command{
		Use:   "score --split FILE --model NAME=PATH ... [flags]",
		Short: "Score model outputs produced elsewhere",
		Long: `Score model outputs produced elsewhere: recognition (WAR, UAR, per-class recall, confusion
matrix) and, with judge replies or judges, the quarter table of reasoning reliability.

Model outputs: --model NAME=PATH[:FORMAT], FORMAT idpipe (the authors' .txt), jsonl
({"clip_id", "output"} per line) or parquet; by extension when not named. Judge replies:
--judgments [JUDGE/]MODEL=PATH[:FORMAT], FORMAT ervjson (the authors' JSON), jsonl
({"clip_id", "emotion"}) or parquet; JUDGE defaults to "replay". --judge lexicon judges the
explanations here; --judge llm and classifier take their settings from --judge-config (a YAML
file with a judges: list as in emoeval.yaml).

--protocol migr (default) reproduces the MIGR authors' scripts exactly; robust normalises
answers and replies and counts every normalisation.`,
		Example: `  emoeval score --split dfew.parquet --fold 5 --model migr=output_eval5.txt --judgments migr=gpt.json
  emoeval score --split dfew.parquet --model r1=r1.txt --model migr=migr.txt --judge lexicon --format md
  emoeval score --split dfew.parquet --model migr=migr.jsonl --judge lexicon --protocol robust --out runs/migr --json summary.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runScore(cmd, f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Split, "split", "", "split file (required)")
	fl.StringVar(&opts.Labels, "labels", "", "custom label set (YAML) for data sets other than dfew and mafw")
	fl.StringVar(&opts.Folds, "fold", "5", "fold(s) to score, e.g. 5 or 1,2,3,4,5")
	fl.StringVar(&opts.Kind, "split-kind", "test", "test or train")
	fl.StringArrayVar(&opts.Models, "model", nil, "model outputs NAME=PATH[:FORMAT] (repeatable)")
	fl.StringArrayVar(&opts.Judgments, "judgments", nil, "judge replies [JUDGE/]MODEL=PATH[:FORMAT] (repeatable)")
	fl.StringArrayVar(&opts.Judges, "judge", nil, "judge to run: lexicon, llm or classifier (repeatable)")
	fl.StringVar(&opts.JudgeConfig, "judge-config", "", "YAML file with a judges: list (for llm and classifier judges)")
	fl.StringVar(&opts.MI, "mi", "", "modality-importance table PATH[:csv|parquet]")
	fl.StringArrayVar(&opts.Human, "human", nil, "human labels of the explanations [MODEL=]PATH[:FORMAT], in any judge-reply format, compared with every judge (repeatable)")
	fl.StringVar(&opts.Protocol, "protocol", "migr", "migr (the authors' rules, exactly) or robust")
	fl.StringVar(&opts.Aggregation, "aggregation", "", "fold aggregation: single, pooled or mean (default: single for one fold, else pooled)")
	fl.IntVar(&opts.Bootstrap, "bootstrap", 10000, "bootstrap resamples for intervals and paired tests (0: none)")
	fl.Uint64Var(&opts.Seed, "seed", 1, "bootstrap seed")
	fl.Float64Var(&opts.Alpha, "alpha", 0.05, "1 − confidence level of intervals; significance level")
	fl.StringVarP(&opts.Out, "out", "o", "", "also write a run directory: predictions, judgments, summary, manifest, report/")
	fl.BoolVar(&opts.Force, "force", false, "overwrite a run directory made with other options")
	fl.StringVar(&opts.JSON, "json", "", "write summary.json to this file")
	opts.terminalOptions.addFlags(fl)
	fl.StringSliceVar(&opts.Formats, "formats", reports.Formats(), "report formats under --out")
	noReferenceFlag(fl, &opts.Reference)
	fl.IntVar(&opts.Examples, "examples", 3, "correct-but-inconsistent explanations per model in report.pdf")
	_ = cmd.MarkFlagRequired("split")
	_ = cmd.MarkFlagRequired("model")
	return cmd
}

func runScore(cmd *cobra.Command, f *factory, opts *scoreOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	if opts.Examples < 0 || opts.Bootstrap < 0 {
		return usageError("--examples and --bootstrap must not be negative")
	}
	folds, err := parseFolds(opts.Folds)
	if err != nil {
		return err
	}
	so := pipeline.ScoreOptions{
		Split: opts.Split, Labels: opts.Labels, Folds: folds, Kind: opts.Kind,
		Judges: opts.Judges, JudgeConfig: opts.JudgeConfig, MI: opts.MI, Protocol: opts.Protocol,
		Aggregation: opts.Aggregation, Bootstrap: opts.Bootstrap, Seed: opts.Seed, Alpha: opts.Alpha,
		Out: opts.Out, Force: opts.Force,
		Report: pipeline.ReportOptions{Formats: opts.Formats, Reference: opts.Reference, Examples: opts.Examples},
		Env:    f.Getenv, HTTP: f.HTTPClient(), Command: commandLine(f), Now: f.Now,
	}
	for _, m := range opts.Models {
		name, arg, ok := strings.Cut(m, "=")
		if !ok || name == "" {
			return usageError("--model %q: use NAME=PATH[:FORMAT]", m)
		}
		if err := checkModelName("--model", name); err != nil {
			return err
		}
		path, format, err := predictions.FormatOf(arg)
		if err != nil {
			return err
		}
		so.Models = append(so.Models, pipeline.ModelFile{Name: name, Path: path, Format: format})
	}
	for _, j := range opts.Judgments {
		who, arg, ok := strings.Cut(j, "=")
		if !ok || who == "" {
			return usageError("--judgments %q: use [JUDGE/]MODEL=PATH[:FORMAT]", j)
		}
		judge, model, named := strings.Cut(who, "/")
		if !named {
			judge, model = "replay", who
		}
		path, format, err := replay.FormatOf(arg)
		if err != nil {
			return err
		}
		so.Judgments = append(so.Judgments, pipeline.JudgmentFile{Judge: judge, Model: model, Path: path, Format: format})
	}
	for _, h := range opts.Human {
		model, arg, ok := strings.Cut(h, "=")
		if !ok {
			model, arg = "", h
		}
		path, format, err := replay.FormatOf(arg)
		if err != nil {
			return err
		}
		name := "human"
		if model != "" {
			name = "human:" + model
		}
		so.Human = append(so.Human, pipeline.HumanFile{Name: name, Model: model, Path: path, Format: format})
	}
	res, err := pipeline.Score(cmd.Context(), so)
	if err != nil {
		return err
	}
	if opts.JSON != "" {
		if err := pipeline.WriteJSON(opts.JSON, res.Summary); err != nil {
			return err
		}
	}
	if err := opts.print(f.Out, res.Tables); err != nil {
		return err
	}
	if opts.Out != "" {
		fmt.Fprintf(f.ErrOut, "wrote %s (%d report files)\n", opts.Out, len(res.Report))
	}
	return nil
}

// checkModelName refuses names that would vanish or split a table row.
func checkModelName(flag, name string) error {
	if strings.TrimSpace(name) == "" || strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return usageError("%s: the name %q is blank or holds control characters", flag, name)
	}
	return nil
}

// commandLine is the command as the user typed it, shell-quoted, for manifests and reports.
func commandLine(f *factory) string {
	parts := make([]string, len(f.argv))
	for i, a := range f.argv {
		parts[i] = shellQuote(a)
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes an argument for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,@+%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
