package analysis

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
)

// Errors of the statistical tests, for data that cannot give a statistic
// (R would return NA or NaN, or stop). They are wrapped with details; test
// them with errors.Is. A NaN or infinite observation is also an error.
var (
	// ErrTooFew means fewer than two groups, or a group with fewer
	// observations than the test needs.
	ErrTooFew = errors.New("analysis: too few observations")
	// ErrNoVariance means the statistic would divide by a zero variance.
	ErrNoVariance = errors.New("analysis: no variance")
	// ErrTable means a contingency table that is smaller than 2×2, has an
	// empty row or column, or a negative or non-finite count.
	ErrTable = errors.New("analysis: unusable contingency table")
)

// ANOVAResult is a one-way analysis of means: the F statistic, its degrees
// of freedom and the upper-tail p-value P(F_{DF1,DF2} > F).
type ANOVAResult struct {
	F, DF1, DF2, P float64
}

// KruskalWallisResult is a Kruskal–Wallis rank-sum test: the statistic H,
// its degrees of freedom and the upper-tail p-value P(χ²_DF > H).
type KruskalWallisResult struct {
	H, DF, P float64
}

// TTestResult is a two-sample t-test: T = Diff/SE, its degrees of freedom,
// the two-sided p-value 2·P(t_DF > |T|), and Diff, the first sample's mean
// minus the second's.
type TTestResult struct {
	T, DF, P, Diff float64
}

// ChiSquareResult is Pearson's χ² test of independence: the statistic, its
// degrees of freedom (r−1)(c−1), the upper-tail p-value and the smallest
// expected count (the usual approximation wants it ≥ 5).
type ChiSquareResult struct {
	Stat, DF, P, MinExpected float64
}

// Unexported names of the hypothesis tests start with "ht".

// htGroup is one group's count, mean and centred sum of squares
// Σ(y−ȳ)²; every mean test below works from them.
type htGroup struct {
	n, mean, ss float64
}

// variance is the group's variance with divisor n−1.
func (g htGroup) variance() float64 { return g.ss / (g.n - 1) }

// htGroups splits y by the labels in group into htGroups (two passes:
// means, then squared deviations, as R's mean and var), in order of first
// appearance of each label. It panics if the lengths differ and returns
// an error for a non-finite y.
func htGroups(y []float64, group []int) ([]htGroup, []int, error) {
	if len(y) != len(group) {
		panic("analysis: y and group of different lengths")
	}
	index := map[int]int{}
	var gs []htGroup
	var labels []int
	at := make([]int, len(y))
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("analysis: y[%d] = %v", i, v)
		}
		k, ok := index[group[i]]
		if !ok {
			k = len(gs)
			index[group[i]] = k
			gs = append(gs, htGroup{})
			labels = append(labels, group[i])
		}
		at[i] = k
		gs[k].n++
		gs[k].mean += v
	}
	for k := range gs {
		gs[k].mean /= gs[k].n
	}
	for i, v := range y {
		d := v - gs[at[i]].mean
		gs[at[i]].ss += d * d
	}
	return gs, labels, nil
}

// htCheck requires at least two groups of at least need observations.
func htCheck(gs []htGroup, labels []int, need float64) error {
	if len(gs) < 2 {
		return fmt.Errorf("%w: %d group(s), need at least 2", ErrTooFew, len(gs))
	}
	for k, g := range gs {
		if g.n < need {
			return fmt.Errorf("%w: group %d has %g observation(s), need %g", ErrTooFew, labels[k], g.n, need)
		}
	}
	return nil
}

// OneWayANOVA is the classic one-way analysis of variance of y across the
// groups labelled by group (any ints; one label per observation), R's
// oneway.test(y ~ g, var.equal = TRUE). With k groups of n_i observations,
// means ȳ_i and variances s_i², N = Σn_i and ȳ the grand mean:
//
//	F = [Σ n_i (ȳ_i − ȳ)² / (k−1)] / [Σ (n_i−1) s_i² / (N−k)],  F ~ F(k−1, N−k).
//
// Every group needs two observations (R gives NA otherwise), and not all of
// them may be constant. It panics if y and group differ in length.
func OneWayANOVA(y []float64, group []int) (ANOVAResult, error) {
	gs, labels, err := htGroups(y, group)
	if err == nil {
		err = htCheck(gs, labels, 2)
	}
	if err != nil {
		return ANOVAResult{}, err
	}
	return htANOVA(gs)
}

func htANOVA(gs []htGroup) (ANOVAResult, error) {
	var n, sum, ssw float64
	for _, g := range gs {
		n += g.n
		sum += g.n * g.mean
		ssw += g.ss
	}
	if ssw == 0 {
		return ANOVAResult{}, fmt.Errorf("%w: every group is constant", ErrNoVariance)
	}
	grand := sum / n
	var ssb float64
	for _, g := range gs {
		d := g.mean - grand
		ssb += g.n * d * d
	}
	k := float64(len(gs))
	r := ANOVAResult{F: (ssb / (k - 1)) / (ssw / (n - k)), DF1: k - 1, DF2: n - k}
	r.P = htUpperF(r.F, r.DF1, r.DF2)
	return r, nil
}

// WelchANOVA is Welch's (1951) analysis of means without equal variances,
// R's oneway.test(y ~ g, var.equal = FALSE). With weights w_i = n_i/s_i²,
// W = Σw_i, the weighted mean ỹ = Σ w_i ȳ_i / W and
// λ = Σ (1 − w_i/W)²/(n_i − 1) / (k² − 1):
//
//	F = Σ w_i (ȳ_i − ỹ)² / [(k−1)(1 + 2(k−2)λ)],  F ~ F(k−1, 1/(3λ)),
//
// so DF2 is not an integer. Every group needs two observations and a
// non-zero variance. It panics if y and group differ in length.
func WelchANOVA(y []float64, group []int) (ANOVAResult, error) {
	gs, labels, err := htGroups(y, group)
	if err == nil {
		err = htCheck(gs, labels, 2)
	}
	if err != nil {
		return ANOVAResult{}, err
	}
	for k, g := range gs {
		if g.ss == 0 {
			return ANOVAResult{}, fmt.Errorf("%w: group %d is constant", ErrNoVariance, labels[k])
		}
	}
	return htWelchANOVA(gs), nil
}

func htWelchANOVA(gs []htGroup) ANOVAResult {
	w := make([]float64, len(gs))
	var sw, swm float64
	for i, g := range gs {
		w[i] = g.n / g.variance()
		sw += w[i]
		swm += w[i] * g.mean
	}
	m := swm / sw
	var lambda, num float64
	for i, g := range gs {
		a := 1 - w[i]/sw
		lambda += a * a / (g.n - 1)
		d := g.mean - m
		num += w[i] * d * d
	}
	k := float64(len(gs))
	lambda /= k*k - 1
	r := ANOVAResult{F: num / ((k - 1) * (1 + 2*(k-2)*lambda)), DF1: k - 1, DF2: 1 / (3 * lambda)}
	r.P = htUpperF(r.F, r.DF1, r.DF2)
	return r
}

// KruskalWallis is the Kruskal–Wallis rank-sum test of y across the groups
// labelled by group, with the correction for ties, R's kruskal.test(y ~ g).
// Tied values get their mean rank (midrank); with N observations, k groups
// of n_i observations with mean rank R̄_i, and t_j the sizes of the groups of
// tied values:
//
//	H = [12/(N(N+1)) Σ n_i (R̄_i − (N+1)/2)²] / [1 − Σ(t_j³ − t_j)/(N³ − N)],
//
// referred to χ²_{k−1}. (Σ n_i (R̄_i − (N+1)/2)² = Σ R_i²/n_i − N(N+1)²/4
// is the usual form; the centred one loses no digits when H is small.)
// Groups of one observation are allowed; all values tied is an error. It
// panics if y and group differ in length.
func KruskalWallis(y []float64, group []int) (KruskalWallisResult, error) {
	gs, labels, err := htGroups(y, group)
	if err == nil {
		err = htCheck(gs, labels, 1)
	}
	if err != nil {
		return KruskalWallisResult{}, err
	}
	index := make(map[int]int, len(labels))
	for k, l := range labels {
		index[l] = k
	}
	order := make([]int, len(y))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return htCompare(y[a], y[b]) })
	rankSum := make([]float64, len(gs))
	var ties float64
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && y[order[hi]] == y[order[lo]] {
			hi++
		}
		mid := float64(lo+1+hi) / 2 // mean of the ranks lo+1..hi
		for _, i := range order[lo:hi] {
			rankSum[index[group[i]]] += mid
		}
		t := float64(hi - lo)
		ties += t*t*t - t
		lo = hi
	}
	ns := make([]float64, len(gs))
	for k, g := range gs {
		ns[k] = g.n
	}
	return htKruskal(ns, rankSum, ties)
}

func htCompare(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// htKruskal is H from the group sizes, the groups' rank sums and the tie
// term Σ(t³ − t).
func htKruskal(ns, rankSum []float64, ties float64) (KruskalWallisResult, error) {
	var n float64
	for _, v := range ns {
		n += v
	}
	corr := 1 - ties/(n*n*n-n)
	if corr <= 0 {
		return KruskalWallisResult{}, fmt.Errorf("%w: all values are tied", ErrNoVariance)
	}
	centre := (n + 1) / 2
	var s float64
	for k, nk := range ns {
		d := rankSum[k]/nk - centre
		s += nk * d * d
	}
	r := KruskalWallisResult{H: 12 / (n * (n + 1)) * s / corr, DF: float64(len(ns) - 1)}
	r.P = htUpperChiSq(r.H, r.DF)
	return r, nil
}

// WelchTTest is Welch's two-sample t-test of x against y, R's
// t.test(x, y, var.equal = FALSE). With means x̄, ȳ, variances s_x², s_y²
// (divisor n−1) and a = s_x²/n_x, b = s_y²/n_y:
//
//	T = (x̄ − ȳ)/√(a + b),  DF = (a + b)² / [a²/(n_x−1) + b²/(n_y−1)],
//
// and P = 2·P(t_DF > |T|). Diff is x̄ − ȳ. Each sample needs two
// observations, and not both may be constant (R: "data are essentially
// constant").
func WelchTTest(x, y []float64) (TTestResult, error) {
	gx, err := htSample(x)
	if err != nil {
		return TTestResult{}, err
	}
	gy, err := htSample(y)
	if err != nil {
		return TTestResult{}, err
	}
	return htWelchT(gx, gy)
}

// htSample is the htGroup of one sample (zero when it is empty).
func htSample(y []float64) (htGroup, error) {
	gs, _, err := htGroups(y, make([]int, len(y)))
	if err != nil || len(gs) == 0 {
		return htGroup{}, err
	}
	return gs[0], nil
}

func htWelchT(gx, gy htGroup) (TTestResult, error) {
	if gx.n < 2 || gy.n < 2 {
		return TTestResult{}, fmt.Errorf("%w: samples of %g and %g observations, need 2 each", ErrTooFew, gx.n, gy.n)
	}
	a, b := gx.variance()/gx.n, gy.variance()/gy.n
	se := math.Sqrt(a + b)
	if se < 10*htEps*max(math.Abs(gx.mean), math.Abs(gy.mean)) || se == 0 {
		return TTestResult{}, fmt.Errorf("%w: both samples are constant", ErrNoVariance)
	}
	r := TTestResult{Diff: gx.mean - gy.mean, DF: (a + b) * (a + b) / (a*a/(gx.n-1) + b*b/(gy.n-1))}
	r.T = r.Diff / se
	r.P = htTwoSidedT(r.T, r.DF)
	return r, nil
}

// htEps is R's .Machine$double.eps.
const htEps = 0x1p-52

// ChiSquareIndependence is Pearson's χ² test of independence of the rows
// and columns of a table of counts, R's chisq.test(table, correct = FALSE).
// With row sums r_i, column sums c_j and total n, the expected counts are
// E_ij = r_i c_j / n and
//
//	X² = Σ (O_ij − E_ij)² / E_ij,  X² ~ χ²_{(r−1)(c−1)}.
//
// The table needs at least two rows and two columns, and no empty row or
// column (drop them first, as the tests table does). Counts may be
// weighted (non-integer) but not negative.
func ChiSquareIndependence(table *mat.Dense) (ChiSquareResult, error) {
	nr, nc := table.Dims()
	if nr < 2 || nc < 2 {
		return ChiSquareResult{}, fmt.Errorf("%w: %d×%d, need at least 2×2", ErrTable, nr, nc)
	}
	rows, cols := make([]float64, nr), make([]float64, nc)
	var n float64
	for i := 0; i < nr; i++ {
		for j := 0; j < nc; j++ {
			v := table.At(i, j)
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return ChiSquareResult{}, fmt.Errorf("%w: count %v at (%d, %d)", ErrTable, v, i, j)
			}
			rows[i] += v
			cols[j] += v
			n += v
		}
	}
	for i, v := range rows {
		if v == 0 {
			return ChiSquareResult{}, fmt.Errorf("%w: row %d is empty", ErrTable, i)
		}
	}
	for j, v := range cols {
		if v == 0 {
			return ChiSquareResult{}, fmt.Errorf("%w: column %d is empty", ErrTable, j)
		}
	}
	r := ChiSquareResult{MinExpected: math.Inf(1), DF: float64((nr - 1) * (nc - 1))}
	for i := 0; i < nr; i++ {
		for j := 0; j < nc; j++ {
			e := rows[i] * cols[j] / n
			d := table.At(i, j) - e
			r.Stat += d * d / e
			r.MinExpected = min(r.MinExpected, e)
		}
	}
	r.P = htUpperChiSq(r.Stat, r.DF)
	return r, nil
}

// htUpperF is P(F_{d1,d2} > f) = I_{d2/(d2+d1 f)}(d2/2, d1/2), computed
// directly as an upper tail (not 1 − CDF) so that small p-values keep
// their digits; R's pf(f, d1, d2, lower.tail = FALSE).
func htUpperF(f, d1, d2 float64) float64 {
	switch {
	case math.IsNaN(f):
		return math.NaN()
	case f <= 0:
		return 1
	case math.IsInf(f, 1):
		return 0
	}
	return mathext.RegIncBeta(d2/2, d1/2, d2/(d2+d1*f))
}

// htUpperChiSq is P(χ²_df > x) = Q(df/2, x/2), the regularised upper
// incomplete gamma function; R's pchisq(x, df, lower.tail = FALSE).
func htUpperChiSq(x, df float64) float64 {
	switch {
	case math.IsNaN(x):
		return math.NaN()
	case x <= 0:
		return 1
	case math.IsInf(x, 1):
		return 0
	}
	return mathext.GammaIncRegComp(df/2, x/2)
}

// htTwoSidedT is 2·P(t_df > |t|) = I_{df/(df+t²)}(df/2, 1/2); R's
// 2 * pt(-abs(t), df).
func htTwoSidedT(t, df float64) float64 {
	switch {
	case math.IsNaN(t) || math.IsNaN(df):
		return math.NaN()
	case math.IsInf(t, 0):
		return 0
	}
	return mathext.RegIncBeta(df/2, 0.5, df/(df+t*t))
}
