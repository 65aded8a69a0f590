package demo_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys/demo"
)

// The oracle's inputs, written by CPython 3.11.7 running
// ../shared/oracle/gen_survey.py; the checksums are those of
// ../shared/oracle/data/SHA256SUMS.
const (
	oracle10kPath    = "../../analysis/testdata/survey_10k.csv.gz"
	oracleMargins    = "../../analysis/testdata/margins.csv"
	oracle10kSHA256  = "9ea7232344c95dd0d06d0aeb12bd8336ca7110ba483fd653368715cbe5fbaaf1"
	oracle1mSHA256   = "c7037a25e3ca9411fca0b5506f80c5ecc8e6d9b302370ff6d199cf7eb3aeb68b"
	marginsSHA256    = "d9746a5cdcc1d29606dbc3cc329a17671a21ebe0a76b542b3b5c950cd1bd3dd6"
	oracleSeed       = 20240917
	goldenN50Seed7   = "testdata/oracle_n50_seed7.csv" // python3 gen_survey.py --n 50 --seed 7
	oracleHeaderCols = 130
)

func TestWriteOracleCSV(t *testing.T) {
	tests := []struct {
		name string
		n    int
		seed int64
		path string
	}{
		{"golden n=50 seed=7", 50, 7, goldenN50Seed7},
		{"oracle input n=10000", 10000, oracleSeed, oracle10kPath},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := readMaybeGzip(t, tc.path)
			var got bytes.Buffer
			if err := demo.WriteOracleCSV(&got, tc.n, tc.seed); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, got.Bytes()) {
				t.Fatalf("WriteOracleCSV(%d, %d) differs from %s:\n%s", tc.n, tc.seed, tc.path, firstLineDiff(want, got.Bytes()))
			}
		})
	}
}

// TestWriteOracleCSVChecksum checks the 10k output against the published
// checksum too, so a wrong test file cannot make the port look right.
func TestWriteOracleCSVChecksum(t *testing.T) {
	h := sha256.New()
	if err := demo.WriteOracleCSV(h, 10000, oracleSeed); err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != oracle10kSHA256 {
		t.Errorf("sha256 = %s, want %s", got, oracle10kSHA256)
	}
}

// TestWriteOracleCSV1M compares the 1,000,000-row file (274 MB, not kept
// anywhere) with its published checksum. It takes a few seconds.
func TestWriteOracleCSV1M(t *testing.T) {
	if testing.Short() {
		t.Skip("1M rows; skipped with -short")
	}
	h := sha256.New()
	if err := demo.WriteOracleCSV(h, 1_000_000, oracleSeed); err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != oracle1mSHA256 {
		t.Errorf("sha256 = %s, want %s", got, oracle1mSHA256)
	}
}

func TestOracleMargins(t *testing.T) {
	want := readMaybeGzip(t, oracleMargins)
	var got bytes.Buffer
	if err := demo.OracleMargins(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got.String()); diff != "" {
		t.Errorf("OracleMargins differs from %s (-want +got):\n%s", oracleMargins, diff)
	}
	if sum := sha256.Sum256(got.Bytes()); hex.EncodeToString(sum[:]) != marginsSHA256 {
		t.Errorf("sha256 = %x, want %s", sum, marginsSHA256)
	}
}

func TestOracleHeader(t *testing.T) {
	h := demo.OracleHeader()
	if len(h) != oracleHeaderCols {
		t.Fatalf("%d columns, want %d", len(h), oracleHeaderCols)
	}
	want := strings.SplitN(string(readMaybeGzip(t, goldenN50Seed7)), "\n", 2)[0]
	if diff := cmp.Diff(strings.Split(want, ","), h); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
}

func TestGenerateOracleStopsOnError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := demo.GenerateOracle(100, 1, func([]string) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 3 {
		t.Errorf("err, calls = %v, %d; want %v, 3", err, calls, stop)
	}
}

// BenchmarkGenerateOracle generates 100,000 rows per iteration and reports
// rows/s; go test -bench GenerateOracle -benchmem shows that memory per
// row does not grow with n.
func BenchmarkGenerateOracle(b *testing.B) {
	const n = 100_000
	start := time.Now()
	for b.Loop() {
		if err := demo.GenerateOracle(n, oracleSeed, func([]string) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkWriteOracleCSV is the same with CSV encoding.
func BenchmarkWriteOracleCSV(b *testing.B) {
	const n = 100_000
	start := time.Now()
	for b.Loop() {
		if err := demo.WriteOracleCSV(discard{}, n, oracleSeed); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "rows/s")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func readMaybeGzip(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, ".gz") {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// firstLineDiff describes the first line where two files differ.
func firstLineDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant %q\n got %q", i+1, w, g)
		}
	}
	return "same lines, different bytes"
}
