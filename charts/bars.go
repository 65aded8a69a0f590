package charts

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Element ids of the complaint and NPS bar charts.
const (
	ComplaintCountsID = "chart-complaints"
	NPSBarsID         = "chart-nps"
)

// CountItem is a number of complaints of one type or in one category.
type CountItem struct {
	Label string
	Count int
}

// ComplaintCounts draws complaint counts as horizontal bars with their
// count at the right, in the order given (the caller sorts). Counts are
// exact, so nothing is suppressed; a negative count is an error.
func ComplaintCounts(items []CountItem, title string, opts ...Option) (Chart, error) {
	s := apply(opts)
	if len(items) == 0 {
		return emptyChart(ComplaintCountsID, title, s)
	}
	names := make([]string, len(items))
	data := make([]any, len(items))
	for i, it := range items {
		if it.Count < 0 {
			return Chart{}, fmt.Errorf("chart %s: %q has a negative count", ComplaintCountsID, it.Label)
		}
		names[i], data[i] = it.Label, it.Count
	}
	o := option{
		Tooltip: &tooltip{Trigger: "item", Formatter: "{b}: {c}", Confine: true},
		Grid:    &grid{Left: 8, Right: 40, Top: 8, Bottom: 8, ContainLabel: true},
		XAxis:   []axis{{Type: "value", Min: ptr(number(0))}},
		YAxis: []axis{{Type: "category", Data: names, Inverse: true,
			AxisLabel: &axisLabel{Width: 180, Overflow: "truncate"}}},
		Series: []series{{Type: "bar", BarWidth: "55%", ItemStyle: &itemStyle{Color: "#5470c6"},
			Label: &label{Show: ptr(true), Position: "right"}, Data: data}},
	}
	return encode(ComplaintCountsID, title, 28*len(items)+40, o)
}

// ComplaintRows is the table of exactly what ComplaintCounts draws: header
// label, count.
func ComplaintRows(items []CountItem) (header []string, rows [][]string) {
	header = []string{"label", "count"}
	for _, it := range items {
		rows = append(rows, []string{it.Label, strconv.Itoa(it.Count)})
	}
	return header, rows
}

// NPSItem is one category's net-promoter split: the shares of promoters
// (9–10), passives (7–8) and detractors (0–6) in any unit (proportions,
// percentages or weighted counts; they are scaled to 100 %).
type NPSItem struct {
	Label                           string
	Promoters, Passives, Detractors float64 // NaN: no estimate
	N                               int     // respondents; 0: not known
	Suppressed                      bool    // fewer than 30 respondents
}

// nps is an NPSItem scaled to percentages.
type nps struct {
	NPSItem
	pro, pas, det, score float64
}

// npsItems keeps the items with three shares as percentages; a suppressed
// one keeps its label and n, and its shares are dropped before anything is
// computed from them.
func npsItems(items []NPSItem) []nps {
	var out []nps
	for _, it := range items {
		sum := it.Promoters + it.Passives + it.Detractors
		if !finite(sum) || sum <= 0 || it.Promoters < 0 || it.Passives < 0 || it.Detractors < 0 {
			continue
		}
		if it.Suppressed { // its shares are kept out of everything drawn
			it.Promoters, it.Passives, it.Detractors = math.NaN(), math.NaN(), math.NaN()
			out = append(out, nps{NPSItem: it})
			continue
		}
		p, q, d := 100*it.Promoters/sum, 100*it.Passives/sum, 100*it.Detractors/sum
		out = append(out, nps{it, p, q, d, p - d})
	}
	return out
}

// npsText is "NPS +12.3".
func npsText(x float64) string { return "NPS " + signed1(x) }

// signed1 is x with a sign and 1 decimal: "+12.3", "-4.0", "0.0".
func signed1(x float64) string {
	t := text1(x)
	if t != "0.0" && t[0] != '-' {
		t = "+" + t
	}
	return t
}

// NPSBars draws each category as a 100 % stacked bar of detractors (red),
// passives (yellow) and promoters (green), with shares of 8 % and more
// written in their segment and the NPS (promoters − detractors, in points)
// at the right, in the order given. Items without three shares are left
// out. A suppressed category is one grey (#bbb) bar across the whole 0–100 %
// axis, without segments or numbers, "n<30" at the right; with nothing but
// suppressed categories the chart is Empty. The legend names come from
// SeriesNames(promoters, passives, detractors).
func NPSBars(items []NPSItem, title string, opts ...Option) (Chart, error) {
	s := apply(opts)
	its := npsItems(items)
	if !slices.ContainsFunc(its, func(it nps) bool { return !it.Suppressed }) {
		return emptyChart(NPSBarsID, title, s)
	}
	names := make([]string, len(its))
	right := make([]string, len(its))
	det, pas, pro, grey := make([]any, len(its)), make([]any, len(its)), make([]any, len(its)), make([]any, len(its))
	for i, it := range its {
		names[i] = it.Label
		if it.Suppressed {
			right[i] = suppressedLabel
			grey[i] = item{Value: number(100), Tooltip: &tooltip{Formatter: suppressedTip}}
			continue
		}
		right[i] = npsText(it.score)
		tip := " · " + right[i] + nTip(it.N)
		det[i], pas[i], pro[i] = segment(it.det, tip), segment(it.pas, tip), segment(it.pro, tip)
	}
	pname, qname, dname := s.name(0, "promoters"), s.name(1, "passives"), s.name(2, "detractors")
	seg := func(name, color string, data []any) series {
		return series{Type: "bar", Name: name, Stack: "nps", BarWidth: "55%", ItemStyle: &itemStyle{Color: color},
			Label: &label{Show: ptr(true), Position: "inside", Color: "#fff", FontSize: 11}, Data: data}
	}
	o := option{
		Tooltip: &tooltip{Trigger: "item", Confine: true},
		Legend:  &legend{Top: 0, Data: []string{dname, qname, pname}},
		Grid:    &grid{Left: 8, Right: 8, Top: 32, Bottom: 8, ContainLabel: true},
		XAxis: []axis{{Type: "value", Min: ptr(number(0)), Max: ptr(number(100)),
			AxisLabel: &axisLabel{Formatter: "{value}%"}}},
		YAxis: []axis{
			{Type: "category", Data: names, Inverse: true, AxisLabel: &axisLabel{Width: 180, Overflow: "truncate"}},
			{Type: "category", Data: right, Inverse: true, Position: "right", AxisLine: &shown{}, AxisTick: &shown{}},
		},
		Series: []series{
			seg(dname, "#c0392b", det), seg(qname, "#e0a800", pas), seg(pname, "#2e7d32", pro),
			{Type: "bar", Stack: "nps", BarWidth: "55%", ItemStyle: greyed(), Label: noLabel(), Data: grey},
		},
	}
	return encode(NPSBarsID, title, 28*len(its)+72, o)
}

// segment is one share of a stacked bar; tip follows "{b}<br/>{a}: share".
func segment(share float64, tip string) any {
	t := text1(share) + "%"
	it := item{Value: number(round2(share)), Label: &label{Formatter: t},
		Tooltip: &tooltip{Formatter: "{b}<br/>{a}: " + t + tip}}
	if share < 8 {
		it.Label = noLabel()
	}
	return it
}

// NPSRows is the table of exactly what NPSBars draws: header label,
// promoters, passives, detractors (percentages), nps, n; a suppressed
// category has n "<30" and nothing else.
func NPSRows(items []NPSItem) (header []string, rows [][]string) {
	header = []string{"label", "promoters", "passives", "detractors", "nps", "n"}
	for _, it := range npsItems(items) {
		if it.Suppressed {
			rows = append(rows, []string{it.Label, "", "", "", "", suppressedText})
			continue
		}
		rows = append(rows, []string{it.Label, text1(it.pro), text1(it.pas), text1(it.det),
			signed1(it.score), nText(it.N)})
	}
	return header, rows
}
