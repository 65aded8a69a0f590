package analysis_test

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// The reference numbers come from the oracle of ../shared/oracle (README §4):
// R 4.2.2, survey 4.1.1, data.table 1.14.8, run as
//
//	Rscript oracle.R --data data/survey_10k.csv --margins data/margins.csv --out out_10k --boot 200
//
// on the file written by gen_survey.py --n 10000 --seed 20240917. The input
// (testdata/survey_10k.csv.gz) and the three tables used here
// (testdata/oracle_10k/{means,priority,indices}.csv) are copies of those
// files, so the tests do not depend on the layout of ../shared.
const (
	oracleSource = "R 4.2.2 survey 4.1.1, ../shared/oracle/out_10k"
	// survey10kSHA256 is data/SHA256SUMS's entry for survey_10k.csv.
	survey10kSHA256 = "9ea7232344c95dd0d06d0aeb12bd8336ca7110ba483fd653368715cbe5fbaaf1"
	// oracleTol is README §5's tolerance for means, indices and priority.
	oracleTol = 1e-9
)

var demo10k struct {
	once sync.Once
	def  *surveys.Definition
	rows []surveys.Answers
	err  error
}

// load10k returns the demo definition and the 10k responses, decoded once.
func load10k(tb testing.TB) (*surveys.Definition, []surveys.Answers) {
	tb.Helper()
	demo10k.once.Do(func() {
		demo10k.def, demo10k.err = surveys.Parse(demo.Source())
		if demo10k.err != nil {
			return
		}
		zr, closeFile, err := open10k()
		if err != nil {
			demo10k.err = err
			return
		}
		defer closeFile()
		h := sha256.New()
		demo10k.err = analysis.ReadCSV(demo10k.def, io.TeeReader(zr, h), func(ans surveys.Answers, _ map[string]string) error {
			demo10k.rows = append(demo10k.rows, ans)
			return nil
		})
		if sum := hex.EncodeToString(h.Sum(nil)); demo10k.err == nil && sum != survey10kSHA256 {
			demo10k.err = &shaError{sum}
		}
	})
	if demo10k.err != nil {
		tb.Fatalf("loading the 10k survey: %v", demo10k.err)
	}
	return demo10k.def, demo10k.rows
}

// open10k opens the gzip-compressed 10k oracle input; close closes the file.
func open10k() (r io.Reader, close func(), err error) {
	f, err := os.Open(filepath.Join("testdata", "survey_10k.csv.gz"))
	if err != nil {
		return nil, nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return zr, func() { f.Close() }, nil
}

type shaError struct{ got string }

func (e *shaError) Error() string {
	return "survey_10k.csv SHA-256 = " + e.got + ", want " + survey10kSHA256 + " (../shared/oracle/data/SHA256SUMS)"
}

// summary10k is the single-pass Summary of the 10k responses.
func summary10k(tb testing.TB) *analysis.Summary {
	d, rows := load10k(tb)
	acc := analysis.NewAccumulator(d)
	for _, ans := range rows {
		acc.Add(ans)
	}
	return acc.Summary()
}

// readOracle reads one oracle table as maps keyed by column name.
func readOracle(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "oracle_10k", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// checker compares values with the oracle and keeps the worst relative
// difference of each quantity.
type checker struct {
	t     *testing.T
	tol   float64
	worst map[string]float64
}

func newChecker(t *testing.T) *checker {
	return &checker{t: t, tol: oracleTol, worst: map[string]float64{}}
}

// relDiff is |got − want|/|want|, or |got| when want is 0.
func relDiff(got, want float64) float64 {
	if got == want {
		return 0
	}
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// float checks got against the oracle cell want (a number) for quantity q.
func (c *checker) float(where, q string, got float64, want string) {
	c.t.Helper()
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		c.t.Fatalf("%s %s: oracle value %q: %v", where, q, want, err)
	}
	d := relDiff(got, w)
	if math.IsNaN(d) || d > c.tol {
		c.t.Errorf("%s %s = %.17g, want %.17g (%s; rel diff %.3g > %g)", where, q, got, w, oracleSource, d, c.tol)
	}
	c.worst[q] = max(c.worst[q], d)
}

// int checks an exact count.
func (c *checker) int(where, q string, got int, want string) {
	c.t.Helper()
	if strconv.Itoa(got) != want {
		c.t.Errorf("%s %s = %d, want %s (%s)", where, q, got, want, oracleSource)
	}
}

// report logs the worst relative differences.
func (c *checker) report() {
	qs := make([]string, 0, len(c.worst))
	for q := range c.worst {
		qs = append(qs, q)
	}
	sort.Strings(qs)
	for _, q := range qs {
		c.t.Logf("worst rel diff %-16s %.3g", q, c.worst[q])
	}
}

// indicatorIndex maps "category/indicator" to the result in s.Categories.
func indicatorIndex(s *analysis.Summary) map[string]analysis.IndicatorResult {
	m := map[string]analysis.IndicatorResult{}
	for _, c := range s.Categories {
		for _, r := range c.Indicators {
			m[c.Category+"/"+r.Indicator] = r
		}
	}
	return m
}

func categoryIndex(s *analysis.Summary) map[string]analysis.CategorySummary {
	m := map[string]analysis.CategorySummary{}
	for _, c := range s.Categories {
		m[c.Category] = c
	}
	return m
}
