package analysis

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/qvoice/qvoice/surveys"
)

// meansColumns are the columns of the oracle's means.csv.
var meansColumns = []string{"category", "measure", "indicator", "variable", "n",
	"mean_unw", "sd_unw", "se_unw", "ci_lo_unw", "ci_hi_unw",
	"mean_dw", "se_dw", "ci_lo_dw", "ci_hi_dw", "deff_dw", "n_eff_dw", "deff_kish_dw",
	"mean_rake", "se_rake", "ci_lo_rake", "ci_hi_rake", "deff_rake", "n_eff_rake", "deff_kish_rake",
	"mean_cal", "se_cal"}

// MeansTable is the oracle's means.csv: for each category in definition
// order, one row per importance field, satisfaction field, overall
// satisfaction and recommendation (measure "importance", "satisfaction",
// "overall_sat", "recommend"; indicator empty for the last two), with
// available-case estimates under four designs:
//
//   - *_unw: n, the mean ȳ = Σ v y/Σ v and the standard deviation
//     √(Σ v (y−ȳ)²/(Σ v − 1)) with v the weights of unw (all 1 for
//     UnweightedDesign: R's mean and sd), se = sd/√n and ȳ ∓ qt(0.975, n−1)·se.
//   - *_dw, *_rake: the JointMeans estimates under dw and rake (svymean,
//     na.rm=TRUE, deff="replace"), a normal 95% interval, and Kish's
//     n_eff = (Σ w)²/Σ w² and deff_kish = n·Σ w²/(Σ w)² over the rows present.
//   - mean_cal, se_cal: the JointMeans estimates under cal.
//
// Only standard errors are reported, and a variable's variance does not
// depend on which others are estimated with it (ValidateTable checks
// this), so each variable's covariance is computed on its own, 1×1, from
// its own influence column over the category's rows: the cross products
// of a joint 16×16 covariance would be most of the work at a million rows.
// Designs with the same weights slice (rake and cal) share the influence
// column. A field the definition lacks counts as never answered (n = 0, NA
// estimates). MeansTable panics if a design's weights are not one per row
// of s. The designs' Cov must not keep its argument: the influence
// buffers are reused.
func MeansTable(s *Sample, unw, dw, rake, cal Design) *Table {
	t := &Table{Name: "means", Columns: meansColumns}
	var bufD, bufR []float64
	for _, c := range s.Def.Categories {
		vars, measures, inds := meansVars(s, c)
		b := newJointBatch(s, vars)
		cu, cd, cr := b.calc(unw.Weights()), b.calc(dw.Weights()), b.calc(rake.Weights())
		cc := cr
		if !sameSlice(cal.Weights(), rake.Weights()) {
			cc = b.calc(cal.Weights())
		}
		for a, v := range vars {
			n, m := cu.n[a], cu.mean[a]
			sd := math.Sqrt(cu.s2[a] / (cu.wsum[a] - 1))
			se := sd / math.Sqrt(float64(n))
			q := math.NaN()
			if n >= 2 {
				q = t975(float64(n - 1))
			}
			kd, dd := kishSums(n, cd.wsum[a], cd.w2sum[a])
			kr, dr := kishSums(n, cr.wsum[a], cr.w2sum[a])
			seD, deffD := cd.seDeff(a, dw.Cov(cd.column(a, &bufD)))
			vr, vc := rakeAndCalCov(cr, cc, a, rake, cal, &bufR)
			seR, deffR := cr.seDeff(a, vr)
			seC, _ := cc.seDeff(a, vc)
			mD, mR := cd.mean[a], cr.mean[a]
			t.Append(c.Code, measures[a], inds[a], v.Name, n,
				m, sd, se, m-q*se, m+q*se,
				mD, seD, mD-z975*seD, mD+z975*seD, deffD, kd, dd,
				mR, seR, mR-z975*seR, mR+z975*seR, deffR, kr, dr,
				cc.mean[a], seC)
		}
	}
	return t
}

// rakeAndCalCov is the 1×1 covariances of variable a under rake and cal,
// from cr and cc, the sums under their weights. When both are the designs
// of one Raking (cr == cc), they share the influence column and the sums
// over its rows.
func rakeAndCalCov(cr, cc *jointCalc, a int, rake, cal Design, buf *[]float64) (vr, vc *mat.SymDense) {
	rd, ok1 := rake.(*rakeDesign)
	cd, ok2 := cal.(*calDesign)
	if ok1 && ok2 && rd.r == cd.r && cr == cc {
		return rd.r.rakeAndCalCov(cr.column(a, buf))
	}
	vr = rake.Cov(cr.column(a, buf))
	return vr, cal.Cov(cc.column(a, buf))
}

// meansVars lists the fields of category c in means.csv order with their
// measure and indicator labels.
func meansVars(s *Sample, c *surveys.Category) (vars []Var, measures, inds []string) {
	add := func(id, measure, ind string) {
		vars = append(vars, Var{Name: id, Col: meansScale(s, id)})
		measures = append(measures, measure)
		inds = append(inds, ind)
	}
	for _, ind := range c.Indicators {
		add(surveys.ImportanceID(c.Code, ind.Code), "importance", ind.Code)
	}
	for _, ind := range c.Indicators {
		add(surveys.SatisfactionID(c.Code, ind.Code), "satisfaction", ind.Code)
	}
	add(surveys.OverallID(c.Code), "overall_sat", "")
	add(surveys.RecommendID(c.Code), "recommend", "")
	return vars, measures, inds
}

// meansScale returns the scale column id of s, or a column nobody
// answered when s has none.
func meansScale(s *Sample, id string) *ScaleColumn {
	if c := s.Scale(id); c != nil {
		return c
	}
	c := &ScaleColumn{Hi: -1, Values: make([]int8, s.Len())}
	for i := range c.Values {
		c.Values[i] = Missing
	}
	return c
}

// kishSums is Kish's effective sample size (Σ w)²/Σ w² and design effect
// n·Σ w²/(Σ w)² from n, Σ w and Σ w².
func kishSums(n int, sw, sw2 float64) (nEff, deff float64) {
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	return sw * sw / sw2, float64(n) * sw2 / (sw * sw)
}

func sameSlice(a, b []float64) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// jointBatch computes what JointMeans computes, for several weightings of
// the same variables, in a few sequential passes: the sums are taken per
// scale point (a column holds at most 256 distinct values), so
//
//	W = Σ_y W_y,  ȳ = Σ_y W_y v(y) / W,  Σ_D w (v − ȳ)² = Σ_y W_y (v(y) − ȳ)²
//
// with W_y the sum of the weights of the rows answering y and v(y) the
// variable's value (Var.Map), and the influence matrix is filled row by
// row, without branches, over the rows where some variable is present. At
// a million rows this is several times faster than JointMeans, which
// visits every row of every variable through Var.at; the results agree to
// rounding (TestMeansTableMatchesJointMeans).
type jointBatch struct {
	vars []Var
	rows []int32 // rows where some variable is present
	n    int     // rows of the sample
}

// missingByte is uint8(Missing), the bucket of absent answers.
const missingByte = uint8(0xff)

func newJointBatch(s *Sample, vars []Var) *jointBatch {
	b := &jointBatch{vars: vars, n: s.Len()}
	present := make([]uint8, b.n)
	for _, v := range vars {
		for i, y := range v.Col.Values {
			present[i] |= uint8(y) + 1
		}
	}
	count := 0
	for _, p := range present {
		count += oneIf(p != 0)
	}
	b.rows = make([]int32, count+1)
	k := 0
	for i, p := range present {
		b.rows[k] = int32(i)
		k += oneIf(p != 0)
	}
	b.rows = b.rows[:count]
	return b
}

// oneIf is 1 if c, else 0; the compiler makes it branch-free.
func oneIf(c bool) int {
	if c {
		return 1
	}
	return 0
}

// jointCalc holds the per-variable sums of a jointBatch under weights w.
type jointCalc struct {
	b                     *jointBatch
	w                     []float64
	n                     []int
	wsum, w2sum, s2, mean []float64
	val                   [][256]float64 // v(y) at uint8(y); the mean at missingByte
	z                     *Influence     // built by influence
}

func (b *jointBatch) calc(w []float64) *jointCalc {
	if len(w) != b.n {
		panic(fmt.Sprintf("analysis: %d weights for %d rows", len(w), b.n))
	}
	k := len(b.vars)
	c := &jointCalc{b: b, w: w, n: make([]int, k), wsum: make([]float64, k), w2sum: make([]float64, k),
		s2: make([]float64, k), mean: make([]float64, k), val: make([][256]float64, k)}
	for a, v := range b.vars {
		var cnt [256]int
		var sw, sw2 [256]float64
		col := v.Col.Values
		for _, i := range b.rows {
			u, wi := uint8(col[i]), w[i]
			cnt[u]++
			sw[u] += wi
			sw2[u] += wi * wi
		}
		cnt[missingByte] = 0
		var W, W2, swy float64
		for u := range cnt {
			if cnt[u] == 0 {
				continue
			}
			y := int(int8(uint8(u)))
			c.val[a][u] = float64(y)
			if v.Map != nil {
				c.val[a][u] = v.Map(y)
			}
			c.n[a] += cnt[u]
			W += sw[u]
			W2 += sw2[u]
			swy += sw[u] * c.val[a][u]
		}
		c.wsum[a], c.w2sum[a], c.mean[a] = W, W2, swy/W
		for u := range cnt {
			if cnt[u] > 0 {
				d := c.val[a][u] - c.mean[a]
				c.s2[a] += sw[u] * d * d
			}
		}
		c.val[a][missingByte] = c.mean[a] // so that a missing answer has z = 0
		if c.n[a] == 0 {
			c.mean[a], c.s2[a] = math.NaN(), math.NaN()
			c.val[a] = [256]float64{}
		}
	}
	return c
}

// influence builds the influence matrix of c, z_ia = w_i (v(y_ia) − ȳ_a)/W_a
// where present and 0 elsewhere, in *buf if it is large enough (and then
// keeps the larger buffer in *buf); buf may be nil.
func (c *jointCalc) influence(buf *[]float64) *Influence {
	if c.z != nil {
		return c.z
	}
	k := len(c.b.vars)
	m := len(c.b.rows) * k
	var zz []float64
	if buf != nil && cap(*buf) >= m {
		zz = (*buf)[:m]
	} else {
		zz = make([]float64, m)
		if buf != nil {
			*buf = zz
		}
	}
	cols := make([][]int8, k)
	inv := make([]float64, k)
	for a, v := range c.b.vars {
		cols[a] = v.Col.Values
		if c.n[a] > 0 {
			inv[a] = 1 / c.wsum[a]
		}
	}
	for q, i := range c.b.rows {
		row, wi := zz[q*k:(q+1)*k], c.w[i]
		for a := range row {
			row[a] = wi * (c.val[a][uint8(cols[a][i])] - c.mean[a]) * inv[a]
		}
	}
	for a := range k { // a variable nobody answered has NaN mean
		if c.n[a] == 0 {
			for q := range c.b.rows {
				zz[q*k+a] = 0
			}
		}
	}
	c.z = &Influence{N: c.b.n, K: k, Rows: c.b.rows, Z: zz}
	return c.z
}

// column is the influence column of variable a alone over the batch's
// rows (zero where a is missing), in *buf (see influence).
func (c *jointCalc) column(a int, buf *[]float64) *Influence {
	m := len(c.b.rows)
	if cap(*buf) < m {
		*buf = make([]float64, m)
	}
	z := &Influence{N: c.b.n, K: 1, Rows: c.b.rows, Z: (*buf)[:m]}
	if c.n[a] == 0 {
		clear(z.Z)
		return z
	}
	val, mean, inv, col := &c.val[a], c.mean[a], 1/c.wsum[a], c.b.vars[a].Col.Values
	for q, i := range c.b.rows {
		z.Z[q] = c.w[i] * (val[uint8(col[i])] - mean) * inv
	}
	return z
}

// seDeff is the SE √V and design effect V/(s²_w/n) (deff="replace") of
// variable a with variance cov[a', a'] (cov 1×1 for a alone, else K×K).
func (c *jointCalc) seDeff(a int, cov *mat.SymDense) (se, deff float64) {
	if c.n[a] == 0 {
		return math.NaN(), math.NaN()
	}
	ia := a
	if cov.SymmetricDim() == 1 {
		ia = 0
	}
	v := cov.At(ia, ia)
	n := float64(c.n[a])
	return math.Sqrt(v), v / (c.s2[a] / c.wsum[a] * n / (n - 1) / n)
}

// joint is JointMeans(s, d, vars) for a design whose weights are c's, with
// the influence matrix built in buf (see influence).
func (c *jointCalc) joint(d Design, buf *[]float64) *Joint {
	if !sameSlice(d.Weights(), c.w) {
		panic("analysis: jointCalc of other weights than the design's")
	}
	return c.withCov(d.Cov(c.influence(buf)))
}

// withCov completes the estimates of c with the covariance cov of its
// influence matrix.
func (c *jointCalc) withCov(cov *mat.SymDense) *Joint {
	k := len(c.b.vars)
	j := &Joint{Vars: c.b.vars, Mean: append([]float64(nil), c.mean...), SE: make([]float64, k),
		Deff: make([]float64, k), N: append([]int(nil), c.n...), Cov: cov}
	for a := range k {
		j.SE[a], j.Deff[a] = c.seDeff(a, cov)
	}
	return j
}

var validateColumns = []string{"design", "variable", "mean_svymean", "se_svymean", "deff_svymean",
	"mean_fast", "se_fast", "deff_fast", "abs_diff_mean", "rel_diff_se", "rel_diff_deff"}

// ValidateTable is the oracle's validate.csv, a consistency check of the
// joint path. The oracle compares canonical svymean(~v, design,
// na.rm=TRUE, deff="replace") with its vectorised joint influence matrix on
// seven variables: the first three satisfaction fields of the first
// category, the first two importance fields of the last category, the
// recommendation of the second category and the NPS unit score
// 100·(1[rec ≥ 9] − 1[rec ≤ 6]) of the third, under dw, rake and cal. Here
// there is one path, so the *_svymean columns are JointMeans of each
// variable alone and the *_fast columns JointMeans of the seven jointly;
// abs_diff_mean = |Δmean|, rel_diff_se = |se_svymean/se_fast − 1| and
// rel_diff_deff likewise. Variables the definition does not have (fewer
// categories or indicators) are left out.
func ValidateTable(s *Sample, dw, rake, cal Design) *Table {
	vars := validateVars(s)
	t := &Table{Name: "validate", Columns: validateColumns}
	all := &batchCalcs{b: newJointBatch(s, vars)}
	alone := make([]*batchCalcs, len(vars))
	for a := range vars {
		alone[a] = &batchCalcs{b: newJointBatch(s, vars[a:a+1])}
	}
	for _, d := range []Design{dw, rake, cal} {
		joint := all.calc(d.Weights()).joint(d, nil)
		for a, v := range vars {
			one := alone[a].calc(d.Weights()).joint(d, nil)
			t.Append(d.Name(), v.Name, one.Mean[0], one.SE[0], one.Deff[0],
				joint.Mean[a], joint.SE[a], joint.Deff[a],
				math.Abs(one.Mean[0]-joint.Mean[a]), math.Abs(one.SE[0]/joint.SE[a]-1),
				math.Abs(one.Deff[0]/joint.Deff[a]-1))
		}
	}
	return t
}

// validateVars are the seven variables of oracle.R's validate section.
func validateVars(s *Sample) []Var {
	cats := s.Def.Categories
	var vars []Var
	first := func(c *surveys.Category, k int, id func(cat, ind string) string) {
		for _, ind := range c.Indicators[:min(k, len(c.Indicators))] {
			name := id(c.Code, ind.Code)
			vars = append(vars, Var{Name: name, Col: meansScale(s, name)})
		}
	}
	if len(cats) > 0 {
		first(cats[0], 3, surveys.SatisfactionID)
		first(cats[len(cats)-1], 2, surveys.ImportanceID)
	}
	if len(cats) > 1 {
		id := surveys.RecommendID(cats[1].Code)
		vars = append(vars, Var{Name: id, Col: meansScale(s, id)})
	}
	if len(cats) > 2 {
		id := surveys.RecommendID(cats[2].Code)
		vars = append(vars, Var{Name: cats[2].Code + "_nps", Col: meansScale(s, id), Map: func(y int) float64 {
			switch {
			case y >= 9:
				return 100
			case y <= 6:
				return -100
			}
			return 0
		}})
	}
	return vars
}

// batchCalcs keeps the jointCalc of each weights slice of a batch, so that
// designs with the same weights (rake and cal) share their sums and their
// influence matrix.
type batchCalcs struct {
	b     *jointBatch
	calcs []*jointCalc
}

func (bc *batchCalcs) calc(w []float64) *jointCalc {
	for _, c := range bc.calcs {
		if sameSlice(c.w, w) {
			return c
		}
	}
	c := bc.b.calc(w)
	bc.calcs = append(bc.calcs, c)
	return c
}
