package server

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/charts"
	"github.com/qvoice/qvoice/surveys"
)

// overviewTop is how many priorities the overview ranks.
const overviewTop = 15

// chartIndex is the 0–100 quality index of every category with its CI.
func chartIndex(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	var items []charts.IndexItem
	for _, c := range p.v.Indices().Categories {
		half := 1.959963984540054 * c.SEQ
		items = append(items, charts.IndexItem{Label: p.labels.Category(c.Category), Value: c.Q,
			Lo: c.Q - half, Hi: c.Q + half, N: c.NRaters, Suppressed: c.NRaters < minCell})
	}
	ch, err := charts.CategoryIndex(items, p.m("c_index"), p.noData())
	h, rows := charts.IndexRows(items)
	return ch, h, rows, err
}

// rankedIndicator is one indicator's estimates with its category.
type rankedIndicator struct {
	Category string
	analysis.IndicatorIndices
}

// small reports an estimate on fewer than minCell answers.
func (r rankedIndicator) small() bool { return r.NP < minCell || r.NI < minCell }

// ci100 is the priority's 95% interval on the 0–100 scale: CILow and
// CIHigh are on the satisfaction scale, as Priority is.
func (r rankedIndicator) ci100() (lo, hi float64) {
	half := 1.959963984540054 * r.SEPriority100
	return r.Priority100 - half, r.Priority100 + half
}

// rankedPriorities lists the view's indicator priorities, highest first;
// those resting on fewer than minCell answers follow in definition order:
// their hidden values decide neither their order nor which of them make
// the overview's top.
func rankedPriorities(p *pageCtx) []rankedIndicator {
	var all []rankedIndicator
	for _, c := range p.v.Indices().Categories {
		for _, ii := range c.Indicators {
			if !math.IsNaN(ii.Priority100) {
				all = append(all, rankedIndicator{c.Category, ii})
			}
		}
	}
	// Estimates on fewer than minCell answers come last and never take a
	// rank.
	slices.SortStableFunc(all, func(a, b rankedIndicator) int {
		switch {
		case a.small() && b.small():
			return 0
		case a.small():
			return 1
		case b.small():
			return -1
		}
		return cmp.Compare(b.Priority100, a.Priority100)
	})
	return all
}

// chartPriority is the ranking of indicator priorities with 95% CIs.
func chartPriority(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	var items []charts.PriorityItem
	for i, r := range rankedPriorities(p) {
		if i == overviewTop {
			break
		}
		lo, hi := r.ci100()
		items = append(items, charts.PriorityItem{Label: shortLabel(p.labels.Category(r.Category)) + " · " + p.labels.Indicator(r.Category, r.Indicator),
			Value: r.Priority100, Lo: lo, Hi: hi, N: r.NP, Suppressed: r.small()})
	}
	ch, err := charts.PriorityWhiskers(items, p.m("c_priority", overviewTop), p.noData())
	h, rows := charts.PriorityRows(items)
	return ch, h, rows, err
}

// categoryIndices is the indices of the page's category.
func (p *pageCtx) categoryIndices() analysis.CategoryIndices {
	for _, c := range p.v.Indices().Categories {
		if c.Category == p.cat {
			return c
		}
	}
	return analysis.CategoryIndices{Category: p.cat, Empty: true}
}

// chartIPA is the category's importance–performance grid, crosshairs at
// the means of its indicators that are shown (IPAQuadrant's default).
func chartIPA(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	c := p.categoryIndices()
	var pts []charts.IPAPoint
	for _, ii := range c.Indicators {
		pts = append(pts, charts.IPAPoint{Label: p.labels.Indicator(p.cat, ii.Indicator), X: ii.I, Y: ii.P, N: ii.NP,
			Suppressed: ii.NP < minCell || ii.NI < minCell})
	}
	xc, yc := math.NaN(), math.NaN() // the means of the points drawn
	ql := charts.QuadrantLabels{Concentrate: p.m("q_focus"), KeepUp: p.m("q_keep"), LowPriority: p.m("q_low"), Overkill: p.m("q_over"),
		X: p.m("col_importance"), Y: p.m("col_satisfaction")}
	ch, err := charts.IPAQuadrant(pts, xc, yc, ql, p.m("c_ipa"), p.noData())
	h, rows := charts.IPARows(pts, xc, yc, ql)
	return ch, h, rows, err
}

// chartGap is each indicator's importance − satisfaction gap.
func chartGap(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	c := p.categoryIndices()
	var items []charts.PriorityItem
	for _, ii := range c.Indicators {
		items = append(items, charts.PriorityItem{Label: p.labels.Indicator(p.cat, ii.Indicator), Value: ii.I - ii.P,
			Lo: math.NaN(), Hi: math.NaN(), N: ii.NP, Suppressed: ii.NP < minCell || ii.NI < minCell})
	}
	ch, err := charts.PriorityWhiskers(items, p.m("c_gap"), p.noData())
	ch.ElementID = "chart-gap"
	h, rows := charts.PriorityRows(items)
	return ch, h, rows, err
}

// chartDrivers is the relative weight (share of R², %) of each indicator
// in explaining overall satisfaction (Johnson's relative weights).
func chartDrivers(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	r, ok := p.v.Drivers()[p.cat]
	var items []charts.PriorityItem
	if ok {
		for _, d := range r.Drivers {
			items = append(items, charts.PriorityItem{Label: p.labels.Indicator(p.cat, d.Indicator), Value: d.RWPct,
				Lo: math.NaN(), Hi: math.NaN(), N: r.N, Suppressed: r.N < minCell})
		}
	}
	ch, err := charts.PriorityWhiskers(items, p.m("c_drivers"), p.noData())
	ch.ElementID = "chart-drivers"
	h, rows := charts.PriorityRows(items)
	return ch, h, rows, err
}

// chartNPS is the category's promoters, passives and detractors.
func chartNPS(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	items := npsItems(p, p.cat)
	ch, err := charts.NPSBars(items, p.m("c_nps"), p.noData(), charts.SeriesNames(p.m("promoters"), p.m("passives"), p.m("detractors")))
	h, rows := charts.NPSRows(items)
	return ch, h, rows, err
}

// npsItems counts, with the view's weights, the 0–10 recommendation
// answers of a category (or of every category when cat is "").
func npsItems(p *pageCtx, cat string) []charts.NPSItem {
	w := p.v.design.Weights()
	var out []charts.NPSItem
	for _, c := range p.d.Categories {
		if cat != "" && c.Code != cat {
			continue
		}
		col := p.v.s.Scale(c.Code + "_recommend")
		if col == nil {
			continue
		}
		var pro, pas, det, tot float64
		n := 0
		for i := range p.v.s.Len() {
			y, ok := col.Value(i)
			if !ok {
				continue
			}
			n++
			tot += w[i]
			switch {
			case y >= 9:
				pro += w[i]
			case y >= 7:
				pas += w[i]
			default:
				det += w[i]
			}
		}
		it := charts.NPSItem{Label: p.labels.Category(c.Code), N: n, Suppressed: n < minCell,
			Promoters: math.NaN(), Passives: math.NaN(), Detractors: math.NaN()}
		if tot > 0 { // NPSBars draws a suppressed split as one grey bar
			it.Promoters, it.Passives, it.Detractors = 100*pro/tot, 100*pas/tot, 100*det/tot
		}
		out = append(out, it)
	}
	return out
}

// chartGroups compares each key group's index with everyone else's.
func chartGroups(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	var items []charts.GroupItem
	for _, g := range p.v.Groups() {
		it := charts.GroupItem{Label: p.m("g_"+g.Group) + " · " + shortLabel(p.labels.Category(g.Category)),
			Group: g.QGroup, Rest: g.QRest, N: g.NGroup, Significant: g.Significant, Suppressed: g.Suppressed}
		items = append(items, it)
	}
	ch, err := charts.GroupComparison(items, p.m("c_groups"), p.noData(), charts.SeriesNames(p.m("group_series"), p.m("rest")))
	h, rows := charts.GroupRows(items)
	return ch, h, rows, err
}

// chartHeatmap is the satisfaction gap, 0–100, of every category ×
// indicator: the importance weight times the distance of satisfaction
// from the top, the priority on 0–100.
func chartHeatmap(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	var rows, cols []string
	colIdx := map[string]int{}
	for _, c := range p.d.Categories {
		rows = append(rows, p.labels.Category(c.Code))
		for _, ind := range c.Indicators {
			l := p.labels.Indicator(c.Code, ind.Code)
			if _, ok := colIdx[l]; !ok {
				colIdx[l] = len(cols)
				cols = append(cols, l)
			}
		}
	}
	cells := make([][]charts.HeatCell, len(rows))
	for r, c := range p.v.Indices().Categories {
		cells[r] = make([]charts.HeatCell, len(cols))
		for j := range cells[r] {
			cells[r][j] = charts.HeatCell{Value: math.NaN()}
		}
		for _, ii := range c.Indicators {
			j := colIdx[p.labels.Indicator(c.Category, ii.Indicator)]
			// GapHeatmap draws a suppressed cell grey, without its number.
			cells[r][j] = charts.HeatCell{Value: ii.Priority100, N: ii.NP, Suppressed: ii.NP < minCell || ii.NI < minCell}
		}
	}
	ch, err := charts.GapHeatmap(rows, cols, cells, p.m("c_heatmap"), p.noData())
	h, rs := charts.GapRows(rows, cols, cells)
	return ch, h, rs, err
}

// chartTrend is each category's weekly index.
func chartTrend(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	t := p.v.Trend()
	var series []charts.TrendSeries
	for c, cat := range p.d.Categories {
		ts := charts.TrendSeries{Label: p.labels.Category(cat.Code)}
		for w := range t.Weeks {
			ts.Points = append(ts.Points, charts.TrendPoint{Value: t.Q[c][w], N: t.N[c][w], Suppressed: t.N[c][w] > 0 && t.N[c][w] < minCell})
		}
		series = append(series, ts)
	}
	ch, err := charts.WeeklyTrend(t.Weeks, series, p.m("c_trend"), p.noData())
	h, rows := charts.TrendRows(t.Weeks, series)
	return ch, h, rows, err
}

// complaintCounts counts respondents per option of a multi-choice.
func complaintCounts(p *pageCtx, id string) []charts.CountItem {
	f := p.d.Field(id)
	col := p.v.s.Multi(id)
	if f == nil || col == nil {
		return nil
	}
	var out []charts.CountItem
	for _, o := range f.Options {
		n := 0
		for i := range p.v.s.Len() {
			if col.Has(i, o.Value) {
				n++
			}
		}
		out = append(out, charts.CountItem{Label: o.Label.In(p.lang, p.d.DefaultLanguage()), Count: n})
	}
	return out
}

// chartComplaintTypes counts the problem types respondents met.
func chartComplaintTypes(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	items := complaintCounts(p, "problem_types")
	ch, err := charts.ComplaintCounts(items, p.m("c_complaint_types"), p.noData())
	ch.ElementID = "chart-complaint-types"
	h, rows := charts.ComplaintRows(items)
	return ch, h, rows, err
}

// chartComplaintCategories counts the respondents who met a problem by
// the products involved (problem_categories); a survey without that
// question counts, per category, the raters who met a problem.
func chartComplaintCategories(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	items := complaintCounts(p, "problem_categories")
	if items == nil {
		items = problemsByRatedCategory(p)
	}
	ch, err := charts.ComplaintCounts(items, p.m("c_complaint_cats"), p.noData())
	ch.ElementID = "chart-complaint-categories"
	h, rows := charts.ComplaintRows(items)
	return ch, h, rows, err
}

// problemsByRatedCategory counts, per category, the raters who said they
// had a problem.
func problemsByRatedCategory(p *pageCtx) []charts.CountItem {
	had := p.v.s.Choice("had_problem")
	rated := p.v.s.Multi(surveys.RatedCategoriesID)
	var items []charts.CountItem
	for _, c := range p.d.Categories {
		n := 0
		if had != nil && rated != nil {
			yes := had.LevelIndex("yes")
			for i := range p.v.s.Len() {
				if had.Codes[i] == yes && rated.Has(i, c.Code) {
					n++
				}
			}
		}
		items = append(items, charts.CountItem{Label: p.labels.Category(c.Code), Count: n})
	}
	return items
}

// shortLabel keeps a category label up to its first bracket ("食品（含农产品…）"
// → "食品"), so an axis label has room for the indicator after it.
func shortLabel(s string) string {
	if i := strings.IndexAny(s, "（("); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

// noData is the text of an empty chart in the page language.
func (p *pageCtx) noData() charts.Option { return charts.NoData(p.m("no_data")) }

// fmt2 formats an estimate with two decimals, "–" for none.
func fmt2(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}
