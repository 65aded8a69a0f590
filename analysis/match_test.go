package analysis_test

import (
	"math"
	"testing"

	"github.com/qvoice/qvoice/analysis"
)

// TestMeansMatchOracle checks every classical mean against means.csv, the
// *_unw columns: R mean, sd, sd/sqrt(n) and mean ∓ qt(0.975, n−1)·se on the
// available cases (source: oracleSource, means.csv).
func TestMeansMatchOracle(t *testing.T) {
	s := summary10k(t)
	inds, cats := indicatorIndex(s), categoryIndex(s)
	c := newChecker(t)
	seen := 0
	for _, row := range readOracle(t, "means.csv") {
		where := row["variable"]
		var e analysis.Estimate
		switch row["measure"] {
		case "importance", "satisfaction":
			r, ok := inds[row["category"]+"/"+row["indicator"]]
			if !ok {
				t.Errorf("%s: no such indicator in the summary", where)
				continue
			}
			e = r.Importance
			if row["measure"] == "satisfaction" {
				e = r.Satisfaction
			}
			seen++
		case "overall_sat":
			// Overall100 = 10·overall_sat: its N, mean and SD (not its SE,
			// which is the linearisation one) are the classical ones.
			o := cats[row["category"]].Overall100
			c.int(where, "n", o.N, row["n"])
			c.float(where, "mean_unw", o.Mean/10, row["mean_unw"])
			c.float(where, "sd_unw", o.SD/10, row["sd_unw"])
			continue
		case "recommend":
			c.int(where, "n", cats[row["category"]].NPSN, row["n"])
			continue
		default:
			t.Fatalf("%s: unknown measure %q", where, row["measure"])
		}
		c.int(where, "n", e.N, row["n"])
		c.float(where, "mean_unw", e.Mean, row["mean_unw"])
		c.float(where, "sd_unw", e.SD, row["sd_unw"])
		c.float(where, "se_unw", e.SE, row["se_unw"])
		c.float(where, "ci_lo_unw", e.CILow, row["ci_lo_unw"])
		c.float(where, "ci_hi_unw", e.CIHigh, row["ci_hi_unw"])
	}
	if seen != 98 {
		t.Errorf("checked %d importance/satisfaction means, want 98 (7 categories × 7 indicators × 2)", seen)
	}
	c.report()
}

// TestPriorityMatchOracle checks weights, indices and priorities against
// priority.csv, design unw: svycontrast of I_k/ΣI·(5−P_k) on the joint
// svymean of svydesign(ids=~1, weights=~1), ranks by frank(ties="min")
// (source: oracleSource, priority.csv, design unw).
func TestPriorityMatchOracle(t *testing.T) {
	s := summary10k(t)
	cats := categoryIndex(s)
	c := newChecker(t)
	n := 0
	for _, row := range readOracle(t, "priority.csv") {
		if row["design"] != "unw" {
			continue
		}
		where := row["category"] + "/" + row["indicator"]
		cs := cats[row["category"]]
		k := len(cs.Indicators)
		j := indexOf(cs.Indicators, row["indicator"])
		if j < 0 {
			t.Errorf("%s: no such indicator in the summary", where)
			continue
		}
		r := cs.Indicators[j]
		n++
		c.float(where, "I", r.Importance.Mean, row["I"])
		c.float(where, "P", r.Satisfaction.Mean, row["P"])
		c.float(where, "se_I", math.Sqrt(cs.Cov.At(j, j)), row["se_I"])
		c.float(where, "se_P", math.Sqrt(cs.Cov.At(k+j, k+j)), row["se_P"])
		c.float(where, "w", r.Weight, row["w"])
		c.float(where, "S100", r.S100, row["S100"])
		c.float(where, "priority", r.Priority.Mean, row["priority"])
		c.float(where, "se_priority", r.Priority.SE, row["se_priority"])
		c.float(where, "ci_lo_priority", r.Priority.CILow, row["ci_lo_priority"])
		c.float(where, "ci_hi_priority", r.Priority.CIHigh, row["ci_hi_priority"])
		c.int(where, "rank_in_category", r.RankInCategory, row["rank_in_category"])
		c.int(where, "rank_overall", r.RankOverall, row["rank_overall"])
		if r.Priority.N != r.Satisfaction.N {
			t.Errorf("%s: Priority.N = %d, want the satisfaction n %d", where, r.Priority.N, r.Satisfaction.N)
		}
	}
	if n != 49 {
		t.Errorf("checked %d priorities, want 49", n)
	}
	if len(s.Priorities) != 49 {
		t.Fatalf("len(Priorities) = %d, want 49", len(s.Priorities))
	}
	for i := 1; i < len(s.Priorities); i++ {
		a, b := s.Priorities[i-1], s.Priorities[i]
		if a.Priority.Mean < b.Priority.Mean || a.RankOverall > b.RankOverall {
			t.Errorf("Priorities[%d] (%s/%s, %g, rank %d) before [%d] (%s/%s, %g, rank %d): not ranked",
				i-1, a.Category, a.Indicator, a.Priority.Mean, a.RankOverall,
				i, b.Category, b.Indicator, b.Priority.Mean, b.RankOverall)
		}
	}
	c.report()
}

func indexOf(rs []analysis.IndicatorResult, indicator string) int {
	for i, r := range rs {
		if r.Indicator == indicator {
			return i
		}
	}
	return -1
}

// TestIndicesMatchOracle checks Q, overall100 and NPS with their
// linearisation SEs against indices.csv, design unw (source: oracleSource,
// indices.csv, design unw).
func TestIndicesMatchOracle(t *testing.T) {
	s := summary10k(t)
	cats := categoryIndex(s)
	c := newChecker(t)
	n := 0
	for _, row := range readOracle(t, "indices.csv") {
		if row["design"] != "unw" {
			continue
		}
		where := row["category"]
		cs, ok := cats[where]
		if !ok {
			t.Errorf("%s: no such category in the summary", where)
			continue
		}
		n++
		c.float(where, "Q", cs.Q, row["Q"])
		c.float(where, "se_Q", cs.QSE, row["se_Q"])
		c.float(where, "overall100", cs.Overall100.Mean, row["overall100"])
		c.float(where, "se_overall100", cs.Overall100.SE, row["se_overall100"])
		c.float(where, "nps", cs.NPS, row["nps"])
		c.float(where, "se_nps", cs.NPSSE, row["se_nps"])
		// The oracle's n_raters is the number of overall_sat answers.
		c.int(where, "n_raters", cs.Overall100.N, row["n_raters"])
		c.int(where, "n_nps", cs.NPSN, row["n_nps"])
	}
	if n != 7 {
		t.Errorf("checked %d categories, want 7", n)
	}
	c.report()
}

// TestRaters checks CategorySummary.Raters, the responses with any
// importance or satisfaction answer. Reference: counted with Python 3's
// csv module over survey_10k.csv (rows with any non-empty {cat}_imp_* or
// {cat}_sat_* cell); they equal the rows whose rate_categories lists the
// category.
func TestRaters(t *testing.T) {
	want := map[string]int{
		"food": 3469, "drugs": 1974, "infant_products": 1233, "child_student_products": 1957,
		"elderly_products": 1361, "home_appliances": 2309, "online_shopping": 3228,
	}
	s := summary10k(t)
	if s.Responses != 10000 {
		t.Errorf("Responses = %d, want 10000", s.Responses)
	}
	for _, cs := range s.Categories {
		if cs.Raters != want[cs.Category] {
			t.Errorf("%s: Raters = %d, want %d", cs.Category, cs.Raters, want[cs.Category])
		}
	}
}
