package charts_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/charts"
)

// edge is one builder call at the edge of its input: empty, all
// suppressed (Empty: a chart of hidden values would have nothing to show),
// NaN, malformed.
type edge struct {
	name    string
	chart   func() (charts.Chart, error)
	rows    func() ([]string, [][]string) // nil: not checked
	wantErr bool
	empty   bool
	has     []string   // substrings of the option JSON
	hasNot  []string   // substrings the option JSON must not have
	body    [][]string // the rows without the header, when rows is set
}

func TestBuilderEdges(t *testing.T) {
	sup := func(label string, v float64) charts.PriorityItem {
		return charts.PriorityItem{Label: label, Value: v, Lo: v - 1, Hi: v + 1, N: 12, Suppressed: true}
	}
	allSup := []charts.PriorityItem{sup("a", 10), sup("b", 20)}
	ql := charts.QuadrantLabels{Concentrate: "C", KeepUp: "K", LowPriority: "L", Overkill: "O"}
	ipaSup := []charts.IPAPoint{{Label: "a", X: 4, Y: 3, N: 9, Suppressed: true}, {Label: "b", X: 3, Y: 4, N: 9, Suppressed: true}}
	ipaNaN := []charts.IPAPoint{{Label: "a", X: nan, Y: 3}, {Label: "b", X: 3, Y: nan}}
	gapSup := [][]charts.HeatCell{{{Value: 1, Suppressed: true}, {Value: nan}}}
	gapNaN := [][]charts.HeatCell{{{Value: nan}, {Value: nan}}}
	trendSup := []charts.TrendSeries{{Label: "a", Points: []charts.TrendPoint{{Value: 60, Suppressed: true}, {Value: nan}}}}
	grpSup := []charts.GroupItem{{Label: "a", Group: 50, Rest: 60, Significant: true, Suppressed: true}}
	npsSup := []charts.NPSItem{{Label: "a", Promoters: 1, Passives: 1, Detractors: 1, Suppressed: true}}
	npsNaN := []charts.NPSItem{{Label: "a", Promoters: nan, Passives: 1, Detractors: 1}, {Label: "b"}}
	two := []string{"x", "y"}
	for _, tc := range []edge{
		{name: "priority/empty", chart: func() (charts.Chart, error) { return charts.PriorityWhiskers(nil, "t") },
			empty: true, has: []string{`"text":"–"`, `"series":[]`}},
		{name: "priority/no-data text", chart: func() (charts.Chart, error) {
			return charts.PriorityWhiskers(nil, "t", charts.NoData("暂无数据"))
		}, empty: true, has: []string{`"text":"暂无数据"`}},
		{name: "priority/all NaN", chart: func() (charts.Chart, error) {
			return charts.PriorityWhiskers([]charts.PriorityItem{{Label: "a", Value: nan}}, "t")
		}, empty: true},
		{name: "priority/all suppressed: nothing to draw",
			chart: func() (charts.Chart, error) { return charts.PriorityWhiskers(allSup, "t") },
			rows:  func() ([]string, [][]string) { return charts.PriorityRows(allSup) }, empty: true,
			body: [][]string{{"a", "", "", "", "<30"}, {"b", "", "", "", "<30"}}},
		{name: "priority/suppressed: an empty slot reading n<30",
			chart: func() (charts.Chart, error) {
				return charts.PriorityWhiskers(append([]charts.PriorityItem{{Label: "c", Value: 5, Lo: 4, Hi: 6}}, allSup...), "t")
			},
			has:    []string{`"data":["c","a","b"]`, `"data":["5.00 [4.00, 6.00]","n\u003c30","n\u003c30"]`, `"tooltip":{"formatter":"{b}\u003cbr/\u003e5.00 [4.00, 6.00]"}},"-","-"]`},
			hasNot: []string{`"value":10`, `"value":20`, `#bbb`}},
		{name: "priority/NaN interval, order",
			chart: func() (charts.Chart, error) {
				return charts.PriorityWhiskers([]charts.PriorityItem{{Label: "low", Value: 1, Lo: nan, Hi: 2}, {Label: "high", Value: 5, Lo: 4, Hi: 6}}, "t")
			},
			rows: func() ([]string, [][]string) {
				return charts.PriorityRows([]charts.PriorityItem{{Label: "low", Value: 1, Lo: nan, Hi: 2}, {Label: "high", Value: 5, Lo: 4, Hi: 6}})
			},
			has:  []string{`"data":["high","low"]`, `"data":[{"value":[4,5,5,5,6]`, `"-"]`},
			body: [][]string{{"high", "5.00", "4.00", "6.00", ""}, {"low", "1.00", "", "", ""}}},
		{name: "index/empty", chart: func() (charts.Chart, error) { return charts.CategoryIndex(nil, "t") }, empty: true},
		{name: "index/all suppressed", chart: func() (charts.Chart, error) {
			return charts.CategoryIndex([]charts.IndexItem{charts.IndexItem(sup("a", 70))}, "t")
		}, empty: true},
		{name: "ipa/empty", chart: func() (charts.Chart, error) { return charts.IPAQuadrant(nil, 1, 1, ql, "t") }, empty: true},
		{name: "ipa/all NaN", chart: func() (charts.Chart, error) { return charts.IPAQuadrant(ipaNaN, nan, nan, ql, "t") }, empty: true},
		{name: "ipa/all suppressed: no crosshair from hidden means",
			chart: func() (charts.Chart, error) { return charts.IPAQuadrant(ipaSup, nan, nan, ql, "t") },
			rows:  func() ([]string, [][]string) { return charts.IPARows(ipaSup, nan, nan, ql) }, empty: true,
			body: [][]string{{"a", "", "", "<30", ""}, {"b", "", "", "<30", ""}}},
		{name: "ipa/crosshair and axes from the visible point only",
			chart: func() (charts.Chart, error) {
				return charts.IPAQuadrant(append([]charts.IPAPoint{{Label: "v", X: 2, Y: 2, N: 40}}, ipaSup...), nan, nan, ql, "t")
			},
			has:    []string{`{"xAxis":2},{"yAxis":2}`, `"min":1.9,"max":2.1}]`},
			hasNot: []string{`"name":"a"`, `"name":"b"`, `"value":[4,3]`, `#bbb`}},
		{name: "ipa/quadrants",
			chart: func() (charts.Chart, error) { return charts.IPAQuadrant(ipaSup[:0], 0, 0, ql, "t") }, empty: true,
			rows: func() ([]string, [][]string) {
				return charts.IPARows([]charts.IPAPoint{{Label: "hi-lo", X: 2, Y: 0}, {Label: "hi-hi", X: 0, Y: 0}, {Label: "lo-lo", X: -1, Y: -1}, {Label: "lo-hi", X: -1, Y: 1}}, 0, 0, ql)
			},
			body: [][]string{{"hi-lo", "2.00", "0.00", "", "K"}, {"hi-hi", "0.00", "0.00", "", "K"}, {"lo-lo", "-1.00", "-1.00", "", "L"}, {"lo-hi", "-1.00", "1.00", "", "O"}}},
		{name: "gap/empty", chart: func() (charts.Chart, error) { return charts.GapHeatmap(nil, nil, nil, "t") }, empty: true},
		{name: "gap/shape", chart: func() (charts.Chart, error) { return charts.GapHeatmap(two, two, gapNaN, "t") }, wantErr: true},
		{name: "gap/all NaN", chart: func() (charts.Chart, error) { return charts.GapHeatmap(two[:1], two, gapNaN, "t") }, empty: true,
			rows: func() ([]string, [][]string) { return charts.GapRows(two[:1], two, gapNaN) }, body: [][]string{{"x", "", ""}}},
		{name: "gap/all suppressed",
			chart: func() (charts.Chart, error) { return charts.GapHeatmap(two[:1], two, gapSup, "t") },
			rows:  func() ([]string, [][]string) { return charts.GapRows(two[:1], two, gapSup) }, empty: true,
			body: [][]string{{"x", "<30", ""}}},
		{name: "trend/empty", chart: func() (charts.Chart, error) { return charts.WeeklyTrend(nil, nil, "t") }, empty: true},
		{name: "trend/length", chart: func() (charts.Chart, error) { return charts.WeeklyTrend(two[:1], trendSup, "t") }, wantErr: true},
		{name: "trend/all suppressed or NaN", chart: func() (charts.Chart, error) { return charts.WeeklyTrend(two, trendSup, "t") }, empty: true,
			rows: func() ([]string, [][]string) { return charts.TrendRows(two, trendSup) }, body: [][]string{{"x", "<30"}, {"y", ""}}},
		{name: "group/empty", chart: func() (charts.Chart, error) { return charts.GroupComparison(nil, "t") }, empty: true},
		{name: "group/all suppressed",
			chart: func() (charts.Chart, error) { return charts.GroupComparison(grpSup, "t") },
			rows:  func() ([]string, [][]string) { return charts.GroupRows(grpSup) }, empty: true,
			body: [][]string{{"a", "", "", "<30", ""}}},
		{name: "group/suppressed: empty bars, n<30 instead of the mark",
			chart: func() (charts.Chart, error) {
				return charts.GroupComparison(append([]charts.GroupItem{{Label: "b", Group: 1, Rest: 2}}, grpSup...), "t")
			},
			has:    []string{`"data":["b","a (n\u003c30)"]`, `"-"]`},
			hasNot: []string{`a *`, `"value":50`, `"value":60`, `#bbb`}},
		{name: "complaints/empty", chart: func() (charts.Chart, error) { return charts.ComplaintCounts(nil, "t") }, empty: true},
		{name: "complaints/negative", chart: func() (charts.Chart, error) {
			return charts.ComplaintCounts([]charts.CountItem{{Label: "a", Count: -1}}, "t")
		}, wantErr: true},
		{name: "nps/empty", chart: func() (charts.Chart, error) { return charts.NPSBars(nil, "t") }, empty: true},
		{name: "nps/NaN and zero shares", chart: func() (charts.Chart, error) { return charts.NPSBars(npsNaN, "t") }, empty: true,
			rows: func() ([]string, [][]string) { return charts.NPSRows(npsNaN) }},
		{name: "nps/all suppressed",
			chart: func() (charts.Chart, error) { return charts.NPSBars(npsSup, "t") },
			rows:  func() ([]string, [][]string) { return charts.NPSRows(npsSup) }, empty: true,
			body: [][]string{{"a", "", "", "", "", "<30"}}},
		{name: "quota/empty", chart: func() (charts.Chart, error) { return charts.QuotaFill(nil, nil, nil, "t") }, empty: true},
		{name: "quota/shape", chart: func() (charts.Chart, error) {
			return charts.QuotaFill(two, two, [][]charts.QuotaCell{{{}, {}}}, "t")
		}, wantErr: true},
		{name: "quota/negative", chart: func() (charts.Chart, error) {
			return charts.QuotaFill(two[:1], two[:1], [][]charts.QuotaCell{{{N: -1, Target: 3}}}, "t")
		}, wantErr: true},
		{name: "quota/no targets", chart: func() (charts.Chart, error) {
			return charts.QuotaFill(two[:1], two, [][]charts.QuotaCell{{{N: 3}, {}}}, "t")
		}, empty: true},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t) })
	}
}

func (tc edge) check(t *testing.T) {
	c, err := tc.chart()
	if tc.wantErr {
		if err == nil {
			t.Fatalf("no error; want one")
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	checkPure(t, c)
	if c.Empty != tc.empty || c.ElementID == "" || c.Height <= 0 {
		t.Errorf("Empty %v, ElementID %q, Height %d; want Empty %v", c.Empty, c.ElementID, c.Height, tc.empty)
	}
	var o map[string]any
	if err := json.Unmarshal(c.Option, &o); err != nil {
		t.Fatal(err)
	}
	for _, s := range tc.has {
		if !strings.Contains(string(c.Option), s) {
			t.Errorf("option lacks %s: %s", s, c.Option)
		}
	}
	for _, s := range tc.hasNot {
		if strings.Contains(string(c.Option), s) {
			t.Errorf("option has %s: %s", s, c.Option)
		}
	}
	if tc.rows != nil {
		_, body := tc.rows()
		if diff := cmp.Diff(tc.body, body); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
	}
}
