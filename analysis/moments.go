package analysis

import (
	"math"
	"math/big"
)

// comoments holds exact sufficient statistics of v integer-valued variables
// observed with missing values, for available-case means and their joint
// covariance. Values are stored shifted, u = y − shift, with shift the middle
// of the variable's scale, so that the sums stay small.
//
// For a ≤ b, with D_ab the rows in which both a and b are present,
//
//	n[a·v+b] = |D_ab|
//	p[a·v+b] = Σ_{D_ab} u_a·u_b
//	s[a·v+b] = Σ_{D_ab} u_a,   s[b·v+a] = Σ_{D_ab} u_b
//
// so the diagonal holds each variable's own n_a, Σu_a and Σu_a². The entries
// below the diagonal of n and p are unused. All of it is int64: adding rows
// and merging are exact and order-independent.
type comoments struct {
	v       int
	shift   []int64
	n, s, p []int64
}

func newComoments(shift []int64) *comoments {
	v := len(shift)
	return &comoments{
		v:     v,
		shift: shift,
		n:     make([]int64, v*v),
		s:     make([]int64, v*v),
		p:     make([]int64, v*v),
	}
}

// add records one row. idx lists the present variables in increasing order,
// u holds their shifted values.
func (m *comoments) add(idx []int, u []int64) {
	v := m.v
	for x, a := range idx {
		ua := u[x]
		row := a * v
		for y := x; y < len(idx); y++ {
			b, ub := idx[y], u[y]
			m.n[row+b]++
			m.p[row+b] += ua * ub
			m.s[row+b] += ua
			if b != a {
				m.s[b*v+a] += ub
			}
		}
	}
}

// merge adds o's statistics; o must have the same variables.
func (m *comoments) merge(o *comoments) {
	for i := range m.n {
		m.n[i] += o.n[i]
		m.s[i] += o.s[i]
		m.p[i] += o.p[i]
	}
}

// count is n_a, the number of rows in which a is present.
func (m *comoments) count(a int) int64 { return m.n[a*m.v+a] }

// mean is ȳ_a = Σy_a / n_a, NaN when n_a = 0. Σy_a = Σu_a + shift·n_a is an
// exact integer, so the result is correctly rounded.
func (m *comoments) mean(a int) float64 {
	n := m.count(a)
	if n == 0 {
		return math.NaN()
	}
	return float64(m.s[a*m.v+a]+m.shift[a]*n) / float64(n)
}

// comoment is C_ab = Σ_{D_ab} (y_a − ȳ_a)(y_b − ȳ_b), where the means are
// over each variable's own rows (D_aa and D_bb), not over D_ab. It is formed
// exactly: with U_a = Σ_{D_aa} u_a and n_a = |D_aa|,
//
//	n_a·n_b·C_ab = n_a n_b Σ_{D_ab} u_a u_b − n_a U_b Σ_{D_ab} u_a
//	               − n_b U_a Σ_{D_ab} u_b + |D_ab| U_a U_b,
//
// an integer, and divided once, correctly rounded: in int64 and float64
// when that is exact, in math/big otherwise. C_aa is the centred sum of
// squares. It is NaN when n_a or n_b is 0.
func (m *comoments) comoment(a, b int) float64 {
	if a > b {
		a, b = b, a
	}
	v := m.v
	na, nb := m.n[a*v+a], m.n[b*v+b]
	if na == 0 || nb == 0 {
		return math.NaN()
	}
	ua, ub := m.s[a*v+a], m.s[b*v+b]
	return centredCross(na, nb, m.n[a*v+b], ua, ub, m.s[a*v+b], m.s[b*v+a], m.p[a*v+b])
}

// centredCross is comoment's X/(n_a n_b) from the integer statistics
// n_a, n_b, |D_ab|, U_a, U_b, Σ_{D_ab} u_a, Σ_{D_ab} u_b and Σ_{D_ab} u_a u_b.
// It works in int64 and float64 when both X and n_a n_b are exact there, so
// that the one division is correctly rounded, and in math/big otherwise.
func centredCross(na, nb, nab, ua, ub, sab, sba, pab int64) float64 {
	var e exact64
	x := e.add(e.sub(e.mul(e.mul(na, nb), pab), e.mul(e.mul(na, ub), sab)),
		e.sub(e.mul(e.mul(nab, ua), ub), e.mul(e.mul(nb, ua), sba)))
	den := e.mul(na, nb)
	if !e.overflow && x >= -maxExact && x <= maxExact && den <= maxExact {
		return float64(x) / float64(den)
	}
	return centredCrossBig(na, nb, nab, ua, ub, sab, sba, pab)
}

// centredCrossBig is centredCross in math/big, correctly rounded.
func centredCrossBig(na, nb, nab, ua, ub, sab, sba, pab int64) float64 {
	var x, t, den big.Int
	x.Mul(x.SetInt64(na), t.SetInt64(nb))
	x.Mul(&x, t.SetInt64(pab))
	x.Sub(&x, mul3(&t, na, ub, sab))
	x.Sub(&x, mul3(&t, nb, ua, sba))
	x.Add(&x, mul3(&t, nab, ua, ub))
	den.Mul(den.SetInt64(na), t.SetInt64(nb))
	f, _ := new(big.Rat).SetFrac(&x, &den).Float64()
	return f
}

// maxExact is 2⁵³: integers up to it convert to float64 exactly.
const maxExact = 1 << 53

// exact64 does int64 arithmetic and records whether any step overflowed.
type exact64 struct{ overflow bool }

func (e *exact64) mul(a, b int64) int64 {
	c := a * b
	if a != 0 && (c/a != b || (a == -1 && b == math.MinInt64)) {
		e.overflow = true
	}
	return c
}

func (e *exact64) add(a, b int64) int64 {
	c := a + b
	if (c > a) != (b > 0) {
		e.overflow = true
	}
	return c
}

func (e *exact64) sub(a, b int64) int64 {
	c := a - b
	if (c < a) != (b > 0) {
		e.overflow = true
	}
	return c
}

// mul3 sets z = a·b·c and returns z.
func mul3(z *big.Int, a, b, c int64) *big.Int {
	var y big.Int
	z.Mul(z.SetInt64(a), y.SetInt64(b))
	return z.Mul(z, y.SetInt64(c))
}

// linCov is the linearisation covariance of the available-case means ȳ_a
// and ȳ_b in a sample of nAll rows, as R survey's svymean computes it for
// svydesign(ids=~1) with unit weights and na.rm=TRUE (domain estimation):
//
//	Cov(ȳ_a, ȳ_b) = N/(N−1) · Σ_i z_ia z_ib = N/(N−1) · C_ab / (n_a n_b)
//
// with z_ia = (y_ia − ȳ_a)/n_a where a is present and 0 elsewhere, and N =
// nAll the number of rows in the whole sample, not n_a. NaN when N < 2.
func (m *comoments) linCov(a, b int, nAll int64) float64 {
	if nAll < 2 {
		return math.NaN()
	}
	na, nb := float64(m.count(a)), float64(m.count(b))
	f := float64(nAll) / float64(nAll-1)
	return f * m.comoment(a, b) / na / nb
}

// shiftFor is the middle of the scale lo..hi, rounded down: the shift that
// keeps |y − shift| ≤ (hi − lo + 1)/2.
func shiftFor(lo, hi int) int64 {
	return int64(lo + (hi-lo)/2)
}
