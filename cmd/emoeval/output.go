package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/pipeline"
	"github.com/emoeval/emoeval/reports/tabular"
)

// terminalOptions are how a command prints its tables on standard output; every command that
// prints tables takes the same flags.
type terminalOptions struct {
	Format string
	Wide   bool
}

func (o *terminalOptions) addFlags(fl *pflag.FlagSet) {
	fl.StringVar(&o.Format, "format", "txt", "tables on standard output: txt, md or none")
	fl.BoolVar(&o.Wide, "wide", false, "print tables at their full width instead of fitting 100 columns")
}

// check validates the flags before any work.
func (o *terminalOptions) check() error {
	switch o.Format {
	case "txt", "md", "none":
		return nil
	}
	return usageError("--format %q: use txt, md or none%s", o.Format, suggestion(o.Format, []string{"txt", "md", "none"}))
}

// print writes tables, separated by blank lines: text fitted to 100 columns (or full width with
// --wide), or Markdown.
func (o *terminalOptions) print(w io.Writer, tabs []*tabular.Table) error {
	if o.Format == "none" {
		return nil
	}
	width := tabular.TerminalWidth
	if o.Wide {
		width = 0
	}
	for i, t := range tabs {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		var err error
		if o.Format == "txt" {
			err = t.RenderText(w, width)
		} else {
			err = t.Render(w, o.Format)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// headline keeps the tables a run prints on the terminal: recognition, per-class recall, the
// quarter tables, modality, judge agreement and comparisons. The rest (confusion matrices,
// interval tables) are in the run's report/.
func headline(tabs []*tabular.Table) []*tabular.Table {
	var out []*tabular.Table
	for _, t := range tabs {
		switch {
		case t.ID == "recognition", t.ID == "per-class", t.ID == "modality", t.ID == "agreement", t.ID == "comparisons",
			strings.HasPrefix(t.ID, "quarter-") && !strings.HasPrefix(t.ID, "quarter-ci-"):
			out = append(out, t)
		}
	}
	return out
}

// suggestion is " (did you mean X?)" for the allowed value nearest to v, or "".
func suggestion(v string, allowed []string) string {
	if s := config.Suggest(v, allowed); s != "" && s != v {
		return " (did you mean " + s + "?)"
	}
	return ""
}

// newProgress returns the progress display of one phase: live bars on a terminal wide enough
// for them, plain log lines every few seconds elsewhere (a log file, CI, a terminal that reports
// no width).
func (f *factory) newProgress() runner.Progress {
	if f.IsTerminal && f.TerminalWidth != nil && f.TerminalWidth() >= 60 {
		return runner.NewBarProgress(f.ErrOut)
	}
	return runner.NewLogProgress(f.ErrOut, 5*time.Second)
}

// logf writes a line to standard error.
func (f *factory) logf(format string, args ...any) { fmt.Fprintf(f.ErrOut, format+"\n", args...) }

// countsLine says what a run asked for, each phase with its own counters.
func countsLine(c pipeline.RunCounts) string {
	line := fmt.Sprintf("%d model calls (%d answered by the servers, %d from the cache, %d retries, %d failed)",
		c.Tasks, c.Requests, c.Cached, c.Retries, c.Failed)
	if c.JudgeCalls > 0 {
		line += fmt.Sprintf("; %d judge calls (%d answered by the servers, %d from the cache, %d retries)",
			c.JudgeCalls, c.JudgeRequests, c.JudgeCached, c.JudgeRetries)
	}
	return line
}
