package exchange_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/embedded"
	"github.com/qvoice/qvoice/surveys/exchange"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// The tests run on embedded FerretDB, the database qvoice uses by default.
var embeddedURI string

func TestMain(m *testing.M) { os.Exit(embedded.RunTests(m, &embeddedURI)) }

var dbCounter atomic.Int64

// newStore opens an empty database, dropped when the test ends.
func newStore(t testing.TB) *mongostore.Store {
	t.Helper()
	name := fmt.Sprintf("exchange%d", dbCounter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := mongostore.Open(ctx, embeddedURI, name)
	if err != nil {
		t.Fatalf("mongostore.Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// importedAt is the received_at of imported rows without one.
var importedAt = time.Date(2026, 9, 17, 8, 0, 0, 0, time.UTC)

// oracleCSV returns the header and first n rows of the oracle's 10k input
// (gen_survey.py --n 10000 --seed 20240917) as CSV bytes.
func oracleCSV(t testing.TB, n int) []byte {
	t.Helper()
	f, err := os.Open("../../analysis/testdata/survey_10k.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(gz)
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	for i := 0; i <= n; i++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	return buf.Bytes()
}

// csvSource opens b as a CSV file for Import, as often as asked.
func csvSource(b []byte) func() (exchange.RecordReader, error) {
	return func() (exchange.RecordReader, error) { return exchange.NewCSVReader(bytes.NewReader(b)), nil }
}

// exportCSV exports every response of l's survey in st as CSV.
func exportCSV(t testing.TB, st surveys.Store, l *exchange.Layout) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := exchange.Export(context.Background(), st, l, surveys.Filter{}, exchange.NewCSVWriter(&buf), nil); err != nil {
		t.Fatalf("Export: %v", err)
	}
	return buf.Bytes()
}

// mustImport imports src into st and fails the test on any error.
func mustImport(t testing.TB, st surveys.Store, l *exchange.Layout, src func() (exchange.RecordReader, error), opts exchange.ImportOptions) exchange.ImportSummary {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = importedAt
	}
	sum, err := exchange.Import(context.Background(), st, l, src, nil, opts)
	if err != nil {
		t.Fatalf("Import: %v (summary %+v)", err, sum)
	}
	return sum
}
