package charts

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// PriorityRankingID is the element id of the priority ranking chart.
const PriorityRankingID = "chart-priority"

// Labels translates codes into the page language.
type Labels struct {
	Def  *surveys.Definition
	Lang string
}

// Category is the category's label.
func (l Labels) Category(code string) string {
	if c := l.Def.Category(code); c != nil {
		return c.Label.In(l.Lang, l.Def.DefaultLanguage())
	}
	return code
}

// Indicator is the indicator's label within its category.
func (l Labels) Indicator(category, code string) string {
	c := l.Def.Category(category)
	if c == nil {
		return code
	}
	for _, ind := range c.Indicators {
		if ind.Code == code {
			return l.Def.IndicatorLabel(c, ind).In(l.Lang, l.Def.DefaultLanguage())
		}
	}
	return code
}

// shortCategory keeps axis labels readable: the label up to its first
// bracket ("食品（含农产品…）" → "食品").
func shortCategory(s string) string {
	for i, r := range s {
		if r == '（' || r == '(' {
			return trimSpace(s[:i])
		}
	}
	return s
}

func trimSpace(s string) string {
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// PriorityRanking is a horizontal bar chart of the top improvement
// priorities on the 0–100 scale (25·w_k·(5 − P_k), methods.md §8), highest
// at the top. Items with a priority that is not a number (no answers) are
// left out, and so are those with fewer than 30 answers on importance or
// satisfaction: Summary ranks them by their imprecise estimate, so they
// neither show nor take a place among the top. With none left the chart
// is Empty. The title is given by the caller in the page language.
func PriorityRanking(s *analysis.Summary, l Labels, title string, top int, options ...Option) (Chart, error) {
	var names []string
	var data []opts.BarData
	for _, r := range s.Priorities {
		if len(data) == top {
			break
		}
		if math.IsNaN(r.Priority.Mean) || min(r.Importance.N, r.Satisfaction.N) < minRespondents {
			continue
		}
		name := shortCategory(l.Category(r.Category)) + " · " + l.Indicator(r.Category, r.Indicator)
		names = append(names, name)
		data = append(data, opts.BarData{Name: name, Value: round2(25 * r.Priority.Mean)})
	}
	if len(data) == 0 {
		return emptyChart(PriorityRankingID, title, apply(options))
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: PriorityRankingID, AssetsHost: "/static/"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "2%", Right: "8%", Top: "2%", Bottom: "2%", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "0–100"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 180, Overflow: "truncate"}}),
	)
	bar.SetXAxis(names).
		AddSeries("priority", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: "#b3261e"})).
		XYReversal()
	return render(PriorityRankingID, title, 40+28*len(data), bar)
}

// round2 keeps option JSON short and golden files stable.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
