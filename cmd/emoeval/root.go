package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/version"
	"github.com/emoeval/emoeval/pipeline/spec"
)

// Exit codes (docs/formats.md "Exit codes").
const (
	exitOK          = 0
	exitGateFailed  = 1 // also any unexpected error
	exitBadInput    = 2
	exitFailedItems = 3
	exitInterrupted = 130
)

// factory carries everything a command touches outside itself, so tests can inject it
// (as the GitHub CLI does).
type factory struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// IsTerminal says whether ErrOut is a terminal (live progress bars) or not (log lines);
	// TerminalWidth is its width in columns (0 when it does not say).
	IsTerminal    bool
	TerminalWidth func() int
	Getenv        func(string) (string, bool)
	HTTPClient    func() *http.Client
	Now           func() time.Time
	// Registries are the backend and judge kinds (zero: emoeval's own; tests add fakes).
	Registries spec.Registries
	// argv is the command line (set by execute), for printed commands (resume, reproduce).
	argv []string
}

func newFactory() *factory {
	return &factory{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		IsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		TerminalWidth: func() int {
			w, _, err := term.GetSize(int(os.Stderr.Fd()))
			if err != nil {
				return 0
			}
			return w
		},
		Getenv:     os.LookupEnv,
		HTTPClient: func() *http.Client { return &http.Client{} },
		Now:        time.Now,
	}
}

// exitError carries a specific exit code up to execute.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// usageError marks a wrong invocation (exit 2).
func usageError(format string, args ...any) error {
	return withCode(exitBadInput, fmt.Errorf(format, args...))
}

func newRootCmd(f *factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "emoeval <command>",
		Short: "Evaluate reasoning-based multimodal emotion models",
		Long: `emoeval runs reasoning-based multimodal emotion models (a clip in; an explanation and an
emotion out), judges whether each explanation supports the predicted emotion, scores
recognition (WAR, UAR) and reasoning reliability (the quarter table), and renders tables,
plots and PDF reports. It reproduces the MIGR paper's evaluation exactly (--protocol migr).

Exit codes: 0 ok; 1 a comparison gate failed (or an unexpected error); 2 bad input or usage;
3 the run finished with failed samples; 130 interrupted.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version.String(),
		Args:          groupArgs,
		RunE:          groupRun,
	}
	root.SetVersionTemplate("emoeval {{.Version}}\n")
	root.SetIn(f.In)
	root.SetOut(f.Out)
	root.SetErr(f.ErrOut)
	// One vocabulary: outputs are --out/-o everywhere; --output is still understood.
	root.SetGlobalNormalizationFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if name == "output" {
			name = "out"
		}
		return pflag.NormalizedName(name)
	})
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return withCode(exitBadInput, flagError(c, err))
	})
	root.AddCommand(
		newDatasetsCmd(f),
		newScoreCmd(f, nil),
		newRunCmd(f, nil),
		newReportCmd(f, nil),
		newCompareCmd(f, nil),
		newMergeCmd(f, nil),
		newSimCmd(f, nil),
		newDemoCmd(f, nil),
		newViewCmd(f, nil),
		newVersionCmd(f),
	)
	return root
}

// execute runs the command line and maps its error to an exit code.
func execute(ctx context.Context, f *factory, args []string) (code int) {
	// Libraries are wrapped where they can panic on bad input; this is the last line, so that a
	// bug still ends in a message rather than a stack trace.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(f.ErrOut, "emoeval: internal error: %v\nPlease report it with the command you ran.\n", r)
			code = exitGateFailed
		}
	}()
	f.argv = append([]string{"emoeval"}, args...)
	root := newRootCmd(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if isCobraUsage(err) {
		err = withCode(exitBadInput, usageHint(cmd, err))
	}
	fmt.Fprintf(f.ErrOut, "emoeval: %v\n", err)
	return exitCode(ctx, err)
}

func exitCode(ctx context.Context, err error) int {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case inputerr.Is(err):
		return exitBadInput
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		return exitInterrupted
	case isCobraUsage(err):
		return exitBadInput
	}
	return exitGateFailed
}

// isCobraUsage recognises cobra's own argument errors (unknown command, wrong arg count).
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "unknown flag", "unknown shorthand flag", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
