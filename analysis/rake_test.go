package analysis_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// tinyRow is one response of a hand-made raking sample: the raking
// variables sex and area (extra choice columns of the tiny definition),
// a design weight and the answers.
type tinyRow struct {
	sex, area string
	w         float64
	ans       surveys.Answers
}

func tinyRakeSample(tb testing.TB, rows []tinyRow) *analysis.Sample {
	tb.Helper()
	s := analysis.NewSample(tinyDefinition(tb), "sex", "area")
	for i, r := range rows {
		s.Add(r.ans, r.w, fmt.Sprintf("r%d", i+1), map[string]string{"sex": r.sex, "area": r.area})
	}
	return s
}

// twoByTwo is 7 rows: sex × area cells f/u ×3, f/r ×1, m/u ×1 (weight 2),
// m/r ×2, so the design-weighted table is fu 3, fr 1, mu 2, mr 2.
var twoByTwo = []tinyRow{
	{"f", "u", 1, nil}, {"f", "u", 1, nil}, {"f", "u", 1, nil}, {"f", "r", 1, nil},
	{"m", "u", 2, nil}, {"m", "r", 1, nil}, {"m", "r", 1, nil},
}

var twoByTwoMargins = []analysis.Margin{
	{Variable: "sex", Levels: []string{"f", "m"}, Totals: []float64{50, 50}},
	{Variable: "area", Levels: []string{"u", "r"}, Totals: []float64{60, 40}},
}

// TestRakeTwoByTwo checks IPF against the closed form of a 2×2 table. IPF
// keeps the odds ratio of its starting table (Bishop, Fienberg & Holland
// 1975, §3.5), here (3·2)/(1·2) = 3, so the raked table with margins
// f 50, m 50, u 60, r 40 is fu = x, fr = 50 − x, mu = 60 − x, mr = x − 10
// with x(x − 10) = 3(50 − x)(60 − x): x² − 160x + 4500 = 0,
// x = 80 − √1900 = 36.4110105…; each row's weight is its cell total times
// its design-weight share of the cell.
func TestRakeTwoByTwo(t *testing.T) {
	s := tinyRakeSample(t, twoByTwo)
	r, err := analysis.Rake(s, twoByTwoMargins, analysis.RakeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	x := 80 - math.Sqrt(1900)
	want := []float64{x / 3, x / 3, x / 3, 50 - x, 60 - x, (x - 10) / 2, (x - 10) / 2}
	for i, w := range r.Weights() {
		if d := math.Abs(w-want[i]) / want[i]; d > 1e-13 {
			t.Errorf("row %d: weight %.17g, want %.17g (rel diff %.2g)", i+1, w, want[i], d)
		}
	}
	if diff := cmp.Diff(twoByTwoMargins, r.Margins()); diff != "" {
		t.Errorf("Margins() (-want +got):\n%s", diff)
	}
	if r.Iterations < 2 || r.Iterations > 200 {
		t.Errorf("Iterations = %d", r.Iterations)
	}
}

// TestRakeUnknownLevel: a sample level absent from the margins (sex=x)
// keeps its design-weighted share, 2/10 of the population total 100 of the
// first margin, and f and m share the remaining 80 half and half (oracle.R
// margins_used).
func TestRakeUnknownLevel(t *testing.T) {
	rows := append(append([]tinyRow{}, twoByTwo...), tinyRow{"x", "u", 2, nil})
	s := tinyRakeSample(t, rows)
	r, err := analysis.Rake(s, twoByTwoMargins, analysis.RakeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []analysis.Margin{
		{Variable: "sex", Levels: []string{"f", "m", "x"}, Totals: []float64{40, 40, 20}},
		{Variable: "area", Levels: []string{"u", "r"}, Totals: []float64{60, 40}},
	}
	approx := cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Abs(b) })
	if diff := cmp.Diff(want, r.Margins(), approx); diff != "" {
		t.Errorf("Margins() (-want +got):\n%s", diff)
	}
	got := map[string]float64{}
	for i, w := range r.Weights() {
		got["sex="+[]string{"f", "f", "f", "f", "m", "m", "m", "x"}[i]] += w
		got["area="+rows[i].area] += w
	}
	wantTot := map[string]float64{"sex=f": 40, "sex=m": 40, "sex=x": 20, "area=u": 60, "area=r": 40}
	if diff := cmp.Diff(wantTot, got, approx); diff != "" {
		t.Errorf("achieved margins (-want +got):\n%s", diff)
	}
}

// TestRakeErrors covers the data problems Rake reports instead of
// returning NaN weights.
func TestRakeErrors(t *testing.T) {
	withArea := func(tot ...float64) []analysis.Margin {
		return []analysis.Margin{twoByTwoMargins[0], {Variable: "area", Levels: []string{"u", "r", "s"}[:len(tot)], Totals: tot}}
	}
	for _, tc := range []struct {
		name    string
		rows    []tinyRow
		margins []analysis.Margin
		want    []string // substrings of the error
	}{
		{"empty margin level", twoByTwo, withArea(50, 40, 10), []string{"area=s", "no respondents"}},
		{"level with respondents and zero total", twoByTwo, withArea(60, 0), []string{"area=r", "population total of 0"}},
		{"missing raking value", append([]tinyRow{{"", "u", 1, nil}}, twoByTwo...), twoByTwoMargins, []string{"sex", "missing in row 1", "r1"}},
		{"not a column", twoByTwo, []analysis.Margin{{Variable: "age", Levels: []string{"a"}, Totals: []float64{1}}}, []string{`"age"`, "not a single-choice column"}},
		{"zero design weight", append([]tinyRow{{"f", "u", 0, nil}}, twoByTwo...), twoByTwoMargins, []string{"design weight 0", "row 1"}},
		{"no margins", twoByTwo, nil, []string{"no raking variables"}},
		// sex and area are confounded (only f/u and m/r occur), so no
		// weights meet f 50 and u 60 at once; each sweep ends on the same
		// table, which meets area only.
		{"inconsistent margins", []tinyRow{{"f", "u", 1, nil}, {"m", "r", 1, nil}}, twoByTwoMargins, []string{"cannot all be met", "sex=f sums to 60, want 50"}},
		// m/u is empty, so u 50 = f/u and f 50 force f/r → 0: the solution
		// is on the boundary, and IPF approaches it like 1/sweeps.
		{"boundary solution", []tinyRow{{"f", "u", 1, nil}, {"f", "r", 1, nil}, {"m", "r", 1, nil}},
			[]analysis.Margin{twoByTwoMargins[0], {Variable: "area", Levels: []string{"u", "r"}, Totals: []float64{50, 50}}},
			[]string{"no convergence after 200 sweeps"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := analysis.Rake(tinyRakeSample(t, tc.rows), tc.margins, analysis.RakeOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestRakeDropsEmptyZeroLevel: a level with a zero total and no
// respondents is left out, as R's postStratify drops strata empty in both
// sample and population.
func TestRakeDropsEmptyZeroLevel(t *testing.T) {
	m := []analysis.Margin{twoByTwoMargins[0], {Variable: "area", Levels: []string{"u", "s", "r"}, Totals: []float64{60, 0, 40}}}
	r, err := analysis.Rake(tinyRakeSample(t, twoByTwo), m, analysis.RakeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(twoByTwoMargins, r.Margins()); diff != "" {
		t.Errorf("Margins() (-want +got):\n%s", diff)
	}
}

func TestReadMargins(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []analysis.Margin
		err      []string
	}{
		{name: "ok, order as first seen", in: "variable,level,pop_total\nsex,m,40\narea,u,60\nsex,f,60\narea,r,4e1\n",
			want: []analysis.Margin{
				{Variable: "sex", Levels: []string{"m", "f"}, Totals: []float64{40, 60}},
				{Variable: "area", Levels: []string{"u", "r"}, Totals: []float64{60, 40}},
			}},
		{name: "columns in another order", in: "pop_total,level,variable,note\n5,a,v,x\n",
			want: []analysis.Margin{{Variable: "v", Levels: []string{"a"}, Totals: []float64{5}}}},
		{name: "empty", in: "", err: []string{"empty input"}},
		{name: "no header", in: "sex,f,60\n", err: []string{"line 1", `no "variable" column`}},
		{name: "no rows", in: "variable,level,pop_total\n", err: []string{"no rows"}},
		{name: "bad number", in: "variable,level,pop_total\nsex,f,60\nsex,m,4O\n", err: []string{"line 3", `"4O"`, "not a number"}},
		{name: "negative", in: "variable,level,pop_total\nsex,f,-1\n", err: []string{"line 2", "sex=f", "non-negative"}},
		{name: "infinite", in: "variable,level,pop_total\nsex,f,Inf\n", err: []string{"line 2", "finite"}},
		{name: "duplicate level", in: "variable,level,pop_total\nsex,f,1\nsex,m,1\nsex,f,2\n", err: []string{"line 4", "sex=f given twice", "line 2"}},
		{name: "empty level", in: "variable,level,pop_total\nsex,,1\n", err: []string{"line 2", "empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := analysis.ReadMargins(strings.NewReader(tc.in))
			if tc.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, got %v", got)
			}
			for _, w := range tc.err {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// randomRakeSample is n rows with random sex (f, m and the unknown x),
// area (u, r, s) and answers to tea, and design weights in [0.8, 1.7).
func randomRakeSample(tb testing.TB, n int, seed uint64) (*analysis.Sample, []analysis.Margin) {
	rng := rand.New(rand.NewPCG(seed, 1))
	rows := make([]tinyRow, n)
	for i := range rows {
		ans := surveys.Answers{}
		if rng.Float64() < 0.6 {
			ans["tea_imp_safety"] = 1 + rng.IntN(5)
			if rng.Float64() < 0.8 {
				ans["tea_sat_price_value"] = 1 + rng.IntN(5)
			}
		}
		rows[i] = tinyRow{[]string{"f", "m", "x"}[min(rng.IntN(21)/10, 2)], []string{"u", "r", "s"}[rng.IntN(3)], 0.8 + 0.9*rng.Float64(), ans}
	}
	m := []analysis.Margin{
		{Variable: "sex", Levels: []string{"f", "m"}, Totals: []float64{520, 480}},
		{Variable: "area", Levels: []string{"u", "r", "s"}, Totals: []float64{500, 300, 200}},
	}
	return tinyRakeSample(tb, rows), m
}

// influence is the dense influence matrix of the available-case means of
// ids under weights w (README §4) and the same as an Influence.
func influence(s *analysis.Sample, ids []string, w []float64) (*mat.Dense, *analysis.Influence) {
	n, k := s.Len(), len(ids)
	z := mat.NewDense(n, k, nil)
	for a, id := range ids {
		col := s.Scale(id)
		var sw, swy float64
		for i := range n {
			if y, ok := col.Value(i); ok {
				sw += w[i]
				swy += w[i] * float64(y)
			}
		}
		for i := range n {
			if y, ok := col.Value(i); ok {
				z.Set(i, a, w[i]*(float64(y)-swy/sw)/sw)
			}
		}
	}
	inf := &analysis.Influence{N: n, K: k}
	for i := range n {
		inf.Rows = append(inf.Rows, int32(i))
		inf.Z = append(inf.Z, z.RawRowView(i)...)
	}
	return z, inf
}

// centredCrossprod is N/(N−1)·(x − x̄)ᵀ(x − x̄).
func centredCrossprod(x *mat.Dense) *mat.Dense {
	n, k := x.Dims()
	c := mat.DenseCopyOf(x)
	for a := range k {
		col := mat.Col(nil, a, c)
		var m float64
		for _, v := range col {
			m += v / float64(n)
		}
		for i := range n {
			c.Set(i, a, c.At(i, a)-m)
		}
	}
	var out mat.Dense
	out.Mul(c.T(), c)
	out.Scale(float64(n)/float64(n-1), &out)
	return &out
}

// TestRakeCovLiteral checks the cell-based covariances against literal
// row-by-row transcriptions of R survey 4.1.1's svyrecvar: the raking
// branch, 10 × for each margin  x <- x - psw*apply(x/psw, 2, ave, margin),
// and the greg_calibration branch, qr.resid(qr(X*sqrt(d)), x/(g*sqrt(d)))*g*sqrt(d)
// with g = w/d, here as e = u − X b with b the d-weighted least-squares fit
// (gonum QR), both followed by N/(N−1)·crossprod of the centred x.
func TestRakeCovLiteral(t *testing.T) {
	s, m := randomRakeSample(t, 400, 7)
	r, err := analysis.Rake(s, m, analysis.RakeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w := r.Weights()
	n := s.Len()
	z, inf := influence(s, []string{"tea_imp_safety", "tea_sat_price_value"}, w)
	_, k := z.Dims()
	levels := make([][]string, len(r.Margins()))
	for j, mg := range r.Margins() {
		col := s.Choice(mg.Variable)
		for i := range n {
			levels[j] = append(levels[j], col.Level(i))
		}
	}

	x := mat.DenseCopyOf(z)
	for range 10 {
		for j := range r.Margins() {
			sum, cnt := map[string][]float64{}, map[string]float64{}
			for i := range n {
				l := levels[j][i]
				if sum[l] == nil {
					sum[l] = make([]float64, k)
				}
				for a := range k {
					sum[l][a] += x.At(i, a) / w[i]
				}
				cnt[l]++
			}
			for i := range n {
				for a := range k {
					x.Set(i, a, x.At(i, a)-w[i]*sum[levels[j][i]][a]/cnt[levels[j][i]])
				}
			}
		}
	}
	compareCov(t, "rake", r.Design().Cov(inf), centredCrossprod(x))

	compareCov(t, "cal", r.CalibrationDesign().Cov(inf), literalGREG(t, s, r, z, nil))
}

// literalGREG is svyrecvar's greg_calibration branch transcribed row by
// row: X = intercept + treatment dummies of Margins (leaving out the
// dummies for which skip is true), b the d-weighted least-squares fit of
// u = z/w on X (gonum QR on √d X), x = w·(u − X b), and N/(N−1)·crossprod
// of the centred x.
func literalGREG(t *testing.T, s *analysis.Sample, r *analysis.Raking, z *mat.Dense, skip func(v, level string) bool) *mat.Dense {
	t.Helper()
	w, d := r.Weights(), s.DesignWeight
	n, k := z.Dims()
	cols := []func(i int) float64{func(int) float64 { return 1 }}
	for _, mg := range r.Margins() {
		col := s.Choice(mg.Variable)
		for _, lv := range mg.Levels[1:] {
			if skip != nil && skip(mg.Variable, lv) {
				continue
			}
			cols = append(cols, func(i int) float64 {
				if col.Level(i) == lv {
					return 1
				}
				return 0
			})
		}
	}
	xs := mat.NewDense(n, len(cols), nil)
	us := mat.NewDense(n, k, nil)
	for i := range n {
		for c, f := range cols {
			xs.Set(i, c, math.Sqrt(d[i])*f(i))
		}
		for a := range k {
			us.Set(i, a, math.Sqrt(d[i])*z.At(i, a)/w[i])
		}
	}
	var qr mat.QR
	qr.Factorize(xs)
	var b, fit mat.Dense
	if err := qr.SolveTo(&b, false, us); err != nil {
		t.Fatal(err)
	}
	fit.Mul(xs, &b)
	e := mat.NewDense(n, k, nil)
	for i := range n {
		for a := range k {
			// x = g√d·(√d u − √d X b) = w·(u − X b)
			e.Set(i, a, w[i]/math.Sqrt(d[i])*(us.At(i, a)-fit.At(i, a)))
		}
	}
	return centredCrossprod(e)
}

// TestCalibrationAliasedLevel: when every sex=x respondent lives in area s
// and nobody else does, the dummies of x and s are the same column and
// XᵀDX is singular. The GREG residual is still the projection on the
// column space of X (R's qr.resid pivots the aliased column out), so it
// must equal the fit without the s dummy.
func TestCalibrationAliasedLevel(t *testing.T) {
	s0, _ := randomRakeSample(t, 300, 11)
	rows := make([]tinyRow, s0.Len())
	for i := range rows {
		sex, area := s0.Choice("sex").Level(i), s0.Choice("area").Level(i)
		if sex == "x" {
			area = "s"
		} else if area == "s" {
			area = "u"
		}
		ans := surveys.Answers{}
		if y, ok := s0.Scale("tea_imp_safety").Value(i); ok {
			ans["tea_imp_safety"] = y
		}
		rows[i] = tinyRow{sex, area, s0.DesignWeight[i], ans}
	}
	s := tinyRakeSample(t, rows)
	m := []analysis.Margin{
		{Variable: "sex", Levels: []string{"f", "m"}, Totals: []float64{520, 480}},
		{Variable: "area", Levels: []string{"u", "r"}, Totals: []float64{600, 400}},
	}
	r, err := analysis.Rake(s, m, analysis.RakeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Margins()[1].Levels; !slices.Equal(got, []string{"u", "r", "s"}) {
		t.Fatalf("area levels %v, want [u r s]", got)
	}
	z, inf := influence(s, []string{"tea_imp_safety"}, r.Weights())
	want := literalGREG(t, s, r, z, func(v, lv string) bool { return v == "area" && lv == "s" })
	compareCov(t, "cal", r.CalibrationDesign().Cov(inf), want)
}

func compareCov(t *testing.T, name string, got *mat.SymDense, want *mat.Dense) {
	t.Helper()
	k, _ := want.Dims()
	for a := range k {
		for b := range k {
			g, w := got.At(a, b), want.At(a, b)
			if d := math.Abs(g-w) / math.Abs(w); !(d < 1e-12) {
				t.Errorf("%s Cov[%d,%d] = %.17g, want %.17g (literal transcription; rel diff %.2g)", name, a, b, g, w, d)
			}
		}
	}
}

// Rake four respondents to sex and area totals. Nobody is m/u, so the
// 500 of u all go to the two f/u respondents, the rest of f (100) to f/r,
// and the 400 of m to m/r, which brings r to 500 as well. A level of the
// sample that the margins lacked would keep its design-weighted share.
func ExampleRake() {
	d, err := surveys.Parse([]byte(tinyYAML))
	if err != nil {
		panic(err)
	}
	s := analysis.NewSample(d, "sex", "area")
	for i, r := range [][2]string{{"f", "u"}, {"f", "u"}, {"f", "r"}, {"m", "r"}} {
		s.Add(nil, 1, fmt.Sprint("r", i+1), map[string]string{"sex": r[0], "area": r[1]})
	}
	margins, err := analysis.ReadMargins(strings.NewReader(`variable,level,pop_total
sex,f,600
sex,m,400
area,u,500
area,r,500
`))
	if err != nil {
		panic(err)
	}
	r, err := analysis.Rake(s, margins, analysis.RakeOptions{})
	if err != nil {
		panic(err)
	}
	for i, w := range r.Weights() {
		fmt.Printf("%s %s/%s %.1f\n", s.Codes[i], s.Choice("sex").Level(i), s.Choice("area").Level(i), w)
	}
	// Output:
	// r1 f/u 250.0
	// r2 f/u 250.0
	// r3 f/r 100.0
	// r4 m/r 400.0
}

// syntheticSample is n rows of the demo survey with seeded random raking
// levels (plus the unknown gender=prefer_not and region_type=unsure),
// design weights, and answers to each of the categories cats from one
// respondent in three.
func syntheticSample(tb testing.TB, n int, cats ...string) *analysis.Sample {
	tb.Helper()
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		tb.Fatal(err)
	}
	pop := demoMargins(tb)
	rng := rand.New(rand.NewPCG(20240917, 2))
	s := analysis.NewSample(d)
	ans := surveys.Answers{}
	pick := func(m analysis.Margin, extra string, pExtra float64) string {
		if extra != "" && rng.Float64() < pExtra {
			return extra
		}
		return m.Levels[rng.IntN(len(m.Levels))]
	}
	for i := range n {
		clear(ans)
		ans["age_band"] = pick(pop[0], "", 0)
		ans["gender"] = pick(pop[1], "prefer_not", 0.02)
		ans["region_type"] = pick(pop[2], "unsure", 0.015)
		ans["province"] = pick(pop[3], "", 0)
		for _, code := range cats {
			if rng.IntN(3) != 0 {
				continue
			}
			c := d.Category(code)
			for _, ind := range c.Indicators {
				ans[surveys.ImportanceID(c.Code, ind.Code)] = 1 + rng.IntN(5)
				if rng.Float64() < 0.97 {
					ans[surveys.SatisfactionID(c.Code, ind.Code)] = 1 + rng.IntN(5)
				}
			}
			ans[surveys.OverallID(c.Code)] = rng.IntN(11)
			ans[surveys.RecommendID(c.Code)] = rng.IntN(11)
		}
		s.Add(ans, []float64{0.8, 1, 1.35, 1.6875}[rng.IntN(4)], fmt.Sprint(i), nil)
	}
	return s
}

func demoMargins(tb testing.TB) []analysis.Margin {
	f, err := os.Open(filepath.Join("testdata", "margins.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	pop, err := analysis.ReadMargins(f)
	if err != nil {
		tb.Fatal(err)
	}
	return pop
}

// BenchmarkRake rakes a synthetic 1,000,000-row sample to the demo margins
// (4 variables, 45 levels) and estimates the 16 food means under the raked
// design (one JointMeans). It reports rows/s, rake-ms/op (Rake alone), and
// x-baseline: its time divided by that of the same JointMeans under the
// design weights, timed in the same run.
func BenchmarkRake(b *testing.B) {
	const n = 1_000_000
	s := syntheticSample(b, n, "food")
	pop := demoMargins(b)
	vars := benchFoodVars(s)
	start := time.Now()
	baseRuns := 0
	for time.Since(start) < 500*time.Millisecond {
		analysis.JointMeans(s, analysis.BaseWeightDesign(s), vars)
		baseRuns++
	}
	base := time.Since(start).Seconds() / float64(baseRuns)
	var r *analysis.Raking
	var raking time.Duration
	for b.Loop() {
		t0 := time.Now()
		var err error
		r, err = analysis.Rake(s, pop, analysis.RakeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		raking += time.Since(t0)
		analysis.JointMeans(s, r.Design(), vars)
	}
	per := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(n/per, "rows/s")
	b.ReportMetric(n/base, "baseline-rows/s")
	b.ReportMetric(per/base, "x-baseline")
	b.ReportMetric(raking.Seconds()*1e3/float64(b.N), "rake-ms/op")
	b.ReportMetric(float64(r.Iterations), "sweeps")
}

func benchFoodVars(s *analysis.Sample) []analysis.Var {
	c := s.Def.Category("food")
	var ids []string
	for _, ind := range c.Indicators {
		ids = append(ids, surveys.ImportanceID(c.Code, ind.Code))
	}
	for _, ind := range c.Indicators {
		ids = append(ids, surveys.SatisfactionID(c.Code, ind.Code))
	}
	ids = append(ids, surveys.OverallID(c.Code), surveys.RecommendID(c.Code))
	vars := make([]analysis.Var, len(ids))
	for a, id := range ids {
		vars[a] = analysis.Var{Name: id, Col: s.Scale(id)}
	}
	return vars
}

// BenchmarkWeightingTables is this file's whole share of an analysis of
// 1,000,000 responses (each of the 7 categories rated by one in three):
// Rake, then the means, validate, weights, rake_check, weights_summary and
// margins_used tables.
func BenchmarkWeightingTables(b *testing.B) {
	const n = 1_000_000
	s := syntheticSample(b, n, "food", "drugs", "infant_products", "child_student_products", "elderly_products", "home_appliances", "online_shopping")
	pop := demoMargins(b)
	for b.Loop() {
		r, err := analysis.Rake(s, pop, analysis.RakeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		unw, dw := analysis.UnweightedDesign(s), analysis.BaseWeightDesign(s)
		analysis.MeansTable(s, unw, dw, r.Design(), r.CalibrationDesign())
		analysis.ValidateTable(s, dw, r.Design(), r.CalibrationDesign())
		analysis.WeightsTable(s, r)
		analysis.RakeCheckTable(s, r)
		analysis.WeightsSummaryTable(s, r)
		analysis.MarginsUsedTable(r)
	}
	b.ReportMetric(n*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
