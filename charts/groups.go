package charts

import "slices"

// GroupComparisonID is the element id of the key-group comparison chart.
const GroupComparisonID = "chart-group-comparison"

// GroupItem compares one key group (people aged 60 and over, households
// with infants, pupils, the urban–rural fringe, rural areas) with everyone
// else on one indicator or category.
type GroupItem struct {
	Label       string  // display label, e.g. "60岁以上 · 食品"
	Group, Rest float64 // the group's estimate and everyone else's; NaN: none
	N           int     // the group's respondents; 0: not known
	Significant bool    // the difference is significant (BH-adjusted p < 0.05, by the caller)
	Suppressed  bool    // the group has fewer than 30 respondents
}

// GroupComparison draws each item as a pair of horizontal bars, the group
// (dark) above everyone else (light), with their values at the right of
// the bars, in the order given. A significant difference puts " *" after
// the label. Bars without an estimate are left out, and items with neither
// estimate altogether. A suppressed item keeps its place with both bars
// empty, neither drawn nor labelled, and " (n<30)" after its label instead
// of a mark; with nothing but suppressed items the chart is Empty. The
// legend names come from SeriesNames(group, rest).
func GroupComparison(items []GroupItem, title string, opts ...Option) (Chart, error) {
	s := apply(opts)
	items = groupItems(items)
	if !slices.ContainsFunc(items, func(it GroupItem) bool { return !it.Suppressed }) {
		return emptyChart(GroupComparisonID, title, s)
	}
	names := make([]string, len(items))
	group := make([]any, len(items))
	rest := make([]any, len(items))
	for i, it := range items {
		names[i] = groupLabel(it)
		group[i] = groupBar(it.Group, it, nTip(it.N))
		rest[i] = groupBar(it.Rest, it, "")
	}
	gname, rname := s.name(0, "group"), s.name(1, "everyone else")
	bar := func(name, color string, data []any) series {
		return series{Type: "bar", Name: name, BarWidth: "35%", ItemStyle: &itemStyle{Color: color},
			Label: &label{Show: ptr(true), Position: "right", FontSize: 11}, Data: data}
	}
	o := option{
		Tooltip: &tooltip{Trigger: "item", Confine: true},
		Legend:  &legend{Top: 0, Data: []string{gname, rname}},
		Grid:    &grid{Left: 8, Right: 40, Top: 32, Bottom: 8, ContainLabel: true},
		XAxis:   []axis{{Type: "value", Min: ptr(number(0))}},
		YAxis: []axis{{Type: "category", Data: names, Inverse: true,
			AxisLabel: &axisLabel{Width: 180, Overflow: "truncate"}}},
		Series: []series{bar(gname, "#1f4e9c", group), bar(rname, "#9ab8e0", rest)},
	}
	return encode(GroupComparisonID, title, 44*len(items)+72, o)
}

// groupBar is one bar: a number label and "{b}<br/>{a}: value" tooltip,
// "-" (empty) when suppressed, null without an estimate.
func groupBar(v float64, it GroupItem, n string) any {
	switch {
	case it.Suppressed:
		return "-"
	case !finite(v):
		return nil
	}
	t := text2(v)
	return item{Value: num(v), Label: &label{Formatter: t},
		Tooltip: &tooltip{Formatter: "{b}<br/>{a}: " + t + n}}
}

// groupLabel is the item's label with " *" when it is significant, or
// " (n<30)" when it is suppressed.
func groupLabel(it GroupItem) string {
	switch {
	case it.Suppressed:
		return it.Label + " (" + suppressedLabel + ")"
	case it.Significant:
		return it.Label + " *"
	}
	return it.Label
}

func groupItems(items []GroupItem) []GroupItem {
	var out []GroupItem
	for _, it := range items {
		if finite(it.Group) || finite(it.Rest) {
			out = append(out, it)
		}
	}
	return out
}

// GroupRows is the table of exactly what GroupComparison draws: header
// label, group, rest, n, significant ("*" or ""); a suppressed item has n
// "<30" and nothing else.
func GroupRows(items []GroupItem) (header []string, rows [][]string) {
	header = []string{"label", "group", "rest", "n", "significant"}
	for _, it := range groupItems(items) {
		if it.Suppressed {
			rows = append(rows, []string{it.Label, "", "", suppressedText, ""})
			continue
		}
		sig := ""
		if it.Significant {
			sig = "*"
		}
		rows = append(rows, []string{it.Label, text2(it.Group), text2(it.Rest), nText(it.N), sig})
	}
	return header, rows
}
