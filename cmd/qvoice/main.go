// Command qvoice collects and analyses consumer quality surveys.
//
// Usage:
//
//	qvoice serve    [--addr 127.0.0.1:8080] [--data ./qvoice-data | --mongo-uri URI] [--db qvoice]
//	                [--demo] [--trusted-proxy CIDR,...] [--log-format text|json] [--db-log]
//	qvoice analyze  --survey SLUG [--data DIR | --mongo-uri URI] [--format table|csv|json] [--top N]
//	qvoice survey validate FILE...
//	qvoice survey import   FILE... [--data DIR | --mongo-uri URI]
//	qvoice invite   --survey SLUG [--src SRC] [--n 50] [--expires 2026-12-31] [--base-url URL]
//	                [--data DIR | --mongo-uri URI --secret-file F]
//	qvoice qr       --survey SLUG --base-url URL --out FILE.png [--src SRC] [--venue community|school|township|online|other]
//	                [--lang en] [--data DIR | --mongo-uri URI | --definition FILE] [--font FILE]
//	qvoice version
//
// serve answers the phone form at /s/SLUG, the JSON intake at
// /api/v1/surveys/SLUG/responses, the dashboard at /dash/SLUG and /healthz.
// Without --mongo-uri the data lives in an embedded FerretDB (SQLite) in
// --data; only one process may open that directory, and a second serve gets
// a clear error. analyze and survey import run beside a serve on the same
// directory by talking to its database socket. --demo stores the demo survey
// (slug quality-month-demo) if it is absent. SIGINT or SIGTERM shut the
// server down gracefully.
//
// analyze prints, per category and quality indicator, the mean importance
// and satisfaction with n and 95% CI, and the improvement priority
// w_k·(5 − P_k) ranked across all categories (unweighted).
//
// Every flag also reads an environment variable: QVOICE_ADDR, QVOICE_DATA,
// QVOICE_MONGO_URI, QVOICE_DB, QVOICE_TRUSTED_PROXIES.
//
// Exit codes: 0 success; 1 failure (invalid definition, store error, …);
// 2 wrong usage.
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
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// errUsage marks a command-line mistake (exit code 2).
var errUsage = errors.New("usage")

// version is set by the linker in release builds.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a subcommand and turns its error into an exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usageText)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(ctx, args[1:], stderr)
	case "analyze", "analyse":
		err = cmdAnalyze(ctx, args[1:], stdout, stderr)
	case "survey":
		err = cmdSurvey(ctx, args[1:], stdout, stderr)
	case "invite":
		err = cmdInvite(ctx, args[1:], stdout, stderr)
	case "qr":
		err = cmdQR(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "qvoice", version)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usageText)
	default:
		err = fmt.Errorf("%w: unknown command %q", errUsage, args[0])
	}
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "qvoice:", err)
		fmt.Fprintln(stderr, usageText)
		return exitUsage
	default:
		fmt.Fprintln(stderr, "qvoice:", err)
		return exitFailure
	}
}

const usageText = `usage:
  qvoice serve    [--addr 127.0.0.1:8080] [--data ./qvoice-data | --mongo-uri URI] [--demo]
  qvoice analyze  --survey SLUG [--data DIR | --mongo-uri URI] [--format table|csv|json]
  qvoice survey validate FILE...
  qvoice survey import   FILE... [--data DIR | --mongo-uri URI]
  qvoice invite   --survey SLUG [--src SRC] [--n 50] [--expires DATE] [--base-url URL]
  qvoice qr       --survey SLUG --base-url URL --out FILE.png [--src SRC] [--venue VENUE]
  qvoice version
Run 'go doc github.com/qvoice/qvoice/cmd/qvoice' for the manual.`
