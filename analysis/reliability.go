package analysis

import (
	"errors"
	"fmt"
	"math"

	"github.com/qvoice/qvoice/surveys"
	"gonum.org/v1/gonum/mat"
)

// Kinds of UndefinedError, for errors.Is.
var (
	// ErrTooFewCases: too few complete cases for the estimate.
	ErrTooFewCases = errors.New("too few complete cases")
	// ErrConstant: a variable, or a sum of variables, has no variance.
	ErrConstant = errors.New("constant variable")
	// ErrCollinear: the drivers' correlation matrix is singular or nearly so.
	ErrCollinear = errors.New("collinear drivers")
	// ErrTooManyDrivers: more drivers than the exact LMG enumeration takes (16).
	ErrTooManyDrivers = errors.New("too many drivers")
	// ErrUnclassified: Kano answers outside the five standard ones.
	ErrUnclassified = errors.New("unclassified answers")
)

// UndefinedError says why an estimate of the reliability, driver or Kano
// analysis is undefined (or was computed without some answers). Err is one
// of ErrTooFewCases, ErrConstant, ErrCollinear, ErrTooManyDrivers or
// ErrUnclassified. The
// table builders return every such problem at once, joined with
// errors.Join, next to a complete table whose undefined cells are NA: a
// caller prints the notes instead of a table of unexplained NAs.
type UndefinedError struct {
	Analysis string // "reliability", "drivers", "kano"
	Subject  string // "food/sat", "food", "food_qr_traceability", …
	Err      error
	Detail   string // what was found, e.g. "1 complete case"
}

func (e *UndefinedError) Error() string {
	what := e.Analysis
	if e.Subject != "" {
		what += " " + e.Subject
	}
	return fmt.Sprintf("analysis: %s: %v: %s", what, e.Err, e.Detail)
}

func (e *UndefinedError) Unwrap() error { return e.Err }

// CronbachAlpha returns Cronbach's α of the k items in the columns of x,
// one row per case (complete cases only):
//
//	α = k/(k−1) · (1 − Σ_j s²_j / s²_T),
//
// with s²_j the variance of item j and s²_T that of the total score
// T = Σ_j x_j (Cronbach 1951). With nil weights the variances are the usual
// ones with divisor n−1, as in R's var and psych::alpha's raw_alpha. With
// weights (one per row, non-negative, such as raked survey weights) they
// are the weighted ML covariances of R's cov.wt(x, wt = w/Σw, method =
// "ML"), C = Σ_i w_i (x_i − x̄_w)(x_i − x̄_w)ᵀ / Σ_i w_i, and
// α = k/(k−1)·(1 − tr C / Σ_jl C_jl), which equals survey::svycralpha: the
// divisor cancels in the ratio, so only relative weights matter and integer
// weights act like repeated rows.
//
// α is undefined, and CronbachAlpha returns NaN, when k < 2, with fewer
// than two rows (of positive weight), or when the total score is constant.
// A constant item leaves α defined (its variance is 0). CronbachAlpha
// panics if weights is not nil and not one per row.
func CronbachAlpha(x *mat.Dense, weights []float64) float64 {
	n, k := x.Dims()
	if weights != nil && len(weights) != n {
		panic(fmt.Sprintf("analysis: CronbachAlpha: %d weights for %d rows", len(weights), n))
	}
	if k < 2 || relPositive(weights, n) < 2 {
		return math.NaN()
	}
	total := make([]float64, n) // the total scores T_i
	var sumItems float64
	for j := 0; j < k; j++ {
		col := mat.Col(nil, j, x)
		sumItems += relSS(col, weights)
		for i, v := range col {
			total[i] += v
		}
	}
	ssT := relSS(total, weights)
	if ssT == 0 {
		return math.NaN()
	}
	return float64(k) / float64(k-1) * (1 - sumItems/ssT)
}

// relSS is the weighted sum of squared deviations about the weighted mean,
// Σ w_i (x_i − x̄_w)² (all weights 1 when nil), with compensated sums and
// the corrected two-pass formula Σ w d² − (Σ w d)²/Σ w, so that it is
// accurate to a few ulps.
func relSS(x, weights []float64) float64 {
	w := func(i int) float64 {
		if weights == nil {
			return 1
		}
		return weights[i]
	}
	var sw, swx relSum
	for i, v := range x {
		sw.add(w(i))
		swx.add(w(i) * v)
	}
	mean := swx.sum() / sw.sum()
	if v, ok := relConstant(x, weights); ok {
		mean = v // exactly: no rounding error may pass for a variance
	}
	var ss, sd relSum
	for i, v := range x {
		d := v - mean
		ss.add(w(i) * d * d)
		sd.add(w(i) * d)
	}
	return ss.sum() - sd.sum()*sd.sum()/sw.sum()
}

// relConstant reports whether every x_i of positive weight (all when
// weights is nil) has the same value v.
func relConstant(x, weights []float64) (v float64, ok bool) {
	first := true
	for i, xi := range x {
		if weights != nil && !(weights[i] > 0) {
			continue
		}
		if first {
			v, first = xi, false
		} else if xi != v {
			return 0, false
		}
	}
	return v, !first
}

// relSum is Neumaier's compensated sum.
type relSum struct{ s, c float64 }

func (a *relSum) add(x float64) {
	t := a.s + x
	if math.Abs(a.s) >= math.Abs(x) {
		a.c += (a.s - t) + x
	} else {
		a.c += (x - t) + a.s
	}
	a.s = t
}

func (a *relSum) sum() float64 { return a.s + a.c }

// StandardizedAlpha returns the standardized Cronbach's α of the items in
// the columns of x, one row per case:
//
//	α_s = k r̄ / (1 + (k−1) r̄),
//
// with r̄ the mean of the k(k−1)/2 Pearson correlations between items (the
// α of the standardized items; psych::alpha's std.alpha). It is NaN when
// k < 2, with fewer than two rows, or when an item is constant (its
// correlations are undefined).
func StandardizedAlpha(x *mat.Dense) float64 {
	n, k := x.Dims()
	if k < 2 || n < 2 {
		return math.NaN()
	}
	c := relCrossprod(x)
	var sum float64
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			sum += c.At(a, b) / math.Sqrt(c.At(a, a)*c.At(b, b))
		}
	}
	rbar := sum / float64(k*(k-1)/2)
	return float64(k) * rbar / (1 + float64(k-1)*rbar) // NaN if a variance is 0
}

// relCrossprod returns (X − 1x̄ᵀ)ᵀ(X − 1x̄ᵀ), the sums of squares and
// cross-products about the column means, with compensated sums and the
// corrected two-pass formula (as relSS).
func relCrossprod(x *mat.Dense) *mat.SymDense {
	n, k := x.Dims()
	dev := make([][]float64, k) // the deviations from the column means
	sumDev := make([]float64, k)
	for j := range dev {
		dev[j] = mat.Col(nil, j, x)
		var s relSum
		for _, v := range dev[j] {
			s.add(v)
		}
		mean := s.sum() / float64(n)
		if v, ok := relConstant(dev[j], nil); ok {
			mean = v
		}
		s = relSum{}
		for i := range dev[j] {
			dev[j][i] -= mean
			s.add(dev[j][i])
		}
		sumDev[j] = s.sum()
	}
	out := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			var s relSum
			for i, d := range dev[a] {
				s.add(d * dev[b][i])
			}
			out.SetSym(a, b, s.sum()-sumDev[a]*sumDev[b]/float64(n))
		}
	}
	return out
}

func relPositive(weights []float64, n int) int {
	if weights == nil {
		return n
	}
	m := 0
	for _, w := range weights {
		if w > 0 {
			m++
		}
	}
	return m
}

// ScaleReliability is the reliability of one category's importance or
// satisfaction scale (a row of the oracle's reliability.csv), over the N
// cases that answered all K items ("na" counts as missing). AlphaRake is
// NaN when no weights were given.
type ScaleReliability struct {
	Category, Scale string // Scale is "sat" or "imp"
	K, N            int
	Alpha           float64 // CronbachAlpha, unweighted
	AlphaStd        float64 // StandardizedAlpha
	AlphaRake       float64 // CronbachAlpha with the raked weights
}

// Reliability computes the reliability of the satisfaction and importance
// scales of every category of s's definition (categories in definition
// order, satisfaction first), on the cases complete on all the scale's
// items; rakeWeights (one per row of s, or nil for none) give AlphaRake.
// Every scale is returned. When an estimate is undefined (fewer than two
// complete cases, a constant total score, a constant item for AlphaStd) it
// is NaN, and err joins an *UndefinedError for each such scale. It panics
// if rakeWeights is not nil and not one per row.
func Reliability(s *Sample, rakeWeights []float64) ([]ScaleReliability, error) {
	if rakeWeights != nil && len(rakeWeights) != s.Len() {
		panic(fmt.Sprintf("analysis: Reliability: %d weights for %d rows", len(rakeWeights), s.Len()))
	}
	var out []ScaleReliability
	var errs []error
	for _, c := range s.Def.Categories {
		for _, sc := range []string{"sat", "imp"} {
			ids := make([]string, len(c.Indicators))
			for j, ind := range c.Indicators {
				if sc == "sat" {
					ids[j] = surveys.SatisfactionID(c.Code, ind.Code)
				} else {
					ids[j] = surveys.ImportanceID(c.Code, ind.Code)
				}
			}
			r, err := scaleReliability(s, ids, rakeWeights)
			r.Category, r.Scale = c.Code, sc
			if err != nil {
				err.Subject = c.Code + "/" + sc
				errs = append(errs, err)
			}
			out = append(out, r)
		}
	}
	return out, errors.Join(errs...)
}

// scaleReliability is one scale over the complete cases of the columns ids.
func scaleReliability(s *Sample, ids []string, rakeWeights []float64) (ScaleReliability, *UndefinedError) {
	x, rows := relCompleteCases(s, ids)
	r := ScaleReliability{K: len(ids), N: len(rows), Alpha: math.NaN(), AlphaStd: math.NaN(), AlphaRake: math.NaN()}
	undefined := func(kind error, format string, a ...any) *UndefinedError {
		return &UndefinedError{Analysis: "reliability", Err: kind, Detail: fmt.Sprintf(format, a...)}
	}
	if r.N < 2 {
		return r, undefined(ErrTooFewCases, "%d cases answered all %d items; α needs 2", r.N, r.K)
	}
	r.Alpha, r.AlphaStd = CronbachAlpha(x, nil), StandardizedAlpha(x)
	if rakeWeights != nil {
		w := make([]float64, len(rows))
		for i, row := range rows {
			w[i] = rakeWeights[row]
		}
		r.AlphaRake = CronbachAlpha(x, w)
	}
	switch {
	case math.IsNaN(r.Alpha):
		return r, undefined(ErrConstant, "all %d complete cases have the same total score; α is undefined", r.N)
	case math.IsNaN(r.AlphaStd):
		return r, undefined(ErrConstant, "item %s is constant over the %d complete cases; the standardized α is undefined", relConstantItem(x, ids), r.N)
	case rakeWeights != nil && math.IsNaN(r.AlphaRake):
		return r, undefined(ErrTooFewCases, "fewer than 2 of the %d complete cases have a positive raked weight, or their total score is constant; alpha_rake is undefined", r.N)
	}
	return r, nil
}

// relCompleteCases returns the rows of s complete on every column of ids (a
// column the definition lacks is all missing) and their values; the matrix
// is nil when there are none.
func relCompleteCases(s *Sample, ids []string) (*mat.Dense, []int) {
	cols := make([]*ScaleColumn, len(ids))
	for j, id := range ids {
		if cols[j] = s.Scale(id); cols[j] == nil {
			return nil, nil
		}
	}
	var rows []int
	var data []float64
rowLoop:
	for i := 0; i < s.Len(); i++ {
		for _, c := range cols {
			if c.Values[i] == Missing {
				continue rowLoop
			}
		}
		rows = append(rows, i)
		for _, c := range cols {
			data = append(data, float64(c.Values[i]))
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return mat.NewDense(len(rows), len(ids), data), rows
}

// relConstantItem names the first constant column of x.
func relConstantItem(x *mat.Dense, ids []string) string {
	n, k := x.Dims()
	for j := 0; j < k; j++ {
		same := true
		for i := 1; i < n && same; i++ {
			same = x.At(i, j) == x.At(0, j)
		}
		if same {
			return ids[j]
		}
	}
	return "?"
}

// ReliabilityTable is the oracle's reliability.csv: one row per category
// (definition order) and scale (sat, then imp), with k, n_complete, alpha,
// alpha_std, alpha_psych (psych::alpha's raw_alpha, the same formula as
// alpha), alpha_rake (NA when rakeWeights is nil) and alpha_rake_svycralpha
// (always NA: it is alpha_rake, which the oracle cross-checks with
// survey::svycralpha for one scale). The table has every row even when err
// is not nil; err names the scales whose NA cells are undefined estimates
// (see Reliability).
func ReliabilityTable(s *Sample, rakeWeights []float64) (*Table, error) {
	rs, err := Reliability(s, rakeWeights)
	t := &Table{Name: "reliability", Columns: []string{"category", "scale", "k", "n_complete",
		"alpha", "alpha_std", "alpha_psych", "alpha_rake", "alpha_rake_svycralpha"}}
	for _, r := range rs {
		t.Append(r.Category, r.Scale, r.K, r.N, r.Alpha, r.AlphaStd, r.Alpha, r.AlphaRake, nil)
	}
	return t, err
}
