package analysis

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Summary is the analysis of every response added to an Accumulator.
type Summary struct {
	Survey     string // the definition's slug
	Responses  int    // N, the number of responses
	Categories []CategorySummary
	// Priorities lists the indicators of all categories, highest
	// Priority.Mean first; equal priorities keep definition order, and
	// indicators without a priority (NaN) come last.
	Priorities []IndicatorResult
}

// CategorySummary is the analysis of one product category.
//
// Cov is the linearisation covariance of θ = (I_1..I_K, P_1..P_K), the
// available-case means of the K importance and then the K satisfaction
// fields, for the unweighted design svydesign(ids=~1) of R survey:
//
//	Cov(ȳ_a, ȳ_b) = N/(N−1) · Σ_i z_ia z_ib,   z_ia = (y_ia − ȳ_a)/n_a
//
// for the responses i that answered a, and z_ia = 0 for the others. N is
// the number of responses in the whole sample (Summary.Responses), not the
// category's raters: that is survey's domain estimation (na.rm=TRUE keeps
// the full sample size). The square root of a diagonal entry is the
// linearisation SE of that mean (oracle priority.csv se_I, se_P), slightly
// different from the classical SE in Importance.SE and Satisfaction.SE.
type CategorySummary struct {
	Category   string
	Raters     int               // responses with any importance or satisfaction answer ("na" included)
	Indicators []IndicatorResult // in definition order

	// Q = Σ_k w_k S_k, the importance-weighted satisfaction on 0–100 (see
	// IndicatorResult), NaN if undefined; QSE is its delta-method SE.
	Q, QSE float64

	// Overall100 is the mean overall satisfaction rescaled to 0–100,
	// 100·(ȳ − lo)/(hi − lo), which is 10·ȳ on the 0–10 scale. N, Mean and
	// the n−1 SD are as for a classical Estimate, but the SE and the normal
	// interval are linearisation ones like Cov's (oracle indices.csv
	// overall100, se_overall100).
	Overall100 Estimate

	// NPS = 100·mean(1[rec ≥ 9] − 1[rec ≤ 6]) over the NPSN answers to the
	// recommendation question, NaN if there are none; NPSSE is its
	// linearisation SE (oracle indices.csv nps, se_nps).
	NPS, NPSSE float64
	NPSN       int

	Cov *mat.SymDense `json:"-"` // 2K×2K, nil when K = 0
}

// Summary computes the estimates from the statistics collected so far. It
// does not modify a, and can be called at any time.
func (a *Accumulator) Summary() *Summary {
	s := &Summary{Survey: a.slug, Responses: int(a.n)}
	var all []float64
	for _, c := range a.cats {
		cs := c.summary(a.n)
		pri := make([]float64, len(cs.Indicators))
		for i, r := range cs.Indicators {
			pri[i] = r.Priority.Mean
		}
		for i, r := range rankMin(pri) {
			cs.Indicators[i].RankInCategory = r
		}
		all = append(all, pri...)
		s.Categories = append(s.Categories, cs)
	}
	rank := rankMin(all)
	i := 0
	for ci := range s.Categories {
		inds := s.Categories[ci].Indicators
		for j := range inds {
			inds[j].RankOverall = rank[i]
			i++
		}
		s.Priorities = append(s.Priorities, inds...)
	}
	slices.SortStableFunc(s.Priorities, func(x, y IndicatorResult) int {
		return byPriority(x.Priority.Mean, y.Priority.Mean)
	})
	return s
}

// summary computes one category's estimates in a sample of nAll responses.
func (c *catAcc) summary(nAll int64) CategorySummary {
	cs := CategorySummary{Category: c.code, Raters: int(c.raters), Q: math.NaN(), QSE: math.NaN()}
	v := len(c.vars)
	if v > 0 {
		theta := make([]float64, v)
		cs.Cov = mat.NewSymDense(v, nil)
		for a := range v {
			theta[a] = c.joint.mean(a)
			for b := a; b < v; b++ {
				cs.Cov.SetSym(a, b, c.joint.linCov(a, b, nAll))
			}
		}
		cs.Indicators = c.indicatorResults(theta, cs.Cov)
		cs.Q, cs.QSE = c.index(cs.Indicators, theta, cs.Cov)
	}
	cs.Overall100 = linearMean100(c.single, 0, nAll, c.overall.lo, c.overall.hi)
	cs.NPS, cs.NPSSE = c.nps.nps(nAll)
	cs.NPSN = int(c.nps.n)
	return cs
}
