package charts

import (
	"cmp"
	"slices"
)

// Element ids of the charts with confidence-interval whiskers.
const (
	PriorityWhiskersID = "chart-priority-ci"
	CategoryIndexID    = "chart-category-index"
)

// PriorityItem is one improvement priority (a category × indicator) on the
// 0–100 priority scale, w_k·(100 − S100_k) (methods.md §8).
type PriorityItem struct {
	Label      string  // display label, e.g. "食品 · 安全卫生"
	Value      float64 // point estimate; NaN: no estimate
	Lo, Hi     float64 // 95% confidence interval; NaN: none
	N          int     // respondents; 0: not known
	Suppressed bool    // fewer than 30 respondents
}

// IndexItem is one category's 0–100 quality index with its 95% confidence
// interval; the fields mean what they mean in PriorityItem.
type IndexItem PriorityItem

// PriorityWhiskers draws ranked improvement priorities as horizontal bars
// of the point estimate with 95% CI whiskers, the highest at the top, and
// the estimate and interval as text at the right. Items without an estimate
// are left out. Suppressed items follow the ranked ones in the order given,
// so an imprecise estimate never takes a rank: their slot stays empty (no
// bar, whisker or tooltip) and the text reads "n<30". With nothing but
// suppressed items the chart is Empty.
func PriorityWhiskers(items []PriorityItem, title string, opts ...Option) (Chart, error) {
	return whiskers(PriorityWhiskersID, title, rankPriorities(items), "#b3261e", false, apply(opts))
}

// PriorityRows is the table of exactly what PriorityWhiskers draws, in its
// order: header label, value, lo, hi, n; a suppressed item has n "<30" and
// no numbers, a missing interval is "".
func PriorityRows(items []PriorityItem) (header []string, rows [][]string) {
	return whiskerRows(rankPriorities(items))
}

// CategoryIndex draws the 0–100 quality index per category as horizontal
// bars with 95% CI whiskers on a fixed 0–100 axis, in the order given.
// Categories without an estimate are left out; suppressed ones are an
// empty slot reading "n<30", as in PriorityWhiskers.
func CategoryIndex(items []IndexItem, title string, opts ...Option) (Chart, error) {
	return whiskers(CategoryIndexID, title, indexItems(items), "#3b6db3", true, apply(opts))
}

// IndexRows is the table of exactly what CategoryIndex draws, with the
// columns of PriorityRows.
func IndexRows(items []IndexItem) (header []string, rows [][]string) {
	return whiskerRows(indexItems(items))
}

// rankPriorities keeps the items with an estimate: the others by value,
// highest first (ties in the order given), then the suppressed ones in the
// order given (which a caller must not take from their hidden values).
func rankPriorities(items []PriorityItem) []PriorityItem {
	var ranked, suppressed []PriorityItem
	for _, it := range items {
		switch {
		case !finite(it.Value):
		case it.Suppressed:
			suppressed = append(suppressed, it)
		default:
			ranked = append(ranked, it)
		}
	}
	slices.SortStableFunc(ranked, func(a, b PriorityItem) int { return cmp.Compare(b.Value, a.Value) })
	return append(ranked, suppressed...)
}

func indexItems(items []IndexItem) []PriorityItem {
	var out []PriorityItem
	for _, it := range items {
		if finite(it.Value) {
			out = append(out, PriorityItem(it))
		}
	}
	return out
}

// ciText is "12.30 [10.10, 14.50]", or "12.30" without an interval.
func ciText(it PriorityItem) string {
	if !hasCI(it) {
		return text2(it.Value)
	}
	return text2(it.Value) + " [" + text2(it.Lo) + ", " + text2(it.Hi) + "]"
}

func hasCI(it PriorityItem) bool { return finite(it.Lo) && finite(it.Hi) }

// whiskers draws items as bars with whiskers. ECharts has no error-bar
// series without a custom renderItem function, which a JSON option cannot
// carry; a boxplot item [lo, v, v, v, hi] collapses its box to a tick at v
// and draws exactly an error bar: a line from lo to hi with end caps. It is
// centred on the bar like a second series would not be, and it needs no
// transparent stacking. The numbers go on a second category axis at the
// right, where they line up like a table column instead of colliding with
// the whiskers. A suppressed item is "-", ECharts' empty value, in both
// series: a grey bar would still have its length, and the axis its end.
func whiskers(id, chartTitle string, items []PriorityItem, color string, to100 bool, s settings) (Chart, error) {
	if !slices.ContainsFunc(items, func(it PriorityItem) bool { return !it.Suppressed }) {
		return emptyChart(id, chartTitle, s)
	}
	names := make([]string, len(items))
	texts := make([]string, len(items))
	bars := make([]any, len(items))
	boxes := make([]any, len(items))
	for i, it := range items {
		names[i] = it.Label
		if it.Suppressed {
			texts[i], bars[i], boxes[i] = suppressedLabel, "-", "-"
			continue
		}
		texts[i] = ciText(it)
		tip := &tooltip{Formatter: "{b}<br/>" + texts[i] + nTip(it.N)}
		bars[i] = item{Value: num(it.Value), Tooltip: tip}
		boxes[i] = "-"
		if hasCI(it) {
			v := num(it.Value)
			boxes[i] = item{Value: []number{num(it.Lo), v, v, v, num(it.Hi)}, Tooltip: tip}
		}
	}
	x := axis{Type: "value", Name: "0–100", NameLocation: "middle", NameGap: 24, Min: ptr(number(0))}
	if to100 {
		x.Max = ptr(number(100))
	}
	o := option{
		Tooltip: &tooltip{Trigger: "item", Confine: true},
		Grid:    &grid{Left: 8, Right: 8, Top: 8, Bottom: 28, ContainLabel: true},
		XAxis:   []axis{x},
		YAxis: []axis{
			{Type: "category", Data: names, Inverse: true, AxisLabel: &axisLabel{Width: 180, Overflow: "truncate"}},
			{Type: "category", Data: texts, Inverse: true, Position: "right",
				AxisLine: &shown{}, AxisTick: &shown{}},
		},
		Series: []series{
			{Type: "bar", BarWidth: "55%", ItemStyle: &itemStyle{Color: color}, Data: bars},
			{Type: "boxplot", BoxWidth: []int{9, 9},
				ItemStyle: &itemStyle{Color: "transparent", BorderColor: "#222", BorderWidth: 1.5}, Data: boxes},
		},
	}
	return encode(id, chartTitle, 28*len(items)+56, o)
}

func whiskerRows(items []PriorityItem) (header []string, rows [][]string) {
	header = []string{"label", "value", "lo", "hi", "n"}
	for _, it := range items {
		if it.Suppressed {
			rows = append(rows, []string{it.Label, "", "", "", suppressedText})
			continue
		}
		lo, hi := "", ""
		if hasCI(it) {
			lo, hi = text2(it.Lo), text2(it.Hi)
		}
		rows = append(rows, []string{it.Label, text2(it.Value), lo, hi, nText(it.N)})
	}
	return header, rows
}
