package analysis

import (
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/qvoice/qvoice/surveys"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// DriverResult is the key-driver analysis of one category (methods.md §2):
// how the satisfaction items (the drivers) explain overall satisfaction,
// over the N cases that answered overall satisfaction and every item,
// unweighted. R2 = βᵀ r_xy is the R² of the linear regression of overall
// satisfaction on the items.
type DriverResult struct {
	Category string
	N        int
	R2       float64
	Drivers  []Driver // in definition order
}

// Driver is one driver of a DriverResult (a row of the oracle's
// drivers.csv). With R_xx the correlation matrix of the p drivers and r_xy
// their correlations with the outcome:
//
//	R      Pearson r_xy,j; RP its two-sided p-value (R's cor.test):
//	       t = r√(n−2)/√(1−r²) on n−2 df
//	Beta   standardized β = R_xx⁻¹ r_xy
//	BetaLM the same β by least squares on the z-scores (R's lm on scale(D),
//	       computed by QR as a check); BetaP its t-test p-value on n−p−1 df
//	VIF    the variance inflation factor (R_xx⁻¹)_jj
//	RW     Johnson's (2000) relative weight (see RelativeWeights); RWPct =
//	       100·RW/Σ RW
//	LMG    the LMG/Shapley share of R² (see LMG); LMGPct = 100·LMG/Σ LMG
//
// Σ RW = Σ LMG = R².
type Driver struct {
	Indicator           string
	R, RP               float64
	Beta, BetaLM, BetaP float64
	VIF                 float64
	RW, RWPct           float64
	LMG, LMGPct         float64
}

// maxDriverCond is the largest condition number of R_xx for which the
// drivers are taken as distinguishable; beyond it ErrCollinear.
const maxDriverCond = 1e10

// maxLMGDrivers bounds the exact LMG enumeration (2^p subset regressions).
const maxLMGDrivers = 16

// Drivers runs the key-driver analysis of every category of s's
// definition, in definition order: overall satisfaction on the category's
// satisfaction items, over the cases complete on all of them. A category
// where it is undefined (n ≤ p+1 complete cases, a constant variable,
// collinear items, more than 16 items) is left out, and err joins an *UndefinedError naming
// each such category; the results returned are valid either way.
func Drivers(s *Sample) ([]DriverResult, error) {
	var out []DriverResult
	var errs []error
	for _, c := range s.Def.Categories {
		ids := []string{surveys.OverallID(c.Code)}
		for _, ind := range c.Indicators {
			ids = append(ids, surveys.SatisfactionID(c.Code, ind.Code))
		}
		d, rows := relCompleteCases(s, ids)
		r, err := drvFit(d, len(rows), ids)
		if err != nil {
			err.Subject = c.Code
			errs = append(errs, err)
			continue
		}
		r.Category = c.Code
		for j, ind := range c.Indicators {
			r.Drivers[j].Indicator = ind.Code
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}

// KeyDrivers is the key-driver analysis (see Driver) of outcome y on the
// drivers in the columns of x, one complete case per row. Category and the
// drivers' Indicator are left empty. It returns an *UndefinedError when
// n ≤ p+1, a variable is constant, the drivers are collinear or p > 16,
// and panics if y does not have one value per row of x.
func KeyDrivers(x *mat.Dense, y []float64) (DriverResult, error) {
	n, p := x.Dims()
	if len(y) != n {
		panic(fmt.Sprintf("analysis: KeyDrivers: %d outcomes for %d rows", len(y), n))
	}
	d := mat.NewDense(n, p+1, nil)
	d.SetCol(0, y)
	d.Slice(0, n, 1, p+1).(*mat.Dense).Copy(x)
	names := []string{"y"}
	for j := 1; j <= p; j++ {
		names = append(names, fmt.Sprintf("x%d", j))
	}
	r, err := drvFit(d, n, names)
	if err != nil {
		return r, err // a non-nil *UndefinedError, not a typed nil
	}
	return r, nil
}

// drvFit analyses d = [y | x] (nil when n = 0); names are its columns'.
func drvFit(d *mat.Dense, n int, names []string) (DriverResult, *UndefinedError) {
	p := len(names) - 1
	rxx, rxy, ue := drvCorrelations(d, n, names)
	if ue != nil {
		return DriverResult{N: n}, ue
	}
	var chol mat.Cholesky
	if ok := chol.Factorize(rxx); !ok || chol.Cond() > maxDriverCond {
		what := "singular"
		if ok {
			what = fmt.Sprintf("nearly singular (condition number %.3g > %g)", chol.Cond(), float64(maxDriverCond))
		}
		a, b := drvMostCorrelated(rxx)
		return DriverResult{N: n}, drvUndefined(ErrCollinear, "the drivers' correlation matrix is %s; most correlated: %s and %s (r = %.6f)",
			what, names[a+1], names[b+1], rxx.At(a, b))
	}
	beta := mat.NewVecDense(p, nil)
	var inv mat.SymDense
	if err := errors.Join(chol.SolveVecTo(beta, mat.NewVecDense(p, rxy)), chol.InverseTo(&inv)); err != nil {
		return DriverResult{N: n}, drvUndefined(ErrCollinear, "solving R_xx β = r_xy: %v", err)
	}
	rw, err := RelativeWeights(rxx, rxy)
	if err != nil {
		return DriverResult{N: n}, err.(*UndefinedError)
	}
	lmg, err := LMG(rxx, rxy)
	if err != nil {
		return DriverResult{N: n}, err.(*UndefinedError)
	}
	lmBeta, lmP := drvLeastSquares(d)
	res := DriverResult{N: n, R2: mat.Dot(beta, mat.NewVecDense(p, rxy)), Drivers: make([]Driver, p)}
	sumRW, sumLMG := floatsSumKahan(rw), floatsSumKahan(lmg)
	for j := range res.Drivers {
		r := rxy[j]
		t := r * math.Sqrt(float64(n-2)) / math.Sqrt(1-r*r)
		res.Drivers[j] = Driver{
			R: r, RP: drvTwoSidedP(t, float64(n-2)),
			Beta: beta.AtVec(j), BetaLM: lmBeta[j], BetaP: lmP[j], VIF: inv.At(j, j),
			RW: rw[j], RWPct: 100 * rw[j] / sumRW,
			LMG: lmg[j], LMGPct: 100 * lmg[j] / sumLMG,
		}
	}
	return res, nil
}

// drvCorrelations returns the correlations R_xx of the drivers and r_xy
// with the outcome from d = [y | x], or why they are undefined.
func drvCorrelations(d *mat.Dense, n int, names []string) (rxx *mat.SymDense, rxy []float64, ue *UndefinedError) {
	p := len(names) - 1
	if n <= p+1 {
		return nil, nil, drvUndefined(ErrTooFewCases, "%d cases answered %s and all %d drivers; the regression needs at least %d", n, names[0], p, p+2)
	}
	sscp := relCrossprod(d)
	for j := range names {
		if sscp.At(j, j) == 0 {
			return nil, nil, drvUndefined(ErrConstant, "%s is constant over the %d complete cases", names[j], n)
		}
	}
	corr := mat.NewSymDense(p+1, nil)
	for a := 0; a <= p; a++ {
		for b := a; b <= p; b++ {
			corr.SetSym(a, b, sscp.At(a, b)/math.Sqrt(sscp.At(a, a)*sscp.At(b, b)))
		}
	}
	return corr.SliceSym(1, p+1).(*mat.SymDense), mat.Col(nil, 0, corr)[1:], nil
}

func drvUndefined(kind error, format string, a ...any) *UndefinedError {
	return &UndefinedError{Analysis: "drivers", Err: kind, Detail: fmt.Sprintf(format, a...)}
}

// drvLeastSquares fits lm(y ~ x) on the z-scores of d = [y | x] (an
// intercept plus p slopes) by QR and returns the slopes and their two-sided
// t-test p-values on n−p−1 df, with SE_j = σ̂ √((ZᵀZ)⁻¹)_jj =
// σ̂ ‖row j of R⁻¹‖ for ZᵀZ = RᵀR and σ̂² = RSS/(n−p−1). The caller has
// checked that the z-scores are defined and not collinear.
func drvLeastSquares(d *mat.Dense) (beta, pval []float64) {
	n, q := d.Dims() // q = p+1 coefficients: the intercept and p slopes
	x := mat.NewDense(n, q, nil)
	var y []float64
	for j := 0; j < q; j++ {
		col := mat.Col(nil, j, d)
		mean, sd := drvMeanSD(col)
		for i := range col {
			col[i] = (col[i] - mean) / sd
		}
		if j == 0 {
			y = col
			continue
		}
		x.SetCol(j, col)
	}
	for i := 0; i < n; i++ {
		x.Set(i, 0, 1)
	}
	var qr mat.QR
	qr.Factorize(x)
	b := mat.NewVecDense(q, nil)
	if err := qr.SolveVecTo(b, false, mat.NewVecDense(n, y)); err != nil {
		panic(fmt.Sprintf("analysis: drivers: least squares after the collinearity check: %v", err))
	}
	var fit mat.VecDense
	fit.MulVec(x, b)
	var rss float64
	for i, v := range y {
		e := v - fit.AtVec(i)
		rss += e * e
	}
	df := float64(n - q)
	sigma := math.Sqrt(rss / df)
	var rFull mat.Dense
	qr.RTo(&rFull)
	var rInv mat.TriDense
	if err := rInv.InverseTri(mat.NewTriDense(q, mat.Upper, mat.DenseCopyOf(rFull.Slice(0, q, 0, q)).RawMatrix().Data)); err != nil {
		panic(fmt.Sprintf("analysis: drivers: R⁻¹ after the collinearity check: %v", err))
	}
	for j := 1; j < q; j++ {
		var ss float64
		for k := j; k < q; k++ {
			ss += rInv.At(j, k) * rInv.At(j, k)
		}
		se := sigma * math.Sqrt(ss)
		beta = append(beta, b.AtVec(j))
		pval = append(pval, drvTwoSidedP(b.AtVec(j)/se, df))
	}
	return beta, pval
}

// drvTwoSidedP is the two-sided Student-t p-value 2·P(T_ν > |t|) =
// I_{ν/(ν+t²)}(ν/2, 1/2), the regularized incomplete beta evaluated
// directly (distuv.StudentsT's Survival does so), so tiny p-values keep
// their relative accuracy.
func drvTwoSidedP(t, df float64) float64 {
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
}

func drvMeanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}

// drvMostCorrelated returns the pair of drivers with the largest |r|.
func drvMostCorrelated(r *mat.SymDense) (a, b int) {
	best := -1.0
	p := r.SymmetricDim()
	for i := 0; i < p; i++ {
		for j := i + 1; j < p; j++ {
			if v := math.Abs(r.At(i, j)); v > best {
				best, a, b = v, i, j
			}
		}
	}
	return a, b
}

// floatsSumKahan is a compensated sum.
func floatsSumKahan(x []float64) float64 {
	var s, c float64
	for _, v := range x {
		y := v - c
		t := s + y
		c = (t - s) - y
		s = t
	}
	return s
}

// DriversTable is the oracle's drivers.csv: one row per category and
// driver, in the order of rs, with the columns category, indicator,
// n_complete, R2, r, r_p, beta_std, beta_std_lm, beta_p, rw_raw, rw_pct,
// lmg_raw, lmg_pct.
func DriversTable(rs []DriverResult) *Table {
	t := &Table{Name: "drivers", Columns: []string{"category", "indicator", "n_complete", "R2",
		"r", "r_p", "beta_std", "beta_std_lm", "beta_p", "rw_raw", "rw_pct", "lmg_raw", "lmg_pct"}}
	for _, r := range rs {
		for _, d := range r.Drivers {
			t.Append(r.Category, d.Indicator, r.N, r.R2, d.R, d.RP, d.Beta, d.BetaLM, d.BetaP,
				d.RW, d.RWPct, d.LMG, d.LMGPct)
		}
	}
	return t
}

// DerivedImportance maps category → indicator → Pearson r with overall
// satisfaction, the derived importance of the IPA (ipa.csv's
// I_derived_r).
func DerivedImportance(rs []DriverResult) map[string]map[string]float64 {
	out := make(map[string]map[string]float64, len(rs))
	for _, r := range rs {
		m := make(map[string]float64, len(r.Drivers))
		for _, d := range r.Drivers {
			m[d.Indicator] = d.R
		}
		out[r.Category] = m
	}
	return out
}

// RelativeWeights returns Johnson's (2000) relative weights of p drivers
// with correlation matrix rxx and correlations rxy with the outcome. With
// the eigendecomposition R_xx = VΔVᵀ and its symmetric square root
// Λ = VΔ^{1/2}Vᵀ,
//
//	β* = Λ⁻¹ r_xy,   ε_j = Σ_k Λ_jk² β*_k²,
//
// and Σ_j ε_j = r_xyᵀ R_xx⁻¹ r_xy = R². This is the computation of the R
// package rwa (and the oracle's drivers.csv rw_raw). It returns an
// *UndefinedError of ErrCollinear when rxx is not positive definite, and
// panics if rxy does not have one value per driver.
func RelativeWeights(rxx mat.Symmetric, rxy []float64) ([]float64, error) {
	p := rxx.SymmetricDim()
	if len(rxy) != p {
		panic(fmt.Sprintf("analysis: RelativeWeights: %d correlations for %d drivers", len(rxy), p))
	}
	var eig mat.EigenSym
	if !eig.Factorize(rxx, true) {
		return nil, drvUndefined(ErrCollinear, "the eigendecomposition of R_xx failed")
	}
	vals := eig.Values(nil)
	var v mat.Dense
	eig.VectorsTo(&v)
	if vals[0] <= 0 { // ascending order
		return nil, drvUndefined(ErrCollinear, "R_xx has the eigenvalue %.3g ≤ 0", vals[0])
	}
	sq, isq := make([]float64, p), make([]float64, p)
	for k, l := range vals {
		sq[k], isq[k] = math.Sqrt(l), 1/math.Sqrt(l)
	}
	lam := drvSymFunc(&v, sq) // Λ = V Δ^{1/2} Vᵀ
	var bstar mat.VecDense    // β* = V Δ^{-1/2} Vᵀ r_xy
	bstar.MulVec(drvSymFunc(&v, isq), mat.NewVecDense(p, rxy))
	eps := make([]float64, p)
	for j := range eps {
		for k := 0; k < p; k++ {
			l, b := lam.At(j, k), bstar.AtVec(k)
			eps[j] += l * l * b * b
		}
	}
	return eps, nil
}

// drvSymFunc returns V diag(f) Vᵀ.
func drvSymFunc(v *mat.Dense, f []float64) *mat.Dense {
	p := len(f)
	var vf mat.Dense
	vf.Apply(func(_, k int, x float64) float64 { return x * f[k] }, v)
	out := mat.NewDense(p, p, nil)
	out.Mul(&vf, v.T())
	return out
}

// LMG returns the LMG (Lindeman, Merenda & Gold 1980) shares of R² of p
// drivers with correlation matrix rxx and correlations rxy with the
// outcome: the increase in R² when driver j enters, averaged over all
// orders of entry (the Shapley value; general dominance; R's relaimpo
// "lmg"),
//
//	LMG_j = Σ_{S ⊆ P∖{j}} |S|!(p−|S|−1)!/p! · (R²(S∪{j}) − R²(S)),
//
// with R²(S) = r_Sᵀ R_SS⁻¹ r_S, computed exactly over all 2^p subsets
// (p ≤ 16). The shares sum to R². It returns an *UndefinedError of
// ErrCollinear when rxx is not positive definite and of ErrTooManyDrivers
// when p > 16, and panics if rxy does not have one value per driver.
func LMG(rxx mat.Symmetric, rxy []float64) ([]float64, error) {
	p := rxx.SymmetricDim()
	if len(rxy) != p {
		panic(fmt.Sprintf("analysis: LMG: %d correlations for %d drivers", len(rxy), p))
	}
	if p > maxLMGDrivers {
		return nil, drvUndefined(ErrTooManyDrivers, "%d drivers; the exact LMG enumeration is limited to %d", p, maxLMGDrivers)
	}
	r2 := make([]float64, 1<<p)
	var set []int
	for m := 1; m < 1<<p; m++ {
		set = set[:0]
		for j := 0; j < p; j++ {
			if m&(1<<j) != 0 {
				set = append(set, j)
			}
		}
		var sub mat.SymDense
		sub.SubsetSym(rxx, set)
		rs := make([]float64, len(set))
		for a, j := range set {
			rs[a] = rxy[j]
		}
		var chol mat.Cholesky
		var b mat.VecDense
		if !chol.Factorize(&sub) || chol.SolveVecTo(&b, mat.NewVecDense(len(rs), rs)) != nil {
			return nil, drvUndefined(ErrCollinear, "the correlation matrix of drivers %v is singular", set)
		}
		r2[m] = mat.Dot(&b, mat.NewVecDense(len(rs), rs))
	}
	// weight[s] = s!(p−s−1)!/p!
	weight := make([]float64, p)
	for s := range weight {
		weight[s] = float64(drvFact(s)*drvFact(p-s-1)) / float64(drvFact(p)) // exact integers for p ≤ 16
	}
	lmg := make([]float64, p)
	for j := 0; j < p; j++ {
		for m := 0; m < 1<<p; m++ {
			if m&(1<<j) == 0 {
				lmg[j] += weight[bits.OnesCount(uint(m))] * (r2[m|1<<j] - r2[m])
			}
		}
	}
	return lmg, nil
}

func drvFact(n int) int64 {
	f := int64(1)
	for k := int64(2); k <= int64(n); k++ {
		f *= k
	}
	return f
}
