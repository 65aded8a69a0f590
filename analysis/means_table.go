package analysis

import (
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
