package analysis_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// svycontrastSource names the reference of indices.csv and priority.csv.
const svycontrastSource = "R 4.2.2 survey 4.1.1 svycontrast, ../shared/oracle/out_10k"

// tinyWeighted is tinyAnswers[:3] (see accum_test.go) with design weights
// 1, 1, 2, as a Sample.
func tinyWeighted(t *testing.T) *analysis.Sample {
	t.Helper()
	s := analysis.NewSample(tinyDefinition(t))
	for i, w := range []float64{1, 1, 2} {
		s.Add(tinyAnswers[i], w, fmt.Sprintf("r%d", i+1), nil)
	}
	return s
}

// TestIndicesHandComputed checks Indices on three weighted respondents
// (source: the exact arithmetic below, rechecked with Python fractions).
//
//	     w   imp a  imp b  sat a  sat b  overall  recommend
//	r1   1     5      3      2      4       6         9
//	r2   1     4      4      3     na       8         6
//	r3   2     3      5      4      5       7        10
//
// Weighted means (W = 4, and 3 for sat b): I_a = 15/4, I_b = 17/4,
// P_a = 13/4, P_b = 14/3. Σ = 8, w_a = 15/32, w_b = 17/32,
// π_a = 15/32·(5 − 13/4) = 105/128, π_b = 17/32·(1/3) = 17/96,
// S_a = 25·9/4 = 56.25, S_b = 25·11/3 = 275/3, Q = 28825/384.
//
// Influence z_i = w_i(y_i − ȳ)/W: I_a = u = (5, 1, −6)/16, I_b = P_a = −u,
// P_b = v = (−2/9, 0, 2/9). With N/(N−1) = 3/2: V(u) = 3/2·62/256 =
// 93/256, V(v) = 3/2·8/81 = 4/27, C(u, v) = 3/2·(−22/144) = −11/48.
//
// π_a: g = (∂I_a, ∂I_b, ∂P_a, ∂P_b) = ((17/4)/64·7/4, −(15/4)/64·7/4,
// −15/32, 0) = (119, −105, −480, 0)/1024; on u the coefficient is
// (119 + 105 + 480)/1024 = 11/16, so Var = 93/256·121/256 = 11253/65536.
// π_b: g = (−17/768, 15/768, 0, −17/32): coefficient −1/24 on u and −17/32
// on v, Var = 93/(256·576) − 2·(1/24)(17/32)(11/48) + (289/1024)(4/27) =
// (279 − 4488 + 18496)/442368 = 14287/442368.
// Q: g = ((S_a − Q)/8, (S_b − Q)/8, 25·15/32, 25·17/32): coefficient
// −775/48 on u and 425/32 on v, Var = 387724375/1769472.
// Overall: mean 7, z = (−1/4, 1/4, 0), Var = 3/16, SE100 = 10·√3/4.
// NPS: scores (100, −100, 100), mean 50, z = (12.5, −37.5, 25),
// Var = 3/2·2187.5. Top-2-box a: (0, 0, 1), mean 1/2, z = (−1, −1, 2)/8,
// Var = 9/64; b: (1, ·, 1), mean 1, SE 0.
func TestIndicesHandComputed(t *testing.T) {
	got := analysis.Indices(tinyWeighted(t), analysis.BaseWeightDesign(tinyWeighted(t)))
	z := 1.959963984540054 // qnorm(0.975)
	seA, seB := math.Sqrt(11253.0/65536), math.Sqrt(14287.0/442368)
	pA, pB := 105.0/128, 17.0/96
	want := &analysis.DesignIndices{Design: "dw", Categories: []analysis.CategoryIndices{{
		Category: "tea",
		Q:        28825.0 / 384, SEQ: math.Sqrt(387724375.0 / 1769472),
		Overall100: 70, SEOverall100: 10 * math.Sqrt(3) / 4,
		NPS: 50, SENPS: math.Sqrt(1.5 * 2187.5),
		NRaters: 3, NNPS: 3, ImpLo: 1, ImpHi: 5, SatLo: 1, SatHi: 5,
		Indicators: []analysis.IndicatorIndices{{
			Indicator: "safety", NI: 3, NP: 3,
			I: 15.0 / 4, SEI: math.Sqrt(93.0 / 256), P: 13.0 / 4, SEP: math.Sqrt(93.0 / 256),
			W: 15.0 / 32, S100: 56.25,
			Priority: pA, SEPriority: seA, CILow: pA - z*seA, CIHigh: pA + z*seA,
			Priority100: 25 * pA, SEPriority100: 25 * seA,
			Top2Box: 0.5, SETop2Box: 3.0 / 8,
			RankInCategory: 1, RankOverall: 1,
		}, {
			Indicator: "price_value", NI: 3, NP: 2,
			I: 17.0 / 4, SEI: math.Sqrt(93.0 / 256), P: 14.0 / 3, SEP: math.Sqrt(4.0 / 27),
			W: 17.0 / 32, S100: 275.0 / 3,
			Priority: pB, SEPriority: seB, CILow: pB - z*seB, CIHigh: pB + z*seB,
			Priority100: 25 * pB, SEPriority100: 25 * seB,
			Top2Box: 1, SETop2Box: 0,
			RankInCategory: 2, RankOverall: 2,
		}},
	}}}
	opts := cmp.Options{cmpopts.EquateApprox(1e-13, 1e-15), cmpopts.EquateNaNs(),
		cmpopts.IgnoreFields(analysis.CategoryIndices{}, "Cov")}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("Indices mismatch (-want +got):\n%s", diff)
	}
	if w := got.Warnings(); w != nil {
		t.Errorf("Warnings() = %q, want none", w)
	}
}

// TestIndicesEmptyCategory: a category nobody rated is Empty, its
// estimates are NaN and NA in the tables, and Warnings says so.
func TestIndicesEmptyCategory(t *testing.T) {
	s := analysis.NewSample(tinyDefinition(t))
	s.Add(surveys.Answers{"comment": "nothing rated"}, 1, "r1", nil)
	s.Add(surveys.Answers{}, 1, "r2", nil)
	d := analysis.Indices(s, analysis.UnweightedDesign(s))
	c := d.Categories[0]
	if !c.Empty || c.NRaters != 0 || !math.IsNaN(c.Q) || !math.IsNaN(c.SEQ) || !math.IsNaN(c.Overall100) || !math.IsNaN(c.NPS) {
		t.Errorf("empty category = %+v, want Empty with NaN estimates", c)
	}
	for _, r := range c.Indicators {
		if !math.IsNaN(r.Priority) || !math.IsNaN(r.SEPriority) || r.RankInCategory != 0 || r.RankOverall != 0 {
			t.Errorf("indicator %s = %+v, want NaN priority and no rank", r.Indicator, r)
		}
	}
	if w := d.Warnings(); len(w) != 1 || !strings.Contains(w[0], "nobody rated category tea") {
		t.Errorf("Warnings() = %q, want one about tea", w)
	}
	var b strings.Builder
	if err := analysis.PriorityTable(d).WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	wantRow := "tea,unw,safety,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA\n"
	if lines := strings.SplitAfter(b.String(), "\n"); len(lines) < 2 || lines[1] != wantRow {
		t.Errorf("priority.csv = %q, want row %q", b.String(), wantRow)
	}
	b.Reset()
	if err := analysis.IndicesTable(d).WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if want := "tea,unw,NA,NA,NA,NA,NA,NA,0,0\n"; !strings.HasSuffix(b.String(), want) {
		t.Errorf("indices.csv = %q, want row %q", b.String(), want)
	}
}

// TestIndicesPartlyAnswered: an indicator nobody answered makes the
// category's weights and priorities NaN, as in R, and is reported.
func TestIndicesPartlyAnswered(t *testing.T) {
	s := analysis.NewSample(tinyDefinition(t))
	s.Add(surveys.Answers{"tea_imp_safety": 5, "tea_sat_safety": 3, "tea_sat_price_value": "na"}, 1, "r1", nil)
	s.Add(surveys.Answers{"tea_imp_safety": 4, "tea_sat_safety": 2}, 1, "r2", nil)
	d := analysis.Indices(s, analysis.UnweightedDesign(s))
	c := d.Categories[0]
	if c.Empty || c.Indicators[0].I != 4.5 || !math.IsNaN(c.Q) || !math.IsNaN(c.Indicators[0].Priority) {
		t.Errorf("category = %+v, want I_a = 4.5 and NaN Q and priorities", c)
	}
	if w := d.Warnings(); len(w) != 1 || !strings.Contains(w[0], "indicator price_value has 0 importance and 0 satisfaction answers") {
		t.Errorf("Warnings() = %q", w)
	}
}

// TestIndicesTiedRanks: equal priorities share the best rank, as
// frank(-priority, ties.method="min") does.
func TestIndicesTiedRanks(t *testing.T) {
	s := analysis.NewSample(tinyDefinition(t))
	for i, y := range []int{2, 3, 4} {
		s.Add(surveys.Answers{"tea_imp_safety": 4, "tea_imp_price_value": 4,
			"tea_sat_safety": y, "tea_sat_price_value": y}, 1, strconv.Itoa(i), nil)
	}
	d := analysis.Indices(s, analysis.UnweightedDesign(s))
	for _, r := range d.Categories[0].Indicators {
		if r.Priority != 1 || r.RankInCategory != 1 || r.RankOverall != 1 {
			t.Errorf("%s: priority %g, ranks %d, %d; want 1, 1, 1", r.Indicator, r.Priority, r.RankInCategory, r.RankOverall)
		}
	}
}

// TestIndicesMatchOracleTables checks every column of indices.csv and
// priority.csv for the designs unw, dw and rake (source:
// svycontrastSource; tolerance README §5, rel 1e-9).
func TestIndicesMatchOracleTables(t *testing.T) {
	s := loadSample10k(t)
	rake := rakedDesign10k(t, s)
	var ds []*analysis.DesignIndices
	for _, d := range []analysis.Design{analysis.UnweightedDesign(s), analysis.BaseWeightDesign(s), rake} {
		ix := analysis.Indices(s, d)
		if w := ix.Warnings(); w != nil {
			t.Errorf("%s: Warnings() = %q", d.Name(), w)
		}
		ds = append(ds, ix)
	}
	t.Run("indices", func(t *testing.T) {
		compareOracleTable(t, analysis.IndicesTable(ds...), "indices.csv", svycontrastSource, nil)
	})
	t.Run("priority", func(t *testing.T) {
		compareOracleTable(t, analysis.PriorityTable(ds...), "priority.csv", svycontrastSource, nil)
	})
}

// TestIndicesPlantedProblems checks that the raked priority ranking of the
// 10k data recovers the generator's planted weak spots (oracle README §3,
// methods.md §8; priority.csv design rake ranks them 1, 2, 3).
func TestIndicesPlantedProblems(t *testing.T) {
	s := loadSample10k(t)
	rake := rakedDesign10k(t, s)
	ix := analysis.Indices(s, rake)
	top := map[int]string{}
	for _, c := range ix.Categories {
		for _, r := range c.Indicators {
			if r.RankOverall <= 3 {
				top[r.RankOverall] = c.Category + "/" + r.Indicator
			}
		}
	}
	want := map[int]string{1: "elderly_products/instructions", 2: "elderly_products/advertising_truth", 3: "drugs/instructions"}
	if diff := cmp.Diff(want, top); diff != "" {
		t.Errorf("top 3 raked priorities (-want +got):\n%s", diff)
	}
}

// compareOracleTable checks got cell by cell against the oracle table
// file: the same columns in the same order, then the oracle rows for which
// keep is true (all if nil) in order. Numbers agree to oracleTol
// (relative); NA must be NA (nil or NaN). It logs the worst relative difference of each column (per
// design, if the table has a design column).
func compareOracleTable(t *testing.T, got *analysis.Table, file, source string,
	keep func(map[string]string) bool) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "oracle_10k", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if got.Name+".csv" != file {
		t.Errorf("table name %q, want %q", got.Name, strings.TrimSuffix(file, ".csv"))
	}
	if diff := cmp.Diff(recs[0], got.Columns); diff != "" {
		t.Fatalf("%s columns (-want +got):\n%s", file, diff)
	}
	var want []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		if keep == nil || keep(m) {
			want = append(want, m)
		}
	}
	if len(got.Rows) != len(want) {
		t.Fatalf("%s: %d rows, want %d", file, len(got.Rows), len(want))
	}
	c := newChecker(t)
	for r, row := range got.Rows {
		var key []string
		for i, v := range row {
			if s, ok := v.(string); ok && i < 3 {
				key = append(key, s)
			}
		}
		where := strings.Join(key, "/")
		for i, col := range got.Columns {
			w := want[r][col]
			q := col
			if d, ok := want[r]["design"]; ok {
				q = d + " " + col
			}
			compareCell(t, c, where, q, row[i], w, source)
		}
	}
	c.report()
}

// compareCell checks one cell of column q (a column name, or "design
// column") for compareOracleTable.
func compareCell(t *testing.T, c *checker, where, q string, got any, want, source string) {
	t.Helper()
	if want == "NA" {
		if x, ok := got.(float64); got != nil && !(ok && math.IsNaN(x)) {
			t.Errorf("%s %s = %v, want NA (%s)", where, q, got, source)
		}
		return
	}
	switch x := got.(type) {
	case float64:
		w, err := strconv.ParseFloat(want, 64)
		if err != nil {
			t.Fatalf("%s %s: oracle value %q: %v", where, q, want, err)
		}
		d := relDiff(x, w)
		if math.IsNaN(d) || d > c.tol {
			t.Errorf("%s %s = %.17g, want %.17g (%s; rel diff %.3g > %g)", where, q, x, w, source, d, c.tol)
		}
		c.worst[q] = max(c.worst[q], d)
	case int:
		if strconv.Itoa(x) != want {
			t.Errorf("%s %s = %d, want %s (%s)", where, q, x, want, source)
		}
	case string:
		if x != want {
			t.Errorf("%s %s = %q, want %q (%s)", where, q, x, want, source)
		}
	default:
		t.Errorf("%s %s = %v (%T), want %s (%s)", where, q, got, got, want, source)
	}
}

// ExampleIndices computes the category index and priorities of three
// weighted respondents (the case of TestIndicesHandComputed).
func ExampleIndices() {
	d, err := surveys.Parse([]byte(tinyYAML))
	if err != nil {
		panic(err)
	}
	s := analysis.NewSample(d)
	s.Add(surveys.Answers{"tea_imp_safety": 5, "tea_imp_price_value": 3, "tea_sat_safety": 2,
		"tea_sat_price_value": 4, "tea_overall_sat": 6, "tea_recommend": 9}, 1, "r1", nil)
	s.Add(surveys.Answers{"tea_imp_safety": 4, "tea_imp_price_value": 4, "tea_sat_safety": 3,
		"tea_sat_price_value": "na", "tea_overall_sat": 8, "tea_recommend": 6}, 1, "r2", nil)
	s.Add(surveys.Answers{"tea_imp_safety": 3, "tea_imp_price_value": 5, "tea_sat_safety": 4,
		"tea_sat_price_value": 5, "tea_overall_sat": 7, "tea_recommend": 10}, 2, "r3", nil)

	ix := analysis.Indices(s, analysis.BaseWeightDesign(s))
	c := ix.Categories[0]
	fmt.Printf("%s (%s): Q %.2f ± %.2f, overall %.0f/100, NPS %.0f\n", c.Category, ix.Design, c.Q, c.SEQ, c.Overall100, c.NPS)
	for _, r := range c.Indicators {
		fmt.Printf("%d. %-11s I=%.2f P=%.2f w=%.3f priority %.3f ± %.3f [%.3f, %.3f]\n",
			r.RankInCategory, r.Indicator, r.I, r.P, r.W, r.Priority, r.SEPriority, r.CILow, r.CIHigh)
	}
	// Output:
	// tea (dw): Q 75.07 ± 14.80, overall 70/100, NPS 50
	// 1. safety      I=3.75 P=3.25 w=0.469 priority 0.820 ± 0.414 [0.008, 1.632]
	// 2. price_value I=4.25 P=4.67 w=0.531 priority 0.177 ± 0.180 [-0.175, 0.529]
}

// rakedDesign10k is the raked design of the 10k sample s (loadRaking10k:
// testdata/margins.csv, control=list(maxit=200, epsilon=1e-12)).
func rakedDesign10k(t *testing.T, s *analysis.Sample) analysis.Design {
	t.Helper()
	rs, r := loadRaking10k(t)
	if rs != s {
		t.Fatal("rakedDesign10k: not the 10k sample")
	}
	return r.Design()
}
