// Command qvoice collects and analyses consumer quality surveys.
//
// Usage:
//
//	qvoice [--lang zh-CN|en] [--data DIR | --mongo-uri URI] [--db NAME] COMMAND [flags] [arguments]
//
// Commands:
//
//	serve            Serve the phone form, the JSON intake and the dashboard
//	db serve         Serve the embedded database in --data to other qvoice processes over TCP
//	survey validate  Check survey definition files and print every problem
//	survey import    Validate survey definition files and store them
//	survey list      List the stored surveys with their response counts
//	survey show      Show a survey's window, languages, categories and indicators
//	survey open      Open a survey for responses now, overriding its dates
//	survey close     Close a survey to responses now, overriding its dates
//	import           Import responses from a CSV, XLSX or JSON file
//	export           Export responses as CSV, XLSX, JSON or SPSS .sav, with a codebook
//	analyze          Analyse a survey's responses: improvement priorities, means and indices
//	report           Write a self-contained HTML report of a survey's priorities
//	demo generate    Generate deterministic, realistic responses
//	plan             Sample sizes per stratum for a target margin of error
//	invite           Print signed single-use invite URLs for a survey
//	qr               Write a printable QR-code poster for a survey
//	user add         Add a dashboard account with a role and, optionally, provinces
//	user passwd      Set a new password for a dashboard account
//	user list        List the dashboard accounts with their roles and provinces
//	user disable     Disable a dashboard account and end its sessions
//	user audit       Print the audit log: sign-ins, lock-outs, exports, account changes
//	loadtest         Load-test a running serve on this machine with simulated phones
//	version          Print the version of qvoice
//	help             Help about any command
//
// "qvoice help" lists the commands; "qvoice COMMAND --help" shows a
// command's flags and examples. Flags may follow arguments and take one or
// two dashes (--data DIR, -data DIR, --data=DIR).
//
// serve answers the phone form at /s/SLUG, the JSON intake at
// /api/v1/surveys/SLUG/responses, the dashboard at /dash/SLUG and /healthz.
// Without --mongo-uri the data lives in an embedded FerretDB (SQLite) in
// --data; only one process may open that directory, and a second serve gets
// a clear error. The other commands run beside a serve on the same
// directory by talking to its database socket. --demo stores the demo
// survey (slug quality-month-demo) if it is absent, and, if the store has
// no admin account, creates "admin" with a random password printed once
// on standard error. SIGINT or SIGTERM shut the server down gracefully.
// The dashboard needs an account: see user add.
//
// user add, passwd, list and disable manage the dashboard's accounts, as
// an admin also can in the browser at /admin/users
// (roles admin, regulator, researcher; --province limits an account to
// the responses of those GB/T 2260 provinces); user audit prints the log
// of sign-ins, lock-outs, exports and account changes. A new password has
// at least 10 characters and is not the user name (else exit code 3); it
// is read from --password-file, asked twice on a terminal, or read as one
// line from standard input.
//
// analyze prints, per category and quality indicator, the mean importance
// and satisfaction with n and 95% CI, and the improvement priority
// w_k·(5 − P_k) ranked across all categories (unweighted). With --csv it
// reads a response file in the exchange format instead of the store; with
// --out, --margins or --sections it runs the full weighted analysis and
// writes every table as CSV.
//
// survey list scans every stored response to count them, so it takes as
// long as reading all the data once. survey show takes a stored survey's
// slug or a definition file. survey open and close override a survey's
// dates from now on (servers notice within 5 s).
//
// import reads responses in the exchange format (CSV, .csv.gz, XLSX or
// JSON: one row per response, codes not labels) and validates every row as
// a web submission; bad rows are reported (row, column, value, reason) and
// written to FILE.rejects.csv, the others stored, keyed by response code so
// a second import stores nothing twice. --strict stores nothing if any row
// is bad; --dry-run stores nothing. export writes CSV, XLSX, JSON or SPSS
// .sav in constant memory, with the dashboard's filters, and beside it a
// codebook (CSV and Markdown) and, for CSV, an R loader script.
//
// demo generate makes deterministic synthetic responses (--store, or --csv
// FILE); --oracle writes ../shared/oracle/gen_survey.py's rows byte for
// byte. plan gives sample sizes per key group × region type for a margin
// of error, with the formula.

// # Global flags
//
// --data DIR (default ./qvoice-data) is the embedded database's directory;
// --mongo-uri URI uses a MongoDB server instead, with database --db (default
// qvoice). --lang zh-CN|en is the language of tables and of survey labels
// in them; by default it is QVOICE_LANG, else zh-CN when LC_ALL, LC_MESSAGES
// or LANG (the first one set) starts with "zh", else en.
//
// # Environment
//
// Every flag of every command also reads QVOICE_ and its name in upper case
// with dashes as underscores (--mongo-uri: QVOICE_MONGO_URI, --rate-limit:
// QVOICE_RATE_LIMIT) when it is not given on the command line; the command
// line wins. Each flag's help names its variable. Older names still work:
// QVOICE_TRUSTED_PROXIES for --trusted-proxy and QVOICE_PUBLIC_URL for
// --base-url. A variable with a bad value is a usage error naming it.
//
// # Output
//
// Commands that print data print an aligned table in the chosen language,
// or, with --format csv or --format json, machine-readable output with
// stable English column names and codes. A step that may run longer than
// two seconds shows a progress bar on standard error, if that is a
// terminal.
//
// # Exit codes
//
//	0  success
//	1  runtime failure (store unreachable, file unreadable, …)
//	2  usage error: unknown command or flag, missing or bad flag value or argument
//	3  data validation failure: an invalid survey definition, an import with
//	   refused rows (the good ones are stored unless --strict) or a wrong
//	   header, a bad strata file
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitDataInvalid = 3
)

// Error kinds that choose the exit code. Wrap them with %w, or use usagef
// and invalidf, which keep the kind's name out of the message.
var (
	// errUsage marks a command-line mistake (exit code 2).
	errUsage = errors.New("usage")
	// errDataInvalid marks input data that failed validation (exit code 3).
	// Errors wrapping surveys.ErrInvalid count too.
	errDataInvalid = errors.New("invalid data")
)

// version is set by the linker in release builds.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the command line args with the process environment and
// returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return newApp(stdout, stderr, os.LookupEnv).run(ctx, args)
}

// kindError is an error of a kind (errUsage, errDataInvalid) whose message
// does not repeat the kind.
type kindError struct {
	kind, err error
}

func (e *kindError) Error() string   { return e.err.Error() }
func (e *kindError) Unwrap() []error { return []error{e.kind, e.err} }

// usagef returns a usage error (exit code 2). %w works in format.
func usagef(format string, args ...any) error {
	return &kindError{errUsage, fmt.Errorf(format, args...)}
}

// invalidf returns a data validation error (exit code 3). %w works in format.
func invalidf(format string, args ...any) error {
	return &kindError{errDataInvalid, fmt.Errorf(format, args...)}
}
