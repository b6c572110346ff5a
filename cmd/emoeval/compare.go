package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/emoeval/emoeval/internal/atomicfile"
	"github.com/emoeval/emoeval/pipeline"
	"github.com/emoeval/emoeval/reports/compare"
	"github.com/emoeval/emoeval/reports/tabular"
)

type compareOptions struct {
	Base, Cand           string
	BaseModel, CandModel string
	Gates                []string
	JUnit                string
	Markdown             string
	Bootstrap            int
	Seed                 uint64
	MaxFailed            int
}

func newCompareCmd(f *factory, runF func(*compareOptions) error) *cobra.Command {
	opts := &compareOptions{}
	cmd := &cobra.Command{
		Use:   "compare BASE_RUN CAND_RUN [--gate METRIC:RULE ...]",
		Short: "Compare two runs with paired tests and CI gates",
		Long: `Compare a baseline run with a candidate run on their common clips: headline metrics side by
side with the difference, its paired-bootstrap interval and p-value, and exact McNemar tests
on correctness and on TF. Gates decide the exit code: 0 when all pass, 1 when one fails, 2 on
bad input: runs on different data sets or clips, a run that did not finish, or a compared model
with more failed model calls than --max-failed (a broken server is not a regression).

Gates: METRIC:RULE with RULE max-drop=X, max-rise=X, min=X, max=X, significant-drop[=ALPHA],
significant-rise[=ALPHA]; X in the metric's units (fractions for rates) or percentage points
("1pp"). Metrics: war, uar, macro_f1, <judge>.tt|tf|ft|ff|tf_given_correct|epc|eea|fallback,
mi_aligned, format_reward, visual_initiation.

The Markdown summary is printed, written to --markdown, and appended to $GITHUB_STEP_SUMMARY
when that is set.`,
		Example: `  emoeval compare runs/main runs/pr-123 --gate uar:max-drop=1pp --gate lexicon.tf:max-rise=0 --gate war:significant-drop
  emoeval compare runs/base runs/cand --base-model r1-omni --cand-model migr --junit gates.xml --markdown gates.md`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Base, opts.Cand = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return runCompare(cmd, f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Gates, "gate", nil, "gate METRIC:RULE (repeatable)")
	fl.StringVar(&opts.BaseModel, "base-model", "", "model of the baseline run (needed when it has several)")
	fl.StringVar(&opts.CandModel, "cand-model", "", "model of the candidate run (needed when it has several)")
	fl.StringVar(&opts.JUnit, "junit", "", "write JUnit XML, one test case per gate")
	fl.StringVar(&opts.Markdown, "markdown", "", "write the Markdown summary to this file")
	fl.IntVar(&opts.Bootstrap, "bootstrap", 0, "bootstrap resamples of the paired comparison (default: the baseline run's)")
	fl.Uint64Var(&opts.Seed, "seed", 0, "bootstrap seed (default: the baseline run's)")
	fl.IntVar(&opts.MaxFailed, "max-failed", 0, "failed model calls a compared model may have")
	return cmd
}

func runCompare(cmd *cobra.Command, f *factory, opts *compareOptions) error {
	if opts.Bootstrap < 0 || opts.MaxFailed < 0 {
		return usageError("--bootstrap and --max-failed must not be negative")
	}
	co := pipeline.CompareOptions{
		Base: opts.Base, Cand: opts.Cand, BaseModel: opts.BaseModel, CandModel: opts.CandModel,
		Gates: opts.Gates, MaxFailed: opts.MaxFailed,
	}
	if cmd.Flags().Changed("bootstrap") {
		co.Bootstrap = &opts.Bootstrap
	}
	if cmd.Flags().Changed("seed") {
		co.Seed = &opts.Seed
	}
	rep, err := pipeline.Compare(cmd.Context(), co)
	if err != nil {
		// The CI still gets its summary and test report, saying why nothing was compared.
		writeCompareFailure(f, opts, err)
		return err
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		return err
	}
	if _, err := f.Out.Write(md.Bytes()); err != nil {
		return err
	}
	if opts.Markdown != "" {
		if err := atomicfile.WriteFile(opts.Markdown, md.Bytes()); err != nil {
			return err
		}
	}
	if p, ok := f.Getenv("GITHUB_STEP_SUMMARY"); ok && p != "" {
		if err := appendFile(p, md.Bytes()); err != nil {
			return fmt.Errorf("append to $GITHUB_STEP_SUMMARY: %w", err)
		}
	}
	if opts.JUnit != "" {
		var x bytes.Buffer
		if err := rep.WriteJUnit(&x); err != nil {
			return err
		}
		if err := atomicfile.WriteFile(opts.JUnit, x.Bytes()); err != nil {
			return err
		}
	}
	switch rep.ExitCode() {
	case 0:
		return nil
	case 1:
		return withCode(exitGateFailed, fmt.Errorf("%d of %d gates failed", rep.Count(compare.Fail), len(rep.Results)))
	default:
		return withCode(exitBadInput, fmt.Errorf("%d gates could not be evaluated (see the summary above)", rep.Count(compare.Error)))
	}
}

// writeCompareFailure writes the Markdown summary and JUnit report of a comparison that could
// not be made. Failures to write them are left out: the comparison's own error is the news.
func writeCompareFailure(f *factory, opts *compareOptions, cause error) {
	md := fmt.Sprintf("## emoeval compare: could not compare\n\n%s vs %s\n\n    %s\n",
		tabular.EscapeMarkdown(opts.Base), tabular.EscapeMarkdown(opts.Cand), strings.ReplaceAll(cause.Error(), "\n", "\n    "))
	if opts.Markdown != "" {
		_ = atomicfile.WriteFile(opts.Markdown, []byte(md))
	}
	if p, ok := f.Getenv("GITHUB_STEP_SUMMARY"); ok && p != "" {
		_ = appendFile(p, []byte(md))
	}
	if opts.JUnit == "" {
		return
	}
	type problem struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string  `xml:"name,attr"`
		ClassName string  `xml:"classname,attr"`
		Error     problem `xml:"error"`
	}
	type suite struct {
		XMLName  xml.Name   `xml:"testsuite"`
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Errors   int        `xml:"errors,attr"`
		Failures int        `xml:"failures,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	b, err := xml.MarshalIndent(suite{Name: "emoeval compare", Tests: 1, Errors: 1,
		Cases: []testcase{{Name: "compare", ClassName: "emoeval.compare", Error: problem{Message: "could not compare", Text: cause.Error()}}}}, "", "  ")
	if err == nil {
		_ = atomicfile.WriteFile(opts.JUnit, append([]byte(xml.Header), append(b, '\n')...))
	}
}

// appendFile appends data to a file, starting on a new line when the file's text does not end
// with one (another step's summary must not swallow the heading).
func appendFile(path string, data []byte) error {
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	if st, err := fh.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := fh.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			data = append([]byte("\n"), data...)
		}
	}
	if _, err := fh.Write(data); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}
