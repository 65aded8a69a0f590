package analysis

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/qvoice/qvoice/surveys"
	"gonum.org/v1/gonum/mat"
)

// DesignIndices is the category indices and improvement priorities of
// every category under one design: the rows of the oracle's indices.csv and
// priority.csv for that design.
type DesignIndices struct {
	Design     string // the design's Name: "unw", "dw", "rake", …
	Categories []CategoryIndices
}

// CategoryIndices is one category under one design (a row of indices.csv).
// Every mean is available-case (empty and "na" answers excluded), weighted
// by the design, and every SE is its linearisation SE: see JointMeans for
// the means and covariance, IndicatorIndices for the delta-method SEs.
//
// With w_k and S_k of the K indicators as in IndicatorIndices, the category
// index is
//
//	Q = Σ_k w_k S_k   (= 25·Σ_k I_k(P_k − 1)/Σ_k I_k on 1–5),
//
// with delta-method SE √(gᵀVg), ∂Q/∂I_j = (S_j − Q)/Σ, ∂Q/∂P_j =
// 100·w_j/(hi − lo): R's svycontrast of 25*(Σ I_k*(P_k−1))/(Σ I_k) (oracle
// indices.csv Q, se_Q). Overall100 is the mean of 100·(y − lo)/(hi − lo)
// of the overall-satisfaction question (10·y on 0–10), and NPS the mean of
// 100·(1[y ≥ 9] − 1[y ≤ 6]) of the 0–10 recommendation question.
//
// A category nobody rated is Empty, and its estimates are NaN (NA in the
// tables, as R gives). Warnings reports it, so a caller can say so instead
// of printing a table of NAs silently.
type CategoryIndices struct {
	Category string
	// Empty is true when no response answered any question of the
	// category.
	Empty bool

	Q, SEQ                   float64
	Overall100, SEOverall100 float64
	NPS, SENPS               float64
	NRaters                  int // answers to overall satisfaction (the oracle's n_raters)
	NNPS                     int // answers to the recommendation question

	// ImpLo..ImpHi and SatLo..SatHi are the importance and satisfaction
	// scales (1–5 in the demo).
	ImpLo, ImpHi, SatLo, SatHi int

	Indicators []IndicatorIndices // in definition order

	// Cov is the 2K×2K linearisation covariance of
	// θ = (I_1..I_K, P_1..P_K).
	Cov *mat.SymDense `json:"-"`
}

// IndicatorIndices is one indicator of one category under one design (a
// row of priority.csv). With I_k and P_k the mean importance and
// satisfaction, Σ = Σ_j I_j and lo..hi the satisfaction scale:
//
//	W        w_k = I_k / Σ
//	S100     S_k = 100·(P_k − lo)/(hi − lo)   (= 25·(P_k − 1) on 1–5)
//	Priority π_k = w_k·(hi − P_k)
//
// SEPriority is the delta-method SE √(gᵀVg), V the covariance of θ =
// (I_1..I_K, P_1..P_K) and g the gradient of π_k:
//
//	∂π_k/∂I_j = (δ_jk Σ − I_k)/Σ² · (hi − P_k),   ∂π_k/∂P_k = −w_k,
//
// which is R survey's svycontrast of I_k/(I_1+…+I_K)*(5−P_k) (oracle
// priority.csv). CILow, CIHigh = π_k ∓ qnorm(0.975)·SE; Priority100 and
// SEPriority100 are both times 100/(hi − lo) (25 on 1–5). Top2Box is the
// share of satisfaction answers in the top two points (y ≥ 4 on 1–5).
//
// RankInCategory ranks the priorities within the category and RankOverall
// within the design, 1 for the highest, ties sharing the lowest rank like
// data.table's frank(-priority, ties.method="min"); 0 (NA in the tables)
// when the priority is NaN.
type IndicatorIndices struct {
	Indicator string
	NI, NP    int // importance and satisfaction answers
	I, SEI    float64
	P, SEP    float64
	W, S100   float64

	Priority, SEPriority       float64
	CILow, CIHigh              float64
	Priority100, SEPriority100 float64
	Top2Box, SETop2Box         float64

	RankInCategory, RankOverall int
}

// Indices computes the category indices and priorities of every category
// of s's definition under design d, with one JointMeans per category over
// the 7+7 importance and satisfaction fields, overall satisfaction,
// recommendation, Overall100, NPS and the top-2-box indicators (for K = 7
// indicators), in the oracle's order. It is O(N·K) per category, plus the
// design's covariance. It panics if d's weights are not one per row of s.
func Indices(s *Sample, d Design) *DesignIndices {
	if len(d.Weights()) != s.Len() {
		panic(fmt.Sprintf("analysis: Indices: design %s has %d weights for %d rows", d.Name(), len(d.Weights()), s.Len()))
	}
	out := &DesignIndices{Design: d.Name(), Categories: make([]CategoryIndices, len(s.Def.Categories))}
	// A field the definition lacks: nobody answered it.
	missing := &ScaleColumn{Lo: 0, Hi: -1, Values: make([]int8, s.Len())}
	for i := range missing.Values {
		missing.Values[i] = Missing
	}
	col := func(id string) *ScaleColumn {
		if c := s.Scale(id); c != nil {
			return c
		}
		return missing
	}
	// Categories are independent: computed in parallel, one per core at a
	// time (designs are read-only, their Cov safe for concurrent use).
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for k, c := range s.Def.Categories {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out.Categories[k] = categoryIndices(s, d, c, col)
		}()
	}
	wg.Wait()
	out.rank()
	return out
}

// categoryVars lists the JointMeans variables of category c in the
// oracle's order: K importance, K satisfaction, overall, recommend,
// overall100, nps, K top-2-box.
func categoryVars(c *surveys.Category, col func(string) *ScaleColumn) []Var {
	k := len(c.Indicators)
	vars := make([]Var, 0, 3*k+4)
	for _, ind := range c.Indicators {
		id := surveys.ImportanceID(c.Code, ind.Code)
		vars = append(vars, Var{Name: id, Col: col(id)})
	}
	for _, ind := range c.Indicators {
		id := surveys.SatisfactionID(c.Code, ind.Code)
		vars = append(vars, Var{Name: id, Col: col(id)})
	}
	ov, rec := col(surveys.OverallID(c.Code)), col(surveys.RecommendID(c.Code))
	lo, f := float64(ov.Lo), 100/float64(ov.Hi-ov.Lo)
	vars = append(vars,
		Var{Name: surveys.OverallID(c.Code), Col: ov}, Var{Name: surveys.RecommendID(c.Code), Col: rec},
		Var{Name: c.Code + "_overall100", Col: ov, Map: func(y int) float64 { return f * (float64(y) - lo) }},
		Var{Name: c.Code + "_nps", Col: rec, Map: npsScore})
	for i, ind := range c.Indicators {
		sat := vars[k+i].Col
		top := float64(sat.Hi - 1)
		vars = append(vars, Var{Name: c.Code + "_t2b_" + ind.Code, Col: sat, Map: func(y int) float64 {
			if float64(y) >= top {
				return 1
			}
			return 0
		}})
	}
	return vars
}

// npsScore is 100 for a promoter (9–10), −100 for a detractor (0–6), 0
// otherwise.
func npsScore(y int) float64 {
	switch {
	case y >= 9:
		return 100
	case y <= 6:
		return -100
	}
	return 0
}

func categoryIndices(s *Sample, d Design, c *surveys.Category, col func(string) *ScaleColumn) CategoryIndices {
	vars := categoryVars(c, col)
	j := JointMeans(s, d, vars)
	k := len(c.Indicators)
	imp, sat := &ScaleColumn{Hi: -1}, &ScaleColumn{Hi: -1}
	if k > 0 {
		imp, sat = vars[0].Col, vars[k].Col
	}
	ci := CategoryIndices{
		Category: c.Code, Empty: true,
		Overall100: j.Mean[2*k+2], SEOverall100: j.SE[2*k+2],
		NPS: j.Mean[2*k+3], SENPS: j.SE[2*k+3],
		NRaters: j.N[2*k], NNPS: j.N[2*k+3],
		ImpLo: imp.Lo, ImpHi: imp.Hi, SatLo: sat.Lo, SatHi: sat.Hi,
		Indicators: make([]IndicatorIndices, k),
		Cov:        mat.NewSymDense(max(2*k, 1), nil),
	}
	for _, n := range j.N {
		ci.Empty = ci.Empty && n == 0
	}
	for a := 0; a < 2*k; a++ {
		for b := a; b < 2*k; b++ {
			ci.Cov.SetSym(a, b, j.Cov.At(a, b))
		}
	}
	sumI := floatsSum(j.Mean[:k])
	lo, hi := float64(sat.Lo), float64(sat.Hi)
	f := 100 / (hi - lo)
	g := make([]float64, 2*k)
	for i, ind := range c.Indicators {
		I, P := j.Mean[i], j.Mean[k+i]
		w := I / sumI
		pri := w * (hi - P)
		for m := range k {
			g[m] = -I / (sumI * sumI) * (hi - P)
			g[k+m] = 0
		}
		g[i] = (sumI - I) / (sumI * sumI) * (hi - P)
		g[k+i] = -w
		se := math.Sqrt(quadForm(ci.Cov, g))
		ci.Indicators[i] = IndicatorIndices{
			Indicator: ind.Code, NI: j.N[i], NP: j.N[k+i],
			I: I, SEI: j.SE[i], P: P, SEP: j.SE[k+i],
			W: w, S100: f * (P - lo),
			Priority: pri, SEPriority: se, CILow: pri - z975*se, CIHigh: pri + z975*se,
			Priority100: f * pri, SEPriority100: f * se,
			Top2Box: j.Mean[2*k+4+i], SETop2Box: j.SE[2*k+4+i],
		}
		ci.Q += w * f * (P - lo)
	}
	for i, r := range ci.Indicators {
		g[i] = (r.S100 - ci.Q) / sumI
		g[k+i] = r.W * f
	}
	ci.SEQ = math.Sqrt(quadForm(ci.Cov, g))
	if k == 0 {
		ci.Q, ci.SEQ = math.NaN(), math.NaN()
	}
	return ci
}

// quadForm is gᵀVg over the leading len(g) rows and columns of v.
func quadForm(v *mat.SymDense, g []float64) float64 {
	var q float64
	for a, ga := range g {
		var r float64
		for b, gb := range g {
			r += v.At(a, b) * gb
		}
		q += ga * r
	}
	return q
}

// rank sets the ranks of every indicator within its category and within
// the design.
func (d *DesignIndices) rank() {
	var all []float64
	for ci := range d.Categories {
		inds := d.Categories[ci].Indicators
		p := make([]float64, len(inds))
		for i, r := range inds {
			p[i] = r.Priority
		}
		for i, r := range rankMin(p) {
			inds[i].RankInCategory = r
		}
		all = append(all, p...)
	}
	rank := rankMin(all)
	for ci := range d.Categories {
		inds := d.Categories[ci].Indicators
		for i := range inds {
			inds[i].RankOverall, rank = rank[0], rank[1:]
		}
	}
}

// Warnings describes what the NAs in d's tables stand for: categories
// nobody rated, and indicators without any importance or satisfaction
// answer (with such an indicator the weights, Q and every priority of the
// category are NaN). It is nil when every estimate is defined.
func (d *DesignIndices) Warnings() []string {
	var out []string
	for _, c := range d.Categories {
		if c.Empty {
			out = append(out, fmt.Sprintf("design %s: nobody rated category %s; its indices and priorities are NA", d.Design, c.Category))
			continue
		}
		for _, r := range c.Indicators {
			if r.NI == 0 || r.NP == 0 {
				what := "its satisfaction, priority and rank, and the category's Q, are NA"
				if r.NI == 0 {
					what = "the category's weights, Q and every priority are NA"
				}
				out = append(out, fmt.Sprintf("design %s: category %s, indicator %s has %d importance and %d satisfaction answers; %s",
					d.Design, c.Category, r.Indicator, r.NI, r.NP, what))
			}
		}
	}
	return out
}

// IndicesTable is indices.csv for the designs given: one row per category
// and design, categories in definition order and designs in argument
// order. The designs must come from the same Sample (it panics otherwise).
func IndicesTable(ds ...*DesignIndices) *Table {
	t := &Table{Name: "indices", Columns: []string{"category", "design", "Q", "se_Q",
		"overall100", "se_overall100", "nps", "se_nps", "n_raters", "n_nps"}}
	eachCategory(ds, func(d *DesignIndices, c *CategoryIndices) {
		t.Append(c.Category, d.Design, c.Q, c.SEQ, c.Overall100, c.SEOverall100,
			c.NPS, c.SENPS, c.NRaters, c.NNPS)
	})
	return t
}

// PriorityTable is priority.csv for the designs given: one row per
// category, design and indicator, in that order (categories and indicators
// in definition order, designs in argument order). Ranks of NaN
// priorities are NA.
func PriorityTable(ds ...*DesignIndices) *Table {
	t := &Table{Name: "priority", Columns: []string{"category", "design", "indicator", "I", "P",
		"se_I", "se_P", "w", "S100", "priority", "se_priority", "ci_lo_priority", "ci_hi_priority",
		"priority100", "se_priority100", "top2box", "se_top2box", "rank_in_category", "rank_overall"}}
	eachCategory(ds, func(d *DesignIndices, c *CategoryIndices) {
		for _, r := range c.Indicators {
			t.Append(c.Category, d.Design, r.Indicator, r.I, r.P, r.SEI, r.SEP, r.W, r.S100,
				r.Priority, r.SEPriority, r.CILow, r.CIHigh, r.Priority100, r.SEPriority100,
				r.Top2Box, r.SETop2Box, rankOrNA(r.RankInCategory), rankOrNA(r.RankOverall))
		}
	})
	return t
}

// eachCategory calls f for every category of ds[0] and then every design.
func eachCategory(ds []*DesignIndices, f func(*DesignIndices, *CategoryIndices)) {
	if len(ds) == 0 {
		return
	}
	for ci, c := range ds[0].Categories {
		for _, d := range ds {
			if len(d.Categories) != len(ds[0].Categories) || d.Categories[ci].Category != c.Category {
				panic(fmt.Sprintf("analysis: designs %s and %s have different categories", ds[0].Design, d.Design))
			}
			f(d, &d.Categories[ci])
		}
	}
}

// rankOrNA is a rank for a table: nil (NA) for 0, no rank.
func rankOrNA(r int) any {
	if r == 0 {
		return nil
	}
	return r
}
