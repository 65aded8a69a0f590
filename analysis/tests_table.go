package analysis

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/qvoice/qvoice/surveys"
)

// Fields and levels the tests table compares (oracle.R, section "tests").
const (
	regionField = "region_type"
	ageField    = "age_band"
)

// testRegions are the region_type levels compared, in table order; "unsure"
// and a missing region are left out.
var testRegions = [...]string{"urban_core", "urban_rural_fringe", "county_town", "rural_village"}

// olderBands are the age_band levels of the 60+ group (老年人, 老年人权益保障法
// Art. 2); every other row, a missing age included, is "the rest".
var olderBands = [...]string{"60_69", "70_plus"}

// testsPColumns are the p-value columns that get Holm and BH adjustments.
var testsPColumns = [...]string{"anova_p", "welch_anova_p", "kw_p", "welch_p_urban_rural",
	"chisq_p", "welch_p_60plus", "svyttest_p_rake"}

// TestsTable compares satisfaction across groups for every indicator of
// every category, in definition order: the table tests.csv of the oracle
// (oracle.R, section "tests"; ../shared/oracle/README.md §4). For each
// satisfaction field, over the rows that answered it:
//
//   - across the four region types (urban_core, urban_rural_fringe,
//     county_town, rural_village; unsure and missing left out; n counts
//     these rows): OneWayANOVA (anova_*), WelchANOVA (welch_anova_*),
//     KruskalWallis (kw_*), and ChiSquareIndependence of region × answer
//     after dropping answers nobody gave (chisq_*);
//   - WelchTTest of urban_core against rural_village (welch_*_urban_rural,
//     diff_urban_minus_rural);
//   - WelchTTest of the 60+ (age_band 60_69 or 70_plus) against all other
//     rows, missing age included (welch_*_60plus, diff_60plus_minus_rest);
//   - DesignTTest of rural_village against urban_core under the design
//     rake (svyttest_*_rake), R's svyttest(y ~ I(region_type ==
//     "rural_village"), subset(rake, urban_core or rural_village)), so the
//     difference is rural − urban. With a nil rake these four columns are NA.
//
// Then each p-value column gets HolmAdjust and BHAdjust over its family of
// all category × indicator tests (<col>_holm, <col>_bh). A test that the
// data cannot support (a group with fewer than two answers, no variance)
// leaves NA cells; it is not an error. The error is for a sample without
// region_type or age_band columns, or without a satisfaction field the
// definition lists. TestsTable panics if rake's weights do not have one
// value per row of s.
func TestsTable(s *Sample, rake Design) (*Table, error) {
	region, age := s.Choice(regionField), s.Choice(ageField)
	if region == nil || age == nil {
		return nil, fmt.Errorf("analysis: tests table: the sample has no %s or %s column", regionField, ageField)
	}
	if rake != nil && len(rake.Weights()) != s.Len() {
		panic(fmt.Sprintf("analysis: design %s has %d weights for %d rows", rake.Name(), len(rake.Weights()), s.Len()))
	}
	reg, older := testGroups(region, age)
	var urban, rural []bool
	if rake != nil {
		urban, rural = make([]bool, s.Len()), make([]bool, s.Len())
		for i, g := range reg {
			urban[i], rural[i] = g == 0, int(g) == len(testRegions)-1
		}
	}
	var rows []testsRow
	for _, c := range s.Def.Categories {
		for _, ind := range c.Indicators {
			id := surveys.SatisfactionID(c.Code, ind.Code)
			col := s.Scale(id)
			if col == nil {
				return nil, fmt.Errorf("analysis: tests table: no scale column %s", id)
			}
			r := testsRow{cat: c.Code, ind: ind.Code, id: id, svy: htNaNT()}
			r.classical(col, reg, older)
			if rake != nil {
				r.svy = htOrNaN(DesignTTest(col, rural, urban, rake))
			}
			rows = append(rows, r)
		}
	}
	return testsTableOf(rows), nil
}

// testGroups codes each row's region (0..3 in testRegions order, −1 for
// the others) and whether it is 60+.
func testGroups(region, age *ChoiceColumn) ([]int8, []bool) {
	var code [len(testRegions)]uint16
	for k, l := range testRegions {
		code[k] = region.LevelIndex(l)
	}
	reg := make([]int8, len(region.Codes))
	for i, c := range region.Codes {
		reg[i] = -1
		for k, ck := range code {
			if c != 0 && c == ck {
				reg[i] = int8(k)
			}
		}
	}
	var old [len(olderBands)]uint16
	for k, l := range olderBands {
		old[k] = age.LevelIndex(l)
	}
	older := make([]bool, len(age.Codes))
	for i, c := range age.Codes {
		older[i] = c != 0 && (c == old[0] || c == old[1])
	}
	return reg, older
}

// testsRow holds the results for one satisfaction field; a test that
// failed holds NaNs.
type testsRow struct {
	cat, ind, id string
	n            int
	anova, welch ANOVAResult
	kw           KruskalWallisResult
	urbanRural   TTestResult
	chi          ChiSquareResult
	older        TTestResult
	svy          TTestResult
}

// classical runs the tests on plain answers. The answers are integer
// scale points, so each group is a vector of counts per point and every
// statistic is formed from those counts: group means and sums of squares
// about them, and midranks for the rank test.
func (r *testsRow) classical(col *ScaleColumn, reg []int8, older []bool) {
	width := col.Hi - col.Lo + 1
	byRegion := make([][]float64, len(testRegions))
	for g := range byRegion {
		byRegion[g] = make([]float64, width)
	}
	byAge := [2][]float64{make([]float64, width), make([]float64, width)} // 60+, rest
	for i, v := range col.Values {
		if v == Missing {
			continue
		}
		k := int(v) - col.Lo
		if g := reg[i]; g >= 0 {
			byRegion[g][k]++
			r.n++
		}
		if older[i] {
			byAge[0][k]++
		} else {
			byAge[1][k]++
		}
	}
	var present [][]float64 // regions with answers, as droplevels keeps them
	stats := make([]htGroup, len(testRegions))
	var kept []htGroup
	for g, c := range byRegion {
		stats[g] = htCountGroup(c, col.Lo)
		if stats[g].n > 0 {
			present = append(present, c)
			kept = append(kept, stats[g])
		}
	}
	r.anova = htOrNaN(anovaCounts(kept))
	r.welch = htOrNaN(welchANOVACounts(kept))
	r.kw = htOrNaN(kruskalCounts(present))
	r.chi = htOrNaN(chiSquareCounts(present))
	r.urbanRural = htOrNaN(htWelchT(stats[0], stats[len(testRegions)-1]))
	r.older = htOrNaN(htWelchT(htCountGroup(byAge[0], col.Lo), htCountGroup(byAge[1], col.Lo)))
}

// htCountGroup is the htGroup of a sample given as counts of the values
// lo, lo+1, …: n = Σc, ȳ = Σ c·y / n, and Σ c·(y − ȳ)².
func htCountGroup(counts []float64, lo int) htGroup {
	var g htGroup
	for k, c := range counts {
		g.n += c
		g.mean += c * float64(lo+k)
	}
	if g.n == 0 {
		return htGroup{}
	}
	g.mean /= g.n
	for k, c := range counts {
		d := float64(lo+k) - g.mean
		g.ss += c * d * d
	}
	return g
}

func anovaCounts(gs []htGroup) (ANOVAResult, error) {
	if err := htCheckCounts(gs); err != nil {
		return ANOVAResult{}, err
	}
	return htANOVA(gs)
}

func welchANOVACounts(gs []htGroup) (ANOVAResult, error) {
	if err := htCheckCounts(gs); err != nil {
		return ANOVAResult{}, err
	}
	for _, g := range gs {
		if g.ss == 0 {
			return ANOVAResult{}, fmt.Errorf("%w: a region's answers are all equal", ErrNoVariance)
		}
	}
	return htWelchANOVA(gs), nil
}

func htCheckCounts(gs []htGroup) error {
	labels := make([]int, len(gs))
	for k := range labels {
		labels[k] = k
	}
	return htCheck(gs, labels, 2)
}

// kruskalCounts is KruskalWallis from per-group counts of each value: the
// value v, given by t_v answers in all, has the midrank
// (answers below v) + (t_v + 1)/2.
func kruskalCounts(counts [][]float64) (KruskalWallisResult, error) {
	if len(counts) < 2 {
		return KruskalWallisResult{}, fmt.Errorf("%w: %d group(s), need at least 2", ErrTooFew, len(counts))
	}
	ns := make([]float64, len(counts))
	rankSum := make([]float64, len(counts))
	var below, ties float64
	for k := range counts[0] {
		var t float64
		for _, c := range counts {
			t += c[k]
		}
		mid := below + (t+1)/2
		for g, c := range counts {
			ns[g] += c[k]
			rankSum[g] += c[k] * mid
		}
		ties += t*t*t - t
		below += t
	}
	return htKruskal(ns, rankSum, ties)
}

// chiSquareCounts is ChiSquareIndependence of group × value, after
// dropping the values no group has (R: tab[, colSums(tab) > 0]).
func chiSquareCounts(counts [][]float64) (ChiSquareResult, error) {
	if len(counts) == 0 {
		return ChiSquareResult{}, fmt.Errorf("%w: no answers", ErrTable)
	}
	var cols []int
	for k := range counts[0] {
		for _, c := range counts {
			if c[k] > 0 {
				cols = append(cols, k)
				break
			}
		}
	}
	if len(cols) == 0 {
		return ChiSquareResult{}, fmt.Errorf("%w: no answers", ErrTable)
	}
	m := mat.NewDense(len(counts), len(cols), nil)
	for g, c := range counts {
		for j, k := range cols {
			m.Set(g, j, c[k])
		}
	}
	return ChiSquareIndependence(m)
}

// htOrNaN replaces the result of a failed test by NaNs.
func htOrNaN[R ANOVAResult | KruskalWallisResult | TTestResult | ChiSquareResult](r R, err error) R {
	if err == nil {
		return r
	}
	nan := math.NaN()
	switch p := any(&r).(type) {
	case *ANOVAResult:
		*p = ANOVAResult{nan, nan, nan, nan}
	case *KruskalWallisResult:
		*p = KruskalWallisResult{nan, nan, nan}
	case *TTestResult:
		*p = htNaNT()
	case *ChiSquareResult:
		*p = ChiSquareResult{nan, nan, nan, nan}
	}
	return r
}

func htNaNT() TTestResult {
	nan := math.NaN()
	return TTestResult{nan, nan, nan, nan}
}

// DesignTTest is the design-based t-test of R survey's svyttest(y ~ g,
// subset(d, A | B)) with g = 1 in A: it compares the d-weighted means of y
// in two disjoint domains A and B (rows with inA or inB true) over the rows
// that answered y. With the weights w of d, W_A = Σ_{A∩D} w and
// ȳ_A = Σ_{A∩D} w y / W_A (likewise for B):
//
//	Diff = ȳ_A − ȳ_B   (svyglm's coefficient of g)
//	z_i  = w_i (y_i − ȳ_A)/W_A for i ∈ A∩D,  −w_i (y_i − ȳ_B)/W_B for i ∈ B∩D,  0 elsewhere
//	T    = Diff / √(d.Cov(z)),   DF = n_A + n_B − 2,   P = 2·P(t_DF > |T|).
//
// z is the coefficient's row of svyglm's estimating functions times
// (XᵀWX)⁻¹, so d.Cov(z) is svyglm's sandwich variance under d, raking or
// calibration projection included; it keeps the whole sample, as survey
// keeps a calibrated design's rows outside the subset with weight zero. n_A
// and n_B count the answering rows of non-zero weight, and DF is svyttest's
// degf(subset design) − 1. Each domain needs two such rows. DesignTTest
// panics if inA, inB or d's weights do not have one value per row of y.
func DesignTTest(y *ScaleColumn, inA, inB []bool, d Design) (TTestResult, error) {
	w := d.Weights()
	if len(inA) != len(y.Values) || len(inB) != len(y.Values) || len(w) != len(y.Values) {
		panic("analysis: DesignTTest with masks or weights of the wrong length")
	}
	var sw, swy, n [2]float64
	side := func(i int) int {
		switch {
		case y.Values[i] == Missing:
			return -1
		case inA[i]:
			return 0
		case inB[i]:
			return 1
		}
		return -1
	}
	for i, v := range y.Values {
		if k := side(i); k >= 0 {
			sw[k] += w[i]
			swy[k] += w[i] * float64(v)
			if w[i] != 0 {
				n[k]++
			}
		}
	}
	if n[0] < 2 || n[1] < 2 {
		return TTestResult{}, fmt.Errorf("%w: domains of %g and %g answers, need 2 each", ErrTooFew, n[0], n[1])
	}
	mean := [2]float64{swy[0] / sw[0], swy[1] / sw[1]}
	sign := [2]float64{1, -1}
	z := &Influence{N: len(w), K: 1}
	for i, v := range y.Values {
		if k := side(i); k >= 0 {
			z.Rows = append(z.Rows, int32(i))
			z.Z = append(z.Z, sign[k]*w[i]*(float64(v)-mean[k])/sw[k])
		}
	}
	se := math.Sqrt(d.Cov(z).At(0, 0))
	if se == 0 || math.IsNaN(se) {
		return TTestResult{}, fmt.Errorf("%w: the difference has no variance", ErrNoVariance)
	}
	r := TTestResult{Diff: mean[0] - mean[1], DF: n[0] + n[1] - 2}
	r.T = r.Diff / se
	r.P = htTwoSidedT(r.T, r.DF)
	return r, nil
}

// testsColumns are the columns of tests.csv before the adjusted p-values.
var testsColumns = []string{"category", "indicator", "variable", "n",
	"anova_F", "anova_df1", "anova_df2", "anova_p",
	"welch_anova_F", "welch_anova_df1", "welch_anova_df2", "welch_anova_p",
	"kw_H", "kw_df", "kw_p",
	"welch_t_urban_rural", "welch_df_urban_rural", "welch_p_urban_rural", "diff_urban_minus_rural",
	"chisq", "chisq_df", "chisq_p", "chisq_min_expected",
	"welch_t_60plus", "welch_df_60plus", "welch_p_60plus", "diff_60plus_minus_rest",
	"svyttest_t_rake", "svyttest_df_rake", "svyttest_p_rake", "svyttest_diff_rake"}

// testsTableOf lays the rows out as tests.csv and appends the Holm and BH
// adjustment of each p-value column.
func testsTableOf(rows []testsRow) *Table {
	t := &Table{Name: "tests", Columns: slices.Clone(testsColumns)}
	for _, c := range testsPColumns {
		t.Columns = append(t.Columns, c+"_holm", c+"_bh")
	}
	ps := make([][]float64, len(testsPColumns))
	for _, r := range rows {
		p := [...]float64{r.anova.P, r.welch.P, r.kw.P, r.urbanRural.P, r.chi.P, r.older.P, r.svy.P}
		for k := range ps {
			ps[k] = append(ps[k], p[k])
		}
	}
	adj := make([][]float64, 0, 2*len(ps))
	for _, p := range ps {
		adj = append(adj, HolmAdjust(p), BHAdjust(p))
	}
	for i, r := range rows {
		row := []any{r.cat, r.ind, r.id, r.n,
			r.anova.F, r.anova.DF1, r.anova.DF2, r.anova.P,
			r.welch.F, r.welch.DF1, r.welch.DF2, r.welch.P,
			r.kw.H, r.kw.DF, r.kw.P,
			r.urbanRural.T, r.urbanRural.DF, r.urbanRural.P, r.urbanRural.Diff,
			r.chi.Stat, r.chi.DF, r.chi.P, r.chi.MinExpected,
			r.older.T, r.older.DF, r.older.P, r.older.Diff,
			r.svy.T, r.svy.DF, r.svy.P, r.svy.Diff}
		for _, a := range adj {
			row = append(row, a[i])
		}
		t.Append(row...)
	}
	return t
}
