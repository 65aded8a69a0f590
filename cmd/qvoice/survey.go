package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

func cmdSurvey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: survey needs a subcommand: validate or import", errUsage)
	}
	switch args[0] {
	case "validate":
		return cmdSurveyValidate(args[1:], stdout)
	case "import":
		return cmdSurveyImport(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("%w: unknown survey subcommand %q", errUsage, args[0])
}

// errInvalidFiles says some definition files have problems (already printed).
var errInvalidFiles = errors.New("invalid survey definition(s)")

// cmdSurveyValidate prints every problem of every file, then fails if any.
func cmdSurveyValidate(files []string, stdout io.Writer) error {
	if len(files) == 0 {
		return fmt.Errorf("%w: survey validate FILE...", errUsage)
	}
	bad := 0
	for _, f := range files {
		d, err := surveys.Load(f)
		var ps surveys.Problems
		switch {
		case errors.As(err, &ps):
			bad++
			for _, p := range ps {
				fmt.Fprintf(stdout, "%s:%s\n", f, problemLocation(p))
			}
		case err != nil:
			bad++
			fmt.Fprintf(stdout, "%s: %v\n", f, err)
		default:
			fmt.Fprintf(stdout, "%s: ok (%s, %d categories, %d answer fields)\n", f, d.Slug, len(d.Categories), len(d.Fields()))
		}
	}
	if bad > 0 {
		return fmt.Errorf("%w: %d of %d file(s)", errInvalidFiles, bad, len(files))
	}
	return nil
}

// problemLocation formats "LINE: path: message", like a compiler.
func problemLocation(p surveys.Problem) string {
	s := ""
	if p.Line > 0 {
		s = fmt.Sprintf("%d: ", p.Line)
	} else {
		s = " "
	}
	if p.Path != "" {
		s += p.Path + ": "
	}
	return s + p.Message
}

// parseInterspersed parses flags that may come after positional
// arguments ("import FILE --data DIR"), which package flag alone stops at.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// cmdSurveyImport validates definition files and stores them.
func cmdSurveyImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("survey import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sc storeConfig
	sc.register(fs)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%w: survey import FILE...", errUsage)
	}
	type parsed struct {
		d   *surveys.Definition
		src []byte
	}
	var defs []parsed
	for _, f := range files {
		d, err := surveys.Load(f)
		if err != nil {
			return err
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		defs = append(defs, parsed{d, src})
	}
	st, closeStore, err := openStore(ctx, sc, true, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer closeStore()
	for _, p := range defs {
		err := st.PutSurvey(ctx, &surveys.StoredSurvey{Slug: p.d.Slug, Source: p.src, AddedAt: time.Now().UTC()})
		if errors.Is(err, surveys.ErrDuplicate) {
			return fmt.Errorf("survey %q is already stored; definitions are immutable, give a changed survey a new slug: %w", p.d.Slug, err)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %s\n", p.d.Slug)
	}
	return nil
}
