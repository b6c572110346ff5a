package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/emoeval/emoeval/datasets"
)

func newDatasetsCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "datasets <command>",
		Short: "Import, inspect and synthesise split files",
		Args:  groupArgs,
		RunE:  groupRun,
	}
	cmd.AddCommand(newDatasetsImportCmd(f, nil), newDatasetsInspectCmd(f, nil), newDatasetsSynthCmd(f, nil))
	return cmd
}

type datasetsImportOptions struct {
	Dataset   string
	Labels    string
	MediaRoot string
	Output    string
}

func newDatasetsImportCmd(f *factory, runF func(*datasetsImportOptions) error) *cobra.Command {
	opts := &datasetsImportOptions{}
	cmd := &cobra.Command{
		Use:   "import {dfew|mafw} --labels DIR -o splits.parquet",
		Short: "Convert the official split files of DFEW or MAFW to a split file",
		Long: `Convert the official split files to emoeval's split file (Parquet).

DFEW: single_{train,test}set_{1..5}.csv in DIR (or the EmoLabel_DataSplit layout with
train(single-labeled)/set_N.csv and test(single-labeled)/set_N.csv). MAFW:
single/no_caption/set_{1..5}/{train,test}.txt under DIR. With --media-root, video_path and
audio_path point into the data set's own layout (DFEW clip/<id>.mp4, MAFW clips/<id>.mp4).`,
		Example: `  emoeval datasets import dfew --labels DFEW/EmoLabel_DataSplit --media-root /data/DFEW -o dfew.parquet
  emoeval datasets import mafw --labels MAFW/Train_Test_Set --media-root /data/MAFW -o mafw.parquet`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dataset = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runDatasetsImport(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Labels, "labels", "", "directory of the official split files (required)")
	cmd.Flags().StringVar(&opts.MediaRoot, "media-root", "", "root of the data set's clips, to fill media paths")
	cmd.Flags().StringVarP(&opts.Output, "out", "o", "", "split file to write (required)")
	_ = cmd.MarkFlagRequired("labels")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runDatasetsImport(f *factory, opts *datasetsImportOptions) error {
	var (
		s   *datasets.Split
		err error
	)
	switch opts.Dataset {
	case "dfew":
		s, err = datasets.ImportDFEW(opts.Labels, opts.MediaRoot)
	case "mafw":
		s, err = datasets.ImportMAFW(opts.Labels, opts.MediaRoot)
	default:
		return usageError("unknown data set %q: use dfew or mafw", opts.Dataset)
	}
	if err != nil {
		return err
	}
	if err := datasets.WriteSplit(opts.Output, s); err != nil {
		return err
	}
	fmt.Fprintf(f.Out, "wrote %s: %d rows, %d folds\n", opts.Output, len(s.Clips), len(s.Folds()))
	return nil
}

type datasetsInspectOptions struct {
	Path   string
	Labels string
	JSON   bool
}

func newDatasetsInspectCmd(f *factory, runF func(*datasetsInspectOptions) error) *cobra.Command {
	opts := &datasetsInspectOptions{}
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Count clips per fold, split and class, and check the split",
		Long: `Print the clips per fold, split and class, and findings: a clip twice in one fold's test or
train set, a clip in both train and test of a fold, labels outside the label set, missing
folds, and differences from the official protocol's counts. Exits 2 when there are errors.`,
		Example: `  emoeval datasets inspect dfew.parquet
  emoeval datasets inspect dfew.parquet --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runDatasetsInspect(f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON instead of a table")
	cmd.Flags().StringVar(&opts.Labels, "labels", "", "custom label set (YAML) for data sets other than dfew and mafw")
	return cmd
}

func runDatasetsInspect(f *factory, opts *datasetsInspectOptions) error {
	ropts := []datasets.ReadOption{datasets.Lenient()}
	if opts.Labels != "" {
		ls, err := datasets.LoadLabelSet(opts.Labels)
		if err != nil {
			return withCode(exitBadInput, err)
		}
		ropts = append(ropts, datasets.WithLabelSet(ls))
	}
	s, err := datasets.ReadSplit(opts.Path, ropts...)
	if err != nil {
		return err
	}
	in := datasets.Inspect(s)
	if opts.JSON {
		enc := json.NewEncoder(f.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(in); err != nil {
			return err
		}
	} else if err := in.WriteText(f.Out); err != nil {
		return err
	}
	if n := in.Errors(); n > 0 {
		return withCode(exitBadInput, fmt.Errorf("%s: %d error(s) in the split", opts.Path, n))
	}
	return nil
}

type datasetsSynthOptions struct {
	Dataset   string
	Folds     string
	Seed      uint64
	MediaRoot string
	Features  []string
	Output    string
}

func newDatasetsSynthCmd(f *factory, runF func(*datasetsSynthOptions) error) *cobra.Command {
	opts := &datasetsSynthOptions{}
	cmd := &cobra.Command{
		Use:   "synth --dataset dfew --seed N -o FILE",
		Short: "Write a synthetic split with the real class counts",
		Long: `Write a synthetic split: made-up clips with the official per-fold and per-class counts of
DFEW or MAFW (where published), media paths, and optional synthetic feature columns. The
same seed gives the same file. Results on it are marked synthetic in every report.`,
		Example: `  emoeval datasets synth --dataset dfew --seed 1 -o dfew-synth.parquet
  emoeval datasets synth --dataset mafw --folds 5 --seed 7 --features video=128:0.8,audio=64:0.5 -o mafw5.parquet`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runDatasetsSynth(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Dataset, "dataset", "dfew", "dfew or mafw")
	cmd.Flags().StringVar(&opts.Folds, "folds", "", "folds to write, e.g. 5 or 1,2,3,4,5 (default all)")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 1, "random seed")
	cmd.Flags().StringVar(&opts.MediaRoot, "media-root", "", "root for media paths")
	cmd.Flags().StringSliceVar(&opts.Features, "features", nil, "feature columns MODALITY=DIM:INFORMATIVENESS, e.g. video=128:0.8")
	cmd.Flags().StringVarP(&opts.Output, "out", "o", "", "split file to write (required)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runDatasetsSynth(f *factory, opts *datasetsSynthOptions) error {
	folds, err := parseFolds(opts.Folds)
	if err != nil {
		return err
	}
	feats, err := parseFeatureSpecs(opts.Features)
	if err != nil {
		return err
	}
	s, err := datasets.Synth(datasets.SynthOptions{Dataset: opts.Dataset, Folds: folds, Seed: int64(opts.Seed), MediaRoot: opts.MediaRoot, Features: feats})
	if err != nil {
		return withCode(exitBadInput, err)
	}
	if err := datasets.WriteSplit(opts.Output, s); err != nil {
		return err
	}
	fmt.Fprintf(f.Out, "wrote %s: %d rows (synthetic, seed %d)\n", opts.Output, len(s.Clips), opts.Seed)
	return nil
}

// parseFolds reads "5" or "1,2,3"; empty gives nil.
func parseFolds(s string) ([]int32, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int32
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 {
			return nil, usageError("folds %q: use numbers from 1, e.g. 5 or 1,2,3,4,5", s)
		}
		out = append(out, int32(n))
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// parseFeatureSpecs reads MODALITY=DIM:INFORMATIVENESS entries.
func parseFeatureSpecs(specs []string) (map[string]datasets.FeatureSpec, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	out := map[string]datasets.FeatureSpec{}
	for _, s := range specs {
		name, rest, ok := strings.Cut(s, "=")
		dim, inf, ok2 := strings.Cut(rest, ":")
		d, err1 := strconv.Atoi(dim)
		v, err2 := strconv.ParseFloat(inf, 64)
		if !ok || !ok2 || name == "" || err1 != nil || err2 != nil || d < 1 || v < 0 {
			return nil, usageError("feature %q: use MODALITY=DIM:INFORMATIVENESS, e.g. video=128:0.8", s)
		}
		out[name] = datasets.FeatureSpec{Dim: d, Informativeness: v}
	}
	return out, nil
}
