package analysis_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/qvoice/qvoice/analysis"
)

// The reference tables of this file are the oracle's means, validate,
// margins_used, weights, rake_check and weights_summary, computed by R
// 4.2.2 with survey 4.1.1 (rake, calibrate(calfun="raking"), svymean) and
// copied from ../shared/oracle/out_10k into testdata/oracle_10k.
const rakeSource = "R 4.2.2 survey 4.1.1 rake/calibrate/svymean, ../shared/oracle/out_10k"

var raking10k struct {
	once sync.Once
	r    *analysis.Raking
	err  error
}

// loadRaking10k rakes the 10k sample to testdata/margins.csv with the
// oracle's control=list(maxit=200, epsilon=1e-12).
func loadRaking10k(tb testing.TB) (*analysis.Sample, *analysis.Raking) {
	tb.Helper()
	s := loadSample10k(tb)
	raking10k.once.Do(func() {
		f, err := os.Open(filepath.Join("testdata", "margins.csv"))
		if err != nil {
			raking10k.err = err
			return
		}
		defer f.Close()
		pop, err := analysis.ReadMargins(f)
		if err != nil {
			raking10k.err = err
			return
		}
		raking10k.r, raking10k.err = analysis.Rake(s, pop, analysis.RakeOptions{MaxIter: 200, Epsilon: 1e-12})
	})
	if raking10k.err != nil {
		tb.Fatalf("raking the 10k sample: %v", raking10k.err)
	}
	return s, raking10k.r
}

// tableCheck compares a Table cell by cell with an oracle CSV of the same
// columns and row order. Numbers must agree to oracleTol relative, except
// in the columns of abs, which hold rounding-level differences (such as
// validate's abs_diff_mean, or a max relative error of 1e-14) and are
// compared with that absolute tolerance, as compare.py's --abs does. Empty
// and NA cells are missing values and must be missing on both sides.
func tableCheck(t *testing.T, got *analysis.Table, keys []string, abs map[string]float64) {
	t.Helper()
	var buf bytes.Buffer
	if err := got.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	gotRecs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join("testdata", "oracle_10k", got.Name+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantRecs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotRecs[0], wantRecs[0]) {
		t.Fatalf("%s columns:\n got %q\nwant %q", got.Name, gotRecs[0], wantRecs[0])
	}
	if len(gotRecs) != len(wantRecs) {
		t.Fatalf("%s: %d rows, want %d (%s)", got.Name, len(gotRecs)-1, len(wantRecs)-1, rakeSource)
	}
	c := newChecker(t)
	worstAbs := map[string]float64{}
	for r := 1; r < len(wantRecs); r++ {
		g, w := gotRecs[r], wantRecs[r]
		var where []string
		for i, h := range wantRecs[0] {
			if slices.Contains(keys, h) {
				where = append(where, w[i])
				if g[i] != w[i] {
					t.Fatalf("%s row %d: %s = %q, want %q (%s)", got.Name, r, h, g[i], w[i], rakeSource)
				}
			}
		}
		at := got.Name + " " + strings.Join(where, "/")
		for i, h := range wantRecs[0] {
			if slices.Contains(keys, h) {
				continue
			}
			gNA, wNA := g[i] == "" || g[i] == "NA", w[i] == "" || w[i] == "NA"
			if gNA || wNA {
				if gNA != wNA {
					t.Errorf("%s %s = %q, want %q (%s)", at, h, g[i], w[i], rakeSource)
				}
				continue
			}
			wv, err := strconv.ParseFloat(w[i], 64)
			if err != nil { // a string column
				if g[i] != w[i] {
					t.Errorf("%s %s = %q, want %q (%s)", at, h, g[i], w[i], rakeSource)
				}
				continue
			}
			gv, err := strconv.ParseFloat(g[i], 64)
			if err != nil {
				t.Errorf("%s %s = %q, want the number %s", at, h, g[i], w[i])
				continue
			}
			if tol, ok := abs[h]; ok {
				d := math.Abs(gv - wv)
				if !(d <= tol) {
					t.Errorf("%s %s = %.17g, want %.17g (%s; abs diff %.3g > %g)", at, h, gv, wv, rakeSource, d, tol)
				}
				worstAbs[h] = max(worstAbs[h], d)
				continue
			}
			c.float(at, h, gv, w[i])
		}
	}
	c.report()
	for h, d := range worstAbs {
		t.Logf("worst abs diff %-16s %.3g", h, d)
	}
}

// noiseTol is the absolute tolerance of columns that are themselves
// rounding errors (compare.py's --abs).
const noiseTol = 1e-12

func TestMarginsUsedOracle(t *testing.T) {
	_, r := loadRaking10k(t)
	tableCheck(t, analysis.MarginsUsedTable(r), []string{"variable", "level"}, nil)
}

// TestWeightsOracle checks wt_rake and wt_cal of all 10,000 rows. R's rake
// stops on an absolute change of the cell totals below 1e-12·Σ design_wt,
// so the weights agree far below the 1e-9 of README §5.
func TestWeightsOracle(t *testing.T) {
	s, r := loadRaking10k(t)
	tableCheck(t, analysis.WeightsTable(s, r), []string{"response_code"}, nil)
	t.Logf("raked in %d sweeps", r.Iterations)
}

func TestRakeCheckOracle(t *testing.T) {
	s, r := loadRaking10k(t)
	tableCheck(t, analysis.RakeCheckTable(s, r), []string{"variable", "level"}, nil)
}

func TestWeightsSummaryOracle(t *testing.T) {
	s, r := loadRaking10k(t)
	tableCheck(t, analysis.WeightsSummaryTable(s, r), []string{"weight"},
		map[string]float64{"max_abs_margin_rel_err": noiseTol, "max_rel_diff_vs_rake": noiseTol})
}

// TestMeansOracle checks every column of means.csv: the classical,
// design-weighted, raked (svyrecvar raking branch) and calibrated (GREG)
// estimates of all 112 fields.
func TestMeansOracle(t *testing.T) {
	s, r := loadRaking10k(t)
	got := analysis.MeansTable(s, analysis.UnweightedDesign(s), analysis.BaseWeightDesign(s), r.Design(), r.CalibrationDesign())
	tableCheck(t, got, []string{"category", "measure", "indicator", "variable"}, nil)
}

func TestValidateOracle(t *testing.T) {
	s, r := loadRaking10k(t)
	got := analysis.ValidateTable(s, analysis.BaseWeightDesign(s), r.Design(), r.CalibrationDesign())
	tableCheck(t, got, []string{"design", "variable"},
		map[string]float64{"abs_diff_mean": noiseTol, "rel_diff_se": noiseTol, "rel_diff_deff": noiseTol})
}

// TestMeansTableMatchesJointMeans checks MeansTable's per-variable
// estimates, and the joint covariances of the raked and calibrated
// designs through JointMeans, against JointMeans of each category's 16
// fields: a variable's variance does not depend on the variables estimated
// with it, and MeansTable's bucketed sums differ from JointMeans' row sums
// by rounding only (source: JointMeans, itself checked against R in
// TestJointMeansBaseWeights; tolerance 1e-12).
func TestMeansTableMatchesJointMeans(t *testing.T) {
	s, r := loadRaking10k(t)
	unw, dw, rake, cal := analysis.UnweightedDesign(s), analysis.BaseWeightDesign(s), r.Design(), r.CalibrationDesign()
	got := map[string]map[string]float64{}
	tab := analysis.MeansTable(s, unw, dw, rake, cal)
	for _, row := range tab.Rows {
		m := map[string]float64{}
		for i, col := range tab.Columns {
			if x, ok := row[i].(float64); ok {
				m[col] = x
			}
		}
		got[row[3].(string)] = m
	}
	c := newChecker(t)
	c.tol = 1e-12
	for _, cat := range s.Def.Categories {
		var vars []analysis.Var
		for _, r := range tab.Rows {
			if r[0] == cat.Code {
				vars = append(vars, analysis.Var{Name: r[3].(string), Col: s.Scale(r[3].(string))})
			}
		}
		for _, d := range []analysis.Design{dw, rake, cal} {
			j := analysis.JointMeans(s, d, vars)
			for a, v := range vars {
				g := got[v.Name]
				c.float(v.Name, "mean_"+d.Name(), g["mean_"+d.Name()], strconv.FormatFloat(j.Mean[a], 'g', -1, 64))
				c.float(v.Name, "se_"+d.Name(), g["se_"+d.Name()], strconv.FormatFloat(j.SE[a], 'g', -1, 64))
				if d.Name() != "cal" {
					c.float(v.Name, "deff_"+d.Name(), g["deff_"+d.Name()], strconv.FormatFloat(j.Deff[a], 'g', -1, 64))
				}
			}
		}
	}
	c.report()
}
