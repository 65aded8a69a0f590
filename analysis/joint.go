package analysis

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Var is a variable to estimate the mean of: a scale column, optionally
// transformed (overall100 = 10·y, the NPS score, a top-2-box indicator).
type Var struct {
	Name string
	Col  *ScaleColumn
	// Map transforms an answer; nil is the identity.
	Map func(y int) float64
}

func (v Var) at(i int) (float64, bool) {
	y, ok := v.Col.Value(i)
	if !ok {
		return 0, false
	}
	if v.Map == nil {
		return float64(y), true
	}
	return v.Map(y), true
}

// Joint holds the available-case weighted means of several variables and
// their joint linearisation covariance under one design.
type Joint struct {
	Vars []Var
	Mean []float64
	SE   []float64
	// Deff is the design effect with deff="replace": Var / (s²_w / n_D),
	// s²_w = Σ_D w (y − ȳ_w)² / W_D · n_D/(n_D − 1).
	Deff []float64
	N    []int // n_D, the rows where the variable is present
	Cov  *mat.SymDense
}

// JointMeans estimates the means of vars under design d, exactly as
// svymean(~v1+v2+…, design, na.rm=TRUE) does for each variable on its own
// (the domain form), with the joint covariance svycontrast needs:
//
//	ȳ_v = Σ_D w y / W_D,    z_iv = w_i (y_iv − ȳ_v) / W_D for i ∈ D_v, else 0,
//
// and Cov = d.Cov(Z), which for ids=~1 is N/(N−1) Σ_i (z_i − z̄)(z_i − z̄)ᵀ
// over all N rows: the domain convention of survey keeps the full sample
// size. A variable nobody answered has NaN mean and SE.
func JointMeans(s *Sample, d Design, vars []Var) *Joint {
	k := len(vars)
	w := d.Weights()
	j := &Joint{Vars: vars, Mean: make([]float64, k), SE: make([]float64, k), Deff: make([]float64, k), N: make([]int, k)}
	wsum := make([]float64, k)
	for a, v := range vars {
		var sw, swy float64
		n := 0
		for i := range v.Col.Values {
			if y, ok := v.at(i); ok {
				sw += w[i]
				swy += w[i] * y
				n++
			}
		}
		j.N[a], wsum[a] = n, sw
		j.Mean[a] = swy / sw
		if n == 0 {
			j.Mean[a] = math.NaN()
		}
	}
	z := &Influence{N: s.Len(), K: k}
	s2 := make([]float64, k)
	row := make([]float64, k)
	for i := 0; i < s.Len(); i++ {
		any := false
		for a, v := range vars {
			row[a] = 0
			if y, ok := v.at(i); ok {
				dev := y - j.Mean[a]
				row[a] = w[i] * dev / wsum[a]
				s2[a] += w[i] * dev * dev
				any = true
			}
		}
		if any {
			z.Rows = append(z.Rows, int32(i))
			z.Z = append(z.Z, row...)
		}
	}
	j.Cov = d.Cov(z)
	for a := range vars {
		variance := j.Cov.At(a, a)
		j.SE[a] = math.Sqrt(variance)
		n := float64(j.N[a])
		sw2 := s2[a] / wsum[a] * n / (n - 1)
		j.Deff[a] = variance / (sw2 / n)
		if j.N[a] == 0 {
			j.SE[a], j.Deff[a] = math.NaN(), math.NaN()
		}
	}
	return j
}
