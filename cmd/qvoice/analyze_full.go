package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
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
func (a *app) runFull(f analyzeFlags, d *surveys.Definition, load func() (*analysis.Sample, error)) error {
	stdout, stderr := a.stdout, a.stderr
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
	if err := a.writeHeadline(stdout, d, s.Len(), rep.Headline, f.top); err != nil {
		return err
	}
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
