package exchange_test

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/exchange"
)

func demoDefinition(t testing.TB) *surveys.Definition {
	t.Helper()
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDecodeOracle10k decodes every row of the oracle's 10k input
// (gen_survey.py --n 10000 --seed 20240917): none may be refused.
func TestDecodeOracle10k(t *testing.T) {
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
	header, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	l := exchange.NewLayout(demoDefinition(t))
	b, err := l.Bind(header, exchange.BindOptions{AssumeConsent: true, Now: time.Date(2026, 9, 17, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	rows, bad := 0, 0
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		if _, errs := b.Decode(row, rec); len(errs) > 0 {
			bad++
			if bad <= 10 {
				t.Errorf("%v", errs)
			}
		}
	}
	if rows != 10000 || bad != 0 {
		t.Errorf("decoded %d rows, %d refused; want 10000, 0", rows, bad)
	}
}
