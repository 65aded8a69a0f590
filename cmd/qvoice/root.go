package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys"
)

// commands are qvoice's top-level commands. To add one, write
// newXCmd(a *app) *cobra.Command in its own file and list it here; its
// flags then read QVOICE_* variables, and its help is golden-tested.
// Commands must not set PersistentPreRun(E): the root's applies the
// environment and the language.
func commands() []func(*app) *cobra.Command {
	return []func(*app) *cobra.Command{
		newServeCmd, newDBCmd, newSurveyCmd, newImportCmd, newExportCmd, newAnalyzeCmd, newReportCmd, newDemoCmd, newPlanCmd,
		newInviteCmd, newQRCmd, newUserCmd, newLoadtestCmd, newVersionCmd,
	}
}

// surveyCommands are the subcommands of qvoice survey; add one as above.
func surveyCommands() []func(*app) *cobra.Command {
	return []func(*app) *cobra.Command{
		newSurveyValidateCmd, newSurveyImportCmd, newSurveyListCmd, newSurveyShowCmd, newSurveyOpenCmd, newSurveyCloseCmd,
	}
}

// app is what every command shares: the output streams, the environment
// and the global flags. Commands get it from their constructor; its fields
// are set by flag parsing and the root's pre-run, before RunE.
type app struct {
	stdout, stderr io.Writer
	lookupEnv      func(string) (string, bool)

	db   storeConfig // --data, --mongo-uri, --db
	lang langValue   // --lang; lang() resolves the default
	ran  bool        // a RunE started: its errors are not usage errors
}

func newApp(stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) *app {
	return &app{stdout: stdout, stderr: stderr, lookupEnv: lookupEnv}
}

// openStore opens the store of the global flags, beside a running serve
// if one holds the embedded data directory.
func (a *app) openStore(ctx context.Context) (surveys.Store, func(), error) {
	return openStore(ctx, a.db, true, slog.New(slog.DiscardHandler))
}

// progress starts a progress bar on standard error (drawn only on a
// terminal); total counts the units passed to Add, 0 if unknown.
func (a *app) progress(label string, total int64) *progress {
	return newProgress(a.stderr, label, total)
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "qvoice",
		Short: "Collect and analyse consumer quality surveys",
		Long: `qvoice collects consumer quality surveys on phones and analyses them.

A survey is a YAML definition: check it with "qvoice survey validate", store
it with "qvoice survey import", serve its form and dashboard with "qvoice
serve", and analyse the answers with "qvoice analyze".`,
		Example: `  qvoice serve --demo
  qvoice survey list --lang en
  qvoice analyze --survey quality-month-demo --format csv > priorities.csv`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		PersistentPreRunE: a.prepare,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &kindError{errUsage, err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.db.dataDir, "data", "./qvoice-data", "data `directory` of the embedded database")
	pf.StringVar(&a.db.mongoURI, "mongo-uri", "", "MongoDB `URI`; empty: embedded FerretDB in --data")
	pf.StringVar(&a.db.dbName, "db", "qvoice", "database `name`")
	pf.Var(&a.lang, "lang", "language of tables and labels: zh-CN or en (default: zh-CN if the locale is Chinese, else en)")
	for _, newCmd := range commands() {
		root.AddCommand(newCmd(a))
	}
	root.SetHelpCommand(newHelpCmd(root))
	root.InitDefaultHelpCmd()
	finishTree(a, root)
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if c == root {
			rootHelp(c.OutOrStdout(), root)
			return
		}
		defaultHelp(c, args)
	})
	return root
}

// prepare runs before every command: flags not given take their QVOICE_*
// variables, and the language is resolved.
func (a *app) prepare(cmd *cobra.Command, _ []string) error {
	if err := applyEnv(cmd.Flags(), a.lookupEnv); err != nil {
		return err
	}
	a.lang.resolve(a.lookupEnv)
	return nil
}

// finishTree names each flag's environment variable in its help, and
// marks when a command's own RunE starts: errors before that (flags,
// arguments, unknown commands) are usage errors.
func finishTree(a *app, c *cobra.Command) {
	if c.HasParent() && (c.PersistentPreRunE != nil || c.PersistentPreRun != nil) {
		panic("qvoice: " + c.CommandPath() + " sets PersistentPreRun, which would skip the root's")
	}
	annotateEnv(c.PersistentFlags())
	annotateEnv(c.Flags())
	if runE := c.RunE; runE != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			a.ran = true
			return runE(cmd, args)
		}
	}
	for _, sub := range c.Commands() {
		finishTree(a, sub)
	}
}

// run executes args and turns the outcome into an exit code, printing
// errors as "qvoice: message".
func (a *app) run(ctx context.Context, args []string) int {
	root := newRootCmd(a)
	if len(args) == 0 {
		rootHelp(a.stderr, root)
		return exitUsage
	}
	args = longDashes(root, args)
	if cmd, err := checkGroup(root, args); err != nil {
		return a.exitCode(cmd, err)
	}
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	return a.exitCode(cmd, err)
}

func (a *app) exitCode(cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(a.stderr, "qvoice:", err)
	switch {
	case !a.ran || errors.Is(err, errUsage):
		if cmd != nil {
			fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return exitUsage
	case errors.Is(err, errDataInvalid) || errors.Is(err, surveys.ErrInvalid):
		return exitDataInvalid
	}
	return exitFailure
}

// longDashes rewrites "-name" to "--name" for the long flags of the
// command args select: package flag, which qvoice used before cobra,
// accepted one dash.
func longDashes(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil {
		return args
	}
	fs := cmd.Flags()
	fs.AddFlagSet(cmd.InheritedFlags())
	out := slices.Clone(args)
	for i, s := range out {
		if s == "--" {
			break
		}
		if len(s) < 2 || s[0] != '-' || s[1] == '-' {
			continue
		}
		name, _, _ := strings.Cut(s[1:], "=")
		if fs.Lookup(name) != nil && (len(name) > 1 || fs.ShorthandLookup(name) == nil) {
			out[i] = "-" + s
		}
	}
	return out
}

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version of qvoice",
		Long:    "version prints the version of this qvoice binary (\"dev\" for builds outside a release).",
		Example: "  qvoice version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(a.stdout, "qvoice", version)
			return err
		},
	}
}
