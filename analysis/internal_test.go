package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestCentredCrossPaths checks that the int64 fast path and the math/big
// path give bit-identical results (both are correctly rounded quotients of
// the same integers), on random statistics of the size a survey produces.
func TestCentredCrossPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		na, nb := 1+r.Int64N(100000), 1+r.Int64N(100000)
		nab := r.Int64N(min(na, nb) + 1)
		ua, ub := r.Int64N(4*na+1)-2*na, r.Int64N(4*nb+1)-2*nb
		sab, sba := r.Int64N(4*nab+1)-2*nab, r.Int64N(4*nab+1)-2*nab
		pab := r.Int64N(8*nab+1) - 4*nab
		fast := centredCross(na, nb, nab, ua, ub, sab, sba, pab)
		slow := centredCrossBig(na, nb, nab, ua, ub, sab, sba, pab)
		if fast != slow && !(math.IsNaN(fast) && math.IsNaN(slow)) {
			t.Fatalf("centredCross(%d, %d, %d, %d, %d, %d, %d, %d) = %.17g, big path %.17g",
				na, nb, nab, ua, ub, sab, sba, pab, fast, slow)
		}
	}
}

// TestComomentHugeSample replicates a small sample m = 10⁸ times, so that
// the int64 terms overflow and the math/big path runs; every centred
// cross-product must scale by exactly m (source: C is linear in the
// replication count, since the means do not change).
func TestComomentHugeSample(t *testing.T) {
	// Two 1–5 variables, shift 3; rows (a, b): (5, 4), (4, –), (1, 2), (–, 5), (3, 3).
	small := newComoments([]int64{3, 3})
	small.add([]int{0, 1}, []int64{2, 1})
	small.add([]int{0}, []int64{1})
	small.add([]int{0, 1}, []int64{-2, -1})
	small.add([]int{1}, []int64{2})
	small.add([]int{0, 1}, []int64{0, 0})

	const m = 100_000_000
	huge := newComoments([]int64{3, 3})
	for i := range huge.n {
		huge.n[i], huge.s[i], huge.p[i] = m*small.n[i], m*small.s[i], m*small.p[i]
	}
	for _, ab := range [][2]int{{0, 0}, {0, 1}, {1, 1}} {
		a, b := ab[0], ab[1]
		var e exact64
		e.mul(e.mul(huge.count(a), huge.count(b)), huge.p[a*2+b])
		if !e.overflow {
			t.Fatalf("(%d,%d): the test sample is too small to overflow int64", a, b)
		}
		want := m * small.comoment(a, b)
		if got := huge.comoment(a, b); math.Abs(got-want) > 1e-15*math.Abs(want) {
			t.Errorf("comoment(%d,%d) = %.17g, want %.17g (m × the small sample's)", a, b, got, want)
		}
		if got, want := huge.mean(a), small.mean(a); got != want {
			t.Errorf("mean(%d) = %g, want %g", a, got, want)
		}
	}
	// By hand: a = (5, 4, 1, 3), mean 13/4, Σ(a−ā)² = 1.75²+.75²+2.25²+.25² = 8.75;
	// b = (4, 2, 5, 3), mean 3.5; over the rows with both, (a−ā)(b−b̄) =
	// 1.75·.5 + (−2.25)(−1.5) + (−.25)(−.5) = 4.375.
	if got := small.comoment(0, 0); got != 8.75 {
		t.Errorf("small comoment(0,0) = %g, want 8.75", got)
	}
	if got := small.comoment(0, 1); got != 4.375 {
		t.Errorf("small comoment(0,1) = %g, want 4.375", got)
	}
}

func TestExact64(t *testing.T) {
	const lo, hi = math.MinInt64, math.MaxInt64
	for _, tc := range []struct {
		name     string
		f        func(e *exact64) int64
		overflow bool
	}{
		{"mul ok", func(e *exact64) int64 { return e.mul(3037000499, 3037000499) }, false},
		{"mul over", func(e *exact64) int64 { return e.mul(3037000500, 3037000500) }, true},
		{"mul -1·min", func(e *exact64) int64 { return e.mul(-1, lo) }, true},
		{"mul min·-1", func(e *exact64) int64 { return e.mul(lo, -1) }, true},
		{"mul 0", func(e *exact64) int64 { return e.mul(0, lo) }, false},
		{"add ok", func(e *exact64) int64 { return e.add(hi-1, 1) }, false},
		{"add over", func(e *exact64) int64 { return e.add(hi, 1) }, true},
		{"add under", func(e *exact64) int64 { return e.add(lo, -1) }, true},
		{"sub ok", func(e *exact64) int64 { return e.sub(-1, lo) }, false},
		{"sub over", func(e *exact64) int64 { return e.sub(0, lo) }, true},
		{"sub under", func(e *exact64) int64 { return e.sub(lo, 1) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e exact64
			tc.f(&e)
			if e.overflow != tc.overflow {
				t.Errorf("overflow = %v, want %v", e.overflow, tc.overflow)
			}
		})
	}
}

// TestRankMin checks the tie rule of data.table's
// frank(-p, ties.method="min"): equal values share the best rank, the next
// rank skips; NaN is not ranked.
func TestRankMin(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		p    []float64
		want []int
	}{
		{"empty", nil, []int{}},
		{"distinct", []float64{0.1, 0.3, 0.2}, []int{3, 1, 2}},
		{"ties", []float64{1, 3, 3, 2, 3}, []int{5, 1, 1, 4, 1}},
		{"NaN", []float64{nan, 2, nan, 2, 1}, []int{0, 1, 0, 1, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := rankMin(tc.p)
			if len(got) != len(tc.want) {
				t.Fatalf("rankMin(%v) = %v, want %v", tc.p, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("rankMin(%v) = %v, want %v", tc.p, got, tc.want)
				}
			}
		})
	}
}
