package analysis

import "math"

// Quadrant is an importance–performance analysis quadrant (methods.md §1,
// Martilla & James 1977), with the spec's labels. A point on a crosshair
// counts as high (≥).
type Quadrant string

// The four quadrants, and NoQuadrant for a point with an undefined
// coordinate or crosshair.
const (
	// QuadrantPriorityImprove (优先改进, "concentrate here"): I ≥ c_I, P < c_P.
	QuadrantPriorityImprove Quadrant = "priority_improve"
	// QuadrantKeepUp (继续保持, "keep up the good work"): I ≥ c_I, P ≥ c_P.
	QuadrantKeepUp Quadrant = "keep_up"
	// QuadrantSecondary (次要改进, "low priority"): I < c_I, P < c_P.
	QuadrantSecondary Quadrant = "secondary"
	// QuadrantMaintain (适度维持, "possible overkill"): I < c_I, P ≥ c_P.
	QuadrantMaintain Quadrant = "maintain"
	// NoQuadrant is no quadrant (NA).
	NoQuadrant Quadrant = ""
)

// QuadrantOf places (i, p) against the crosshair (ci, cp); NoQuadrant if
// any of them is NaN.
func QuadrantOf(i, p, ci, cp float64) Quadrant {
	if math.IsNaN(i) || math.IsNaN(p) || math.IsNaN(ci) || math.IsNaN(cp) {
		return NoQuadrant
	}
	switch hiI, hiP := i >= ci, p >= cp; {
	case hiI && !hiP:
		return QuadrantPriorityImprove
	case hiI:
		return QuadrantKeepUp
	case !hiP:
		return QuadrantSecondary
	}
	return QuadrantMaintain
}

// IPACategory is the importance–performance grid of one category.
//
// ICross and PCross are the data-centred crosshairs, the means of I and P
// over the category's indicators (Alberty & Mihalik); IMid and PMid the
// scale midpoints (3, 3 on 1–5, as Martilla & James). DerivedCross is the
// mean Pearson r of the derived importance, NaN without it.
type IPACategory struct {
	Category       string
	ICross, PCross float64
	IMid, PMid     float64
	DerivedCross   float64
	Points         []IPAPoint // in definition order
}

// IPAPoint is one indicator on the grid: stated importance I and
// performance P (the design's mean importance and satisfaction), Gap =
// P − I (negative: under-performance), Quadrant against (ICross, PCross),
// QuadrantScaleMid against (IMid, PMid), and, with derived importance,
// DerivedR = Pearson r(P_k, overall satisfaction) and QuadrantDerived
// against (DerivedCross, PCross); DerivedR is NaN and QuadrantDerived
// NoQuadrant without it.
type IPAPoint struct {
	Indicator                  string
	I, P, Gap                  float64
	Quadrant, QuadrantScaleMid Quadrant
	DerivedR                   float64
	QuadrantDerived            Quadrant
}

// IPA places the indicators of every category of ix (the raked design in
// the oracle's ipa.csv) on the importance–performance grid. derived maps
// category → indicator → Pearson r of the drivers analysis; nil, or a
// missing entry, leaves the derived columns NaN/NA. A category with an
// undefined I or P has NaN crosshairs and no quadrants, as in R.
func IPA(ix *DesignIndices, derived map[string]map[string]float64) []IPACategory {
	out := make([]IPACategory, 0, len(ix.Categories))
	for _, c := range ix.Categories {
		k := len(c.Indicators)
		ic := IPACategory{Category: c.Category, Points: make([]IPAPoint, k),
			IMid: float64(c.ImpLo+c.ImpHi) / 2, PMid: float64(c.SatLo+c.SatHi) / 2}
		rs := make([]float64, k)
		var sumI, sumP, sumR float64
		for i, r := range c.Indicators {
			rs[i] = math.NaN()
			if x, ok := derived[c.Category][r.Indicator]; ok {
				rs[i] = x
			}
			sumI, sumP, sumR = sumI+r.I, sumP+r.P, sumR+rs[i]
		}
		ic.ICross, ic.PCross, ic.DerivedCross = sumI/float64(k), sumP/float64(k), sumR/float64(k)
		for i, r := range c.Indicators {
			ic.Points[i] = IPAPoint{Indicator: r.Indicator, I: r.I, P: r.P, Gap: r.P - r.I,
				Quadrant:         QuadrantOf(r.I, r.P, ic.ICross, ic.PCross),
				QuadrantScaleMid: QuadrantOf(r.I, r.P, ic.IMid, ic.PMid),
				DerivedR:         rs[i],
				QuadrantDerived:  QuadrantOf(rs[i], r.P, ic.DerivedCross, ic.PCross)}
		}
		out = append(out, ic)
	}
	return out
}

// IPATable is ipa.csv: IPA(ix, derived) with one row per category and
// indicator; NaN numbers and NoQuadrant are NA.
func IPATable(ix *DesignIndices, derived map[string]map[string]float64) *Table {
	t := &Table{Name: "ipa", Columns: []string{"category", "indicator", "I", "P", "I_cross", "P_cross",
		"quadrant", "quadrant_scale_mid", "gap", "I_derived_r", "I_derived_cross", "quadrant_derived"}}
	for _, c := range IPA(ix, derived) {
		for _, p := range c.Points {
			t.Append(c.Category, p.Indicator, p.I, p.P, c.ICross, c.PCross,
				quadrantOrNA(p.Quadrant), quadrantOrNA(p.QuadrantScaleMid), p.Gap,
				p.DerivedR, c.DerivedCross, quadrantOrNA(p.QuadrantDerived))
		}
	}
	return t
}

func quadrantOrNA(q Quadrant) any {
	if q == NoQuadrant {
		return nil
	}
	return string(q)
}
