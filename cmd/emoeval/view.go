package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/emoeval/emoeval/pipeline/view"
)

type viewOptions struct {
	RunDir string
	Addr   string
	Token  string
	// Annotation.
	Annotate   bool
	Sample     int
	Seed       uint64
	Annotator  string
	Judge      string
	Allocation string
	Unblind    bool
	// ready, when set (tests), receives the address the server listens on.
	ready func(addr string)
}

// viewTokenEnv names the variable that can carry --token, which then stays out of the process list.
const viewTokenEnv = "EMOEVAL_VIEW_TOKEN"

func newViewCmd(f *factory, runF func(*viewOptions) error) *cobra.Command {
	opts := &viewOptions{}
	cmd := &cobra.Command{
		Use:   "view RUN_DIR [--addr 127.0.0.1:8700] [--annotate --annotator NAME]",
		Short: "Look at the samples behind every number of a run, or label explanations by hand",
		Long: `Serve a run directory as local web pages: the headline numbers (recognition per model, the
quarter table per judge, failed counts), each linked to the samples it counts; a filtered,
paginated table of every sample; and one clip's outputs side by side, with each judge's reading
of every sentence. Media files are served only when they are the split's own paths for the
clip, under the split's media root.

With --annotate, the pages instead show a stratified sample of explanations one at a time,
blind (no model, prediction or judge label), and ask which emotion each supports; every answer
goes at once to human.parquet in the run directory, and reloading continues where the
annotator stopped. The sample is stratified by model and by the quarter cell of --judge (the
summary's first judge by default); each answer records its stratum and inclusion probability.
Two annotators with the same --sample, --seed and --judge answer the same explanations, and
the agreement page (and the end of the command) gives Cohen's κ between them.

The server listens on loopback only unless --token (or ` + viewTokenEnv + `) is given; the
pages then need it (open the printed address with ?token=…).`,
		Example: `  emoeval view runs/dfew-fold5
  emoeval view runs/dfew-fold5 --annotate --sample 300 --seed 1 --annotator alice
  EMOEVAL_VIEW_TOKEN=s3cret emoeval view runs/dfew-fold5 --addr 0.0.0.0:8700`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.RunDir = args[0]
			if opts.Token == "" {
				opts.Token, _ = f.Getenv(viewTokenEnv)
			}
			if err := checkViewOptions(cmd, opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runView(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8700", "address to listen on (host:port; port 0 picks a free one)")
	fl.StringVar(&opts.Token, "token", "", "access token the pages require (needed for a non-loopback --addr; or set "+viewTokenEnv+")")
	fl.BoolVar(&opts.Annotate, "annotate", false, "label a sample of explanations by hand instead of viewing the run")
	fl.IntVar(&opts.Sample, "sample", 300, "explanations to annotate (--annotate)")
	fl.Uint64Var(&opts.Seed, "seed", 1, "seed of the sample and its order (--annotate)")
	fl.StringVar(&opts.Annotator, "annotator", "", "your name, written with every answer (--annotate)")
	fl.StringVar(&opts.Judge, "judge", "", "judge whose quarter cells stratify the sample (--annotate; default: the summary's first)")
	fl.StringVar(&opts.Allocation, "allocation", view.AllocEqual, "how the sample is shared among strata: equal or proportional (--annotate)")
	fl.BoolVar(&opts.Unblind, "unblind", false, "show the model, its prediction and the judge's label (--annotate)")
	return cmd
}

// checkViewOptions rejects contradictory or unsafe flags before anything is read.
func checkViewOptions(cmd *cobra.Command, o *viewOptions) error {
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		return usageError("--addr %q: want host:port, e.g. 127.0.0.1:8700", o.Addr)
	}
	if !view.IsLoopbackAddr(o.Addr) && o.Token == "" {
		return usageError("--addr %s is reachable from other machines: give --token (or %s), which the pages will then require", o.Addr, viewTokenEnv)
	}
	if !o.Annotate {
		for _, name := range []string{"sample", "seed", "annotator", "judge", "allocation", "unblind"} {
			if cmd.Flags().Changed(name) {
				return usageError("--%s is for --annotate", name)
			}
		}
		return nil
	}
	if strings.TrimSpace(o.Annotator) == "" {
		return usageError("--annotate needs --annotator NAME (it is written with every answer)")
	}
	if o.Sample < 1 {
		return usageError("--sample %d: want at least 1", o.Sample)
	}
	if o.Allocation != view.AllocEqual && o.Allocation != view.AllocProportional {
		return usageError("--allocation %q: use %s or %s", o.Allocation, view.AllocEqual, view.AllocProportional)
	}
	return nil
}

func runView(ctx context.Context, f *factory, o *viewOptions) error {
	run, err := view.Load(ctx, o.RunDir)
	if err != nil {
		return err
	}
	var ann *view.Annotation
	if o.Annotate {
		ann, err = view.NewAnnotation(run, view.AnnotateOptions{Annotator: o.Annotator, Judge: o.Judge, Sample: o.Sample,
			Seed: o.Seed, Allocation: o.Allocation, Unblind: o.Unblind}, f.Now)
		if err != nil {
			return withCode(exitBadInput, err)
		}
	}
	srv, err := view.NewServer(run, view.Options{Token: o.Token, Annotation: ann, Now: f.Now})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return withCode(exitBadInput, fmt.Errorf("--addr %s: %w", o.Addr, err))
	}
	addr := ln.Addr().String()
	url := "http://" + addr + "/"
	if o.Token != "" {
		url += "?token=<your token>"
	}
	if ann != nil {
		fmt.Fprintf(f.Out, "annotating %d explanations of %s (%d answered) as %s: %s\n", ann.Len(), o.RunDir, ann.Answered(), ann.Opts.Annotator, url)
	} else {
		fmt.Fprintf(f.Out, "viewing %s (%d samples): %s\n", o.RunDir, run.Index.Len(), url)
	}
	fmt.Fprintln(f.Out, "press Ctrl-C to stop")
	if o.ready != nil {
		o.ready(addr)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		err = hs.Shutdown(sctx)
		cancel()
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Stopping the server is how the command ends: not an interruption of work.
	printAgreement(f, run.Dir)
	return nil
}

// printAgreement prints inter-annotator κ when human.parquet holds two annotators' answers.
func printAgreement(f *factory, dir string) {
	rows, err := view.NewHumanStore(dir).Read()
	if err != nil {
		fmt.Fprintf(f.ErrOut, "emoeval: %v\n", err)
		return
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(f.Out, "%d answers in %s\n", len(rows), view.NewHumanStore(dir).Path())
	fmt.Fprint(f.Out, view.FormatAgreement(view.AnnotatorAgreement(rows)))
	fmt.Fprintf(f.Out, "judge-corrected rates with these answers: emoeval report %s\n", dir)
}
