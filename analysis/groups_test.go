package analysis_test

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// TestGroupsMatchOracle checks every column of groups.csv: raked-weight
// available-case I and P, w, priority and rank_in_group for the seven key
// groups (source: R 4.2.2, ../shared/oracle/out_10k groups.csv; rel 1e-9).
func TestGroupsMatchOracle(t *testing.T) {
	s := loadSample10k(t)
	rake := rakedDesign10k(t, s)
	res := analysis.KeyGroups(s, rake.Weights())
	if res.Warnings != nil {
		t.Errorf("Warnings = %q, want none", res.Warnings)
	}
	compareOracleTable(t, res.Table(), "groups.csv", oracleSource+" groups", nil)
	if diff := cmp.Diff(analysis.KeyGroupNames(), groupNames(res)); diff != "" {
		t.Errorf("groups (-KeyGroupNames +got):\n%s", diff)
	}
	for _, g := range res.Groups {
		if g.N == 0 {
			t.Errorf("group %s is empty", g.Group)
		}
	}
}

func groupNames(r *analysis.KeyGroupResults) []string {
	var out []string
	for _, g := range r.Groups {
		out = append(out, g.Group)
	}
	return out
}

// TestGroupsHandComputed: in the tiny survey (no age, household, status or
// region questions) only "all" has members, with the weighted means of
// TestIndicesHandComputed: I = 15/4, 17/4, P = 13/4, 14/3, w = 15/32,
// 17/32, priority = 105/128, 17/96. The other groups are kept with n = 0
// and NA estimates, and reported.
func TestGroupsHandComputed(t *testing.T) {
	s := tinyWeighted(t)
	res := analysis.KeyGroups(s, s.DesignWeight)
	all := res.Groups[0]
	want := analysis.GroupPriorities{Group: analysis.GroupAll, N: 3, Categories: []analysis.GroupCategory{{
		Category: "tea", Indicators: []analysis.GroupIndicator{
			{Indicator: "safety", NI: 3, NP: 3, I: 15.0 / 4, P: 13.0 / 4, W: 15.0 / 32, Priority: 105.0 / 128, RankInGroup: 1},
			{Indicator: "price_value", NI: 3, NP: 2, I: 17.0 / 4, P: 14.0 / 3, W: 17.0 / 32, Priority: 17.0 / 96, RankInGroup: 2},
		}}}}
	if diff := cmp.Diff(want, all, cmpopts.EquateApprox(1e-15, 0)); diff != "" {
		t.Errorf("group all (-want +got):\n%s", diff)
	}
	if len(res.Groups) != 7 || len(res.Warnings) != 6 {
		t.Fatalf("%d groups, warnings %q; want 7 groups and 6 warnings", len(res.Groups), res.Warnings)
	}
	for _, w := range res.Warnings {
		if !strings.Contains(w, "the survey has no question") {
			t.Errorf("warning %q", w)
		}
	}
	for _, g := range res.Groups[1:] {
		r := g.Categories[0].Indicators[0]
		if g.N != 0 || r.NI != 0 || !math.IsNaN(r.I) || !math.IsNaN(r.Priority) || r.RankInGroup != 0 {
			t.Errorf("group %s = %+v, want empty with NaN estimates", g.Group, g)
		}
	}
	got := analysis.GroupsTable(s, s.DesignWeight)
	if len(got.Rows) != 14 {
		t.Fatalf("groups table has %d rows, want 14", len(got.Rows))
	}
	if r := got.Rows[2]; r[0] != analysis.GroupAge60Plus || r[3] != 0 || !math.IsNaN(r[5].(float64)) || r[9] != nil {
		t.Errorf("groups table row 3 = %v, want age_60plus with n_I 0 and NA", r)
	}
	unweighted := analysis.KeyGroups(s, nil).Groups[0].Categories[0].Indicators[0]
	if unweighted.I != 4 || unweighted.P != 3 {
		t.Errorf("unweighted safety I, P = %g, %g; want 4, 3", unweighted.I, unweighted.P)
	}
}

// TestGroupsEmptyAndUnrated: with the demo questionnaire, a group nobody
// belongs to and a category nobody in a group rated are reported.
func TestGroupsEmptyAndUnrated(t *testing.T) {
	d, _ := load10k(t)
	s := analysis.NewSample(d)
	s.Add(surveys.Answers{"age_band": "30_39", "region_type": "rural_village", "household": []string{"infant_0_3"},
		"food_imp_safety": 5, "food_sat_safety": 2, "food_imp_freshness": 4}, 1, "r1", nil)
	s.Add(surveys.Answers{"age_band": "60_69", "region_type": "urban_core",
		"drugs_imp_safety": 4, "drugs_sat_safety": 4}, 1, "r2", nil)
	res := analysis.KeyGroups(s, nil)
	warn := strings.Join(res.Warnings, "\n")
	for _, w := range []string{
		"group has_child: no respondents",
		"group student: no respondents",
		"group urban_rural_fringe: no respondents",
		"group age_60plus: nobody in the group rated category food",
		"group rural_village: nobody in the group rated category drugs",
		"group all, category food: indicator freshness has 1 importance and 0 satisfaction answers",
	} {
		if !strings.Contains(warn, w) {
			t.Errorf("Warnings lack %q:\n%s", w, warn)
		}
	}
	if strings.Contains(warn, "group all: nobody in the group rated category food") {
		t.Errorf("Warnings say nobody rated food:\n%s", warn)
	}
}
