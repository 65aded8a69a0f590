package analysis_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/qvoice/qvoice/analysis"
)

// driversR10k reads the derived importance (Pearson r of each satisfaction
// item with overall satisfaction) from the oracle's drivers.csv.
func driversR10k(t *testing.T) map[string]map[string]float64 {
	t.Helper()
	out := map[string]map[string]float64{}
	for _, r := range readOracle(t, "drivers.csv") {
		x, err := strconv.ParseFloat(r["r"], 64)
		if err != nil {
			t.Fatal(err)
		}
		if out[r["category"]] == nil {
			out[r["category"]] = map[string]float64{}
		}
		out[r["category"]][r["indicator"]] = x
	}
	return out
}

// TestIPAMatchOracle checks every column of ipa.csv: the raked I and P,
// data-centred and scale-midpoint quadrants, gap and the derived-importance
// quadrants with drivers.csv's r (source: R 4.2.2 survey 4.1.1,
// ../shared/oracle/out_10k ipa.csv; rel 1e-9).
func TestIPAMatchOracle(t *testing.T) {
	s := loadSample10k(t)
	rake := rakedDesign10k(t, s)
	ix := analysis.Indices(s, rake)
	compareOracleTable(t, analysis.IPATable(ix, driversR10k(t)), "ipa.csv", oracleSource+" ipa", nil)

	// methods.md §1: derived importance moves elderly instructions from
	// priority_improve to secondary.
	for _, c := range analysis.IPA(ix, driversR10k(t)) {
		for _, p := range c.Points {
			if c.Category == "elderly_products" && p.Indicator == "instructions" &&
				(p.Quadrant != analysis.QuadrantPriorityImprove || p.QuadrantDerived != analysis.QuadrantSecondary) {
				t.Errorf("elderly instructions: quadrant %q, derived %q; want priority_improve, secondary", p.Quadrant, p.QuadrantDerived)
			}
		}
	}
}

// TestIPAWithDrivers feeds the live key-driver analysis (Drivers,
// DerivedImportance) into IPATable and checks it against ipa.csv as above.
func TestIPAWithDrivers(t *testing.T) {
	s := loadSample10k(t)
	rake := rakedDesign10k(t, s)
	dr, err := analysis.Drivers(s)
	if err != nil {
		t.Fatal(err)
	}
	tab := analysis.IPATable(analysis.Indices(s, rake), analysis.DerivedImportance(dr))
	compareOracleTable(t, tab, "ipa.csv", oracleSource+" ipa", nil)
}

// TestIPAWithoutDerived: without drivers the derived columns are NA.
func TestIPAWithoutDerived(t *testing.T) {
	s := tinyWeighted(t)
	tab := analysis.IPATable(analysis.Indices(s, analysis.BaseWeightDesign(s)), nil)
	// I = 15/4, 17/4 → Ī = 4; P = 13/4, 14/3 → P̄ = 95/24.
	want := [][]any{
		{"tea", "safety", 15.0 / 4, 13.0 / 4, 4.0, 95.0 / 24, "secondary", "keep_up", -0.5, nil, nil, nil},
		{"tea", "price_value", 17.0 / 4, 14.0 / 3, 4.0, 95.0 / 24, "keep_up", "keep_up", 14.0/3 - 17.0/4, nil, nil, nil},
	}
	for r, row := range tab.Rows {
		for i, v := range row {
			w := want[r][i]
			if x, ok := v.(float64); ok && math.IsNaN(x) {
				v = nil
			}
			if x, ok := v.(float64); ok {
				if math.Abs(x-w.(float64)) > 1e-15 {
					t.Errorf("row %d %s = %v, want %v", r, tab.Columns[i], v, w)
				}
			} else if v != w {
				t.Errorf("row %d %s = %v, want %v", r, tab.Columns[i], v, w)
			}
		}
	}
}

// TestQuadrantOf checks the four quadrants and that a point on a
// crosshair counts as high (methods.md §11.9).
func TestQuadrantOf(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		i, p float64
		want analysis.Quadrant
	}{
		{4, 2, analysis.QuadrantPriorityImprove},
		{4, 4, analysis.QuadrantKeepUp},
		{2, 2, analysis.QuadrantSecondary},
		{2, 4, analysis.QuadrantMaintain},
		{3, 2, analysis.QuadrantPriorityImprove},
		{3, 3, analysis.QuadrantKeepUp},
		{2, 3, analysis.QuadrantMaintain},
		{nan, 3, analysis.NoQuadrant},
	} {
		if got := analysis.QuadrantOf(tc.i, tc.p, 3, 3); got != tc.want {
			t.Errorf("QuadrantOf(%g, %g, 3, 3) = %q, want %q", tc.i, tc.p, got, tc.want)
		}
	}
	if got := analysis.QuadrantOf(4, 4, 3, nan); got != analysis.NoQuadrant {
		t.Errorf("QuadrantOf with a NaN crosshair = %q, want NoQuadrant", got)
	}
}
