package charts

import (
	"fmt"
	"math"
)

// WeeklyTrendID is the element id of the weekly index trend.
const WeeklyTrendID = "chart-weekly-trend"

// TrendSeries is one category's 0–100 quality index by week: Points[i]
// belongs to the i-th week passed to WeeklyTrend.
type TrendSeries struct {
	Label  string
	Points []TrendPoint
}

// TrendPoint is one week's estimate of a TrendSeries.
type TrendPoint struct {
	Value      float64 // NaN: no estimate that week
	N          int     // respondents; 0: not known
	Suppressed bool    // fewer than 30 respondents
}

// WeeklyTrend draws one line per category of its 0–100 index by week,
// with a legend of the category labels and the axis tooltip. Weeks without
// an estimate and suppressed weeks are null: the line breaks there
// (connectNulls false), so no imprecise point is drawn. The value axis is
// rounded out around the drawn points within 0–100; with none the chart is
// Empty. A series whose length differs
// from the weeks' is an error.
func WeeklyTrend(weeks []string, categories []TrendSeries, title string, opts ...Option) (Chart, error) {
	s := apply(opts)
	for _, ts := range categories {
		if len(ts.Points) != len(weeks) {
			return Chart{}, fmt.Errorf("chart %s: series %q has %d points for %d weeks",
				WeeklyTrendID, ts.Label, len(ts.Points), len(weeks))
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var lines []series
	var names []string
	for _, ts := range categories {
		data := make([]any, len(weeks))
		for i, p := range ts.Points {
			if p.Suppressed || !finite(p.Value) {
				continue // nil: a JSON null
			}
			data[i] = num(p.Value)
			lo, hi = math.Min(lo, p.Value), math.Max(hi, p.Value)
		}
		lines = append(lines, series{Type: "line", Name: ts.Label, Symbol: "circle", SymbolSize: 6,
			ConnectNulls: ptr(false), Data: data})
		names = append(names, ts.Label)
	}
	if lo > hi { // no point to draw
		return emptyChart(WeeklyTrendID, title, s)
	}
	lo, hi = niceRange(lo, hi)
	o := option{
		Tooltip: &tooltip{Trigger: "axis", Confine: true},
		Legend:  &legend{Type: "scroll", Top: 0, Data: names},
		Grid:    &grid{Left: 8, Right: 24, Top: 40, Bottom: 8, ContainLabel: true},
		XAxis:   []axis{{Type: "category", Data: weeks}},
		YAxis: []axis{{Type: "value", Name: "0–100", Min: ptr(number(max(lo, 0))),
			Max: ptr(number(min(hi, 100)))}},
		Series: lines,
	}
	return encode(WeeklyTrendID, title, 360, o)
}

// TrendRows is the table of exactly what WeeklyTrend draws, as a grid:
// header "week" and the series labels, then one row per week ("" for no
// estimate, "<30" for suppressed).
func TrendRows(weeks []string, categories []TrendSeries) (header []string, rows [][]string) {
	header = []string{"week"}
	for _, ts := range categories {
		header = append(header, ts.Label)
	}
	for i, w := range weeks {
		line := []string{w}
		for _, ts := range categories {
			switch {
			case i >= len(ts.Points) || !finite(ts.Points[i].Value):
				line = append(line, "")
			case ts.Points[i].Suppressed:
				line = append(line, suppressedText)
			default:
				line = append(line, text2(ts.Points[i].Value))
			}
		}
		rows = append(rows, line)
	}
	return header, rows
}
