package charts_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/charts"
)

var nan = math.NaN()

// hostile is a label that would run script if a page or a tooltip put it
// into HTML unescaped.
const hostile = `</script><img src=x onerror=alert(1)>`

// builderCase is one builder with fixed inputs: chart draws it, rows gives
// its table.
type builderCase struct {
	name  string // golden file stem
	id    string
	chart func() (charts.Chart, error)
	rows  func() ([]string, [][]string)
}

// builderCases are the fixed inputs of every builder of the regulator
// dashboard; first, when not empty, replaces the first label of each.
// The numbers are made up to cover ties, missing intervals, suppressed and
// NaN items, and both signs of a gap.
func builderCases(first string) []builderCase {
	l := func(s string) string {
		if first != "" {
			return first
		}
		return s
	}
	prio := []charts.PriorityItem{
		{Label: l("老年用品 · 说明书与警示清晰易读"), Value: 14.2857, Lo: 11.2, Hi: 17.38, N: 412},
		{Label: "食品 · 安全卫生", Value: 9.1, Lo: 7, Hi: 11.2, N: 980},
		{Label: "药品 · 说明书", Value: 12.46, Lo: 10.02, Hi: 14.9, N: 530},
		{Label: "婴幼儿用品 · 安全", Value: 9.1, Lo: nan, Hi: nan, N: 120},
		{Label: "网购 · 退换货", Value: 11, Lo: 6, Hi: 16, N: 22, Suppressed: true},
		{Label: "家电 · 售后", Value: nan, Lo: nan, Hi: nan},
	}
	index := []charts.IndexItem{
		{Label: l("Food"), Value: 71.3, Lo: 69.9, Hi: 72.7, N: 980},
		{Label: "Products for older people", Value: 58.04, Lo: 55.1, Hi: 60.98, N: 412},
		{Label: "Online shopping", Value: 66, Lo: 50, Hi: 82, N: 22, Suppressed: true},
		{Label: "Appliances", Value: nan, Lo: nan, Hi: nan},
		{Label: `Drugs "OTC" & <Rx>`, Value: 74.5, Lo: nan, Hi: nan, N: 530},
	}
	ipa := []charts.IPAPoint{
		{Label: l("说明书"), X: 4.6, Y: 2.9, N: 412},
		{Label: "安全", X: 4.8, Y: 3.9, N: 410},
		{Label: "外观", X: 3.1, Y: 4.2, N: 405},
		{Label: "包装", X: 3.3, Y: 3.0, N: 408},
		{Label: "价格", X: 4.1, Y: 3.4, N: 25, Suppressed: true},
		{Label: "售后", X: nan, Y: 3.1, N: 300},
	}
	ql := charts.QuadrantLabels{Concentrate: "重点改进", KeepUp: "继续保持", LowPriority: "次要", Overkill: "可能过度",
		X: "重要性", Y: "满意度"}
	rows := []string{l("食品"), "老年用品", "网购"}
	cols := []string{"安全", "说明书", "退换货"}
	gap := [][]charts.HeatCell{
		{{Value: 0.42, N: 980}, {Value: -0.1, N: 975}, {Value: nan}},
		{{Value: 1.7, N: 412}, {Value: 1.234, N: 410}, {Value: nan}},
		{{Value: 0.8, N: 22, Suppressed: true}, {Value: nan}, {Value: 0.95, N: 240}},
	}
	weeks := []string{"2026-W14", "2026-W15", "2026-W16", "2026-W17"}
	trend := []charts.TrendSeries{
		{Label: l("食品"), Points: []charts.TrendPoint{{Value: 70.1, N: 250}, {Value: 71.46, N: 260}, {Value: nan}, {Value: 72, N: 240}}},
		{Label: "老年用品", Points: []charts.TrendPoint{{Value: 55, N: 28, Suppressed: true}, {Value: 57.25, N: 110}, {Value: 58.9, N: 120}, {Value: 60.3, N: 131}}},
	}
	groups := []charts.GroupItem{
		{Label: l("食品"), Group: 66.2, Rest: 71.8, N: 310, Significant: true},
		{Label: "老年用品", Group: 52.5, Rest: 60.1, N: 140},
		{Label: "网购", Group: 61, Rest: 67, N: 18, Significant: true, Suppressed: true},
		{Label: "药品", Group: nan, Rest: 74.2},
		{Label: "家电", Group: nan, Rest: nan},
	}
	counts := []charts.CountItem{{Label: l("虚假宣传"), Count: 57}, {Label: "售后推诿", Count: 31}, {Label: "无中文标签", Count: 0}}
	nps := []charts.NPSItem{
		{Label: l("食品"), Promoters: 0.41, Passives: 0.37, Detractors: 0.22, N: 980},
		{Label: "老年用品", Promoters: 120, Passives: 160, Detractors: 132, N: 412},
		{Label: "网购", Promoters: 0.5, Passives: 0.3, Detractors: 0.2, N: 22, Suppressed: true},
		{Label: "家电", Promoters: 0.05, Passives: 0.15, Detractors: 0.8, N: 75},
		{Label: "药品", Promoters: nan, Passives: 0.3, Detractors: 0.2},
	}
	qrows := []string{l("60岁以上"), "婴幼儿家庭", "中小学生"}
	qcols := []string{"城区", "城乡结合部", "农村"}
	quota := [][]charts.QuotaCell{
		{{N: 120, Target: 100}, {N: 35, Target: 60}, {N: 12, Target: 60}},
		{{N: 80, Target: 100}, {N: 0, Target: 40}, {N: 9, Target: 0}},
		{{N: 50, Target: 50}, {N: 20, Target: 40}, {N: 3, Target: 40}},
	}
	names := charts.SeriesNames("60岁以上", "其他人")
	npsNames := charts.SeriesNames("推荐者", "中立者", "贬损者")
	return []builderCase{
		{"priority-whiskers", charts.PriorityWhiskersID,
			func() (charts.Chart, error) { return charts.PriorityWhiskers(prio, "改进优先级") },
			func() ([]string, [][]string) { return charts.PriorityRows(prio) }},
		{"category-index", charts.CategoryIndexID,
			func() (charts.Chart, error) { return charts.CategoryIndex(index, "Quality index") },
			func() ([]string, [][]string) { return charts.IndexRows(index) }},
		{"ipa-quadrant", charts.IPAQuadrantID,
			func() (charts.Chart, error) { return charts.IPAQuadrant(ipa, 4, 3.5, ql, "老年用品") },
			func() ([]string, [][]string) { return charts.IPARows(ipa, 4, 3.5, ql) }},
		{"gap-heatmap", charts.GapHeatmapID,
			func() (charts.Chart, error) { return charts.GapHeatmap(rows, cols, gap, "满意度差距") },
			func() ([]string, [][]string) { return charts.GapRows(rows, cols, gap) }},
		{"weekly-trend", charts.WeeklyTrendID,
			func() (charts.Chart, error) { return charts.WeeklyTrend(weeks, trend, "每周质量指数") },
			func() ([]string, [][]string) { return charts.TrendRows(weeks, trend) }},
		{"group-comparison", charts.GroupComparisonID,
			func() (charts.Chart, error) { return charts.GroupComparison(groups, "60岁以上与其他人", names) },
			func() ([]string, [][]string) { return charts.GroupRows(groups) }},
		{"complaint-counts", charts.ComplaintCountsID,
			func() (charts.Chart, error) { return charts.ComplaintCounts(counts, "投诉") },
			func() ([]string, [][]string) { return charts.ComplaintRows(counts) }},
		{"nps-bars", charts.NPSBarsID,
			func() (charts.Chart, error) { return charts.NPSBars(nps, "NPS", npsNames) },
			func() ([]string, [][]string) { return charts.NPSRows(nps) }},
		{"quota-fill", charts.QuotaFillID,
			func() (charts.Chart, error) { return charts.QuotaFill(qrows, qcols, quota, "配额完成") },
			func() ([]string, [][]string) { return charts.QuotaRows(qrows, qcols, quota) }},
	}
}

func TestBuildersGolden(t *testing.T) {
	for _, tc := range builderCases("") {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.chart()
			if err != nil {
				t.Fatal(err)
			}
			if c.ElementID != tc.id || c.Empty || c.Height <= 0 {
				t.Errorf("ElementID %q, Empty %v, Height %d; want %q, false, > 0", c.ElementID, c.Empty, c.Height, tc.id)
			}
			again, _ := tc.chart()
			if !bytes.Equal(c.Option, again.Option) {
				t.Errorf("two renders differ: the builder is not deterministic")
			}
			checkPure(t, c)
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, c.Option, "", "  "); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".golden.json", pretty.Bytes())
			golden(t, tc.name+".rows.golden.csv", csvOf(t, tc.rows))
		})
	}
}

// checkPure fails unless the option is JSON data an ECharts page can parse:
// no NaN or Infinity (not JSON), no functions, nothing that could end a
// <script> element or start a tag.
func checkPure(t *testing.T, c charts.Chart) {
	t.Helper()
	if !json.Valid(c.Option) {
		t.Fatalf("option is not JSON: %s", c.Option)
	}
	for _, bad := range []string{"NaN", "Infinity", "function", "=>", "<", ">"} {
		if bytes.Contains(c.Option, []byte(bad)) {
			t.Errorf("option contains %q: %s", bad, c.Option)
		}
	}
}

func csvOf(t *testing.T, rows func() ([]string, [][]string)) []byte {
	t.Helper()
	header, body := rows()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(append([][]string{header}, body...)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Labels come in from survey files and respondents: in the option they
// must appear only escaped, while the rows keep them as they are (the page
// escapes its tables).
func TestBuildersEscapeLabels(t *testing.T) {
	escaped := []byte(`\u003c/script\u003e\u003cimg src=x onerror=alert(1)\u003e`)
	for _, tc := range builderCases(hostile) {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.chart()
			if err != nil {
				t.Fatal(err)
			}
			checkPure(t, c)
			if !bytes.Contains(c.Option, escaped) {
				t.Errorf("the label did not reach the chart escaped (the test would prove nothing): %s", c.Option)
			}
			if rows := csvOf(t, tc.rows); !strings.Contains(string(rows), hostile) {
				t.Errorf("rows lost the label: %s", rows)
			}
		})
	}
}
