package analysis_test

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/qvoice/qvoice/analysis"
)

// benchRows is the sample size of BenchmarkAnalyze: QVOICE_BENCH_ROWS, or
// 200,000 (1,000,000 is the target: QVOICE_BENCH_ROWS=1000000).
func benchRows(b *testing.B) int {
	if v := os.Getenv("QVOICE_BENCH_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("QVOICE_BENCH_ROWS=%q", v)
		}
		return n
	}
	return 200_000
}

// replicate builds an n-row sample by repeating the 10k oracle rows.
func replicate(b *testing.B, n int) *analysis.Sample {
	src := loadSample10k(b)
	d := src.Def
	s := analysis.NewSample(d, "venue", "src")
	answers := sampleAnswers(b, src)
	for i := range n {
		k := i % src.Len()
		s.Add(answers[k], src.DesignWeight[k], src.Codes[k], map[string]string{"venue": src.Choice("venue").Level(k)})
	}
	return s
}

// sampleAnswers recovers the Answers of each row of the 10k sample.
func sampleAnswers(b *testing.B, s *analysis.Sample) []map[string]any {
	_, rows := load10k(b)
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out
}

// peakHeap samples the live heap every few milliseconds while fn runs.
func peakHeap(fn func()) (peak uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			peak = max(peak, sample[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	mu.Lock()
	defer mu.Unlock()
	return peak
}

// BenchmarkAnalyze runs every section with raking on a replicated sample
// and reports rows/s, the peak live heap, and the time per row relative to
// a baseline measured in the same run: one pass of JointMeans over every
// scale field under the base weights, the least any weighted analysis does.
func BenchmarkAnalyze(b *testing.B) {
	n := benchRows(b)
	s := replicate(b, n)
	f, err := os.Open(filepath.Join("testdata", "margins.csv"))
	if err != nil {
		b.Fatal(err)
	}
	margins, err := analysis.ReadMargins(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	var vars []analysis.Var
	for _, fd := range s.Def.Fields() {
		if c := s.Scale(fd.ID); c != nil {
			vars = append(vars, analysis.Var{Name: fd.ID, Col: c})
		}
	}
	runtime.GC()
	t0 := time.Now()
	analysis.JointMeans(s, analysis.BaseWeightDesign(s), vars)
	baseline := time.Since(t0)

	b.ResetTimer()
	var peak uint64
	for range b.N {
		peak = max(peak, peakHeap(func() {
			if _, err := analysis.Analyze(s, analysis.Options{Margins: margins}); err != nil {
				b.Fatal(err)
			}
		}))
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(n)/per.Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(per.Seconds()/baseline.Seconds(), "x-baseline")
}
