package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/emoeval/emoeval/eval/config"
)

// groupArgs refuses a word that is not a subcommand of a command group ("datasets inpsect"),
// suggesting the nearest one, where cobra would print help and exit 0.
func groupArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := config.Suggest(args[0], names); s != "" {
		msg += fmt.Sprintf(": did you mean %s?", s)
	} else {
		msg += fmt.Sprintf(": use one of %s", strings.Join(names, ", "))
	}
	return usageError("%s", msg)
}

// groupRun is a command group called without a subcommand: its help, on standard error, and
// exit 2 (it was asked for nothing it can do).
func groupRun(cmd *cobra.Command, _ []string) error {
	cmd.SetOut(cmd.ErrOrStderr())
	_ = cmd.Help()
	return usageError("%s needs a command (see above)", cmd.CommandPath())
}

// noReferenceFlag adds --no-reference (and keeps --reference for old command lines, hidden).
func noReferenceFlag(fl *pflag.FlagSet, reference *bool) {
	fl.BoolVar(reference, "reference", true, "show the published numbers beside the results")
	_ = fl.MarkHidden("reference")
	fl.Func("no-reference", "leave the published numbers out of the tables", func(string) error {
		*reference = false
		return nil
	})
	fl.Lookup("no-reference").NoOptDefVal = "true"
}

var (
	requiredRE = regexp.MustCompile(`required flag\(s\) (.*) not set`)
	argsRE     = regexp.MustCompile(`accepts (\d+) arg\(s\), received (\d+)|requires at least (\d+) arg`)
)

// usageHint rewrites cobra's own messages ("required flag(s) "out" not set", "accepts 1
// arg(s), received 0") to name what is missing and show the command's usage line.
func usageHint(cmd *cobra.Command, err error) error {
	msg := err.Error()
	use := ""
	if cmd != nil {
		use = cmd.UseLine()
	}
	switch {
	case requiredRE.MatchString(msg):
		var flags []string
		for _, f := range strings.Split(requiredRE.FindStringSubmatch(msg)[1], ", ") {
			name := strings.Trim(f, `"`)
			desc := ""
			if cmd != nil {
				if fl := cmd.Flags().Lookup(name); fl != nil {
					desc = " (" + strings.TrimSuffix(fl.Usage, " (required)") + ")"
				}
			}
			flags = append(flags, "--"+name+desc)
		}
		msg = "missing " + strings.Join(flags, " and ")
	case argsRE.MatchString(msg):
		m := argsRE.FindStringSubmatch(msg)
		switch {
		case m[1] != "":
			msg = fmt.Sprintf("%s takes %s argument(s), got %s", cmd.Name(), m[1], m[2])
		default:
			msg = fmt.Sprintf("%s needs at least %s argument(s)", cmd.Name(), m[3])
		}
	}
	if use != "" {
		msg += "; usage: " + use
	}
	return errors.New(msg)
}

// flagError adds to an unknown or malformed flag the nearest known flag and where to look.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		var names []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				names = append(names, f.Name)
			}
		})
		if s := config.Suggest(name, names); s != "" {
			msg += fmt.Sprintf(" (did you mean --%s?)", s)
		}
	}
	return fmt.Errorf("%s (see %s --help)", msg, cmd.CommandPath())
}
