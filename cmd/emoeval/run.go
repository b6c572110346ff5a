package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/pipeline"
)

type runOptions struct {
	Config     string
	Out        string
	Force      bool
	Resume     bool
	Shard      string
	ShardCount int
	Grace      time.Duration
	terminalOptions
}

func newRunCmd(f *factory, runF func(*runOptions) error) *cobra.Command {
	opts := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run -c emoeval.yaml [--out DIR] [--resume] [--shard I/N]",
		Short: "Run the whole pipeline: models, judges, metrics, reports",
		Long: `Run every configured model and variant at once (each with its own concurrency limit), judge
the explanations, score, and write the run directory (default runs/<name>): manifest.json,
predictions.parquet, judgments.parquet, summary.json, cache.sqlite and report/.

Every response is committed to cache.sqlite as it arrives, so a rerun of the same
configuration (or --resume) asks only for what is missing. Ctrl-C stops new requests, lets
in-flight ones finish for --grace, and exits 130 printing the command that resumes. Samples
that still fail after retries are recorded and the run exits 3.

Sharding: --shard I/N runs shard I (0-based) of N by a stable hash of clip ids; --shard-count N
takes I from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm
array). Join shard runs with emoeval merge.`,
		Example: `  emoeval run -c emoeval.yaml
  emoeval run -c emoeval.yaml --out runs/try2 --resume
  emoeval run -c emoeval.yaml --shard 0/4 --out runs/dfew/shard-0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runRun(cmd, f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Config, "config", "c", "", "configuration file (required)")
	fl.StringVarP(&opts.Out, "out", "o", "", "run directory (default runs/<name>)")
	fl.BoolVar(&opts.Force, "force", false, "reuse a run directory made with another configuration")
	fl.BoolVar(&opts.Resume, "resume", false, "continue an earlier run in the same directory (it must exist)")
	fl.StringVar(&opts.Shard, "shard", "", "run shard I/N of the clips")
	fl.IntVar(&opts.ShardCount, "shard-count", 0, "number of shards; the index comes from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID")
	fl.DurationVar(&opts.Grace, "grace", 10*time.Second, "how long in-flight requests may finish after Ctrl-C")
	opts.terminalOptions.addFlags(fl)
	_ = cmd.MarkFlagRequired("config")
	return cmd
}

func runRun(cmd *cobra.Command, f *factory, opts *runOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	var shard runner.Shard
	switch {
	case opts.Shard != "" && opts.ShardCount > 0:
		return usageError("use --shard I/N or --shard-count N, not both")
	case opts.Shard != "":
		s, err := runner.ParseShard(opts.Shard)
		if err != nil {
			return usageError("--shard: %v", err)
		}
		shard = s
	case opts.ShardCount > 0:
		s, ok, err := runner.ShardFromEnv(f.Getenv, opts.ShardCount)
		if err != nil {
			return usageError("--shard-count: %v", err)
		}
		if !ok {
			return usageError("--shard-count needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment")
		}
		shard = s
	}
	s, err := pipeline.LoadSpec(opts.Config, f.Getenv, f.Registries)
	if err != nil {
		return err
	}
	res, err := pipeline.Run(cmd.Context(), pipeline.RunOptions{
		Spec: s, ConfigFile: opts.Config, Kind: pipeline.KindRun, Registries: f.Registries, Out: opts.Out, Force: opts.Force, Resume: opts.Resume, Shard: shard, Grace: opts.Grace,
		NewProgress: f.newProgress, Logf: f.logf,
		Env: f.Getenv, HTTP: f.HTTPClient(), Command: commandLine(f), ResumeCommand: resumeCommand(f, opts), Now: f.Now,
	})
	var intr *pipeline.ErrInterrupted
	if errors.As(err, &intr) {
		return withCode(exitInterrupted, err)
	}
	if err != nil {
		return err
	}
	if err := opts.print(f.Out, headline(res.Tables)); err != nil {
		return err
	}
	fmt.Fprintf(f.ErrOut, "run directory: %s\n%s\n", res.Dir, countsLine(res.Counts))
	for _, l := range res.InProcess {
		fmt.Fprintf(f.ErrOut, "ran in-process: %s\n", l)
	}
	for _, p := range res.Report {
		if filepath.Base(p) == "report.pdf" {
			fmt.Fprintf(f.ErrOut, "report: %s\n", p)
		}
	}
	if res.Stopped != nil {
		return withCode(exitFailedItems, fmt.Errorf("%w; its remaining calls were not sent (recorded as failed); fix the cause, then rerun the same command", res.Stopped))
	}
	if res.Failed > 0 {
		for _, e := range res.FirstErrors {
			fmt.Fprintf(f.ErrOut, "failed: %s\n", e)
		}
		return withCode(exitFailedItems, fmt.Errorf("%d samples failed after retries (each recorded with its error in predictions.parquet); rerun the same command to retry them once the cause is fixed", res.Failed))
	}
	return nil
}

// resumeCommand is the command that continues this run: the same one, with --resume.
func resumeCommand(f *factory, opts *runOptions) string {
	cmd := commandLine(f)
	if !opts.Resume {
		cmd += " --resume"
	}
	return cmd
}
