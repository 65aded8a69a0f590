package analysis_test

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/qvoice/qvoice/analysis"
)

const testsSource = "R 4.2.2 stats::oneway.test/kruskal.test/t.test/chisq.test/p.adjust, survey 4.1.1 svyttest, ../shared/oracle/out_10k"

// pTol is README §5's tolerance for p-values; statistics use oracleTol.
const pTol = 1e-6

// TestTestsTableOracle checks every column of tests.csv. The svyttest
// columns use rakedOracle, a test design with R's own raked weights
// (weights.csv wt_rake) and svyrecvar's raking projection, so that
// DesignTTest is checked apart from Rake.
func TestTestsTableOracle(t *testing.T) {
	s := loadSample10k(t)
	tab, err := analysis.TestsTable(s, rakedOracle(t, s))
	if err != nil {
		t.Fatal(err)
	}
	checkTestsTable(t, tab, nil)
}

// TestTestsTableRake checks the table, svyttest columns included, with the
// raked design of Rake, as the analyze command builds it.
func TestTestsTableRake(t *testing.T) {
	s, r := loadRaking10k(t)
	tab, err := analysis.TestsTable(s, r.Design())
	if err != nil {
		t.Fatal(err)
	}
	checkTestsTable(t, tab, nil)
}

// TestTestsTableNoDesign checks that without a design the svyttest columns
// and their adjustments are NA and everything else is unchanged.
func TestTestsTableNoDesign(t *testing.T) {
	s := loadSample10k(t)
	tab, err := analysis.TestsTable(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkTestsTable(t, tab, func(col string) bool { return strings.HasPrefix(col, "svyttest_") })
}

// checkTestsTable compares tab with tests.csv column by column; columns
// for which na is true must be NaN instead.
func checkTestsTable(t *testing.T, tab *analysis.Table, na func(string) bool) {
	t.Helper()
	want := readOracle(t, "tests.csv")
	header := oracleHeader(t, "tests.csv")
	if strings.Join(tab.Columns, ",") != strings.Join(header, ",") {
		t.Fatalf("columns\n got %v\nwant %v", tab.Columns, header)
	}
	if len(tab.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(tab.Rows), len(want))
	}
	stat, pv := newChecker(t), newChecker(t)
	pv.tol = pTol
	for i, row := range tab.Rows {
		w := want[i]
		where := w["variable"]
		for j, col := range tab.Columns {
			switch v := row[j].(type) {
			case string:
				if v != w[col] {
					t.Errorf("row %d %s = %q, want %q", i, col, v, w[col])
				}
			case int:
				stat.int(where, col, v, w[col])
			case float64:
				switch {
				case na != nil && na(col):
					if !math.IsNaN(v) {
						t.Errorf("%s %s = %g, want NA", where, col, v)
					}
				case isPColumn(col):
					pv.float(where, col, v, w[col])
				default:
					stat.float(where, col, v, w[col])
				}
			default:
				t.Fatalf("%s %s: value of type %T", where, col, v)
			}
		}
	}
	t.Logf("statistics vs %s:", testsSource)
	stat.report()
	t.Log("p-values:")
	pv.report()
}

func isPColumn(col string) bool {
	return strings.HasSuffix(col, "_p") || strings.Contains(col, "_p_")
}

// oracleHeader is the header row of an oracle table.
func oracleHeader(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "oracle_10k", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := csv.NewReader(f).Read()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return h
}

// Classic textbook cases. The statistics are exact rationals (worked by
// hand, checked with Python's fractions); the p-values were computed with
// mpmath 1.3.0 at 50 digits (betainc, gammainc) and agree with the rounded
// values R prints in the help pages the data come from.
func TestTestsTextbook(t *testing.T) {
	// R ?t.test: the sleep data (Cushny & Peebles 1905), extra by group;
	// R prints t = -1.8608, df = 17.776, p-value = 0.07939.
	g1 := []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	g2 := []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
	tt, err := analysis.WelchTTest(g1, g2)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "sleep t", tt.T, -1.8608134674868531015, 1e-13)
	near(t, "sleep df", tt.DF, 17.776473516178490143, 1e-13)
	near(t, "sleep p", tt.P, 0.079394140187358138337, 1e-12)
	near(t, "sleep diff", tt.Diff, -1.58, 1e-13)

	// R ?kruskal.test: Hollander & Wolfe (1973) p. 116, mucociliary
	// efficiency; R prints Kruskal-Wallis chi-squared = 0.77143, df = 2,
	// p-value = 0.68. No ties: H = 27/35, p = exp(−H/2).
	x := []float64{2.9, 3.0, 2.5, 2.6, 3.2, 3.8, 2.7, 4.0, 2.4, 2.8, 3.4, 3.7, 2.2, 2.0}
	g := []int{1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3}
	kw, err := analysis.KruskalWallis(x, g)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "HW H", kw.H, 27.0/35, 1e-14)
	near(t, "HW df", kw.DF, 2, 0)
	near(t, "HW p", kw.P, math.Exp(-27.0/70), 1e-12)

	// Same data, classic ANOVA: group means 2.84, 3.225, 2.82 about the
	// grand mean 2.9, SSB = 1251/2800, SSW = 351/80, F = 1529/2730 on 2 and
	// 11 df.
	a, err := analysis.OneWayANOVA(x, g)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "HW F", a.F, 1529.0/2730, 1e-14)
	near(t, "HW df1", a.DF1, 2, 0)
	near(t, "HW df2", a.DF2, 11, 0)
	near(t, "HW ANOVA p", a.P, 0.5866329910417377497, 1e-12)

	// Welch's ANOVA of the same groups, from Welch's (1951) formulas in
	// exact rationals.
	wa, err := analysis.WelchANOVA(x, g)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "HW Welch F", wa.F, 0.3919054783857854294, 1e-13)
	near(t, "HW Welch df2", wa.DF2, 5.5187015751634518518, 1e-13)
	near(t, "HW Welch p", wa.P, 0.69318547683735156889, 1e-12)

	// R ?chisq.test: Agresti (2007) p. 39, party identification by gender;
	// R prints X-squared = 30.07, df = 2, p-value = 2.954e-07.
	ch, err := analysis.ChiSquareIndependence(mat.NewDense(2, 3, []float64{762, 327, 468, 484, 239, 477}))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Agresti X²", ch.Stat, 30.070149095754671654, 1e-13)
	near(t, "Agresti df", ch.DF, 2, 0)
	near(t, "Agresti p", ch.P, 2.9535891832117579741e-7, 1e-12)
	near(t, "Agresti min expected", ch.MinExpected, 246.35473340587595, 1e-14)
}

// TestTestsTinyP checks that p-values far below the float64 resolution of
// 1 − CDF keep their digits: they are computed as upper tails. The
// references are closed forms or mpmath 1.3.0 at 50 digits.
func TestTestsTinyP(t *testing.T) {
	// Three groups 1..3, 1001..1003, 2001..2003: F = 3·10⁶ on 2 and 6 df,
	// and with d1 = 2, P(F > f) = (1 + 2f/6)^(−3) = (1 + 10⁶)^(−3).
	y := []float64{1, 2, 3, 1001, 1002, 1003, 2001, 2002, 2003}
	a, err := analysis.OneWayANOVA(y, []int{0, 0, 0, 1, 1, 1, 2, 2, 2})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "F", a.F, 3e6, 1e-14)
	near(t, "F p", a.P, math.Pow(1+1e6, -3), 1e-12)

	// t = 100 exactly on 8 df: 2·P(t_8 > 100) = I_{8/10008}(4, 1/2).
	x := []float64{101, 102, 103, 104, 105}
	tt, err := analysis.WelchTTest(x, []float64{1, 2, 3, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "t", tt.T, 100, 1e-14)
	near(t, "t p", tt.P, 1.1167803048255975955e-13, 1e-12)

	// 2×2 table (200 20; 20 200): X² = 440·39600²/220⁴ = 294.545…,
	// P(χ²_1 > X²) = 5.08e-66.
	ch, err := analysis.ChiSquareIndependence(mat.NewDense(2, 2, []float64{200, 20, 20, 200}))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "X²", ch.Stat, 294.54545454545454545, 1e-14)
	near(t, "X² p", ch.P, 5.0835718131790575732e-66, 1e-12)
}

// near checks got against want to a relative tol.
func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if d := relDiff(got, want); !(d <= tol) {
		t.Errorf("%s = %.17g, want %.17g (rel diff %.3g > %g)", what, got, want, d, tol)
	}
}

// TestTestsErrors checks that data that cannot give a statistic is an
// error of the documented kind, not a NaN.
func TestTestsErrors(t *testing.T) {
	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"anova one group", func() error { _, err := analysis.OneWayANOVA([]float64{1, 2, 3}, []int{0, 0, 0}); return err }, analysis.ErrTooFew},
		{"anova singleton", func() error { _, err := analysis.OneWayANOVA([]float64{1, 2, 3}, []int{0, 0, 1}); return err }, analysis.ErrTooFew},
		{"anova constant", func() error { _, err := analysis.OneWayANOVA([]float64{1, 1, 2, 2}, []int{0, 0, 1, 1}); return err }, analysis.ErrNoVariance},
		{"welch anova constant group", func() error {
			_, err := analysis.WelchANOVA([]float64{1, 1, 2, 3}, []int{0, 0, 1, 1})
			return err
		}, analysis.ErrNoVariance},
		{"kruskal all tied", func() error { _, err := analysis.KruskalWallis([]float64{2, 2, 2}, []int{0, 1, 1}); return err }, analysis.ErrNoVariance},
		{"t singleton", func() error { _, err := analysis.WelchTTest([]float64{1}, []float64{1, 2}); return err }, analysis.ErrTooFew},
		{"t constant", func() error { _, err := analysis.WelchTTest([]float64{1, 1}, []float64{2, 2}); return err }, analysis.ErrNoVariance},
		{"t NaN", func() error { _, err := analysis.WelchTTest([]float64{1, math.NaN()}, []float64{2, 3}); return err }, nil},
		{"chisq one column", func() error {
			_, err := analysis.ChiSquareIndependence(mat.NewDense(2, 1, []float64{3, 4}))
			return err
		}, analysis.ErrTable},
		{"chisq empty row", func() error {
			_, err := analysis.ChiSquareIndependence(mat.NewDense(2, 2, []float64{3, 4, 0, 0}))
			return err
		}, analysis.ErrTable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %q is not %q", err, tc.want)
			}
		})
	}
}

// ExampleWelchTTest runs R's ?t.test example on the sleep data.
func ExampleWelchTTest() {
	drugA := []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	drugB := []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
	r, err := analysis.WelchTTest(drugA, drugB)
	if err != nil {
		panic(err)
	}
	fmt.Printf("t = %.4f, df = %.3f, p-value = %.5f, difference %.2f\n", r.T, r.DF, r.P, r.Diff)
	// Output:
	// t = -1.8608, df = 17.776, p-value = 0.07939, difference -1.58
}

// ExampleKruskalWallis runs R's ?kruskal.test example (Hollander & Wolfe).
func ExampleKruskalWallis() {
	y := []float64{
		2.9, 3.0, 2.5, 2.6, 3.2, // normal subjects
		3.8, 2.7, 4.0, 2.4, // obstructive airway disease
		2.8, 3.4, 3.7, 2.2, 2.0, // asbestosis
	}
	group := []int{1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3}
	r, err := analysis.KruskalWallis(y, group)
	if err != nil {
		panic(err)
	}
	fmt.Printf("Kruskal-Wallis chi-squared = %.5f, df = %g, p-value = %.2f\n", r.H, r.DF, r.P)
	// Output:
	// Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68
}

// ExampleChiSquareIndependence runs R's ?chisq.test example (Agresti 2007
// p. 39, party identification by gender), which R reports as
// X-squared = 30.07, df = 2, p-value = 2.954e-07.
func ExampleChiSquareIndependence() {
	m := mat.NewDense(2, 3, []float64{
		762, 327, 468, // female: Democrat, Independent, Republican
		484, 239, 477, // male
	})
	r, err := analysis.ChiSquareIndependence(m)
	if err != nil {
		panic(err)
	}
	fmt.Printf("X-squared = %.2f, df = %g, p-value = %.4g, min expected %.1f\n", r.Stat, r.DF, r.P, r.MinExpected)
	// Output:
	// X-squared = 30.07, df = 2, p-value = 2.954e-07, min expected 246.4
}

// rakedDesign stands in for the raked design in these tests: R's own raked
// weights (weights.csv wt_rake) and the variance of svyrecvar's raking
// branch, as oracle.R's recvar(…, "rake") transcribes it: 10 sweeps over
// the margins age_band, gender, region_type, province of
//
//	x ← x − w·(unweighted mean of x/w over the rows of the same level),
//
// then N/(N−1)·Σ(x − x̄)(x − x̄)ᵀ over all N rows.
type rakedDesign struct {
	w       []float64
	margins [][]uint16 // level codes per row, one slice per margin
}

func rakedOracle(t *testing.T, s *analysis.Sample) *rakedDesign {
	t.Helper()
	rows := readOracle(t, "weights.csv")
	if len(rows) != s.Len() {
		t.Fatalf("weights.csv has %d rows, sample %d", len(rows), s.Len())
	}
	d := &rakedDesign{w: make([]float64, s.Len())}
	for i, r := range rows {
		if r["response_code"] != s.Codes[i] {
			t.Fatalf("weights.csv row %d is %s, sample %s", i, r["response_code"], s.Codes[i])
		}
		w, err := strconv.ParseFloat(r["wt_rake"], 64)
		if err != nil {
			t.Fatal(err)
		}
		d.w[i] = w
	}
	for _, id := range []string{"age_band", "gender", "region_type", "province"} {
		c := s.Choice(id)
		if c == nil {
			t.Fatalf("sample has no %s column", id)
		}
		d.margins = append(d.margins, c.Codes)
	}
	return d
}

func (d *rakedDesign) Name() string       { return "rake" }
func (d *rakedDesign) Weights() []float64 { return d.w }

func (d *rakedDesign) Cov(z *analysis.Influence) *mat.SymDense {
	n, k := z.N, z.K
	x := make([]float64, n*k)
	for r, i := range z.Rows {
		copy(x[int(i)*k:int(i+1)*k], z.Z[r*k:(r+1)*k])
	}
	for range 10 {
		for _, m := range d.margins {
			levels := int(slices.Max(m)) + 1
			sum, count := make([]float64, levels*k), make([]float64, levels)
			for i, c := range m {
				count[c]++
				for a := range k {
					sum[int(c)*k+a] += x[i*k+a] / d.w[i]
				}
			}
			for i, c := range m {
				for a := range k {
					x[i*k+a] -= d.w[i] * sum[int(c)*k+a] / count[c]
				}
			}
		}
	}
	mean := make([]float64, k)
	for i := range n {
		for a := range k {
			mean[a] += x[i*k+a] / float64(n)
		}
	}
	cov := mat.NewSymDense(k, nil)
	for a := range k {
		for b := a; b < k; b++ {
			var s float64
			for i := range n {
				s += (x[i*k+a] - mean[a]) * (x[i*k+b] - mean[b])
			}
			cov.SetSym(a, b, s*float64(n)/float64(n-1))
		}
	}
	return cov
}

// ExampleOneWayANOVA compares three groups with the classic and with
// Welch's analysis of means (the Hollander & Wolfe data of ?kruskal.test).
func ExampleOneWayANOVA() {
	y := []float64{2.9, 3.0, 2.5, 2.6, 3.2, 3.8, 2.7, 4.0, 2.4, 2.8, 3.4, 3.7, 2.2, 2.0}
	group := []int{1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3}
	a, err := analysis.OneWayANOVA(y, group)
	if err != nil {
		panic(err)
	}
	w, err := analysis.WelchANOVA(y, group)
	if err != nil {
		panic(err)
	}
	fmt.Printf("classic: F = %.4f, num df = %g, denom df = %g, p-value = %.4f\n", a.F, a.DF1, a.DF2, a.P)
	fmt.Printf("Welch:   F = %.4f, num df = %g, denom df = %.3f, p-value = %.4f\n", w.F, w.DF1, w.DF2, w.P)
	// Output:
	// classic: F = 0.5601, num df = 2, denom df = 11, p-value = 0.5866
	// Welch:   F = 0.3919, num df = 2, denom df = 5.519, p-value = 0.6932
}
