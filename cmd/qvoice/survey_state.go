package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys"
)

func newSurveyOpenCmd(a *app) *cobra.Command  { return newSurveyStateCmd(a, false) }
func newSurveyCloseCmd(a *app) *cobra.Command { return newSurveyStateCmd(a, true) }

// newSurveyStateCmd is survey open or survey close.
func newSurveyStateCmd(a *app, closed bool) *cobra.Command {
	var note string
	verb, long, example := "open", `open makes a survey take responses now, whatever its opens_at and closes_at
say, until the next survey close (max_responses still applies). Running
servers notice within 5 seconds. Every open and close is kept with its time
and note; survey show prints the latest.`, `  qvoice survey open quality-month-demo --note "extended one week for rural townships"`
	if closed {
		verb, long, example = "close", `close stops a survey taking responses now, whatever its dates say: the form
shows "this survey is closed" and the API answers 410, on every server
within 5 seconds. Answers already stored stay; survey open reopens it.
Every open and close is kept with its time and note.`, `  qvoice survey close quality-month-demo --note "quota reached in all strata"`
	}
	cmd := &cobra.Command{
		Use:     verb + " SLUG",
		Short:   map[bool]string{false: "Open a survey for responses now, overriding its dates", true: "Close a survey to responses now, overriding its dates"}[closed],
		Long:    long,
		Example: example,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.setSurveyState(cmd.Context(), args[0], closed, note)
		},
	}
	cmd.Flags().StringVar(&note, "note", "", "why, for the record (never shown to respondents)")
	return cmd
}

func (a *app) setSurveyState(ctx context.Context, slug string, closed bool, note string) error {
	st, closeStore, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	if _, err := definitionOf(ctx, st, slug); err != nil {
		return err
	}
	s := &surveys.SurveyState{Slug: slug, Closed: closed, At: time.Now().UTC(), Note: note}
	if err := st.PutSurveyState(ctx, s); err != nil {
		return err
	}
	key := "survey %s opened at %s"
	if closed {
		key = "survey %s closed at %s"
	}
	fmt.Fprintln(a.stdout, a.msgf(key, slug, humanTime(s.At)))
	return nil
}
