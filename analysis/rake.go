package analysis

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// RakeOptions control the iterative proportional fitting of Rake. The zero
// value means the defaults, which are the oracle's
// control=list(maxit=200, epsilon=1e-12).
type RakeOptions struct {
	// MaxIter is the most sweeps over the margins (default 200).
	MaxIter int
	// Epsilon is the convergence threshold, as in survey::rake: below 1 it
	// is a fraction of Σ design_wt, from 1 up an absolute weight (default
	// 1e-12).
	Epsilon float64
}

// Raking is the result of Rake: the raked weights of a Sample, the targets
// they were raked to, and what the raked and calibrated designs need for
// their variances. It is read-only, and safe for concurrent use.
type Raking struct {
	// Iterations is the number of sweeps over the margins that were run.
	Iterations int

	margins []Margin
	dw      []float64 // design weights
	w       []float64 // raked weights

	// The cells are the occupied combinations of the raking variables'
	// levels: row i is in cell cell[i]; cellLevel[m][c] is cell c's level
	// (index into margins[m].Levels) of margin m.
	cell      []int32
	cellLevel [][]int32
	cellN     []float64 // rows
	cellD     []float64 // Σ design_wt
	cellW     []float64 // Σ w
	cellW2    []float64 // Σ w²
	cellF     []float64 // f_c = w_i/d_i
	levelN    [][]float64
	invLevelN [][]float64 // 1/levelN

	// calU holds the left singular vectors of the column space of the
	// calibration model matrix, √cellD_c·x_c over cells (calibrate.go).
	calU     *mat.Dense
	invSqrtD []float64 // 1/√cellD
}

// Rake rakes the design weights of s to the population margins pop by
// iterative proportional fitting, as R's
//
//	rake(svydesign(ids=~1, weights=~design_wt), list(~v1, ~v2, …), margins,
//	     control=list(maxit=200, epsilon=1e-12))
//
// does. The targets are MarginsUsed(s, pop) (levels unknown to the margins
// keep their sample share). Starting from the design weights, each sweep
// post-stratifies to each margin in turn, w ← w·T_l/Σ_{i∈l} w for every
// level l. Rake stops after the first sweep in which no cell of the cross
// table of all the raking variables changes by Epsilon·Σ design_wt or more
// (survey::rake compares successive svytable()s of all the variables). As
// that threshold can be finer than float64 resolves (a small sample raked
// to a large population), a sweep that changes no cell by more than 4 ulps
// of the largest cell total also ends the loop: the weights are then a
// fixed point in float64 and R would report non-convergence.
//
// The iteration runs on cells, the occupied combinations of the raking
// variables' levels, not on rows: w_i = d_i·f_c for row i in cell c, so a
// sweep costs O(cells), and Rake is O(N) once plus O(cells·sweeps).
//
// Errors: those of MarginsUsed, a design weight that is not positive and
// finite, no convergence within MaxIter sweeps, and converged weights that
// miss a margin by more than 1e-9 of its total (margins inconsistent with
// the sample's empty cells, which R's rake returns silently).
func Rake(s *Sample, pop []Margin, opts RakeOptions) (*Raking, error) {
	if opts.MaxIter <= 0 {
		opts.MaxIter = 200
	}
	if opts.Epsilon <= 0 {
		opts.Epsilon = 1e-12
	}
	for i, d := range s.DesignWeight {
		if !(d > 0) || math.IsInf(d, 0) {
			return nil, fmt.Errorf("rake: design weight %v in row %d (response %s): raking needs positive, finite weights", d, i+1, codeAt(s, i))
		}
	}
	used, err := MarginsUsed(s, pop)
	if err != nil {
		return nil, err
	}
	r := &Raking{margins: used, dw: s.DesignWeight}
	if err := r.makeCells(s); err != nil {
		return nil, err
	}
	f, err := r.ipf(opts, floatsSum(s.DesignWeight))
	if err != nil {
		return nil, err
	}
	if err := r.checkMargins(f); err != nil {
		return nil, err
	}
	r.cellF = f
	r.w = make([]float64, s.Len())
	r.cellW = make([]float64, len(r.cellN))
	r.cellW2 = make([]float64, len(r.cellN))
	for i, c := range r.cell {
		w := r.dw[i] * f[c]
		r.w[i] = w
		r.cellW[c] += w
		r.cellW2[c] += w * w
	}
	if err := r.factorCalibration(); err != nil {
		return nil, err
	}
	return r, nil
}

// makeCells assigns every row to its cell and sums the design weights per
// cell.
func (r *Raking) makeCells(s *Sample) error {
	nm := len(r.margins)
	// pos[m][code] is the level index in margin m of a column code.
	pos := make([][]int32, nm)
	cols := make([]*ChoiceColumn, nm)
	radix := make([]uint64, nm)
	prod := uint64(1)
	for m, mg := range r.margins {
		c, err := rakingColumn(s, mg.Variable)
		if err != nil {
			return err
		}
		cols[m] = c
		pos[m] = make([]int32, len(c.Levels)+1)
		for k := range pos[m] {
			pos[m][k] = -1
		}
		for l, lv := range mg.Levels {
			if k := c.LevelIndex(lv); k > 0 {
				pos[m][k] = int32(l)
			}
		}
		radix[m] = prod
		if prod > math.MaxUint64/uint64(len(mg.Levels)+1) {
			return errors.New("rake: too many combinations of the raking variables' levels")
		}
		prod *= uint64(len(mg.Levels))
	}
	index := map[uint64]int32{}
	r.cell = make([]int32, s.Len())
	r.cellLevel = make([][]int32, nm)
	for i := range r.cell {
		var key uint64
		for m, c := range cols {
			l := pos[m][c.Codes[i]]
			if l < 0 {
				return fmt.Errorf("rake: %s=%s (row %d) is not in the margins", c.ID, c.Level(i), i+1)
			}
			key += uint64(l) * radix[m]
		}
		k, ok := index[key]
		if !ok {
			k = int32(len(r.cellN))
			index[key] = k
			r.cellN = append(r.cellN, 0)
			r.cellD = append(r.cellD, 0)
			for m, c := range cols {
				r.cellLevel[m] = append(r.cellLevel[m], pos[m][c.Codes[i]])
			}
		}
		r.cell[i] = k
		r.cellN[k]++
		r.cellD[k] += r.dw[i]
	}
	r.levelN = make([][]float64, nm)
	r.invLevelN = make([][]float64, nm)
	for m, mg := range r.margins {
		r.levelN[m] = r.levelSum(m, r.cellN, make([]float64, len(mg.Levels)))
		for _, n := range r.levelN[m] {
			r.invLevelN[m] = append(r.invLevelN[m], 1/n)
		}
	}
	return nil
}

// levelSum adds the per-cell values x into the levels of margin m.
func (r *Raking) levelSum(m int, x, dst []float64) []float64 {
	clear(dst)
	for c, l := range r.cellLevel[m] {
		dst[l] += x[c]
	}
	return dst
}

// ipf runs the sweeps on the cell factors f (w_i = d_i·f_c) and returns f.
func (r *Raking) ipf(opts RakeOptions, sumD float64) ([]float64, error) {
	eps := opts.Epsilon
	if eps < 1 {
		eps *= sumD
	}
	nc := len(r.cellN)
	f := make([]float64, nc)
	t := make([]float64, nc)   // cell totals d_c·f_c
	old := make([]float64, nc) // at the end of the previous sweep
	for c := range f {
		f[c], old[c] = 1, r.cellD[c]
	}
	var ratio []float64
	delta := math.Inf(1)
	for r.Iterations < opts.MaxIter {
		r.Iterations++
		for m, mg := range r.margins {
			for c := range t {
				t[c] = r.cellD[c] * f[c]
			}
			ratio = r.levelSum(m, t, append(ratio[:0], mg.Totals...))
			for l, s := range ratio {
				ratio[l] = mg.Totals[l] / s
			}
			for c, l := range r.cellLevel[m] {
				f[c] *= ratio[l]
			}
		}
		delta = 0
		largest := 0.0
		for c := range t {
			t[c] = r.cellD[c] * f[c]
			delta = max(delta, math.Abs(t[c]-old[c]))
			largest = max(largest, t[c])
		}
		if delta < eps || delta <= 4*0x1p-52*largest {
			return f, nil
		}
		old, t = t, old
	}
	return nil, fmt.Errorf("rake: no convergence after %d sweeps: the largest change of a cell total in the last sweep was %.3g, want < %.3g (are the margins consistent with the sample's empty cells?)", r.Iterations, delta, eps)
}

// checkMargins verifies that the converged cell factors f meet every
// margin. Margins that the sample's empty cells make inconsistent can
// leave the cell table unchanged from sweep to sweep while only the last
// margin is met; R's rake then returns without a warning.
func (r *Raking) checkMargins(f []float64) error {
	t := make([]float64, len(f))
	for c := range t {
		t[c] = r.cellD[c] * f[c]
	}
	for m, mg := range r.margins {
		tol := 1e-9 * mg.total()
		got := r.levelSum(m, t, make([]float64, len(mg.Levels)))
		for l, lv := range mg.Levels {
			if d := math.Abs(got[l] - mg.Totals[l]); !(d <= tol) {
				return fmt.Errorf("rake: the margins cannot all be met: after %d sweeps %s=%s sums to %.6g, want %.6g (the sample's empty cells make the margins inconsistent)", r.Iterations, mg.Variable, lv, got[l], mg.Totals[l])
			}
		}
	}
	return nil
}

// Weights returns the raked weights, one per row of the sample. The slice
// is shared: do not modify it.
func (r *Raking) Weights() []float64 { return r.w }

// Margins returns the targets the weights were raked to
// (MarginsUsed of the population margins).
func (r *Raking) Margins() []Margin { return r.margins }

// Design returns the raked design, named "rake". Its Cov is the
// raked-design linearisation (svyrecvar raking branch) of R's survey,
// which the oracle uses for se_rake. With w the raked weights and x = z
// the influence columns (computed with w), it repeats 10 times, for each
// margin m in turn,
//
//	x_i ← x_i − w_i · mean_{j : l_m(j) = l_m(i)} (x_j / w_j)
//
// (an unweighted mean over all N rows of the same level of m), then
// returns N/(N−1)·Σ_i (x_i − x̄)(x_i − x̄)ᵀ.
//
// As x_i/w_i = z_i/w_i − A_c for an adjustment A that depends only on the
// cell c of row i, the sweeps run on per-cell sums, and the cross product
// expands into sums over the sparse rows of z and over cells: Cov is
// O(nnz·K²/2 + cells·K²), whatever N.
func (r *Raking) Design() Design { return &rakeDesign{r} }

type rakeDesign struct{ r *Raking }

func (d *rakeDesign) Name() string       { return "rake" }
func (d *rakeDesign) Weights() []float64 { return d.r.w }

func (d *rakeDesign) Cov(z *Influence) *mat.SymDense {
	return d.r.rakeCov(z, d.r.sparseSums(z))
}

// rakeCov is the raked design's Cov from the sums of z: the back-fitting
// sweeps run per column on the cell adjustments A (K × cells, like all
// per-cell arrays here), A_c += mean over the level l of m of (u − A):
//
//	G_l = (Σ_{c∈l} U_c − Σ_{c∈l} n_c A_c) / n_l
func (r *Raking) rakeCov(z *Influence, sums cellSums) *mat.SymDense {
	nc := len(r.cellN)
	a := make([]float64, len(sums.u))
	nmax := 0
	for _, mg := range r.margins {
		nmax = max(nmax, len(mg.Levels))
	}
	g := make([]float64, nmax)
	for col := 0; col < z.K; col++ {
		u, ac := sums.u[col*nc:(col+1)*nc], a[col*nc:(col+1)*nc]
		for it := 0; it < 10; it++ {
			for m, lv := range r.cellLevel {
				gl := g[:len(r.levelN[m])]
				clear(gl)
				lv = lv[:len(u)]
				n := r.cellN[:len(u)]
				for c, l := range lv {
					gl[l] += u[c] - n[c]*ac[c]
				}
				for l, inv := range r.invLevelN[m] {
					gl[l] *= inv
				}
				for c, l := range lv {
					ac[c] += gl[l]
				}
			}
		}
	}
	return r.adjustedCov(z, sums, a)
}

// cellSums are the sums over the rows of an Influence that the raked and
// calibrated covariances need, with u_i = z_i/w_i and d the design
// weights: zz = Σ z zᵀ (upper triangle, K×K), sz = Σ z, and per column
// and cell (K × cells) u = Σ_{i∈c} u_i, ud = Σ_{i∈c} d_i u_i and
// b = Σ_{i∈c} w_i z_i. As w_i = d_i f_c in cell c, these are
// (Σ z/d)/f_c, (Σ z)/f_c and f_c·Σ d z, sums that need neither w nor
// a division by it per row.
type cellSums struct {
	zz, sz   []float64
	u, ud, b []float64
}

func (r *Raking) sparseSums(z *Influence) cellSums {
	if z.N != len(r.w) {
		panic(fmt.Sprintf("analysis: influence of %d rows for a raking of %d rows", z.N, len(r.w)))
	}
	k, nc := z.K, len(r.cellN)
	s := cellSums{zz: make([]float64, k*k), sz: make([]float64, k),
		u: make([]float64, nc*k), ud: make([]float64, nc*k), b: make([]float64, nc*k)}
	for q, i := range z.Rows {
		row := z.Z[q*k : (q+1)*k]
		c, d := int(r.cell[i]), r.dw[i]
		invd := 1 / d
		for a, za := range row {
			s.u[a*nc+c] += za * invd
			s.ud[a*nc+c] += za
			s.b[a*nc+c] += za * d
			rest := row[a:]
			zza := s.zz[a*k+a : a*k+k]
			zza = zza[:len(rest)]
			for b, zb := range rest {
				zza[b] += za * zb
			}
		}
	}
	for a := 0; a < k; a++ {
		u, ud, b := s.u[a*nc:(a+1)*nc], s.ud[a*nc:(a+1)*nc], s.b[a*nc:(a+1)*nc]
		for c, f := range r.cellF[:len(u)] {
			s.sz[a] += ud[c]
			u[c] /= f
			ud[c] /= f
			b[c] *= f
		}
	}
	return s
}

// adjustedCov is N/(N−1)·Σ_i (x_i − x̄)(x_i − x̄)ᵀ for x_i = z_i − w_i·A_c
// (c the cell of row i, A K × cells), expanded as
//
//	Σ x_a x_b = Σ z_a z_b − Σ_c (B_ac A_bc + A_ac B_bc) + Σ_c A_ac A_bc Σ_{i∈c} w_i²
//	Σ x_a     = Σ z_a − Σ_c A_ac Σ_{i∈c} w_i
//
// with B_ac = Σ_{i∈c} w_i z_ia.
func (r *Raking) adjustedCov(z *Influence, s cellSums, a []float64) *mat.SymDense {
	k, nc := z.K, len(r.cellN)
	n := float64(z.N)
	sx := make([]float64, k)
	for i := range sx {
		sx[i] = s.sz[i]
		for c, w := range r.cellW {
			sx[i] -= a[i*nc+c] * w
		}
	}
	out := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		ai, bi := a[i*nc:(i+1)*nc], s.b[i*nc:(i+1)*nc]
		for j := i; j < k; j++ {
			aj, bj := a[j*nc:(j+1)*nc], s.b[j*nc:(j+1)*nc]
			var adj float64
			for c, w2 := range r.cellW2[:len(ai)] {
				adj += (ai[c]*w2-bi[c])*aj[c] - ai[c]*bj[c]
			}
			xx := s.zz[i*k+j] + adj
			out.SetSym(i, j, (xx-sx[i]*sx[j]/n)*n/(n-1))
		}
	}
	return out
}
