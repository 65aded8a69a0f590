package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// analyzeFlags are the options of qvoice analyze.
type analyzeFlags struct {
	store                    storeConfig
	slug, csvPath, defPath   string
	marginsPath, out, format string
	sections                 string
	top                      int
}

func cmdAnalyze(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f analyzeFlags
	f.store.register(fs)
	fs.StringVar(&f.slug, "survey", "", "analyse the stored responses of this survey")
	fs.StringVar(&f.csvPath, "csv", "", "analyse a wide response CSV (the exchange format; .gz allowed) instead of the store")
	fs.StringVar(&f.defPath, "definition", "", "with --csv: the survey definition file")
	fs.StringVar(&f.marginsPath, "margins", "", "population margins CSV (variable,level,pop_total) to rake to")
	fs.StringVar(&f.out, "out", "", "write every table, in the oracle's layout, to this directory")
	fs.StringVar(&f.sections, "sections", "", "with --out: comma-separated sections ("+strings.Join(analysis.AllSections, ",")+"); default all")
	fs.StringVar(&f.format, "format", "table", "without --out: table, csv or json")
	fs.IntVar(&f.top, "top", 10, "how many priorities the summary lists first")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if err := f.check(fs); err != nil {
		return err
	}
	d, each, done, err := f.input(ctx, stderr)
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
			load = func() (*analysis.Sample, error) { return readSampleFile(f.csvPath, d, stderr) }
		}
		return runFull(f, d, load, stdout, stderr)
	}
	acc := analysis.NewAccumulator(d)
	if err := each(func(r row) { acc.Add(r.answers) }); err != nil {
		return err
	}
	sum := acc.Summary()
	switch f.format {
	case "csv":
		return writeCSV(stdout, sum)
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonSummary(sum))
	}
	return writeTable(stdout, d, sum, f.top)
}

func (f *analyzeFlags) check(fs *flag.FlagSet) error {
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: analyze takes no arguments, got %q", errUsage, fs.Args())
	case (f.slug == "") == (f.csvPath == ""):
		return fmt.Errorf("%w: analyze needs either --survey SLUG or --csv FILE --definition FILE", errUsage)
	case f.csvPath != "" && f.defPath == "":
		return fmt.Errorf("%w: --csv needs --definition FILE (the survey definition the columns belong to)", errUsage)
	case f.format != "table" && f.format != "csv" && f.format != "json":
		return fmt.Errorf("%w: --format must be table, csv or json, not %q", errUsage, f.format)
	case f.sections != "" && f.out == "":
		return fmt.Errorf("%w: --sections needs --out DIR", errUsage)
	}
	return nil
}

// input opens the responses to analyse: the definition, a function that
// calls back for each response, and a cleanup.
func (f *analyzeFlags) input(ctx context.Context, stderr io.Writer) (*surveys.Definition, func(func(row)) error, func(), error) {
	if f.csvPath != "" {
		d, err := surveys.Load(f.defPath)
		if err != nil {
			return nil, nil, nil, err
		}
		each := func(fn func(row)) error { return eachCSVRow(f.csvPath, d, stderr, fn) }
		return d, each, func() {}, nil
	}
	st, closeStore, err := openStore(ctx, f.store, true, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := definitionOf(ctx, st, f.slug)
	if err != nil {
		closeStore()
		return nil, nil, nil, err
	}
	each := func(fn func(row)) error { return eachStoredRow(ctx, st, d, stderr, fn) }
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

// writeCSV writes the ranked priorities, highest first.
func writeCSV(w io.Writer, sum *analysis.Summary) error {
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

// writeTable is the human summary: the top priorities first, then every
// category's indicators. It prints codes, not labels: CJK labels break
// column alignment in terminals, and codes are what exports use.
func writeTable(w io.Writer, _ *surveys.Definition, sum *analysis.Summary, top int) error {
	fmt.Fprintf(w, "%s: %d responses (unweighted)\n\n", sum.Survey, sum.Responses)
	fmt.Fprintf(w, "Top %d improvement priorities (priority = w·(5 − P), ×25 on 0–100; 95%% delta-method CI)\n", top)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "rank\tcategory\tindicator\tpriority100\t95% CI\timportance\tsatisfaction\tn")
	for i, r := range sum.Priorities {
		if i == top || math.IsNaN(r.Priority.Mean) {
			break
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", r.RankOverall, r.Category, r.Indicator,
			num(25*r.Priority.Mean, 2), interval(25*r.Priority.CILow, 25*r.Priority.CIHigh, 2),
			num(r.Importance.Mean, 2), num(r.Satisfaction.Mean, 2), r.Satisfaction.N)
	}
	tw.Flush()
	for _, c := range sum.Categories {
		fmt.Fprintf(w, "\n%s: %d raters, Q = %s, overall = %s, NPS = %s\n", c.Category, c.Raters,
			num(c.Q, 2), num(c.Overall100.Mean, 2), num(c.NPS, 1))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "indicator\tn(I)\timportance\t95% CI\tn(P)\tsatisfaction\t95% CI\tpriority100\trank")
		for _, r := range c.Indicators {
			i, p := r.Importance, r.Satisfaction
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\t%s\t%s\t%d\n", r.Indicator, i.N, num(i.Mean, 3), interval(i.CILow, i.CIHigh, 3),
				p.N, num(p.Mean, 3), interval(p.CILow, p.CIHigh, 3), num(25*r.Priority.Mean, 2), r.RankOverall)
		}
		tw.Flush()
	}
	return nil
}

// num formats x with prec decimals; no data (NaN) prints as "–".
func num(x float64, prec int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return strconv.FormatFloat(x, 'f', prec, 64)
}

func interval(lo, hi float64, prec int) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "–"
	}
	return "[" + num(lo, prec) + ", " + num(hi, prec) + "]"
}
