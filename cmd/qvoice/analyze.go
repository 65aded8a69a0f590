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
	"text/tabwriter"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

func cmdAnalyze(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sc storeConfig
	sc.register(fs)
	slug := fs.String("survey", "", "survey slug (required)")
	format := fs.String("format", "table", "output: table, csv or json")
	top := fs.Int("top", 10, "table format: how many priorities to list first")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *slug == "" {
		return fmt.Errorf("%w: analyze needs --survey SLUG", errUsage)
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return fmt.Errorf("%w: --format must be table, csv or json, not %q", errUsage, *format)
	}
	st, closeStore, err := openStore(ctx, sc, true, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer closeStore()
	d, err := definitionOf(ctx, st, *slug)
	if err != nil {
		return err
	}
	acc := analysis.NewAccumulator(d)
	err = st.EachResponse(ctx, d.Slug, func(r *surveys.Response) error {
		acc.Add(r.Answers)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read responses: %w", err)
	}
	sum := acc.Summary()
	switch *format {
	case "csv":
		return writeCSV(stdout, sum)
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonSummary(sum))
	}
	return writeTable(stdout, d, sum, *top)
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
