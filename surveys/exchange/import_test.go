package exchange_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/exchange"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// countStored counts the stored responses of the demo survey.
func countStored(t *testing.T, st surveys.Store, slug string) int {
	t.Helper()
	n := 0
	if err := st.ScanResponses(context.Background(), slug, surveys.Filter{}, func(*surveys.Response) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportBrokenRows imports testdata/broken.csv (made by
// testdata/make_broken.py): 2 good rows, a repeat of a good row, and 22
// rows broken in 21 ways. The rejects file must be exactly the golden one.
// A strict import or a dry run checks the whole file before storing, so it
// finds the reused code in file order and says so; an import that stores
// as it goes finds it stored, after its batch.
func TestImportBrokenRows(t *testing.T) {
	file, err := os.ReadFile("testdata/broken.csv")
	if err != nil {
		t.Fatal(err)
	}
	d := demoDefinition(t)
	l := exchange.NewLayout(d)
	tests := []struct {
		name       string
		opts       exchange.ImportOptions
		wantErr    error
		wantStored int // responses in the store afterwards
		wantSum    exchange.ImportSummary
		golden     string
	}{
		{"skip bad rows", exchange.ImportOptions{}, nil, 2,
			exchange.ImportSummary{Rows: 25, Stored: 2, AlreadyStored: 1, Rejected: 22}, "broken.rejects.csv"},
		{"strict", exchange.ImportOptions{Strict: true}, exchange.ErrRejected, 0,
			exchange.ImportSummary{Rows: 25, Stored: 2, AlreadyStored: 1, Rejected: 22, Aborted: true}, "broken.rejects-checked.csv"},
		{"dry run", exchange.ImportOptions{DryRun: true}, nil, 0,
			exchange.ImportSummary{Rows: 25, Stored: 2, AlreadyStored: 1, Rejected: 22}, "broken.rejects-checked.csv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStore(t)
			var rejects bytes.Buffer
			rw := exchange.NewRejectsCSV(&rejects)
			tc.opts.Now = importedAt
			sum, err := exchange.Import(context.Background(), st, l, csvSource(file), rw, tc.opts)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Import error = %v, want %v", err, tc.wantErr)
			}
			if err := rw.Close(); err != nil {
				t.Fatal(err)
			}
			sum.Errors = nil
			if diff := cmp.Diff(tc.wantSum, sum); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			if n := countStored(t, st, d.Slug); n != tc.wantStored {
				t.Errorf("%d responses stored, want %d", n, tc.wantStored)
			}
			golden(t, tc.golden, rejects.Bytes())
		})
	}
}

// TestImportOracle10k imports the oracle's whole 10k input: no row may be
// refused; importing it again stores nothing.
func TestImportOracle10k(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 10,000 rows twice")
	}
	l := exchange.NewLayout(demoDefinition(t))
	st := newStore(t)
	file := oracleCSV(t, 10000)
	opts := exchange.ImportOptions{BindOptions: exchange.BindOptions{AssumeConsent: true}}
	first := mustImport(t, st, l, csvSource(file), opts)
	first.Errors = nil
	if diff := cmp.Diff(exchange.ImportSummary{Rows: 10000, Stored: 10000}, first); diff != "" {
		t.Errorf("first import (-want +got):\n%s", diff)
	}
	again := mustImport(t, st, l, csvSource(file), opts)
	if diff := cmp.Diff(exchange.ImportSummary{Rows: 10000, AlreadyStored: 10000}, again); diff != "" {
		t.Errorf("second import (-want +got):\n%s", diff)
	}
	if n := countStored(t, st, l.Definition().Slug); n != 10000 {
		t.Errorf("%d responses stored, want 10000", n)
	}
}

// TestImportBadFiles: files that cannot be read at all fail before any row.
func TestImportBadFiles(t *testing.T) {
	l := exchange.NewLayout(demoDefinition(t))
	tests := []struct{ name, file string }{
		{"empty", ""},
		{"unknown column", "response_code,consent,food_imp_safty\nR1,adult_agree,4\n"},
		{"repeated column", "response_code,consent,consent\nR1,adult_agree,adult_agree\n"},
		{"no response code", "consent,age_band\nadult_agree,30_39\n"},
		{"no consent column", "response_code,age_band\nR1,30_39\n"},
		{"broken quoting", "response_code,consent\n\"R1,adult_agree\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStore(t)
			_, err := exchange.Import(context.Background(), st, l, csvSource([]byte(tc.file)), nil, exchange.ImportOptions{})
			if !errors.Is(err, exchange.ErrBadFile) {
				t.Errorf("Import = %v, want ErrBadFile", err)
			}
			if n := countStored(t, st, l.Definition().Slug); n != 0 {
				t.Errorf("%d responses stored", n)
			}
		})
	}
}

// TestImportWeightMatters: a stored code with the same answers but another
// design weight is a conflict, not "already stored"; NaN is no weight.
func TestImportWeightMatters(t *testing.T) {
	l := exchange.NewLayout(demoDefinition(t))
	st := newStore(t)
	file := string(oracleCSV(t, 5))
	opts := exchange.ImportOptions{BindOptions: exchange.BindOptions{AssumeConsent: true}}
	mustImport(t, st, l, csvSource([]byte(file)), opts)
	lines := strings.Split(strings.TrimSuffix(file, "\n"), "\n")
	row := lines[1][:strings.LastIndex(lines[1], ",")]
	changed := lines[0] + "\n" + row + ",9.99\n" + strings.Replace(row, "R0000000", "N0000000", 1) + ",NaN\n"
	sum, err := exchange.Import(context.Background(), st, l, csvSource([]byte(changed)), nil, exchange.ImportOptions{BindOptions: exchange.BindOptions{AssumeConsent: true, Now: importedAt}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 2 || sum.Stored != 0 || sum.AlreadyStored != 0 {
		t.Fatalf("summary %+v, want 2 refused", sum)
	}
	if !strings.Contains(sum.Errors[0].Reason+sum.Errors[1].Reason, "design weight must be a positive number") ||
		!strings.Contains(sum.Errors[0].Reason+sum.Errors[1].Reason, "different answers or design weight") {
		t.Errorf("reasons: %v", sum.Errors)
	}
}
