package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// Widest category and indicator labels in analyze's tables, in terminal
// cells; the code column names them in full.
const (
	categoryCells  = 22
	indicatorCells = 30
)

// priorityRow is one line of a top-priorities table.
type priorityRow struct {
	rank                 int
	category, indicator  string
	priority100, lo, hi  float64 // on 0–100
	importance, satisfac float64
	n                    int
}

// writePriorities prints the top priorities with the survey's labels,
// and category/indicator codes last.
func (a *app) writePriorities(w io.Writer, d *surveys.Definition, rows []priorityRow) error {
	l := a.labels(d)
	t := a.table("rank", "category", "indicator", "priority100", "95% CI", "importance", "satisfaction", "n", "code")
	t.truncate(1, categoryCells).truncate(2, indicatorCells)
	for _, r := range rows {
		t.add(strconv.Itoa(r.rank), l.category(r.category), l.indicator(r.category, r.indicator),
			num(r.priority100, 2), interval(r.lo, r.hi, 2), num(r.importance, 2), num(r.satisfac, 2),
			strconv.Itoa(r.n), r.category+"/"+r.indicator)
	}
	return t.render(w)
}

// writeSummaryTable is the human summary: the top priorities first, then
// every category's indicators.
func (a *app) writeSummaryTable(w io.Writer, d *surveys.Definition, sum *analysis.Summary, top int) error {
	fmt.Fprint(w, a.msgf("%s: %d responses (unweighted)", sum.Survey, sum.Responses), "\n\n")
	fmt.Fprintln(w, a.msgf("Top %d improvement priorities (priority = w·(5 − P), ×25 on 0–100; 95%% delta-method CI)", top))
	var rows []priorityRow
	for i, r := range sum.Priorities {
		if i == top || math.IsNaN(r.Priority.Mean) {
			break
		}
		rows = append(rows, priorityRow{r.RankOverall, r.Category, r.Indicator, 25 * r.Priority.Mean,
			25 * r.Priority.CILow, 25 * r.Priority.CIHigh, r.Importance.Mean, r.Satisfaction.Mean, r.Satisfaction.N})
	}
	if err := a.writePriorities(w, d, rows); err != nil {
		return err
	}
	l := a.labels(d)
	for _, c := range sum.Categories {
		fmt.Fprintln(w)
		fmt.Fprintln(w, a.msgf("%s (%s): %d raters, Q = %s, overall = %s, NPS = %s", l.category(c.Category), c.Category,
			c.Raters, num(c.Q, 2), num(c.Overall100.Mean, 2), num(c.NPS, 1)))
		t := a.table("indicator", "n(I)", "importance", "95% CI", "n(P)", "satisfaction", "95% CI", "priority100", "rank", "code")
		t.truncate(0, indicatorCells)
		for _, r := range c.Indicators {
			i, p := r.Importance, r.Satisfaction
			t.add(l.indicator(c.Category, r.Indicator), strconv.Itoa(i.N), num(i.Mean, 3), interval(i.CILow, i.CIHigh, 3),
				strconv.Itoa(p.N), num(p.Mean, 3), interval(p.CILow, p.CIHigh, 3), num(25*r.Priority.Mean, 2),
				strconv.Itoa(r.RankOverall), r.Indicator)
		}
		if err := t.render(w); err != nil {
			return err
		}
	}
	return nil
}

// writeHeadline prints the top priorities of a design across categories,
// then each category's indices.
func (a *app) writeHeadline(w io.Writer, d *surveys.Definition, n int, ix *analysis.DesignIndices, top int) error {
	var rows []priorityRow
	for _, c := range ix.Categories {
		for _, r := range c.Indicators {
			if r.RankOverall > 0 {
				rows = append(rows, priorityRow{r.RankOverall, c.Category, r.Indicator, r.Priority100,
					25 * r.CILow, 25 * r.CIHigh, r.I, r.P, r.NP})
			}
		}
	}
	// RankOverall is 1 for the highest priority; order by it, stably.
	slices.SortStableFunc(rows, func(x, y priorityRow) int { return x.rank - y.rank })
	fmt.Fprint(w, a.msgf("%s: %d responses, design %s", d.Slug, n, ix.Design), "\n\n")
	fmt.Fprintln(w, a.msgf("Top %d improvement priorities (priority100 = 25·w·(5 − P); 95%% delta-method CI)", top))
	if err := a.writePriorities(w, d, rows[:min(top, len(rows))]); err != nil {
		return err
	}
	fmt.Fprintln(w)
	l := a.labels(d)
	t := a.table("category", "Q", "SE(Q)", "overall100", "NPS", "raters", "code")
	t.truncate(0, categoryCells)
	for _, c := range ix.Categories {
		t.add(l.category(c.Category), num(c.Q, 2), num(c.SEQ, 2), num(c.Overall100, 2), num(c.NPS, 1),
			strconv.Itoa(c.NRaters), c.Category)
	}
	return t.render(w)
}

// num formats x with prec decimals; no data (NaN) prints as "–".
func num(x float64, prec int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return noData
	}
	return strconv.FormatFloat(x, 'f', prec, 64)
}

func interval(lo, hi float64, prec int) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return noData
	}
	return "[" + num(lo, prec) + ", " + num(hi, prec) + "]"
}
