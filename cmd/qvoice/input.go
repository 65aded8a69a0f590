package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// row is one response as analysis input: its answers, design weight,
// response code and hidden QR fields.
type row struct {
	answers surveys.Answers
	weight  float64
	code    string
	extra   map[string]string
}

// extraColumns are the non-answer columns kept for analysis.
var extraColumns = []string{"src", "venue"}

// eachCSVRow reads a wide response CSV in the exchange format
// (../shared/oracle/README.md §3), gzip-compressed if the name ends in .gz.
// A design_wt column gives the base weights; without it every weight is 1.
func eachCSVRow(path string, d *surveys.Definition, stderr io.Writer, fn func(row)) error {
	r, p, done, err := openCSV(path, stderr)
	if err != nil {
		return err
	}
	defer done()
	err = analysis.ReadCSV(d, r, func(ans surveys.Answers, other map[string]string) error {
		w := 1.0
		if v := other["design_wt"]; v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || !(x > 0) {
				return fmt.Errorf("design_wt %q is not a positive number", v)
			}
			w = x
		}
		fn(row{ans, w, other["response_code"], other})
		p.AddRows(1)
		return nil
	})
	if err != nil {
		return csvError(path, err)
	}
	return nil
}

// csvError adds the path to an error reading a response CSV; errors in
// its data are data validation errors (exit code 3).
func csvError(path string, err error) error {
	var ce *analysis.CSVError
	var pe *csv.ParseError
	if errors.As(err, &ce) || errors.As(err, &pe) {
		return invalidf("%s: %w", path, err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// openCSV opens a response CSV, gunzipping a .gz, behind a progress bar
// counting the file's bytes; done closes both.
func openCSV(path string, stderr io.Writer) (io.Reader, *progress, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	p := newProgress(stderr, "reading "+path, st.Size())
	done := func() { p.Finish(); f.Close() }
	var r io.Reader = bufio.NewReaderSize(countingReader{f, p}, 1<<20)
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			done()
			return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		r = zr
	}
	return r, p, done, nil
}

// readSampleFile reads a response CSV (gzip if .gz) straight into a Sample,
// the fast path for large files.
func readSampleFile(path string, d *surveys.Definition, stderr io.Writer) (*analysis.Sample, error) {
	r, p, done, err := openCSV(path, stderr)
	if err != nil {
		return nil, err
	}
	defer done()
	s, err := analysis.ReadSample(d, r, func(n int) { p.SetRows(int64(n)) }, extraColumns...)
	if err != nil {
		return nil, csvError(path, err)
	}
	return s, nil
}

// eachStoredRow reads every stored response of a survey in storage order,
// in constant memory (an imported file's rows in the file's order). A
// response without a design weight (from the form) weighs 1.
func eachStoredRow(ctx context.Context, st surveys.Store, d *surveys.Definition, stderr io.Writer, fn func(row)) error {
	p := newProgress(stderr, "reading responses", 0)
	defer p.Finish()
	err := st.ScanResponses(ctx, d.Slug, surveys.Filter{}, func(r *surveys.Response) error {
		w := r.Weight
		if w <= 0 {
			w = 1
		}
		fn(row{r.Answers, w, r.Code, map[string]string{"src": r.Src, "venue": r.Venue}})
		p.AddRows(1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read responses: %w", err)
	}
	return nil
}
