package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/emoeval/emoeval/pipeline"
	"github.com/emoeval/emoeval/reports"
)

type reportOptions struct {
	RunDir    string
	Formats   []string
	Reference bool
	Examples  int
}

func newReportCmd(f *factory, runF func(*reportOptions) error) *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report RUN_DIR [--formats txt,md,tex,csv,html,png,svg,pdf]",
		Short: "Render a run's tables, plots and PDF again from its files",
		Long: `Render a run directory's report/ again from its summary.json, predictions.parquet,
judgments.parquet and manifest.json, without calling any model. When the run directory's
human.parquet (emoeval view --annotate) changed since summary.json was computed, the run is
scored again from its files first, so that the judge-corrected rates hold every answer. The new
report replaces the old one only when it is complete.`,
		Example: `  emoeval report runs/dfew-fold5
  emoeval report runs/dfew-fold5 --formats md,pdf --examples 5`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.RunDir = args[0]
			if runF != nil {
				return runF(opts)
			}
			files, err := pipeline.RenderReport(cmd.Context(), opts.RunDir, pipeline.ReportOptions{
				Formats: opts.Formats, Reference: opts.Reference, Examples: opts.Examples, Logf: f.logf,
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(f.Out, "rendered %d files into %s\n", len(files), filepath.Join(opts.RunDir, pipeline.ReportDir))
			for _, p := range files {
				if filepath.Base(p) == "report.pdf" {
					fmt.Fprintf(f.Out, "report: %s\n", p)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&opts.Formats, "formats", reports.Formats(), "formats to render")
	noReferenceFlag(cmd.Flags(), &opts.Reference)
	cmd.Flags().IntVar(&opts.Examples, "examples", 3, "correct-but-inconsistent explanations per model in report.pdf")
	return cmd
}
