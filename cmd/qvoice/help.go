package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// newHelpCmd is qvoice help [COMMAND...]: cobra's help command, but an
// unknown topic is a usage error rather than a page of usage and exit 0.
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND...]",
		Short: "Help about any command",
		Long: `help prints the help of a command: what it does, its flags with their
environment variables, and examples. Without a command it lists every
command of qvoice.`,
		Example: "  qvoice help\n  qvoice help survey show",
		RunE: func(_ *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 {
				return usagef("unknown help topic %q", strings.Join(args, " "))
			}
			return cmd.Help()
		},
	}
}

// rootHelp is the help of qvoice itself: every command of the tree with
// its synopsis, then the global flags.
func rootHelp(w io.Writer, root *cobra.Command) {
	fmt.Fprintf(w, "%s\n\nUsage:\n  %s [global flags] COMMAND [flags] [arguments]\n\nCommands:\n", root.Long, root.Name())
	t := newTable()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			switch {
			case !sub.IsAvailableCommand() && sub.Name() != "help":
			case sub.HasAvailableSubCommands():
				walk(sub)
			default:
				t.add("  "+strings.TrimPrefix(sub.CommandPath(), root.Name()+" "), sub.Short)
			}
		}
	}
	walk(root)
	_ = t.render(w)
	fmt.Fprintf(w, "\nExamples:\n%s\n\nGlobal Flags:\n%s\n\n", root.Example, strings.TrimRight(root.PersistentFlags().FlagUsages(), "\n"))
	fmt.Fprintf(w, "Run \"%s COMMAND --help\" for a command's flags and examples.\n", root.Name())
}

// checkGroup refuses a command that only groups others ("qvoice survey",
// "qvoice survey frobnicate"), which cobra would answer with its help and
// exit code 0.
func checkGroup(root *cobra.Command, args []string) (*cobra.Command, error) {
	cmd, rest, err := root.Find(args)
	if err != nil || cmd.Runnable() || !cmd.HasSubCommands() {
		return cmd, nil
	}
	for _, s := range rest {
		if s == "--" {
			break
		}
		if s == "-h" || s == "--help" {
			return cmd, nil
		}
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		return cmd, usagef("unknown command %q for %q; its commands: %s", rest[0], cmd.CommandPath(), strings.Join(names, ", "))
	}
	return cmd, usagef("%q needs a command: %s", cmd.CommandPath(), strings.Join(names, ", "))
}
