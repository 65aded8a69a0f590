package analysis_test

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
	"gonum.org/v1/gonum/mat"
)

// relPValueTol is README §5's tolerance for p-values (different
// incomplete-beta code); statistics use oracleTol.
const relPValueTol = 1e-6

// relRakeWeights10k returns the oracle's raked weights (weights.csv
// wt_rake, R survey 4.1.1 rake) in the row order of s, matched on
// response_code.
func relRakeWeights10k(t *testing.T, s *analysis.Sample) []float64 {
	t.Helper()
	byCode := map[string]float64{}
	for _, r := range readOracle(t, "weights.csv") {
		w, err := strconv.ParseFloat(r["wt_rake"], 64)
		if err != nil {
			t.Fatalf("weights.csv %s: %v", r["response_code"], err)
		}
		byCode[r["response_code"]] = w
	}
	w := make([]float64, s.Len())
	for i, code := range s.Codes {
		v, ok := byCode[code]
		if !ok {
			t.Fatalf("weights.csv has no response %s", code)
		}
		w[i] = v
	}
	return w
}

// relCompareTable compares every column of got with the oracle table file
// except skip, matching rows on the key columns. Columns in pCols are
// p-values (tolerance relPValueTol), other numbers statistics (oracleTol);
// strings and integers must be equal, and NA must be NA (nil or NaN). It
// returns the worst relative difference of each numeric column.
func relCompareTable(t *testing.T, got *analysis.Table, file string, keys []string, skip, pCols map[string]bool) map[string]float64 {
	t.Helper()
	want := readOracle(t, file)
	if len(got.Rows) != len(want) {
		t.Fatalf("%s: %d rows, want %d (%s)", file, len(got.Rows), len(want), oracleSource)
	}
	col := map[string]int{}
	for j, c := range got.Columns {
		col[c] = j
	}
	worst := map[string]float64{}
	for i, w := range want {
		row := got.Rows[i]
		var where []string
		for _, k := range keys {
			where = append(where, w[k])
			if fmt.Sprint(row[col[k]]) != w[k] {
				t.Fatalf("%s row %d: %s = %v, want %s (row order, %s)", file, i, k, row[col[k]], w[k], oracleSource)
			}
		}
		for name, cell := range w {
			j, ok := col[name]
			if !ok {
				t.Errorf("%s: column %s missing", file, name)
				continue
			}
			if skip[name] {
				continue
			}
			tol := oracleTol
			if pCols[name] {
				tol = relPValueTol
			}
			if d, bad := relCompareCell(row[j], cell, tol); bad {
				t.Errorf("%s %s %s = %v, want %s (%s; rel diff %.3g > %g)", file, strings.Join(where, "/"), name, row[j], cell, oracleSource, d, tol)
			} else if d >= 0 {
				worst[name] = max(worst[name], d)
			}
		}
	}
	if len(got.Columns) != len(want[0]) {
		t.Errorf("%s: columns %v, want %d columns", file, got.Columns, len(want[0]))
	}
	names := make([]string, 0, len(worst))
	for n := range worst {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("%s: worst rel diff %-12s %.3g", file, n, worst[n])
	}
	return worst
}

// relCompareCell compares one cell; d is the relative difference of a
// number (−1 for other values).
func relCompareCell(got any, want string, tol float64) (d float64, bad bool) {
	switch g := got.(type) {
	case nil:
		return -1, want != "NA"
	case float64:
		if want == "NA" {
			return -1, !math.IsNaN(g)
		}
		w, err := strconv.ParseFloat(want, 64)
		if err != nil {
			return math.NaN(), true
		}
		d := relDiff(g, w)
		return d, math.IsNaN(d) || d > tol
	}
	return -1, fmt.Sprint(got) != want
}

// TestReliabilityMatchesOracle checks reliability.csv: alpha (R's var
// formula), alpha_std (R's cor), alpha_psych (psych::alpha raw_alpha) and
// alpha_rake (cov.wt with the raked weights). alpha_rake_svycralpha is NA
// in Go; its one oracle value (food/sat, survey::svycralpha) is checked
// against alpha_rake.
func TestReliabilityMatchesOracle(t *testing.T) {
	s := loadSample10k(t)
	tab, err := analysis.ReliabilityTable(s, relRakeWeights10k(t, s))
	if err != nil {
		t.Fatalf("ReliabilityTable: %v", err)
	}
	relCompareTable(t, tab, "reliability.csv", []string{"category", "scale"},
		map[string]bool{"alpha_rake_svycralpha": true}, nil)
	for _, w := range readOracle(t, "reliability.csv") {
		if w["alpha_rake_svycralpha"] == "NA" || w["alpha_rake_svycralpha"] == "" {
			continue
		}
		rs, _ := analysis.Reliability(s, relRakeWeights10k(t, s))
		for _, r := range rs {
			if r.Category == w["category"] && r.Scale == w["scale"] {
				c := newChecker(t)
				c.float(r.Category+"/"+r.Scale, "alpha_rake vs svycralpha", r.AlphaRake, w["alpha_rake_svycralpha"])
				c.report()
			}
		}
	}
}

// relHand is a 4-case, 3-item example computed by hand:
//
//	items  1 2 3 4 | 2 2 4 4 | 1 3 3 5    totals 4 7 10 13
//	s²_j = 5/3, 4/3, 8/3 (Σ = 17/3), s²_T = 15
//	α = 3/2·(1 − (17/3)/15) = 14/15
//	r_12 = 4/√20, r_13 = 6/√40, r_23 = 4/√32 (from the cross-products 4, 6, 4)
var relHand = mat.NewDense(4, 3, []float64{
	1, 2, 1,
	2, 2, 3,
	3, 4, 3,
	4, 4, 5,
})

func TestCronbachAlphaHandComputed(t *testing.T) {
	const tol = 1e-14
	if got, want := analysis.CronbachAlpha(relHand, nil), 14.0/15; math.Abs(got-want) > tol {
		t.Errorf("CronbachAlpha = %.17g, want 14/15 = %.17g (hand-computed)", got, want)
	}
	rbar := (4/math.Sqrt(20) + 6/math.Sqrt(40) + 4/math.Sqrt(32)) / 3
	if got, want := analysis.StandardizedAlpha(relHand), 3*rbar/(1+2*rbar); math.Abs(got-want) > tol {
		t.Errorf("StandardizedAlpha = %.17g, want 3r̄/(1+2r̄) = %.17g with r̄ = %.6f (hand-computed)", got, want, rbar)
	}
	// Weights are relative, and integer weights act like repeated rows:
	// weights 2,1,1,3 equal the unweighted α of the rows 1,1,2,3,4,4,4.
	rep := mat.NewDense(7, 3, nil)
	for i, src := range []int{0, 0, 1, 2, 3, 3, 3} {
		rep.SetRow(i, relHand.RawRowView(src))
	}
	want := analysis.CronbachAlpha(rep, nil)
	if math.Abs(want-19.0/20) > tol {
		t.Errorf("CronbachAlpha(rows 1,1,2,3,4,4,4) = %.17g, want 19/20 (exact rational arithmetic)", want)
	}
	for _, w := range [][]float64{{2, 1, 1, 3}, {0.2, 0.1, 0.1, 0.3}} {
		if got := analysis.CronbachAlpha(relHand, w); math.Abs(got-want) > tol {
			t.Errorf("CronbachAlpha(weights %v) = %.17g, want %.17g (the unweighted α of the repeated rows)", w, got, want)
		}
	}
	// Equal weights give the unweighted α (the n/(n−1) factor cancels).
	if got := analysis.CronbachAlpha(relHand, []float64{7, 7, 7, 7}); math.Abs(got-14.0/15) > tol {
		t.Errorf("CronbachAlpha(equal weights) = %.17g, want 14/15", got)
	}
}

func TestCronbachAlphaUndefined(t *testing.T) {
	for _, tc := range []struct {
		name           string
		x              *mat.Dense
		w              []float64
		alphaNaN, sNaN bool
	}{
		{"single case", mat.NewDense(1, 3, []float64{1, 2, 3}), nil, true, true},
		{"one item", mat.NewDense(3, 1, []float64{1, 2, 3}), nil, true, true},
		{"constant total", mat.NewDense(3, 2, []float64{1, 3, 2, 2, 3, 1}), nil, true, false},
		{"all constant", mat.NewDense(3, 2, []float64{2, 2, 2, 2, 2, 2}), nil, true, true},
		{"constant item", mat.NewDense(3, 2, []float64{1, 4, 2, 4, 3, 4}), nil, false, true},
		{"one positive weight", relHand, []float64{0, 0, 1, 0}, true, false},
		{"constant total, weighted", mat.NewDense(3, 2, []float64{0.1, 0.6, 0.3, 0.4, 0.2, 0.5}), []float64{0.1, 0.7, 0.3}, true, false},
		{"constant total of positive weight", mat.NewDense(3, 2, []float64{1, 3, 2, 2, 5, 5}), []float64{0.3, 0.3, 0}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if a := analysis.CronbachAlpha(tc.x, tc.w); math.IsNaN(a) != tc.alphaNaN {
				t.Errorf("CronbachAlpha = %v, want NaN: %v", a, tc.alphaNaN)
			}
			if a := analysis.StandardizedAlpha(tc.x); math.IsNaN(a) != tc.sNaN {
				t.Errorf("StandardizedAlpha = %v, want NaN: %v", a, tc.sNaN)
			}
		})
	}
	// A constant item leaves the raw α defined: items (1,2,3) and (4,4,4)
	// have s² = 1 and 0, the total (5,6,7) s² = 1, so α = 2·(1 − 1/1) = 0.
	if a := analysis.CronbachAlpha(mat.NewDense(3, 2, []float64{1, 4, 2, 4, 3, 4}), nil); a != 0 {
		t.Errorf("CronbachAlpha with a constant item = %v, want 0 (hand-computed)", a)
	}
}

// relDemoSample is a Sample of the demo survey with the answers given.
func relDemoSample(t *testing.T, answers ...surveys.Answers) *analysis.Sample {
	t.Helper()
	d, _ := load10k(t)
	s := analysis.NewSample(d)
	for i, a := range answers {
		s.Add(a, 1, fmt.Sprintf("T%03d", i), nil)
	}
	return s
}

// relFoodSat returns the answers of one respondent who gave the seven food
// satisfaction items the values v (0 leaves one unanswered).
func relFoodSat(t *testing.T, v ...int) surveys.Answers {
	d, _ := load10k(t)
	a := surveys.Answers{}
	for j, ind := range d.Category("food").Indicators {
		if v[j] != 0 {
			a[surveys.SatisfactionID("food", ind.Code)] = v[j]
		}
	}
	return a
}

func TestReliabilityTableErrors(t *testing.T) {
	t.Run("single respondent", func(t *testing.T) {
		s := relDemoSample(t, relFoodSat(t, 1, 2, 3, 4, 5, 4, 3))
		tab, err := analysis.ReliabilityTable(s, nil)
		if len(tab.Rows) != 14 {
			t.Fatalf("%d rows, want 14 (7 categories × sat, imp)", len(tab.Rows))
		}
		var ue *analysis.UndefinedError
		if !errors.As(err, &ue) || !errors.Is(err, analysis.ErrTooFewCases) {
			t.Fatalf("err = %v, want an *UndefinedError of ErrTooFewCases", err)
		}
		if !strings.Contains(err.Error(), "reliability food/sat: too few complete cases: 1 cases") {
			t.Errorf("err = %v, want it to name food/sat and its 1 complete case", err)
		}
		if got := tab.Rows[0]; got[0] != "food" || got[1] != "sat" || got[3] != 1 || got[4].(float64) == got[4].(float64) {
			t.Errorf("row 0 = %v, want food sat with n_complete 1 and alpha NaN (NA)", got)
		}
	})
	t.Run("constant item", func(t *testing.T) {
		s := relDemoSample(t,
			relFoodSat(t, 1, 2, 3, 4, 5, 4, 3),
			relFoodSat(t, 2, 2, 4, 4, 5, 4, 3),
			relFoodSat(t, 3, 2, 4, 5, 4, 4, 3),
			relFoodSat(t, 3, 2, 4, 5, 4, 0, 3)) // incomplete: not used
		rs, err := analysis.Reliability(s, []float64{1, 2, 1, 1})
		if !errors.Is(err, analysis.ErrConstant) || !strings.Contains(err.Error(), "food/sat") || !strings.Contains(err.Error(), "food_sat_freshness") {
			t.Errorf("err = %v, want ErrConstant naming food/sat and its constant item food_sat_freshness", err)
		}
		r := rs[0]
		if r.N != 3 || math.IsNaN(r.Alpha) || math.IsNaN(r.AlphaRake) || !math.IsNaN(r.AlphaStd) {
			t.Errorf("food/sat = %+v, want n 3, alpha and alpha_rake defined, alpha_std NaN", r)
		}
	})
}

// Cronbach's α of three items answered by four people (the numbers of
// TestCronbachAlphaHandComputed): α = 14/15.
func ExampleCronbachAlpha() {
	x := mat.NewDense(4, 3, []float64{
		1, 2, 1,
		2, 2, 3,
		3, 4, 3,
		4, 4, 5,
	})
	fmt.Printf("alpha %.4f, standardized %.4f\n", analysis.CronbachAlpha(x, nil), analysis.StandardizedAlpha(x))
	// With survey weights (only their ratios matter); integer weights act
	// like repeated rows, here α = 19/20 of the rows 1,1,2,3,4,4,4:
	fmt.Printf("weighted alpha %.4f\n", analysis.CronbachAlpha(x, []float64{2, 1, 1, 3}))
	// Output:
	// alpha 0.9333, standardized 0.9445
	// weighted alpha 0.9500
}
