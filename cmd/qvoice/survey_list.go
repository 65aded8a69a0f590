package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys"
)

func newSurveyListCmd(a *app) *cobra.Command {
	var format *outputFormat
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the stored surveys with their response counts",
		Long: `list prints every stored survey: its slug, its title in the --lang language,
its version, when it was stored and how many responses it has so far.

Counting the responses scans every stored response of every survey (the
store keeps no counters), so on a large store list takes as long as reading
all the data once; a progress bar shows on a terminal.`,
		Example: `  qvoice survey list
  qvoice survey list --lang zh-CN --data /var/lib/qvoice
  qvoice survey list --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			items, err := a.listSurveys(cmd.Context())
			if err != nil {
				return err
			}
			return a.writeSurveyList(a.stdout, *format, items)
		},
	}
	format = addFormatFlag(cmd.Flags(), "output format")
	return cmd
}

// surveyListItem is one row of survey list; its JSON names are the CSV
// columns.
type surveyListItem struct {
	Slug      string    `json:"slug"`
	Title     string    `json:"title"`
	Version   int       `json:"version"`
	StoredAt  time.Time `json:"stored_at"`
	Responses int       `json:"responses"`
}

// listSurveys reads the stored surveys and counts each one's responses.
func (a *app) listSurveys(ctx context.Context) ([]surveyListItem, error) {
	st, closeStore, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	defer closeStore()
	stored, err := st.Surveys(ctx)
	if err != nil {
		return nil, err
	}
	p := a.progress("counting responses", int64(len(stored)))
	defer p.Finish()
	items := make([]surveyListItem, 0, len(stored))
	for _, ss := range stored {
		it := surveyListItem{Slug: ss.Slug, Title: noData, StoredAt: ss.AddedAt}
		if d, err := ss.Definition(); err != nil {
			fmt.Fprintf(a.stderr, "note: survey %s: %v\n", ss.Slug, err)
		} else {
			it.Title, it.Version = a.labels(d).title(), d.Version
		}
		err := st.ScanResponses(ctx, ss.Slug, surveys.Filter{}, func(*surveys.Response) error {
			it.Responses++
			p.AddRows(1)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("count the responses of %s: %w", ss.Slug, err)
		}
		p.Add(1)
		items = append(items, it)
	}
	return items, nil
}

// writeSurveyList prints the list in the format.
func (a *app) writeSurveyList(w io.Writer, format outputFormat, items []surveyListItem) error {
	switch format {
	case formatJSON:
		return writeJSON(w, items)
	case formatCSV:
		rows := make([][]string, len(items))
		for i, it := range items {
			rows[i] = []string{it.Slug, it.Title, strconv.Itoa(it.Version), it.StoredAt.UTC().Format(time.RFC3339), strconv.Itoa(it.Responses)}
		}
		return writeRecords(w, []string{"slug", "title", "version", "stored_at", "responses"}, rows)
	}
	t := a.table("slug", "title", "version", "stored at", "responses")
	for _, it := range items {
		t.add(it.Slug, it.Title, strconv.Itoa(it.Version), humanTime(it.StoredAt), strconv.Itoa(it.Responses))
	}
	return t.render(w)
}
