package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/emoeval/emoeval/pipeline"
)

type demoOptions struct {
	Out  string
	Seed uint64
	terminalOptions
}

func newDemoCmd(f *factory, runF func(*demoOptions) error) *cobra.Command {
	opts := &demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Run the whole pipeline on built-in data",
		Long: `Run the whole pipeline on built-in data: a synthetic DFEW fold-5 split with the real class
counts and synthetic features; an R1-Omni-style baseline (with video-only and audio-only
variants for modality importance) and a MIGR-style model, run concurrently against the
in-process simulated server over real HTTP; a linear ONNX model over the features, in-process;
the lexicon judge and the simulated LLM judge; statistics; and the full report. All results are
marked synthetic.`,
		Example: `  emoeval demo --out demo-out`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			if err := opts.check(); err != nil {
				return err
			}
			start := time.Now()
			res, err := pipeline.Demo(cmd.Context(), pipeline.DemoOptions{
				Out: opts.Out, Seed: int64(opts.Seed), NewProgress: f.newProgress, Logf: f.logf,
				HTTP: f.HTTPClient(), Now: f.Now, Command: commandLine(f),
			})
			if err != nil {
				return err
			}
			if err := opts.print(f.Out, headline(res.Tables)); err != nil {
				return err
			}
			fmt.Fprintf(f.ErrOut, "\ndemo finished in %s: %s\n", time.Since(start).Round(100*time.Millisecond), countsLine(res.Counts))
			for _, l := range res.InProcess {
				fmt.Fprintf(f.ErrOut, "ran in-process: %s\n", l)
			}
			fmt.Fprintf(f.ErrOut, "run directory: %s\n", res.Dir)
			fmt.Fprintf(f.ErrOut, "report: %s\n", filepath.Join(res.Dir, pipeline.ReportDir, "report.pdf"))
			return nil
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "demo-out", "directory for the demo's data, configuration and run")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 1, "seed of the synthetic data and simulated models")
	opts.terminalOptions.addFlags(cmd.Flags())
	return cmd
}
