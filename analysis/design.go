package analysis

import (
	"gonum.org/v1/gonum/mat"
)

// Design is a weighting of a Sample together with the variance estimator
// that goes with it, as a survey.design2 object does in R's survey package.
// Designs are made by UnweightedDesign, BaseWeightDesign, and the raking and
// calibration constructors.
type Design interface {
	// Name is the design's short name in output tables: "unw", "dw",
	// "rake" or "cal".
	Name() string
	// Weights are the final weights, one per row of the sample.
	Weights() []float64
	// Cov returns the linearisation covariance of estimators whose
	// influence (z) columns are given, K×K.
	Cov(z *Influence) *mat.SymDense
}

// Influence holds the influence columns of K estimators over an N-row
// sample, sparse by row: only rows where some column is non-zero are kept.
type Influence struct {
	N    int       // rows in the whole sample
	K    int       // columns
	Rows []int32   // increasing row numbers
	Z    []float64 // len(Rows)·K, row-major: Z[r*K+k] is column k at row Rows[r]
}

// crossprodCentred is N/(N−1) · Σ_i (z_i − z̄)(z_i − z̄)ᵀ over all N rows,
// where z̄ = Σ_i z_i / N (the rows not in z.Rows are zero). This is the
// one-stage with-replacement variance of svyrecvar for ids=~1 without fpc.
func crossprodCentred(z *Influence) *mat.SymDense {
	k := z.K
	sum := make([]float64, k)
	cp := make([]float64, k*k)
	for r := range z.Rows {
		row := z.Z[r*k : (r+1)*k]
		for a, za := range row {
			if za == 0 {
				continue
			}
			sum[a] += za
			cpa := cp[a*k : a*k+k]
			for b := a; b < k; b++ {
				cpa[b] += za * row[b]
			}
		}
	}
	n := float64(z.N)
	out := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			v := cp[a*k+b] - sum[a]*sum[b]/n
			out.SetSym(a, b, v*n/(n-1))
		}
	}
	return out
}

// simpleDesign is ids=~1 with given weights: no strata, clusters, fpc or
// calibration.
type simpleDesign struct {
	name string
	w    []float64
}

func (d *simpleDesign) Name() string                   { return d.name }
func (d *simpleDesign) Weights() []float64             { return d.w }
func (d *simpleDesign) Cov(z *Influence) *mat.SymDense { return crossprodCentred(z) }

// UnweightedDesign gives every row weight 1: svydesign(ids=~1, weights=~one).
// Its variances are linearisation ones, N/(N−1)·Σ z², not the classical
// sd²/n.
func UnweightedDesign(s *Sample) Design {
	w := make([]float64, s.Len())
	for i := range w {
		w[i] = 1
	}
	return &simpleDesign{name: "unw", w: w}
}

// BaseWeightDesign uses the design weights of the sample:
// svydesign(ids=~1, weights=~design_wt).
func BaseWeightDesign(s *Sample) Design {
	return &simpleDesign{name: "dw", w: s.DesignWeight}
}
