package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/emoeval/emoeval/pipeline"
)

type mergeOptions struct {
	Shards []string
	Out    string
	Force  bool
	terminalOptions
}

func newMergeCmd(f *factory, runF func(*mergeOptions) error) *cobra.Command {
	opts := &mergeOptions{}
	cmd := &cobra.Command{
		Use:   "merge SHARD_RUN... -o RUN_DIR",
		Short: "Join the run directories of a sharded run",
		Long: `Join the run directories of a sharded run (emoeval run --shard I/N) into one, after checking
that all shards ran the same configuration on the same split file and that every clip is
there exactly once for every model and variant, and score the whole. The merged summary
equals that of the same run on one machine.`,
		Example: `  emoeval merge runs/dfew/shard-0 runs/dfew/shard-1 runs/dfew/shard-2 runs/dfew/shard-3 -o runs/dfew/merged`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Shards = args
			if runF != nil {
				return runF(opts)
			}
			if err := opts.check(); err != nil {
				return err
			}
			res, err := pipeline.Merge(cmd.Context(), pipeline.MergeOptions{
				Shards: opts.Shards, Out: opts.Out, Force: opts.Force, Command: commandLine(f), Now: f.Now,
			})
			if err != nil {
				return err
			}
			if err := opts.print(f.Out, headline(res.Tables)); err != nil {
				return err
			}
			fmt.Fprintf(f.ErrOut, "merged %d shards into %s\n", len(opts.Shards), res.Dir)
			if res.Failed > 0 {
				return withCode(exitFailedItems, fmt.Errorf("%d samples failed in the shard runs", res.Failed))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "merged run directory (required)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite a directory made with another configuration")
	opts.terminalOptions.addFlags(cmd.Flags())
	_ = cmd.MarkFlagRequired("out")
	return cmd
}
