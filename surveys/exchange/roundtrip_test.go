package exchange_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/exchange"
)

// TestRoundTrip stores responses, exports them in each format, imports the
// export into an empty store and exports that as CSV: the two CSV exports
// must be the same bytes.
func TestRoundTrip(t *testing.T) {
	l := exchange.NewLayout(demoDefinition(t))
	src := newStore(t)
	sum := mustImport(t, src, l, csvSource(oracleCSV(t, 600)), exchange.ImportOptions{BindOptions: exchange.BindOptions{AssumeConsent: true}})
	if sum.Stored != 600 || sum.Rejected != 0 {
		t.Fatalf("seed import: %+v", sum)
	}
	want := exportCSV(t, src, l)
	formats := []struct {
		name   string
		writer func(io.Writer) (exchange.RecordWriter, error)
		reader func([]byte) (exchange.RecordReader, error)
	}{
		{"csv",
			func(w io.Writer) (exchange.RecordWriter, error) { return exchange.NewCSVWriter(w), nil },
			func(b []byte) (exchange.RecordReader, error) { return exchange.NewCSVReader(bytes.NewReader(b)), nil }},
		{"json",
			func(w io.Writer) (exchange.RecordWriter, error) { return exchange.NewJSONWriter(w, l), nil },
			func(b []byte) (exchange.RecordReader, error) {
				return exchange.NewJSONReader(bytes.NewReader(b), l), nil
			}},
		{"xlsx",
			func(w io.Writer) (exchange.RecordWriter, error) { return exchange.NewXLSXWriter(w, l) },
			func(b []byte) (exchange.RecordReader, error) { return exchange.NewXLSXReader(bytes.NewReader(b)) }},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			var file bytes.Buffer
			w, err := f.writer(&file)
			if err != nil {
				t.Fatal(err)
			}
			n, err := exchange.Export(context.Background(), src, l, surveys.Filter{}, w, nil)
			if err != nil || n != 600 {
				t.Fatalf("Export = %d, %v; want 600 responses", n, err)
			}
			dst := newStore(t)
			sum := mustImport(t, dst, l, func() (exchange.RecordReader, error) { return f.reader(file.Bytes()) }, exchange.ImportOptions{})
			if sum.Stored != 600 || sum.Rejected != 0 {
				t.Fatalf("import of the %s export: %+v", f.name, sum)
			}
			got := exportCSV(t, dst, l)
			if !bytes.Equal(want, got) {
				t.Errorf("CSV after a %s round trip differs (-want +got):\n%s", f.name, cmp.Diff(string(want), string(got)))
			}
		})
	}
}

// TestExportKeepsOracleColumnOrder: the oracle's 130 columns come in the
// oracle's order; the questionnaire's other fields and the lossless extras
// sit between and after them.
func TestExportKeepsOracleColumnOrder(t *testing.T) {
	l := exchange.NewLayout(demoDefinition(t))
	oracle, err := exchange.NewCSVReader(bytes.NewReader(oracleCSV(t, 0))).Read()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range l.Header() {
		if slices.Contains(oracle, h) {
			got = append(got, h)
		}
	}
	if diff := cmp.Diff(oracle, got); diff != "" {
		t.Errorf("oracle columns in the export header (-oracle +export):\n%s", diff)
	}
}

// TestGeneratedRoundTrip is the researcher's loop on generated data (what
// qvoice demo generate --store makes: paradata, flags, spread times):
// export CSV, import into an empty store, export again: the same bytes.
func TestGeneratedRoundTrip(t *testing.T) {
	d := demoDefinition(t)
	l := exchange.NewLayout(d)
	src := newStore(t)
	var batch []*surveys.Response
	err := demo.Generate(d, 500, 42, func(r *surveys.Response) error {
		batch = append(batch, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if errs, err := src.InsertResponses(context.Background(), batch); err != nil {
		t.Fatal(err)
	} else {
		for i, e := range errs {
			if e != nil {
				t.Fatalf("response %d: %v", i, e)
			}
		}
	}
	first := exportCSV(t, src, l)
	if !bytes.Contains(first, []byte(surveys.FlagTooFast)) {
		t.Errorf("generated data has no flagged response; the flags column is not exercised")
	}
	dst := newStore(t)
	sum := mustImport(t, dst, l, csvSource(first), exchange.ImportOptions{})
	if sum.Stored != 500 || sum.Rejected != 0 {
		t.Fatalf("import: %+v", sum)
	}
	if second := exportCSV(t, dst, l); !bytes.Equal(first, second) {
		t.Errorf("second export differs (-first +second):\n%s", cmp.Diff(string(first), string(second)))
	}
}
