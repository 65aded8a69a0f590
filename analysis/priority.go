package analysis

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// IndicatorResult is one indicator of one category: its stated importance,
// its satisfaction, and its improvement priority (methods.md §8).
//
// With I_k and P_k the available-case mean importance and satisfaction of
// the K indicators of the category, Σ = Σ_j I_j, and lo..hi the
// satisfaction scale (1..5 in the demo):
//
//	Weight   w_k = I_k / Σ
//	S100     S_k = 100·(P_k − lo)/(hi − lo)        (= 25·(P_k − 1) on 1–5)
//	Priority π_k = w_k·(hi − P_k)
//
// Importance and Satisfaction are classical Estimates (R mean, sd, qt;
// oracle means.csv *_unw). Priority.N is the satisfaction n, Priority.SD is
// NaN, and Priority.SE is the delta-method SE √(gᵀVg), where V is the
// linearisation covariance of θ = (I_1..I_K, P_1..P_K) (CategorySummary.Cov)
// and g the gradient of π_k:
//
//	∂π_k/∂I_j = (δ_jk Σ − I_k)/Σ² · (hi − P_k),   ∂π_k/∂P_k = −w_k,
//
// with a normal 95% interval. This is R survey's svycontrast of
// I_k/(I_1+…+I_K)*(5−P_k) on the joint svymean (oracle priority.csv, design
// unw).
//
// RankInCategory ranks the category's indicators and RankOverall all
// indicators of the survey by Priority.Mean, 1 for the highest; ties share
// the lowest rank, like data.table frank(-priority, ties.method="min"). An
// indicator whose priority is NaN is not ranked (rank 0).
type IndicatorResult struct {
	Category, Indicator         string
	Importance                  Estimate // I_k, classical
	Satisfaction                Estimate // P_k, classical, "na" excluded
	Weight                      float64  // w_k
	S100                        float64  // S_k
	Priority                    Estimate // π_k, delta-method SE
	RankInCategory, RankOverall int
}

// indicatorResults fills the per-indicator results of one category from
// the means theta = (I_1..I_K, P_1..P_K) and their covariance cov.
func (c *catAcc) indicatorResults(theta []float64, cov *mat.SymDense) []IndicatorResult {
	k := len(c.inds)
	sumI := floatsSum(theta[:k])
	out := make([]IndicatorResult, k)
	g := mat.NewVecDense(2*k, nil)
	for i := range out {
		lo, hi := float64(c.vars[k+i].lo), float64(c.vars[k+i].hi)
		I, P := theta[i], theta[k+i]
		w := I / sumI
		pri := w * (hi - P)
		for j := 0; j < k; j++ {
			d := -I
			if j == i {
				d += sumI
			}
			g.SetVec(j, d/(sumI*sumI)*(hi-P))
			g.SetVec(k+j, 0)
		}
		g.SetVec(k+i, -w)
		out[i] = IndicatorResult{
			Category:     c.code,
			Indicator:    c.inds[i],
			Importance:   classicalMean(c.joint, i),
			Satisfaction: classicalMean(c.joint, k+i),
			Weight:       w,
			S100:         100 * (P - lo) / (hi - lo),
			Priority:     linearised(c.joint.count(k+i), pri, math.Sqrt(mat.Inner(g, cov, g))),
		}
	}
	return out
}

// index is the category index Q = Σ_k w_k S_k (methods.md §8, the
// importance-weighted satisfaction on 0–100; NaN if any I_k or P_k is) and
// its delta-method SE, with gradient
//
//	∂Q/∂I_j = (S_j − Q)/Σ,   ∂Q/∂P_j = w_j·100/(hi − lo).
//
// It is svycontrast of 25*(Σ I_k (P_k−1))/Σ I_k (oracle indices.csv Q, se_Q).
func (c *catAcc) index(inds []IndicatorResult, theta []float64, cov *mat.SymDense) (q, se float64) {
	k := len(inds)
	sumI := floatsSum(theta[:k])
	for _, r := range inds {
		q += r.Weight * r.S100
	}
	g := mat.NewVecDense(2*k, nil)
	for j, r := range inds {
		lo, hi := float64(c.vars[k+j].lo), float64(c.vars[k+j].hi)
		g.SetVec(j, (r.S100-q)/sumI)
		g.SetVec(k+j, r.Weight*100/(hi-lo))
	}
	return q, math.Sqrt(mat.Inner(g, cov, g))
}

func floatsSum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}

// rankMin sets rank[i] = 1 + #{j : p_j > p_i} for every non-NaN p_i, the
// "min" tie rule of frank(-p, ties.method="min"), and 0 for NaN.
func rankMin(p []float64) []int {
	order := make([]int, len(p))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return byPriority(p[a], p[b]) })
	rank := make([]int, len(p))
	for pos, i := range order {
		switch {
		case math.IsNaN(p[i]):
			rank[i] = 0
		case pos > 0 && p[order[pos-1]] == p[i]:
			rank[i] = rank[order[pos-1]]
		default:
			rank[i] = pos + 1
		}
	}
	return rank
}

// byPriority orders priorities from highest to lowest, NaN last.
func byPriority(a, b float64) int {
	switch an, bn := math.IsNaN(a), math.IsNaN(b); {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(b, a)
}
