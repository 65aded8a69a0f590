package analysis

import (
	"math"
	"slices"
)

// HolmAdjust returns Holm's (1979) step-down adjusted p-values, R's
// p.adjust(p, "holm"): with the m p-values sorted, p_(1) ≤ … ≤ p_(m),
//
//	p̃_(i) = min(1, max_{j≤i} (m − j + 1) p_(j)),
//
// in the order of p. Rejecting p̃ ≤ α controls the family-wise error rate
// at α. The family is the whole slice: adjust each family separately. NaN
// entries are left out of the family, as R's NAs are, and stay NaN. p is
// not modified.
func HolmAdjust(p []float64) []float64 {
	out, order := htAdjustOrder(p)
	m := float64(len(order))
	var run float64
	for j, i := range order {
		run = max(run, (m-float64(j))*p[i])
		out[i] = min(1, run)
	}
	return out
}

// BHAdjust returns the Benjamini–Hochberg (1995) step-up adjusted
// p-values ("q-values"), R's p.adjust(p, "BH"): with the m p-values sorted,
//
//	p̃_(i) = min(1, min_{j≥i} (m/j) p_(j)),
//
// in the order of p. Rejecting p̃ ≤ α controls the false discovery rate at
// α for independent or positively dependent tests. NaN entries are left out
// of the family and stay NaN. p is not modified.
func BHAdjust(p []float64) []float64 {
	out, order := htAdjustOrder(p)
	m := float64(len(order))
	run := math.Inf(1)
	for j := len(order) - 1; j >= 0; j-- {
		i := order[j]
		run = min(run, m/float64(j+1)*p[i])
		out[i] = min(1, run)
	}
	return out
}

// htAdjustOrder returns an output slice of NaNs and the indices of the
// non-NaN p-values in increasing order of p.
func htAdjustOrder(p []float64) ([]float64, []int) {
	out := make([]float64, len(p))
	order := make([]int, 0, len(p))
	for i, v := range p {
		out[i] = math.NaN()
		if !math.IsNaN(v) {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return htCompare(p[a], p[b]) })
	return out, order
}
