package analysis

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Estimate is a point estimate with its spread and 95% confidence interval.
// Which standard error and interval it carries is stated where it is used;
// there are two kinds:
//
// Classical (a sample mean, as R's mean, sd and qt compute it):
//
//	Mean = ȳ = Σy/n,  SD = √(Σ(y−ȳ)²/(n−1)),  SE = SD/√n,
//	CILow, CIHigh = ȳ ∓ t_{0.975, n−1}·SE
//
// Linearisation (design-based, as R survey's svymean/svycontrast and
// confint.svystat compute it): SE from the influence values of the whole
// sample (see CategorySummary), CILow, CIHigh = estimate ∓ z_{0.975}·SE,
// z_{0.975} = qnorm(0.975) ≈ 1.959964.
//
// N is the number of answers the estimate rests on. Mean is NaN when N = 0;
// SD, SE and the interval are NaN when N < 2.
type Estimate struct {
	N             int
	Mean          float64
	SD            float64 // divisor n−1
	SE            float64
	CILow, CIHigh float64 // 95%
}

// z975 is qnorm(0.975), the normal quantile of two-sided 95% intervals.
var z975 = distuv.UnitNormal.Quantile(0.975)

// t975 is qt(0.975, df), the Student t quantile of two-sided 95% intervals.
func t975(df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.975)
}

// classicalMean is the classical Estimate of variable a of m: the mean and
// n−1 standard deviation of its available cases, SE = SD/√n and a Student t
// interval with n−1 degrees of freedom. It is R's mean(y), sd(y),
// sd(y)/sqrt(n) and mean ∓ qt(0.975, n−1)·se (oracle means.csv *_unw).
func classicalMean(m *comoments, a int) Estimate {
	n := m.count(a)
	e := Estimate{N: int(n), Mean: m.mean(a), SD: math.NaN(), SE: math.NaN(),
		CILow: math.NaN(), CIHigh: math.NaN()}
	if n < 2 {
		return e
	}
	e.SD = math.Sqrt(m.comoment(a, a) / float64(n-1))
	e.SE = e.SD / math.Sqrt(float64(n))
	q := t975(float64(n - 1))
	e.CILow, e.CIHigh = e.Mean-q*e.SE, e.Mean+q*e.SE
	return e
}

// linearised is an Estimate with a linearisation standard error and a
// normal interval, est ∓ z_{0.975}·se. SD is NaN: callers that have one set
// it.
func linearised(n int64, est, se float64) Estimate {
	e := Estimate{N: int(n), Mean: est, SD: math.NaN(), SE: se,
		CILow: est - z975*se, CIHigh: est + z975*se}
	if n < 2 {
		e.SE, e.CILow, e.CIHigh = math.NaN(), math.NaN(), math.NaN()
	}
	return e
}

// linearMean100 is the available-case mean of variable a of m rescaled
// from its scale lo..hi to 0–100, 100·(ȳ − lo)/(hi − lo) (10·ȳ on 0–10),
// with the linearisation SE in a sample of nAll rows (svymean with unit
// weights and na.rm=TRUE; see comoments.linCov) and the classical n−1 SD,
// both rescaled by the same factor.
func linearMean100(m *comoments, a int, nAll int64, lo, hi int) Estimate {
	n := m.count(a)
	f := 100 / float64(hi-lo)
	e := linearised(n, f*(m.mean(a)-float64(lo)), f*math.Sqrt(m.linCov(a, a, nAll)))
	if n >= 2 {
		e.SD = f * math.Sqrt(m.comoment(a, a)/float64(n-1))
	}
	return e
}

// npsStats holds the counts of a 0–10 recommendation question that NPS
// needs: answers, promoters (≥ 9) and detractors (≤ 6).
type npsStats struct {
	n, promoters, detractors int64
}

// nps is the Net Promoter Score of Reichheld (2003) as the mean of the
// unit score d = 100·(1[rec ≥ 9] − 1[rec ≤ 6]):
//
//	NPS = 100·(promoters − detractors)/n
//
// with the linearisation SE of that mean in a sample of nAll rows (oracle
// indices.csv nps, se_nps). The centred sum of squares of d is exact:
// Σ(d−d̄)² = 10⁴·(n(p+q) − (p−q)²)/n with p promoters and q detractors.
func (s npsStats) nps(nAll int64) (nps, se float64) {
	if s.n == 0 {
		return math.NaN(), math.NaN()
	}
	p, q, n := s.promoters, s.detractors, s.n
	nps = 100 * float64(p-q) / float64(n)
	if nAll < 2 {
		return nps, math.NaN()
	}
	css := 1e4 * float64(n*(p+q)-(p-q)*(p-q)) / float64(n)
	f := float64(nAll) / float64(nAll-1)
	return nps, math.Sqrt(f * css / float64(n) / float64(n))
}
