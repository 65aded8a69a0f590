package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// analyzeFlags are the options of qvoice analyze.
type analyzeFlags struct {
	slug, csvPath, defPath string
	marginsPath, out       string
	sections               string
	format                 *outputFormat
	top                    int
}

func newAnalyzeCmd(a *app) *cobra.Command {
	var f analyzeFlags
	cmd := &cobra.Command{
		Use:     "analyze (--survey SLUG | --csv FILE --definition FILE)",
		Aliases: []string{"analyse"},
		Short:   "Analyse a survey's responses: improvement priorities, means and indices",
		Long: `analyze prints, per category and quality indicator, the mean importance and
satisfaction with n and 95% CI, and the improvement priority w_k·(5 − P_k)
ranked across all categories (unweighted), with the category's
importance-weighted satisfaction Q, overall satisfaction and NPS.

The responses come from the store (--survey SLUG; it runs beside a serve on
the same data directory) or from a wide response CSV in the exchange
format (--csv FILE, .gz allowed, with --definition FILE). The table is in
the --lang language with the survey's own labels; --format csv or json
prints every indicator with codes for machines.

With --out DIR, --margins FILE or --sections LIST it runs the full
analysis instead: design weights, raking to population margins with their
variances, and every table of the oracle written as CSV under --out, with
a summary of the top priorities on standard output.`,
		Example: `  qvoice analyze --survey quality-month-demo
  qvoice analyze --survey quality-month-demo --format csv > priorities.csv
  qvoice analyze --csv responses.csv.gz --definition survey.yaml --margins margins.csv --out tables/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.analyze(cmd.Context(), f)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.slug, "survey", "", "analyse the stored responses of the survey with this `slug`")
	fs.StringVar(&f.csvPath, "csv", "", "analyse a wide response CSV `file` (the exchange format; .gz allowed) instead of the store")
	fs.StringVar(&f.defPath, "definition", "", "with --csv: the survey definition `file`")
	fs.StringVar(&f.marginsPath, "margins", "", "population margins CSV `file` (variable,level,pop_total) to rake to")
	fs.StringVar(&f.out, "out", "", "write every table, in the oracle's layout, to this `directory`")
	fs.StringVar(&f.sections, "sections", "", "with --out: comma-separated `sections` ("+strings.Join(analysis.AllSections, ",")+"); default all")
	f.format = addFormatFlag(fs, "without --out: output format")
	fs.IntVar(&f.top, "top", 10, "how many priorities the summary lists first")
	return cmd
}

// analyze runs the quick summary, or the full analysis with --out,
// --margins or --sections.
func (a *app) analyze(ctx context.Context, f analyzeFlags) error {
	if err := f.check(); err != nil {
		return err
	}
	d, each, done, err := a.analyzeInput(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	if f.out != "" || f.marginsPath != "" || f.sections != "" {
		load := func() (*analysis.Sample, error) {
			s := analysis.NewSample(d, extraColumns...)
			err := each(func(r row) { s.Add(r.answers, r.weight, r.code, r.extra) })
			return s, err
		}
		if f.csvPath != "" {
			load = func() (*analysis.Sample, error) { return readSampleFile(f.csvPath, d, a.stderr) }
		}
		return a.runFull(f, d, load)
	}
	acc := analysis.NewAccumulator(d)
	if err := each(func(r row) { acc.Add(r.answers) }); err != nil {
		return err
	}
	sum := acc.Summary()
	switch *f.format {
	case formatCSV:
		return writeSummaryCSV(a.stdout, sum)
	case formatJSON:
		return writeJSON(a.stdout, jsonSummary(sum))
	}
	return a.writeSummaryTable(a.stdout, d, sum, f.top)
}

func (f *analyzeFlags) check() error {
	switch {
	case (f.slug == "") == (f.csvPath == ""):
		return usagef("analyze needs either --survey SLUG or --csv FILE --definition FILE")
	case f.csvPath != "" && f.defPath == "":
		return usagef("--csv needs --definition FILE (the survey definition the columns belong to)")
	case f.sections != "" && f.out == "":
		return usagef("--sections needs --out DIR")
	}
	return nil
}

// analyzeInput opens the responses to analyse: the definition, a function
// that calls back for each response, and a cleanup.
func (a *app) analyzeInput(ctx context.Context, f analyzeFlags) (*surveys.Definition, func(func(row)) error, func(), error) {
	if f.csvPath != "" {
		d, err := surveys.Load(f.defPath)
		if err != nil {
			return nil, nil, nil, err
		}
		each := func(fn func(row)) error { return eachCSVRow(f.csvPath, d, a.stderr, fn) }
		return d, each, func() {}, nil
	}
	st, closeStore, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := definitionOf(ctx, st, f.slug)
	if err != nil {
		closeStore()
		return nil, nil, nil, err
	}
	each := func(fn func(row)) error { return eachStoredRow(ctx, st, d, a.stderr, fn) }
	return d, each, closeStore, nil
}

// indicatorColumns are the CSV columns, one row per category × indicator.
var indicatorColumns = []string{"category", "indicator",
	"n_importance", "importance", "importance_ci_lo", "importance_ci_hi",
	"n_satisfaction", "satisfaction", "satisfaction_ci_lo", "satisfaction_ci_hi",
	"weight", "s100", "priority", "se_priority", "ci_lo_priority", "ci_hi_priority", "priority100",
	"rank_in_category", "rank_overall"}

func indicatorRecord(r analysis.IndicatorResult) []string {
	f := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', 15, 64)
	}
	i, p := r.Importance, r.Satisfaction
	return []string{r.Category, r.Indicator,
		strconv.Itoa(i.N), f(i.Mean), f(i.CILow), f(i.CIHigh),
		strconv.Itoa(p.N), f(p.Mean), f(p.CILow), f(p.CIHigh),
		f(r.Weight), f(r.S100), f(r.Priority.Mean), f(r.Priority.SE), f(r.Priority.CILow), f(r.Priority.CIHigh),
		f(25 * r.Priority.Mean), strconv.Itoa(r.RankInCategory), strconv.Itoa(r.RankOverall)}
}

// writeSummaryCSV writes the ranked priorities, highest first.
func writeSummaryCSV(w io.Writer, sum *analysis.Summary) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(indicatorColumns)
	for _, r := range sum.Priorities {
		_ = cw.Write(indicatorRecord(r))
	}
	cw.Flush()
	return cw.Error()
}

// jsonSummary is the summary with NaN (no data) as null, which JSON lacks.
func jsonSummary(sum *analysis.Summary) map[string]any {
	rows := make([]map[string]any, 0, len(sum.Priorities))
	for _, r := range sum.Priorities {
		rec := indicatorRecord(r)
		row := map[string]any{}
		for i, col := range indicatorColumns {
			switch {
			case i < 2:
				row[col] = rec[i]
			case rec[i] == "":
				row[col] = nil
			default:
				row[col] = json.Number(rec[i])
			}
		}
		rows = append(rows, row)
	}
	cats := make([]map[string]any, 0, len(sum.Categories))
	for _, c := range sum.Categories {
		cats = append(cats, map[string]any{"category": c.Category, "raters": c.Raters,
			"q": nullable(c.Q), "overall100": nullable(c.Overall100.Mean), "nps": nullable(c.NPS), "nps_n": c.NPSN})
	}
	return map[string]any{"survey": sum.Survey, "responses": sum.Responses, "weighting": "unweighted",
		"priorities": rows, "categories": cats}
}

func nullable(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}
