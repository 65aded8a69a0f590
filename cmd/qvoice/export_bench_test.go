package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys/demo"
)

// BenchmarkExportMemory stores N generated responses (QVOICE_BENCH_EXPORT_N,
// default 20,000; the figure is 1,000,000) in an embedded
// database, then runs the qvoice binary as a child process and reads its
// peak RSS from the kernel:
//
//   - baseline: survey show, which opens the same database and reads one
//     document (the fixed cost of the process and embedded FerretDB);
//   - scan: survey list, which reads and decodes every response;
//   - export: export --format csv of every response, with its codebook.
//
// It reports export's peak RSS in MB (target: under 200 at 1,000,000), the
// ratio of that to the baseline's, and export's time as a ratio of the
// plain scan's, all measured in the same run.
func BenchmarkExportMemory(b *testing.B) {
	n := 20000
	if s := os.Getenv("QVOICE_BENCH_EXPORT_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("QVOICE_BENCH_EXPORT_N=%q", s)
		}
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "qvoice")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	start := time.Now()
	child(b, bin, "demo", "generate", "--data", data, "--n", strconv.Itoa(n), "--seed", "1", "--store")
	b.Logf("stored %d responses in %s", n, time.Since(start).Round(time.Millisecond))
	base, _ := child(b, bin, "survey", "show", demo.Slug, "--data", data)
	scan, scanTime := child(b, bin, "survey", "list", "--data", data)
	b.ResetTimer()
	var peak int64
	var exportTime time.Duration
	for range b.N {
		rss, t := child(b, bin, "export", "--data", data, "--survey", demo.Slug, "--out", filepath.Join(dir, "out.csv"))
		peak, exportTime = max(peak, rss), exportTime+t
	}
	b.StopTimer()
	mb := func(kb int64) float64 { return float64(kb) / 1024 }
	b.ReportMetric(mb(peak), "export-peak-MB")
	b.ReportMetric(mb(peak)/mb(base), "peak/baseline")
	b.ReportMetric(exportTime.Seconds()/float64(b.N)/scanTime.Seconds(), "time/scan")
	b.ReportMetric(float64(n)/(exportTime.Seconds()/float64(b.N)), "responses/s")
	fmt.Fprintf(os.Stderr, "export of %d responses: peak RSS %.0f MB (baseline %.0f MB, full scan %.0f MB); %.1f s, %.2f× a full scan\n",
		n, mb(peak), mb(base), mb(scan), exportTime.Seconds()/float64(b.N), exportTime.Seconds()/float64(b.N)/scanTime.Seconds())
}

// child runs the binary and returns its peak RSS in KiB and its wall time.
func child(b *testing.B, bin string, args ...string) (int64, time.Duration) {
	b.Helper()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("qvoice %v: %v\n%s", args, err, stderr.Bytes())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Fatal("no rusage on this platform")
	}
	return ru.Maxrss, time.Since(start)
}
