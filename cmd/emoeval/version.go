package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/emoeval/emoeval/internal/version"
)

func newVersionCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the emoeval version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(f.Out, "emoeval %s\n", version.String())
			return err
		},
	}
}
