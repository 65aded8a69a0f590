package exchange_test

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/exchange"
)

// fuzzMaxRows bounds the rows one fuzz input decodes.
const fuzzMaxRows = 200

// FuzzImportCSV reads arbitrary bytes as a CSV file of the demo survey and
// binds and decodes it as Import does, without the database. Nothing may
// panic; a bad header wraps ErrBadFile; each row either decodes or is
// refused with reasons; a decoded response's answers are a fixed point of
// surveys.ParseRecorded and match its digest, and the response survives an
// export (Layout.Encode) and a second decode unchanged. More seeds are in
// testdata/fuzz/FuzzImportCSV.
func FuzzImportCSV(f *testing.F) {
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		f.Fatalf("Parse(demo.Source()): %v", err)
	}
	l := exchange.NewLayout(d)
	full, err := l.Bind(l.Header(), exchange.BindOptions{Now: importedAt})
	if err != nil {
		f.Fatalf("Bind(the layout's own header): %v", err)
	}
	broken, err := os.ReadFile("testdata/broken.csv")
	if err != nil {
		f.Fatal(err)
	}
	oracle := oracleCSV(f, 3)
	f.Add(oracle, false)
	f.Add(append([]byte("\ufeff"), oracle...), false)
	f.Add(bytes.ReplaceAll(oracle, []byte("\n"), []byte("\r\n")), false)
	f.Add(broken, false)
	f.Add(broken, true)
	f.Add([]byte("response_code,rate_categories,food_overall_sat,flags,duration_s\nA1,food;drugs,7,too_fast;straight_lined:food,12.5\nA2,,x,bogus,-1\n"), true)
	f.Add([]byte("response_code,response_code\n"), true)
	f.Add([]byte("response_code,\"unclosed\n"), true)
	f.Add([]byte(""), false)
	f.Fuzz(func(t *testing.T, file []byte, assumeConsent bool) {
		rr := exchange.NewCSVReader(bytes.NewReader(file))
		header, err := rr.Read()
		if err != nil {
			return // Import reports an unreadable header as a bad file
		}
		header = append([]string(nil), header...)
		b, err := l.Bind(header, exchange.BindOptions{AssumeConsent: assumeConsent, Now: importedAt})
		if err != nil {
			if !errors.Is(err, exchange.ErrBadFile) {
				t.Fatalf("Bind error %v does not wrap ErrBadFile", err)
			}
			return
		}
		for row := 2; row < 2+fuzzMaxRows; row++ {
			rec, err := rr.Read()
			if err != nil {
				return // io.EOF, or a bad file
			}
			r, errs := b.Decode(row, rec)
			checkDecoded(t, d, row, r, errs)
			if r == nil {
				continue
			}
			r2, errs := full.Decode(row, l.Encode(r, nil))
			if len(errs) > 0 {
				t.Fatalf("row %d: the exported row %q is refused: %v", row, l.Encode(r, nil), errs)
			}
			if diff := cmp.Diff(r, r2); diff != "" {
				t.Fatalf("row %d: export and re-import change the response (-decoded +again):\n%s", row, diff)
			}
		}
	})
}

// checkDecoded checks one row's outcome.
func checkDecoded(t *testing.T, d *surveys.Definition, row int, r *surveys.Response, errs []exchange.RowError) {
	t.Helper()
	if (r == nil) == (len(errs) == 0) {
		t.Fatalf("row %d: response %v with errors %v: want exactly one of them", row, r, errs)
	}
	for _, e := range errs {
		if e.Reason == "" || e.Row != row {
			t.Fatalf("row %d: row error %+v has no reason or the wrong row", row, e)
		}
	}
	if r == nil {
		return
	}
	again, err := surveys.ParseRecorded(d, map[string]any(r.Answers))
	if err != nil {
		t.Fatalf("row %d: ParseRecorded refuses the decoded answers %v: %v", row, r.Answers, err)
	}
	if diff := cmp.Diff(r.Answers, again); diff != "" {
		t.Fatalf("row %d: ParseRecorded changes the decoded answers (-decoded +again):\n%s", row, diff)
	}
	if got := surveys.Digest(d.Slug, again, r.Src, r.Venue); got != r.Digest {
		t.Fatalf("row %d: digest %s, want %s", row, got, r.Digest)
	}
	if r.ReceivedAt.IsZero() || r.ReceivedAt.Location() != time.UTC {
		t.Fatalf("row %d: received_at %v, want a UTC time", row, r.ReceivedAt)
	}
}
