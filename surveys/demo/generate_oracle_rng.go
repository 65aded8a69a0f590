package demo

import "math"

// oracleRNG is the script's Rng class: every draw is one or two calls of
// random.Random.random(), in the same order as the script makes them.
type oracleRNG struct{ r *pyRandom }

func (g oracleRNG) u() float64 { return g.r.random() }

// normal is the script's Box–Muller draw, without caching the second
// value. The expression keeps Python's evaluation order, (sd*sqrt)*cos;
// Go's math.Log and math.Cos may differ from the C library's in the last
// bit, which only matters if it moves a value across a rounding boundary
// of clampRound (the 10k and 1M checksums show it does not).
func (g oracleRNG) normal(sd float64) float64 {
	u1 := g.r.random()
	u2 := g.r.random()
	return sd * math.Sqrt(-2.0*math.Log(1.0-u1)) * math.Cos(2.0*math.Pi*u2)
}

// choiceW is choice_w returning the index: it walks the cumulative sum of
// weights, in order, and falls back to the last item.
func (g oracleRNG) choiceW(weights []float64) int {
	tot := 0.0
	for _, w := range weights {
		tot += w
	}
	x := g.r.random() * tot
	acc := 0.0
	for i, w := range weights {
		acc += w
		if x < acc {
			return i
		}
	}
	return len(weights) - 1
}

func (g oracleRNG) bern(p float64) bool { return g.r.random() < p }

// clampRound is clamp_round: round half up, then clamp to [lo, hi].
func clampRound(x float64, lo, hi int) int {
	v := int(math.Floor(x + 0.5))
	return min(max(v, lo), hi)
}
