package charts

import "math"

// IPAQuadrantID is the element id of the importance–performance chart. A
// page showing one per category sets ElementID to IPAQuadrantID + "-" + an
// index of its own.
const IPAQuadrantID = "chart-ipa"

// IPAPoint is one indicator of a category in importance–performance
// analysis (methods.md §1): X its importance, Y its performance or
// satisfaction, on whatever scale the caller uses for both points and
// crosshairs. NaN in X or Y: no estimate.
type IPAPoint struct {
	Label      string
	X, Y       float64
	N          int  // respondents; 0: not known
	Suppressed bool // fewer than 30 respondents
}

// QuadrantLabels are the texts of the IPA chart in the page language.
type QuadrantLabels struct {
	Concentrate string // high importance, low performance: "Concentrate here", "重点改进"
	KeepUp      string // high importance, high performance: "Keep up the good work"
	LowPriority string // low importance, low performance: "Low priority"
	Overkill    string // low importance, high performance: "Possible overkill"
	X, Y        string // axis names, e.g. "importance", "satisfaction"; "" for none
}

// IPAQuadrant draws indicators as points, importance across and
// performance up, labelled with their names, with dashed crosshairs at
// xCross and yCross (the means; NaN: the means of the drawn points, and a
// caller's own must not use suppressed ones either) and the four quadrants
// shaded and named. Points without both estimates are left out, and so
// are suppressed points, since a point's place is its numbers: they take
// no part in the crosshairs or the axes either, and only the table names
// them ("<30"). With no point to draw the chart is Empty.
func IPAQuadrant(points []IPAPoint, xCross, yCross float64, labels QuadrantLabels, title string, opts ...Option) (Chart, error) {
	s := apply(opts)
	pts, xc, yc := ipaPoints(points, xCross, yCross)
	var data []any
	x0, x1, y0, y1 := xc, xc, yc, yc
	for _, p := range pts {
		if p.Suppressed {
			continue
		}
		x0, x1 = math.Min(x0, p.X), math.Max(x1, p.X)
		y0, y1 = math.Min(y0, p.Y), math.Max(y1, p.Y)
		data = append(data, item{Name: p.Label, Value: []number{num(p.X), num(p.Y)},
			Tooltip: &tooltip{Formatter: "{b}<br/>(" + text2(p.X) + ", " + text2(p.Y) + ")" + nTip(p.N)}})
	}
	if len(data) == 0 {
		return emptyChart(IPAQuadrantID, title, s)
	}
	x0, x1 = niceRange(x0, x1)
	y0, y1 = niceRange(y0, y1)
	sc := series{Type: "scatter", SymbolSize: 10, ItemStyle: &itemStyle{Color: "#3b6db3"},
		Label:       &label{Show: ptr(true), Position: "right", Formatter: "{b}", Color: "#333", FontSize: 11},
		LabelLayout: &labelLayout{MoveOverlap: "shiftY"},
		MarkLine: &markLine{Silent: true, Symbol: []string{"none", "none"},
			LineStyle: lineStyle{Type: "dashed", Color: "#888"}, Label: label{Show: ptr(false)},
			Data: []axisMark{{XAxis: ptr(num(xc))}, {YAxis: ptr(num(yc))}}},
		MarkArea: &markArea{Silent: true, Data: [][2]axisMark{
			quadrant(labels.Overkill, "insideTopLeft", "rgba(237,170,0,0.10)", x0, yc, xc, y1),
			quadrant(labels.KeepUp, "insideTopRight", "rgba(46,125,50,0.08)", xc, yc, x1, y1),
			quadrant(labels.LowPriority, "insideBottomLeft", "rgba(120,120,120,0.06)", x0, y0, xc, yc),
			quadrant(labels.Concentrate, "insideBottomRight", "rgba(179,38,30,0.10)", xc, y0, x1, yc),
		}},
		Data: data,
	}
	o := option{
		Tooltip: &tooltip{Trigger: "item", Confine: true},
		Grid:    &grid{Left: 40, Right: 48, Top: 16, Bottom: 24, ContainLabel: true},
		XAxis: []axis{{Type: "value", Name: labels.X, NameLocation: "middle", NameGap: 28,
			Min: ptr(number(x0)), Max: ptr(number(x1))}},
		YAxis: []axis{{Type: "value", Name: labels.Y, NameLocation: "middle", NameGap: 40,
			Min: ptr(number(y0)), Max: ptr(number(y1))}},
		Series: []series{sc},
	}
	return encode(IPAQuadrantID, title, 420, o)
}

// quadrant is a shaded, named markArea from (x0, y0) to (x1, y1).
func quadrant(name, pos, fill string, x0, y0, x1, y1 float64) [2]axisMark {
	return [2]axisMark{
		{Name: name, XAxis: ptr(num(x0)), YAxis: ptr(num(y0)), ItemStyle: &itemStyle{Color: fill},
			Label: &label{Position: pos, Color: "#555", FontSize: 12}},
		{XAxis: ptr(num(x1)), YAxis: ptr(num(y1))},
	}
}

// IPARows is the table of what IPAQuadrant draws: header label, x, y, n,
// quadrant (its label); a suppressed point, which the chart leaves out, has
// n "<30" and nothing else.
func IPARows(points []IPAPoint, xCross, yCross float64, labels QuadrantLabels) (header []string, rows [][]string) {
	header = []string{"label", "x", "y", "n", "quadrant"}
	pts, xc, yc := ipaPoints(points, xCross, yCross)
	for _, p := range pts {
		if p.Suppressed {
			rows = append(rows, []string{p.Label, "", "", suppressedText, ""})
			continue
		}
		rows = append(rows, []string{p.Label, text2(p.X), text2(p.Y), nText(p.N), labels.of(p, xc, yc)})
	}
	return header, rows
}

// of is the quadrant of p; a point on a crosshair counts as high.
func (l QuadrantLabels) of(p IPAPoint, xc, yc float64) string {
	switch {
	case p.X >= xc && p.Y < yc:
		return l.Concentrate
	case p.X >= xc:
		return l.KeepUp
	case p.Y < yc:
		return l.LowPriority
	default:
		return l.Overkill
	}
}

// ipaPoints keeps the points with both estimates and fills in missing
// crosshairs with the means of the unsuppressed ones; when every point is
// suppressed there is no mean to show, and nothing is drawn.
func ipaPoints(points []IPAPoint, xCross, yCross float64) ([]IPAPoint, float64, float64) {
	var pts []IPAPoint
	var sx, sy float64
	var n int
	for _, p := range points {
		if !finite(p.X) || !finite(p.Y) {
			continue
		}
		pts = append(pts, p)
		if !p.Suppressed {
			sx, sy, n = sx+p.X, sy+p.Y, n+1
		}
	}
	if n == 0 {
		return pts, xCross, yCross
	}
	if !finite(xCross) {
		xCross = sx / float64(n)
	}
	if !finite(yCross) {
		yCross = sy / float64(n)
	}
	return pts, xCross, yCross
}
