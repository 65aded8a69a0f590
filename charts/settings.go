package charts

import (
	"math"
	"strconv"
)

// An Option sets a text that a builder cannot know in the page language.
// Builders take options after their title; without them they fall back to
// language-neutral or English texts.
type Option func(*settings)

type settings struct {
	noData string
	names  []string
}

// NoData sets the text an empty chart shows in the middle of its area
// (default "–"), e.g. NoData("暂无数据").
func NoData(text string) Option {
	return func(s *settings) { s.noData = text }
}

// SeriesNames names the series of the builders whose legend needs words:
// GroupComparison (the group, everyone else) and NPSBars (promoters,
// passives, detractors), in that order. Missing names fall back to English.
func SeriesNames(names ...string) Option {
	return func(s *settings) { s.names = append([]string(nil), names...) }
}

func apply(opts []Option) settings {
	s := settings{noData: "–"}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// name is the i-th series name, or def.
func (s settings) name(i int, def string) string {
	if i < len(s.names) && s.names[i] != "" {
		return s.names[i]
	}
	return def
}

// emptyChart is the chart of a builder with nothing to draw: its no-data
// text in the middle of a short area, and Empty set so a page may show its
// own message instead.
func emptyChart(id, chartTitle string, s settings) (Chart, error) {
	o := option{
		Title: &title{Text: s.noData, Left: "center", Top: "middle",
			TextStyle: &textStyle{Color: "#888", FontSize: 14, FontWeight: "normal"}},
		Series: []series{},
	}
	c, err := encode(id, chartTitle, 120, o)
	c.Empty = true
	return c, err
}

// minRespondents is the fewest answers an estimate is drawn from where a
// builder judges it itself (PriorityRanking); the others take a Suppressed
// flag from the caller.
const minRespondents = 30

// Texts in tables and CSV files: suppressedText for an estimate from fewer
// than 30 respondents, "" for no estimate.
const suppressedText = "<30"

// suppressedTip is the tooltip of a suppressed item; the template is HTML,
// so "<" is written as an entity.
const suppressedTip = "{b}<br/>n &lt; 30"

// suppressedLabel is drawn where a suppressed item's number would be.
const suppressedLabel = "n<30"

// text2 is x with 2 decimals, "" when x is not finite: the one format for
// estimates in labels, tooltips and tables.
func text2(x float64) string {
	if !finite(x) {
		return ""
	}
	return strconv.FormatFloat(noNegZero(round2(x)), 'f', 2, 64)
}

// text1 is x with 1 decimal, "" when x is not finite.
func text1(x float64) string {
	if !finite(x) {
		return ""
	}
	return strconv.FormatFloat(noNegZero(math.Round(x*10)/10), 'f', 1, 64)
}

// noNegZero turns -0 (from rounding a small negative number) into 0, which
// is written without a sign.
func noNegZero(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}

// nText is a respondent count for tables; 0 or less means not known.
func nText(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// nTip is " · n = 123" for a tooltip, or "" when n is not known.
func nTip(n int) string {
	if n <= 0 {
		return ""
	}
	return " · n = " + strconv.Itoa(n)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// niceRange widens [lo, hi] by 5 % and rounds it out to a step of 1, 2 or 5
// times a power of ten, so axes start and end on round numbers.
func niceRange(lo, hi float64) (float64, float64) {
	span := hi - lo
	if span <= 0 {
		span = math.Max(math.Abs(hi), 1) / 5
	}
	p := math.Pow(10, math.Floor(math.Log10(span/5)))
	step := 10 * p
	for _, f := range []float64{1, 2, 5} {
		if span/5 <= f*p {
			step = f * p
			break
		}
	}
	lo = math.Floor((lo-span/20)/step) * step
	hi = math.Ceil((hi+span/20)/step) * step
	return round6(lo), round6(hi)
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
