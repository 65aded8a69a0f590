package analysis_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/qvoice/qvoice/analysis"
)

func TestReadStrata(t *testing.T) {
	// A byte-order mark, a comment, columns in another order, spaces, an
	// unknown (empty or NA) population and a per-stratum moe.
	const in = "\ufeffregion_type, key_group ,population,moe\n" +
		"# from the 2020 census, thousands of people\n" +
		"urban_core,age_60plus,12000,\n" +
		"rural_village,age_60plus, 8000.5 ,0.05\n" +
		"urban_core,general,,\n" +
		"rural_village,general,NA,0.04\n"
	got, err := analysis.ReadStrata(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []analysis.Stratum{
		{KeyGroup: "age_60plus", RegionType: "urban_core", Population: 12000},
		{KeyGroup: "age_60plus", RegionType: "rural_village", Population: 8000.5, MOE: 0.05},
		{KeyGroup: "general", RegionType: "urban_core"},
		{KeyGroup: "general", RegionType: "rural_village", MOE: 0.04},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadStrata (-want +got):\n%s", diff)
	}
}

func TestReadStrataErrors(t *testing.T) {
	const head = "key_group,region_type,population\n"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty file", "", "strata file is empty"},
		{"header only", head, "no strata"},
		{"unknown column", "key_group,region,population\n", `line 1: unknown column "region"`},
		{"missing column", "key_group,region_type\n", "line 1: no population column"},
		{"column twice", "key_group,region_type,population,Population\n", "line 1: column population given twice"},
		{"wrong field count", head + "a,urban_core,1\nb,urban_core\n", "line 3"},
		{"negative population", head + "a,urban_core,1\nb,urban_core,-100\n", `line 3: population "-100" of b × urban_core`},
		{"population below 1", head + "a,urban_core,0\n", `line 2: population "0"`},
		{"non-numeric population", head + "a,urban_core,12 000\n", `line 2: population "12 000"`},
		{"population NaN", head + "a,urban_core,NaN\n", `line 2: population "NaN"`},
		{"empty key group", head + ",urban_core,5\n", "line 2: empty key_group"},
		{"bad moe", "key_group,region_type,population,moe\na,urban_core,5,3%\n", `line 2: moe "3%"`},
		{"negative moe", "key_group,region_type,population,moe\na,urban_core,5,-0.1\n", `line 2: moe "-0.1"`},
		{"duplicate after comment", head + "a,urban_core,5\n# note\nb,urban_core,5\na,urban_core,7\n",
			"line 5: stratum a × urban_core given twice (first on line 2)"},
		{"duplicate after quoted newline", head + "\"a\nb\",urban_core,5\n\"a\nb\",urban_core,7\n",
			"line 4: stratum a\nb × urban_core given twice (first on line 2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := analysis.ReadStrata(strings.NewReader(tc.in))
			if !errors.Is(err, analysis.ErrPlanInput) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want ErrPlanInput containing %q", err, tc.want)
			}
		})
	}
}

func TestDefaultStrata(t *testing.T) {
	s := analysis.DefaultStrata()
	if len(s) != 16 {
		t.Fatalf("%d strata, want 4 key groups × 4 region types", len(s))
	}
	seen := map[analysis.Stratum]bool{}
	for _, x := range s {
		if seen[x] || x.Population != 0 || x.MOE != 0 {
			t.Errorf("stratum %+v repeated or with a population or moe", x)
		}
		seen[x] = true
	}
	first, last := s[0], s[15]
	if first.KeyGroup != analysis.GroupAge60Plus || first.RegionType != "urban_core" ||
		last.KeyGroup != analysis.StratumGeneral || last.RegionType != "rural_village" {
		t.Errorf("first %+v, last %+v", first, last)
	}
}

// TestPlanSampleStratified checks a plan of two strata with known
// populations by hand (Python 3 statistics.NormalDist for z): e = 0.03,
// p = 0.5, 95%, deff 1: n_A = 965 (N_A = 10000, as in TestSampleSize);
// n_B = 1067.07/(1 + 1066.07/30000) = 1030.45 → 1031. With W = (0.25,
// 0.75), the stratified MOE (Cochran 1977, ch. 5, V(ȳ_st)) is
// 1.95996·√(0.25²·0.25/965·(1 − 965/10000) + 0.75²·0.25/1031·(1 − 1031/30000))
// = 0.0237098; stratum A alone achieves 1.95996·√(0.25/965·0.9035) = 0.0299860.
func TestPlanSampleStratified(t *testing.T) {
	strata := []analysis.Stratum{
		{KeyGroup: "a", RegionType: "urban_core", Population: 10000},
		{KeyGroup: "b", RegionType: "urban_core", Population: 30000},
	}
	res, err := analysis.PlanSample(strata, analysis.PlanSpec{MOE: 0.03, Confidence: 0.95, ResponseRate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	approx := cmpopts.EquateApprox(1e-6, 0)
	type summary struct {
		N, Invited            int
		Population, MOE, MOEA float64
	}
	got := summary{res.N, res.Invited, res.Population, res.MOE, res.Strata[0].AchievedMOE}
	want := summary{965 + 1031, 1930 + 2062, 40000, 0.023709765580313735, 0.029985998651949206}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	tab := res.Table()
	total := tab.Rows[len(tab.Rows)-1]
	wantTotal := []any{"total", "all", 40000.0, nil, 2 * 1067.0718946372565, 2 * 1067.0718946372565,
		964.2734158941905 + 1030.453961082983, 1996, 3992, 0.023709765580313735}
	if diff := cmp.Diff(wantTotal, total, approx); diff != "" {
		t.Errorf("total row (-want +got):\n%s", diff)
	}
}

func TestPlanSampleUnknownPopulation(t *testing.T) {
	strata := []analysis.Stratum{
		{KeyGroup: "a", RegionType: "urban_core", Population: 10000},
		{KeyGroup: "b", RegionType: "urban_core", Population: math.Inf(1)},
		{KeyGroup: "c", RegionType: "urban_core", MOE: 0.05},
	}
	res, err := analysis.PlanSample(strata, analysis.PlanSpec{MOE: 0.03, Confidence: 0.95})
	if err != nil {
		t.Fatal(err)
	}
	if res.N != 965+1068+385 || res.Population != 0 || !math.IsNaN(res.MOE) {
		t.Errorf("N = %d, Population = %v, MOE = %v; want 2418, 0, NaN", res.N, res.Population, res.MOE)
	}
	tab := res.Table()
	if tab.Rows[1][2] != nil || tab.Rows[3][2] != nil || tab.Rows[3][9] != nil || tab.Rows[2][3] != 0.05 {
		t.Errorf("rows %v: want NA populations and total moe_achieved, and c's moe 0.05", tab.Rows)
	}
}

func TestPlanSampleErrors(t *testing.T) {
	spec := analysis.PlanSpec{MOE: 0.03, Confidence: 0.95}
	for _, tc := range []struct {
		name   string
		strata []analysis.Stratum
		spec   analysis.PlanSpec
		want   string
	}{
		{"no strata", nil, spec, "no strata"},
		{"bad spec", analysis.DefaultStrata(), analysis.PlanSpec{MOE: 0.03}, "confidence = 0"},
		{"bad population", []analysis.Stratum{{KeyGroup: "a", RegionType: "b", Population: -1}}, spec,
			"stratum a × b: analysis: invalid sample-size input: population = -1"},
		{"bad override", []analysis.Stratum{{KeyGroup: "a", RegionType: "b", MOE: 5}}, spec,
			"stratum a × b: analysis: invalid sample-size input: moe = 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := analysis.PlanSample(tc.strata, tc.spec)
			if !errors.Is(err, analysis.ErrPlanInput) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want ErrPlanInput containing %q", err, tc.want)
			}
		})
	}
}

func TestPlanExplain(t *testing.T) {
	res, err := analysis.PlanSample(analysis.DefaultStrata(), analysis.PlanSpec{MOE: 0.1, Confidence: 0.95, SD: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, want string }{
		{"en", "z²σ²/e² = 1.96²×1²/0.1² = 384.1"},
		{"en", "16 strata: 6160 complete responses"},
		{"zh-CN", "均值估计"},
		{"zh-CN", "共16层：需完成6160份"},
		{"zh-CN", "无法计算全体总体估计的误差范围"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			got, err := res.Explain(tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			if lines := strings.Count(got, "\n"); lines < 3 || lines > 6 || !strings.Contains(got, tc.want) {
				t.Errorf("Explain(%q) = %d lines\n%s\nwant 3–6 lines containing %q", tc.lang, lines, got, tc.want)
			}
		})
	}
	if _, err := res.Explain("fr"); !errors.Is(err, analysis.ErrPlanInput) {
		t.Errorf("Explain(fr) error = %v, want ErrPlanInput", err)
	}
}
