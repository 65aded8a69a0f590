package charts

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Element ids of the heatmaps.
const (
	GapHeatmapID = "chart-gap-heatmap"
	QuotaFillID  = "chart-quota-fill"
)

// HeatCell is one cell of the gap heatmap: a satisfaction gap (importance −
// satisfaction, or a 0–100 gap: the caller decides) and its respondents.
type HeatCell struct {
	Value      float64 // NaN: no estimate, e.g. an indicator the category lacks
	N          int     // respondents; 0: not known
	Suppressed bool    // fewer than 30 respondents
}

// GapHeatmap draws categories (rows, top to bottom) × indicators (columns)
// as a heatmap of the gap with its value in each cell; cells[i][j] is
// rows[i] × cols[j]. The colour scale runs over the gaps rounded out to
// round numbers, and is symmetric around 0 (blue–white–red) when gaps of
// both signs occur. NaN cells stay empty; suppressed cells are grey (#bbb)
// without a number and play no part in the colour scale; with nothing but
// suppressed cells the chart is Empty. A grid whose shape differs from
// rows × cols is an error.
func GapHeatmap(rows []string, cols []string, cells [][]HeatCell, title string, opts ...Option) (Chart, error) {
	s := apply(opts)
	if err := checkGrid(GapHeatmapID, rows, cols, cells); err != nil {
		return Chart{}, err
	}
	var drawn []cell
	lo, hi := 0.0, 0.0
	for i, r := range cells {
		for j, c := range r {
			if !finite(c.Value) {
				continue
			}
			d := cell{row: i, col: j, grey: c.Suppressed}
			if !c.Suppressed {
				d.value, d.text = c.Value, text2(c.Value)
				d.tip = d.text + nTip(c.N)
				lo, hi = math.Min(lo, c.Value), math.Max(hi, c.Value)
			}
			drawn = append(drawn, d)
		}
	}
	if !slices.ContainsFunc(drawn, func(c cell) bool { return !c.grey }) {
		return emptyChart(GapHeatmapID, title, s)
	}
	vm := visualMap{Min: number(lo), Max: number(hi), InRange: colors{[]string{"#f7f7f7", "#b2182b"}}}
	switch {
	case lo < 0 && hi > 0:
		m := math.Max(-lo, hi)
		_, m = niceRange(0, m)
		vm.Min, vm.Max, vm.InRange.Color = number(-m), number(m), []string{"#2166ac", "#f7f7f7", "#b2182b"}
	case lo < 0:
		l, _ := niceRange(lo, 0)
		vm.Min, vm.Max, vm.InRange.Color = number(l), 0, []string{"#2166ac", "#f7f7f7"}
	default:
		_, h := niceRange(0, hi)
		vm.Max = number(h)
	}
	return heatmap(GapHeatmapID, title, rows, cols, drawn, vm, s)
}

// GapRows is the table of exactly what GapHeatmap draws, as a grid: header
// "label" and the column labels, then one row per category with its label
// and cells ("" for NaN, "<30" for suppressed).
func GapRows(rows []string, cols []string, cells [][]HeatCell) (header []string, out [][]string) {
	return gridRows(rows, cols, cells, HeatCell{Value: math.NaN()}, func(c HeatCell) string {
		switch {
		case !finite(c.Value):
			return ""
		case c.Suppressed:
			return suppressedText
		}
		return text2(c.Value)
	})
}

// QuotaCell is one quota cell (a key group × a region type): the responses
// it has and its target.
type QuotaCell struct {
	N      int // responses so far
	Target int // quota; 0: the cell has none
}

// QuotaFill draws key groups (rows) × region types (columns) as a heatmap
// of the percentage of each target filled, red (empty) through yellow to
// green (full, or over), labelled "n/target"; cells[i][j] is rows[i] ×
// cols[j]. Cells without a target stay empty. Counts are exact, so nothing
// is suppressed. A grid whose shape differs from rows × cols, or a negative
// count, is an error.
func QuotaFill(rows []string, cols []string, cells [][]QuotaCell, title string, opts ...Option) (Chart, error) {
	s := apply(opts)
	if err := checkGrid(QuotaFillID, rows, cols, cells); err != nil {
		return Chart{}, err
	}
	var drawn []cell
	for i, r := range cells {
		for j, c := range r {
			if c.N < 0 || c.Target < 0 {
				return Chart{}, fmt.Errorf("chart %s: negative count in row %d, column %d", QuotaFillID, i, j)
			}
			if c.Target == 0 {
				continue
			}
			pct := 100 * float64(c.N) / float64(c.Target)
			drawn = append(drawn, cell{row: i, col: j, value: min(pct, 100), text: quotaText(c),
				tip: quotaText(c) + " (" + percent(pct) + ")"})
		}
	}
	vm := visualMap{Min: 0, Max: 100, Text: []string{"100%", "0%"},
		InRange: colors{[]string{"#d73027", "#fee08b", "#1a9850"}}}
	return heatmap(QuotaFillID, title, rows, cols, drawn, vm, s)
}

// QuotaRows is the table of exactly what QuotaFill draws, as a grid:
// header "label" and the column labels, then one row per key group with
// its label and cells "n/target (percent%)" ("" without a target).
func QuotaRows(rows []string, cols []string, cells [][]QuotaCell) (header []string, out [][]string) {
	return gridRows(rows, cols, cells, QuotaCell{}, func(c QuotaCell) string {
		if c.Target <= 0 {
			return ""
		}
		return quotaText(c) + " (" + percent(100*float64(c.N)/float64(c.Target)) + ")"
	})
}

// gridRows is the table of a heatmap's grid: header "label" and the
// column labels, then one row per row label with its label and the text
// of each of its cells; a cell the grid lacks is the missing one.
func gridRows[T any](rows, cols []string, cells [][]T, missing T, text func(T) string) (header []string, out [][]string) {
	header = append([]string{"label"}, cols...)
	for i, r := range rows {
		line := []string{r}
		for j := range cols {
			c := missing
			if i < len(cells) && j < len(cells[i]) {
				c = cells[i][j]
			}
			line = append(line, text(c))
		}
		out = append(out, line)
	}
	return header, out
}

// quotaText is "n/target".
func quotaText(c QuotaCell) string { return strconv.Itoa(c.N) + "/" + strconv.Itoa(c.Target) }

// cell is one drawn heatmap cell: value coloured, text in it, tip after the
// cell's name in its tooltip; a grey cell has none of them.
type cell struct {
	row, col  int
	value     float64
	text, tip string
	grey      bool
}

func checkGrid[T any](id string, rows, cols []string, cells [][]T) error {
	if len(cells) != len(rows) {
		return fmt.Errorf("chart %s: %d rows of cells for %d row labels", id, len(cells), len(rows))
	}
	for i, r := range cells {
		if len(r) != len(cols) {
			return fmt.Errorf("chart %s: row %d has %d cells for %d columns", id, i, len(r), len(cols))
		}
	}
	return nil
}

// heatmap draws cells under vm. Grey cells are a second heatmap series
// that the visualMap does not colour; their third value is a placeholder
// (a heatmap skips cells without one) and is never shown.
func heatmap(id, chartTitle string, rows, cols []string, cells []cell, vm visualMap, s settings) (Chart, error) {
	if len(cells) == 0 {
		return emptyChart(id, chartTitle, s)
	}
	var data, grey []any
	for _, c := range cells {
		name := rows[c.row] + " · " + cols[c.col]
		if c.grey {
			grey = append(grey, item{Name: name, Value: []number{number(c.col), number(c.row), 0},
				Tooltip: &tooltip{Formatter: suppressedTip}})
			continue
		}
		data = append(data, item{Name: name, Value: []number{number(c.col), number(c.row), num(c.value)},
			Label: &label{Formatter: c.text}, Tooltip: &tooltip{Formatter: "{b}<br/>" + c.tip}})
	}
	vm.Type, vm.Dimension, vm.SeriesIndex = "continuous", 2, []int{0}
	vm.Orient, vm.Left, vm.Bottom = "horizontal", "center", 0
	vm.Calculable = vm.Text == nil // handles show the values; texts name the ends
	x := axis{Type: "category", Data: cols, Position: "top", SplitArea: &shown{Show: true},
		AxisLabel: &axisLabel{Interval: ptr(0), Width: 120, Overflow: "truncate"}}
	if len(cols) > 5 {
		x.AxisLabel.Rotate = 30
	}
	o := option{
		Tooltip:   &tooltip{Trigger: "item", Confine: true},
		Grid:      &grid{Left: 8, Right: 24, Top: 16, Bottom: 48, ContainLabel: true},
		XAxis:     []axis{x},
		YAxis:     []axis{{Type: "category", Data: rows, Inverse: true, SplitArea: &shown{Show: true}, AxisLabel: &axisLabel{Interval: ptr(0), Width: 160, Overflow: "truncate"}}},
		VisualMap: []visualMap{vm},
		Series: []series{
			{Type: "heatmap", Label: &label{Show: ptr(true), FontSize: 11}, Data: orEmpty(data)},
			{Type: "heatmap", ItemStyle: greyed(), Label: noLabel(), Data: orEmpty(grey)},
		},
	}
	return encode(id, chartTitle, 36*len(rows)+150, o)
}

func orEmpty(d []any) []any {
	if d == nil {
		return []any{}
	}
	return d
}

// percent is "46%".
func percent(x float64) string { return strconv.FormatFloat(math.Round(x), 'f', 0, 64) + "%" }
