package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/sim"
)

type simOptions struct {
	Addr   string
	Split  string
	Labels string
	Faults string
	Seed   uint64
}

func newSimCmd(f *factory, runF func(*simOptions) error) *cobra.Command {
	opts := &simOptions{}
	cmd := &cobra.Command{
		Use:   "sim --split FILE [--addr 127.0.0.1:PORT] [--faults SPEC]",
		Short: "Serve simulated models and a simulated judge (OpenAI-compatible)",
		Long: `Serve GET /v1/models and POST /v1/chat/completions as simulated models: r1-omni-sim (an
R1-Omni-style baseline) and migr-sim (a MIGR-style model), and judge-sim (a judge answering the
authors' judge prompt). Answers are deterministic for the seed and clip; the clip is named by
the media URL's file name (.../clip/00001.mp4) or a text part "clip_id: 00001".

Faults: comma-separated key=value, e.g.
  latency=50ms,jitter=10ms,429=0.1,retry-after=1s,500=0.05,malformed=0.02,truncated=0.01,reset=0.01,hang=0.01
Stops on Ctrl-C.`,
		Example: `  emoeval sim --split dfew.parquet --addr 127.0.0.1:8000
  emoeval sim --split dfew.parquet --faults latency=50ms,429=0.1,500=0.05`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			faults, err := sim.ParseFaults(opts.Faults)
			if err != nil {
				return usageError("--faults: %v", err)
			}
			var ropts []datasets.ReadOption
			if opts.Labels != "" {
				ls, err := datasets.LoadLabelSet(opts.Labels)
				if err != nil {
					return err
				}
				ropts = append(ropts, datasets.WithLabelSet(ls))
			}
			split, err := datasets.ReadSplit(opts.Split, ropts...)
			if err != nil {
				return err
			}
			srv, err := sim.NewServer(sim.Config{Split: split, Seed: int64(opts.Seed), Models: sim.DefaultModels(), Judge: sim.DefaultJudge(), Faults: faults})
			if err != nil {
				return err
			}
			url, stop, err := srv.Start(cmd.Context(), opts.Addr)
			if err != nil {
				return err
			}
			defer stop()
			fmt.Fprintf(f.Out, "serving simulated models at %s (models r1-omni-sim, migr-sim; judge judge-sim)\n", url)
			<-cmd.Context().Done()
			st := srv.Stats()
			fmt.Fprintf(f.ErrOut, "stopped after %d requests\n", st.Requests)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8000", "address to listen on")
	fl.StringVar(&opts.Split, "split", "", "split file giving each clip's label (required)")
	fl.StringVar(&opts.Labels, "labels", "", "custom label set (YAML)")
	fl.StringVar(&opts.Faults, "faults", "", "faults to inject (see above)")
	fl.Uint64Var(&opts.Seed, "seed", 1, "seed of the simulated answers")
	_ = cmd.MarkFlagRequired("split")
	return cmd
}
