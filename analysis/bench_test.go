package analysis_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// BenchmarkAccumulate adds the 10k oracle responses (decoded in memory
// beforehand) to a fresh Accumulator per op. It reports rows/s, and
// x-baseline: its time per row divided by that of a naive pass, measured
// in the same run, that only sums the same scale fields for their means.
func BenchmarkAccumulate(b *testing.B) {
	d, rows := load10k(b)
	base := baselineNsPerRow(d, rows)
	for b.Loop() {
		acc := analysis.NewAccumulator(d)
		for _, ans := range rows {
			acc.Add(ans)
		}
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N*len(rows))
	b.ReportMetric(1e9/ns, "rows/s")
	b.ReportMetric(1e9/base, "baseline-rows/s")
	b.ReportMetric(ns/base, "x-baseline")
}

// baselineNsPerRow times the naive pass for at least 200 ms and returns
// its mean time per row.
func baselineNsPerRow(d *surveys.Definition, rows []surveys.Answers) float64 {
	var ids []string
	for _, f := range d.Fields() {
		if f.Kind == surveys.KindScale && f.Category != "" {
			ids = append(ids, f.ID)
		}
	}
	sum, n := make([]int, len(ids)), make([]int, len(ids))
	passes := 0
	start := time.Now()
	for time.Since(start) < 200*time.Millisecond {
		for _, ans := range rows {
			for j, id := range ids {
				if v, ok := ans[id].(int); ok {
					sum[j] += v
					n[j]++
				}
			}
		}
		passes++
	}
	el := time.Since(start)
	if n[0] < 0 { // keep the sums alive
		panic("unreachable")
	}
	return float64(el.Nanoseconds()) / float64(passes*len(rows))
}

// BenchmarkSummary computes the Summary of the 10k responses (7
// categories, 7 indicators each).
func BenchmarkSummary(b *testing.B) {
	d, rows := load10k(b)
	acc := analysis.NewAccumulator(d)
	for _, ans := range rows {
		acc.Add(ans)
	}
	for b.Loop() {
		acc.Summary()
	}
}

// BenchmarkReadCSV decodes the 10k CSV (2.7 MB) from memory.
func BenchmarkReadCSV(b *testing.B) {
	d, _ := load10k(b)
	f, err := os.Open(filepath.Join("testdata", "survey_10k.csv.gz"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	rows := 0
	for b.Loop() {
		err := analysis.ReadCSV(d, bytes.NewReader(raw), func(surveys.Answers, map[string]string) error {
			rows++
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
