package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// analyzeMemoryLimit is the soft heap limit of a full analysis.
const analyzeMemoryLimit = 700 << 20

// runFull is the researcher's analysis: every section of the oracle, with
// design weights, raking to population margins and their variances, written
// as CSV tables under --out, and a summary on stdout that leads with the
// top improvement priorities.
func runFull(f analyzeFlags, d *surveys.Definition, load func() (*analysis.Sample, error), stdout, stderr io.Writer) error {
	var opts analysis.Options
	if f.marginsPath != "" {
		m, err := readMarginsFile(f.marginsPath)
		if err != nil {
			return err
		}
		opts.Margins = m
	}
	if f.sections != "" {
		opts.Sections = splitList(f.sections)
	}
	// Reading and the sections make garbage faster than the default GC
	// pacing frees it (peak RSS 1.3 GB at a million rows); a soft limit
	// keeps the peak under 1 GB at about the same speed. GOMEMLIMIT, if
	// set, wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(analyzeMemoryLimit)
	}
	start := time.Now()
	s, err := load()
	if err != nil {
		return err
	}
	read := time.Since(start)
	rep, err := analysis.Analyze(s, opts)
	if err != nil {
		return err
	}
	if f.out != "" {
		if err := writeTables(f.out, rep.Tables); err != nil {
			return err
		}
	}
	for _, u := range rep.Undefined {
		for _, line := range strings.Split(u.Error(), "\n") {
			fmt.Fprintln(stderr, "note:", line)
		}
	}
	writeHeadline(stdout, d, s.Len(), rep.Headline, f.top)
	fmt.Fprintf(stderr, "analysed %d responses in %.1f s (reading %.1f s)", s.Len(), time.Since(start).Seconds(), read.Seconds())
	if f.out != "" {
		fmt.Fprintf(stderr, "; wrote %d tables to %s", len(rep.Tables), f.out)
	}
	fmt.Fprintln(stderr)
	return nil
}

func readMarginsFile(path string) ([]analysis.Margin, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	m, err := analysis.ReadMargins(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// writeTables writes each table to DIR/NAME.csv, through a temporary file
// renamed into place, so a reader never sees half a table.
func writeTables(dir string, tables []*analysis.Table) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, t := range tables {
		path := filepath.Join(dir, t.Name+".csv")
		tmp, err := os.CreateTemp(dir, "."+t.Name+"-*.csv")
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(tmp, 1<<20)
		err = t.WriteCSV(w)
		if err == nil {
			err = w.Flush()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), path)
		}
		if err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}

// writeHeadline prints the top priorities of a design across categories,
// then each category's indices.
func writeHeadline(w io.Writer, d *surveys.Definition, n int, ix *analysis.DesignIndices, top int) {
	type item struct {
		cat string
		r   analysis.IndicatorIndices
	}
	var items []item
	for _, c := range ix.Categories {
		for _, r := range c.Indicators {
			if r.RankOverall > 0 {
				items = append(items, item{c.Category, r})
			}
		}
	}
	// RankOverall is 1 for the highest priority; order by it, stably.
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && items[j].r.RankOverall < items[j-1].r.RankOverall; j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
	fmt.Fprintf(w, "%s: %d responses, design %s\n\n", d.Slug, n, ix.Design)
	fmt.Fprintf(w, "Top %d improvement priorities (priority100 = 25·w·(5 − P); 95%% delta-method CI)\n", top)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "rank\tcategory\tindicator\tpriority100\t95% CI\timportance\tsatisfaction\tn")
	for i, it := range items {
		if i == top {
			break
		}
		r := it.r
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", r.RankOverall, it.cat, r.Indicator, num(r.Priority100, 2),
			interval(25*r.CILow, 25*r.CIHigh, 2), num(r.I, 2), num(r.P, 2), r.NP)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "category\tQ\tSE(Q)\toverall100\tNPS\traters")
	for _, c := range ix.Categories {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", c.Category, num(c.Q, 2), num(c.SEQ, 2), num(c.Overall100, 2), num(c.NPS, 1), c.NRaters)
	}
	tw.Flush()
}
