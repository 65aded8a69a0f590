package server

import (
	"math"
	"slices"
	"time"

	"github.com/qvoice/qvoice/analysis"
	"gonum.org/v1/gonum/stat/distuv"
)

// groupRow compares one key group with everyone else in the view on one
// category's index Q (0–100).
type groupRow struct {
	Group, Category string
	NGroup, NRest   int     // raters of the category in each
	QGroup, QRest   float64 // the index, weighted by the view's weights
	Diff            float64 // QGroup − QRest
	P, PAdj         float64 // two-sided z test; Benjamini–Hochberg over every row
	Significant     bool    // PAdj < 0.05 and both sides shown
	Suppressed      bool    // a side has fewer than minCell raters
}

// dashGroups are the key groups the dashboard compares with the rest.
var dashGroups = []string{
	analysis.GroupAge60Plus, analysis.GroupHasInfant, analysis.GroupHasChild,
	analysis.GroupStudent, analysis.GroupUrbanRuralFringe, analysis.GroupRuralVillage,
}

// Groups compares each key group with the rest of the view, category by
// category. Each side's Q and its linearisation SE come from Indices on
// that side's rows with the view's final weights as design weights (so
// raking's variance reduction is not counted: the test is conservative);
// the two sides are independent domains, so
//
//	z = (Q_g − Q_r)/√(SE_g² + SE_r²),  p = 2·(1 − Φ(|z|)),
//
// and the p-values of every group × category are adjusted together
// (Benjamini–Hochberg), as the oracle's tests adjust theirs.
func (v *dashView) Groups() []groupRow {
	v.groupsOnce.Do(func() { v.groups = v.computeGroups() })
	return v.groups
}

func (v *dashView) computeGroups() []groupRow {
	var rows []groupRow
	var ps []float64
	var idx []int
	for _, g := range dashGroups {
		in, ok := v.s.InGroup(g)
		if !ok {
			continue
		}
		var gi, ri []int
		for i := range v.s.Len() {
			if in(i) {
				gi = append(gi, i)
			} else {
				ri = append(ri, i)
			}
		}
		sg, sr := v.weightedRows(gi), v.weightedRows(ri)
		ig := analysis.Indices(sg, analysis.BaseWeightDesign(sg))
		ir := analysis.Indices(sr, analysis.BaseWeightDesign(sr))
		for k, cg := range ig.Categories {
			cr := ir.Categories[k]
			r := groupRow{Group: g, Category: cg.Category, NGroup: cg.NRaters, NRest: cr.NRaters,
				QGroup: cg.Q, QRest: cr.Q, Diff: cg.Q - cr.Q, P: math.NaN(), PAdj: math.NaN()}
			r.Suppressed = cg.NRaters < minCell || cr.NRaters < minCell
			if se := math.Hypot(cg.SEQ, cr.SEQ); !r.Suppressed && se > 0 && !math.IsNaN(r.Diff) {
				r.P = 2 * distuv.UnitNormal.Survival(math.Abs(r.Diff)/se)
				ps, idx = append(ps, r.P), append(idx, len(rows))
			}
			rows = append(rows, r)
		}
	}
	if len(ps) > 0 {
		adj := analysis.BHAdjust(ps)
		for j, i := range idx {
			rows[i].PAdj = adj[j]
			rows[i].Significant = adj[j] < 0.05
		}
	}
	return rows
}

// trendData is each category's index by week (Monday, China time).
type trendData struct {
	Weeks []string
	// Q[c][w] is category c's index in week w; NaN when no estimate or
	// fewer than minCell raters (N[c][w] says how many).
	Q [][]float64
	N [][]int
}

// Trend computes the weekly index of every category with the view's
// weights.
func (v *dashView) Trend() trendData {
	v.trendOnce.Do(func() { v.trend = v.computeTrend() })
	return v.trend
}

func (v *dashView) computeTrend() trendData {
	byWeek := map[string][]int{}
	for i, at := range v.at {
		w := weekOf(at)
		byWeek[w] = append(byWeek[w], i)
	}
	var t trendData
	for w := range byWeek {
		t.Weeks = append(t.Weeks, w)
	}
	slices.Sort(t.Weeks)
	t.Weeks = everyWeek(t.Weeks) // a week without responses is a gap, not skipped
	cats := v.s.Def.Categories
	t.Q, t.N = make([][]float64, len(cats)), make([][]int, len(cats))
	for c := range cats {
		t.Q[c], t.N[c] = make([]float64, len(t.Weeks)), make([]int, len(t.Weeks))
	}
	for w, week := range t.Weeks {
		if len(byWeek[week]) == 0 {
			for c := range cats {
				t.Q[c][w] = math.NaN()
			}
			continue
		}
		sub := v.weightedRows(byWeek[week])
		ix := analysis.Indices(sub, analysis.BaseWeightDesign(sub))
		for c, ci := range ix.Categories {
			// Weeks under minCell raters are marked by N; the chart leaves
			// them out and the table says "<30".
			t.Q[c][w], t.N[c][w] = ci.Q, ci.NRaters
		}
	}
	return t
}

// everyWeek fills the Mondays missing between the first and the last of
// sorted weeks (YYYY-MM-DD).
func everyWeek(weeks []string) []string {
	if len(weeks) < 2 {
		return weeks
	}
	first, err1 := time.Parse(time.DateOnly, weeks[0])
	last, err2 := time.Parse(time.DateOnly, weeks[len(weeks)-1])
	if err1 != nil || err2 != nil {
		return weeks
	}
	var out []string
	for d := first; !d.After(last); d = d.AddDate(0, 0, 7) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}
