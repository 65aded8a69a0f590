package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys"
)

func newSurveyCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "survey",
		Short: "Validate, import, list and show survey definitions",
		Long: `survey works with survey definitions: YAML files that list a survey's
languages, window, categories, quality indicators and questions. Check a
file with "survey validate", store it with "survey import" (a stored
definition is immutable: a changed survey gets a new slug), and look at the
stored ones with "survey list" and "survey show".`,
		Example: `  qvoice survey validate surveys/demo/quality-month-demo.yaml
  qvoice survey import surveys/demo/quality-month-demo.yaml --data ./qvoice-data
  qvoice survey list
  qvoice survey show quality-month-demo --lang zh-CN`,
	}
	for _, newCmd := range surveyCommands() {
		cmd.AddCommand(newCmd(a))
	}
	return cmd
}

func newSurveyValidateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check survey definition files and print every problem",
		Long: `validate parses each definition file and prints every problem with its line,
like a compiler ("FILE:LINE: path: message"), or "ok" with the survey's
slug and size. It exits with 3 if any file has problems and 1 if a file
cannot be read. It needs no database.`,
		Example: `  qvoice survey validate surveys/demo/quality-month-demo.yaml
  qvoice survey validate surveys/*.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, files []string) error { return a.surveyValidate(files) },
	}
}

// surveyValidate prints every problem of every file, then fails if any.
func (a *app) surveyValidate(files []string) error {
	invalid, unreadable := 0, 0
	for _, f := range files {
		d, err := surveys.Load(f)
		var ps surveys.Problems
		switch {
		case errors.As(err, &ps):
			invalid++
			for _, p := range ps {
				fmt.Fprintf(a.stdout, "%s:%s\n", f, problemLocation(p))
			}
		case err != nil:
			unreadable++
			fmt.Fprintf(a.stdout, "%s: %v\n", f, err)
		default:
			fmt.Fprintf(a.stdout, "%s: ok (%s, %d categories, %d answer fields)\n", f, d.Slug, len(d.Categories), len(d.Fields()))
		}
	}
	switch {
	case unreadable > 0:
		return fmt.Errorf("%d of %d file(s) could not be read", unreadable, len(files))
	case invalid > 0:
		return invalidf("%d of %d survey definition(s) have problems", invalid, len(files))
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

func newSurveyImportCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE...",
		Short: "Validate survey definition files and store them",
		Long: `import validates every definition file first, then stores each under its
slug, in the store of --data or --mongo-uri (beside a running serve on the
same data directory). A stored definition is immutable: importing a slug
that is already stored fails; give a changed survey a new slug. Invalid
definitions exit with 3 and store nothing.`,
		Example: `  qvoice survey import surveys/demo/quality-month-demo.yaml --data ./qvoice-data
  QVOICE_MONGO_URI=mongodb://db.internal:27017 qvoice survey import survey-2026.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error { return a.surveyImport(cmd.Context(), files) },
	}
}

// surveyImport validates definition files and stores them.
func (a *app) surveyImport(ctx context.Context, files []string) error {
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
	st, closeStore, err := a.openStore(ctx)
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
		fmt.Fprintf(a.stdout, "imported %s\n", p.d.Slug)
	}
	return nil
}
