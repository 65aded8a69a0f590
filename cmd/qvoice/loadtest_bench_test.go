//go:build unix

package main

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// BenchmarkLoadtestVsInsertOne measures, in one run and against one
// embedded database, acknowledged HTTP submissions per second through the
// real server (50 phones that load the form and post once each; then 50
// clients that only post) and the raw driver InsertOne rate
// (mongostore.Store.InsertResponse from 50 goroutines over a second
// connection to the same FerretDB, another survey slug; and from one
// goroutine, to show what concurrency buys), and reports the ratios; the
// target on the embedded default is ≥ 0.8. Each part does max(b.N, 2000)
// operations; run it as
//
//	go test ./cmd/qvoice -run '^$' -bench LoadtestVsInsertOne -benchtime 3000x -cpuprofile cpu.out
func BenchmarkLoadtestVsInsertOne(b *testing.B) {
	const clients = 50
	n := max(b.N, 2000)
	base, data := startLoadServe(b)
	ctx := context.Background()
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		b.Fatal(err)
	}
	st, closeStore, err := openStore(ctx, storeConfig{dataDir: data, dbName: "qvoice"}, true, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer closeStore()

	b.ResetTimer()
	cpu0 := cpuTime(b)
	res := loadRun(b, base, d, clients, n, 1, phoneMix{})
	cpu1 := cpuTime(b)
	intake := loadRun(b, base, d, clients, n, 4, phoneMix{noForm: true})
	cpu2 := cpuTime(b)
	raw := insertRate(b, st, n, clients, 2)
	cpu3 := cpuTime(b)
	serial := insertRate(b, st, n, 1, 3)
	b.StopTimer()

	perOp := func(from, to time.Duration) float64 { return float64((to - from).Microseconds()) / 1000 / float64(n) }
	b.ReportMetric(res.rate(), "submissions/s")
	b.ReportMetric(percentile(res.postLatency, 50).Seconds()*1000, "post-p50-ms")
	b.ReportMetric(percentile(res.postLatency, 95).Seconds()*1000, "post-p95-ms")
	b.ReportMetric(percentile(res.postLatency, 99).Seconds()*1000, "post-p99-ms")
	b.ReportMetric(intake.rate(), "submissions/s-intake-only")
	b.ReportMetric(raw, "inserts/s")
	b.ReportMetric(serial, "inserts/s-serial")
	b.ReportMetric(res.rate()/raw, "ratio")
	b.ReportMetric(intake.rate()/raw, "ratio-intake-only")
	// CPU of the whole process (client, server and FerretDB) per operation:
	// unlike rates, it holds when other processes share the machine.
	b.ReportMetric(perOp(cpu0, cpu1), "cpu-ms/submission")
	b.ReportMetric(perOp(cpu1, cpu2), "cpu-ms/submission-intake-only")
	b.ReportMetric(perOp(cpu2, cpu3), "cpu-ms/insert")
	b.ReportMetric(0, "ns/op")
}

// loadRun runs n phones of mix with clients at once; every one must be
// acknowledged.
func loadRun(b *testing.B, base string, d *surveys.Definition, clients, n int, seed int64, mix phoneMix) *loadResult {
	b.Helper()
	res, err := runLoad(context.Background(), loadConfig{base: base, def: d, clients: clients, duration: 10 * time.Minute,
		requests: n, seed: seed, mix: mix})
	if err != nil {
		b.Fatal(err)
	}
	if len(res.errors) > 0 || res.acknowledged() != n {
		b.Fatalf("%d of %d acknowledged; errors %v", res.acknowledged(), n, res.errors)
	}
	return res
}

// insertRate inserts n generated responses to another survey slug with
// InsertResponse (one InsertOne each) from clients goroutines and returns
// inserts per second; seed must differ between calls (it draws the ids).
func insertRate(b *testing.B, st surveys.Store, n, clients int, seed int64) float64 {
	b.Helper()
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		b.Fatal(err)
	}
	d.Slug = "loadtest-raw-inserts"
	rs := make([]*surveys.Response, 0, n)
	if err := demo.Generate(d, n, seed, func(r *surveys.Response) error {
		rs = append(rs, r)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var failed atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range clients {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				if err := st.InsertResponse(context.Background(), rs[i]); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(t0)
	if failed.Load() > 0 {
		b.Fatalf("%d of %d inserts failed", failed.Load(), n)
	}
	return float64(n) / took.Seconds()
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
