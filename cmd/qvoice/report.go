package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/server"
)

// reportFlags are the options of qvoice report.
type reportFlags struct {
	slug, out string
	filter    filterFlags
	weight    string
}

func newReportCmd(a *app) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report --survey SLUG --out report.html",
		Short: "Write a self-contained HTML report of a survey's priorities",
		Long: `report writes one HTML file: the ten indicators that most need improvement as
sentences to read out, the quality index of every category and the ranked
priorities with 95% confidence intervals, each category's importance–
performance quadrant, the key groups against everyone else with
Benjamini–Hochberg marks, and a methods note (sample size, weighting, CI
method). Every chart has its data table beside it.

ECharts, the script and the style are inside the file and its content
security policy forbids any request, so it opens offline, can be mailed,
and prints to clean A4 pages from the browser (print to PDF). It is the
same report the dashboard offers at /dash/SLUG/report, with the same
filters (--from, --to, --province, --region-type, --venue, --src,
--exclude-flagged, --weight none|design|raked).`,
		Example: `  qvoice report --survey quality-month-demo --out report.html
  qvoice report --survey quality-month-demo --out rural-elderly.html --region-type rural_village --weight raked --lang zh-CN`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.report(cmd.Context(), f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.slug, "survey", "", "`slug` of the stored survey (required)")
	fs.StringVar(&f.out, "out", "", "output HTML `file` (required)")
	fs.StringVar(&f.weight, "weight", "design", "weighting: none, design or raked (to the survey's population margins)")
	f.filter.add(fs)
	_ = cmd.MarkFlagRequired("survey")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func (a *app) report(ctx context.Context, f reportFlags) error {
	if _, err := f.filter.filter(); err != nil {
		return err
	}
	switch f.weight {
	case "none", "design", "raked":
	default:
		return usagef("--weight must be none, design or raked (got %q)", f.weight)
	}
	q := f.filter.query()
	q.Set("weight", f.weight)
	st, closeStore, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	srv, err := server.New(server.Config{Logger: slog.New(slog.DiscardHandler)}, st)
	if err != nil {
		return err
	}
	// The template writes in many small pieces: writeCounted buffers them.
	size, err := writeCounted(f.out, func(w io.Writer) error {
		_, err := srv.WriteReport(ctx, w, f.slug, string(a.lang), q, nil)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, a.msgf("wrote the report of %s to %s (%d KB)", f.slug, f.out, size/1024))
	return nil
}

// query is the filter as the dashboard's query parameters.
func (f *filterFlags) query() url.Values {
	q := url.Values{}
	set := func(k string, v []string) {
		for _, x := range v {
			q.Add(k, x)
		}
	}
	if f.from != "" {
		q.Set("from", f.from)
	}
	if f.to != "" {
		q.Set("to", f.to)
	}
	set("province", f.provinces)
	set("region_type", f.regionTypes)
	set("venue", f.venues)
	set("src", f.srcs)
	if f.excludeFlagged {
		q.Set("flagged", "exclude")
	}
	return q
}
