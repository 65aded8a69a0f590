package analysis

import (
	"fmt"
	"math"
)

// mustMatch panics unless s has one row per weight of r: the tables need
// the sample r was raked from.
func (r *Raking) mustMatch(s *Sample) {
	if s.Len() != len(r.w) {
		panic(fmt.Sprintf("analysis: a sample of %d rows for a raking of %d rows", s.Len(), len(r.w)))
	}
}

// WeightsTable is the oracle's weights.csv: one row per response with its
// response_code, design_wt, wt_rake (Raking.Weights) and wt_cal
// (CalibrationDesign().Weights(), the same numbers). s is the sample r was
// raked from, here and in the other weighting tables; they panic on a
// sample of another length.
func WeightsTable(s *Sample, r *Raking) *Table {
	r.mustMatch(s)
	t := &Table{Name: "weights", Columns: []string{"response_code", "design_wt", "wt_rake", "wt_cal"}}
	cal := r.CalibrationDesign().Weights()
	// A million rows: generated while written, not held as [][]any.
	t.Generate(s.Len(), func(i int, dst []any) {
		dst[0], dst[1], dst[2], dst[3] = codeOrEmpty(s, i), s.DesignWeight[i], r.w[i], cal[i]
	})
	return t
}

func codeOrEmpty(s *Sample, i int) string {
	if i < len(s.Codes) {
		return s.Codes[i]
	}
	return ""
}

// RakeCheckTable is the oracle's rake_check.csv: for each raking variable
// and level of Raking.Margins, the target total, the sums of the raked and
// calibrated weights over the level's rows, and its number of rows.
func RakeCheckTable(s *Sample, r *Raking) *Table {
	r.mustMatch(s)
	t := &Table{Name: "rake_check", Columns: []string{"variable", "level", "target", "achieved_rake", "achieved_cal", "sample_n"}}
	cal := r.CalibrationDesign().Weights()
	for _, m := range r.margins {
		c := s.Choice(m.Variable)
		count, rake := levelSums(c, r.w)
		_, calSum := levelSums(c, cal)
		for l, lv := range m.Levels {
			k := c.LevelIndex(lv)
			t.Append(m.Variable, lv, m.Totals[l], rake[k], calSum[k], count[k])
		}
	}
	return t
}

// WeightsSummaryTable is the oracle's weights_summary.csv: for design_wt,
// wt_rake and wt_cal, n, Σ w, min, max, cv = sd/mean (sd with divisor
// n−1), Kish's n_eff = (Σ w)²/Σ w² and deff_kish = n·Σ w²/(Σ w)², the
// largest |achieved − target|/target over the margin levels (NA for
// design_wt), and max_i |w_i − wt_rake_i|/wt_rake_i (NA for design_wt).
func WeightsSummaryTable(s *Sample, r *Raking) *Table {
	r.mustMatch(s)
	t := &Table{Name: "weights_summary", Columns: []string{"weight", "n", "sum", "min", "max", "cv",
		"n_eff", "deff_kish", "max_abs_margin_rel_err", "max_rel_diff_vs_rake"}}
	cal := r.CalibrationDesign().Weights()
	for _, x := range []struct {
		name     string
		w        []float64
		marginOK bool
	}{{"design_wt", s.DesignWeight, false}, {"wt_rake", r.w, true}, {"wt_cal", cal, true}} {
		n := len(x.w)
		var sum, sum2 float64
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range x.w {
			sum += v
			sum2 += v * v
			lo, hi = min(lo, v), max(hi, v)
		}
		mean := sum / float64(n)
		var ss float64
		for _, v := range x.w {
			ss += (v - mean) * (v - mean)
		}
		nEff, deff := kishSums(n, sum, sum2)
		marginErr, diff := math.NaN(), math.NaN()
		if x.marginOK {
			marginErr = r.maxMarginRelErr(s, x.w)
			diff = 0
			for i, v := range x.w {
				diff = max(diff, math.Abs(v-r.w[i])/r.w[i])
			}
		}
		t.Append(x.name, n, sum, lo, hi, math.Sqrt(ss/float64(n-1))/mean, nEff, deff, marginErr, diff)
	}
	return t
}

// maxMarginRelErr is max |Σ_{i∈l} w_i − T_l|/T_l over all margin levels.
func (r *Raking) maxMarginRelErr(s *Sample, w []float64) float64 {
	worst := 0.0
	for _, m := range r.margins {
		c := s.Choice(m.Variable)
		_, sum := levelSums(c, w)
		for l, lv := range m.Levels {
			worst = max(worst, math.Abs(sum[c.LevelIndex(lv)]-m.Totals[l])/m.Totals[l])
		}
	}
	return worst
}

// MarginsUsedTable is the oracle's margins_used.csv: variable, level and
// pop_total of the raking targets, in Raking.Margins order.
func MarginsUsedTable(r *Raking) *Table {
	t := &Table{Name: "margins_used", Columns: []string{"variable", "level", "pop_total"}}
	for _, m := range r.margins {
		for l, lv := range m.Levels {
			t.Append(m.Variable, lv, m.Totals[l])
		}
	}
	return t
}
