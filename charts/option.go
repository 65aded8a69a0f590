package charts

import (
	"encoding/json"
	"fmt"
	"math"
)

// The builders of the regulator dashboard write ECharts 5.6 options with
// the plain structs below rather than go-echarts types: they need boxplot
// whiskers beside bars, markArea quadrants, heatmaps under a visualMap, null
// points and per-item tooltips, which go-echarts either lacks or writes with
// extra keys (a default palette, an empty title). Every field is omitted when
// empty, so a golden file shows exactly what a builder sets. Nothing here can
// hold a JavaScript function: formatters are ECharts string templates, and
// numbers in them are written by Go.

// option is the root of an ECharts option.
type option struct {
	Title     *title      `json:"title,omitempty"`
	Tooltip   *tooltip    `json:"tooltip,omitempty"`
	Legend    *legend     `json:"legend,omitempty"`
	Grid      *grid       `json:"grid,omitempty"`
	XAxis     []axis      `json:"xAxis,omitempty"`
	YAxis     []axis      `json:"yAxis,omitempty"`
	VisualMap []visualMap `json:"visualMap,omitempty"`
	Series    []series    `json:"series"`
}

type title struct {
	Text      string     `json:"text,omitempty"`
	Left      string     `json:"left,omitempty"`
	Top       string     `json:"top,omitempty"`
	TextStyle *textStyle `json:"textStyle,omitempty"`
}

type textStyle struct {
	Color      string `json:"color,omitempty"`
	FontSize   int    `json:"fontSize,omitempty"`
	FontWeight string `json:"fontWeight,omitempty"`
}

type tooltip struct {
	Trigger   string `json:"trigger,omitempty"`
	Formatter string `json:"formatter,omitempty"`
	Confine   bool   `json:"confine,omitempty"`
}

type legend struct {
	Type string   `json:"type,omitempty"`
	Top  int      `json:"top"`
	Data []string `json:"data,omitempty"`
}

type grid struct {
	Left         int  `json:"left"`
	Right        int  `json:"right"`
	Top          int  `json:"top"`
	Bottom       int  `json:"bottom"`
	ContainLabel bool `json:"containLabel"`
}

type axis struct {
	Type         string     `json:"type"`
	Name         string     `json:"name,omitempty"`
	NameLocation string     `json:"nameLocation,omitempty"`
	NameGap      int        `json:"nameGap,omitempty"`
	Position     string     `json:"position,omitempty"`
	Data         []string   `json:"data,omitempty"`
	Inverse      bool       `json:"inverse,omitempty"`
	Min          *number    `json:"min,omitempty"`
	Max          *number    `json:"max,omitempty"`
	AxisLabel    *axisLabel `json:"axisLabel,omitempty"`
	AxisLine     *shown     `json:"axisLine,omitempty"`
	AxisTick     *shown     `json:"axisTick,omitempty"`
	SplitArea    *shown     `json:"splitArea,omitempty"`
}

type axisLabel struct {
	Interval  *int   `json:"interval,omitempty"`
	Rotate    int    `json:"rotate,omitempty"`
	Width     int    `json:"width,omitempty"`
	Overflow  string `json:"overflow,omitempty"`
	Formatter string `json:"formatter,omitempty"`
}

type shown struct {
	Show bool `json:"show"`
}

type visualMap struct {
	Type        string   `json:"type"`
	Min         number   `json:"min"`
	Max         number   `json:"max"`
	Dimension   int      `json:"dimension"`
	SeriesIndex []int    `json:"seriesIndex"`
	Calculable  bool     `json:"calculable,omitempty"`
	Orient      string   `json:"orient,omitempty"`
	Left        string   `json:"left,omitempty"`
	Bottom      int      `json:"bottom"`
	Text        []string `json:"text,omitempty"`
	InRange     colors   `json:"inRange"`
}

type colors struct {
	Color []string `json:"color"`
}

type series struct {
	Type         string       `json:"type"`
	Name         string       `json:"name,omitempty"`
	Stack        string       `json:"stack,omitempty"`
	BarWidth     string       `json:"barWidth,omitempty"`
	BoxWidth     []int        `json:"boxWidth,omitempty"`
	Symbol       string       `json:"symbol,omitempty"`
	SymbolSize   int          `json:"symbolSize,omitempty"`
	ConnectNulls *bool        `json:"connectNulls,omitempty"`
	ItemStyle    *itemStyle   `json:"itemStyle,omitempty"`
	Label        *label       `json:"label,omitempty"`
	LabelLayout  *labelLayout `json:"labelLayout,omitempty"`
	Tooltip      *tooltip     `json:"tooltip,omitempty"`
	MarkLine     *markLine    `json:"markLine,omitempty"`
	MarkArea     *markArea    `json:"markArea,omitempty"`
	Data         []any        `json:"data"`
}

type labelLayout struct {
	MoveOverlap string `json:"moveOverlap"`
}

type itemStyle struct {
	Color       string  `json:"color,omitempty"`
	BorderColor string  `json:"borderColor,omitempty"`
	BorderWidth float64 `json:"borderWidth,omitempty"`
}

type label struct {
	Show      *bool  `json:"show,omitempty"`
	Position  string `json:"position,omitempty"`
	Formatter string `json:"formatter,omitempty"`
	Color     string `json:"color,omitempty"`
	FontSize  int    `json:"fontSize,omitempty"`
}

type lineStyle struct {
	Type  string `json:"type,omitempty"`
	Color string `json:"color,omitempty"`
}

type markLine struct {
	Silent    bool       `json:"silent"`
	Symbol    []string   `json:"symbol"`
	LineStyle lineStyle  `json:"lineStyle"`
	Label     label      `json:"label"`
	Data      []axisMark `json:"data"`
}

// axisMark is a markLine or markArea point on the axes' values.
type axisMark struct {
	Name      string     `json:"name,omitempty"`
	XAxis     *number    `json:"xAxis,omitempty"`
	YAxis     *number    `json:"yAxis,omitempty"`
	ItemStyle *itemStyle `json:"itemStyle,omitempty"`
	Label     *label     `json:"label,omitempty"`
}

type markArea struct {
	Silent bool          `json:"silent"`
	Data   [][2]axisMark `json:"data"`
}

// item is one data item: value is a number, an array of numbers or null.
type item struct {
	Name      string     `json:"name,omitempty"`
	Value     any        `json:"value"`
	ItemStyle *itemStyle `json:"itemStyle,omitempty"`
	Label     *label     `json:"label,omitempty"`
	Tooltip   *tooltip   `json:"tooltip,omitempty"`
}

// number is a float64 that is written as null when it is NaN or infinite
// (encoding/json refuses those), so no estimate can break an option.
type number float64

// MarshalJSON writes the number, or null when it is not finite.
func (x number) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(noNegZero(f))
}

// num is x rounded to 2 decimals for option JSON.
func num(x float64) number { return number(round2(x)) }

// ptr is &v, for the optional fields above.
func ptr[T any](v T) *T { return &v }

// greyed is the style of an item with too few respondents to show.
func greyed() *itemStyle { return &itemStyle{Color: suppressedColor} }

// noLabel hides an item's label.
func noLabel() *label { return &label{Show: ptr(false)} }

// suppressedColor greys out items with fewer than 30 respondents.
const suppressedColor = "#bbb"

// encode marshals a builder's option into a Chart.
func encode(id, title string, height int, o option) (Chart, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return Chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	return Chart{ElementID: id, Title: title, Option: b, Height: height}, nil
}
