package analysis

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/qvoice/qvoice/surveys"
)

// ErrMismatch is returned (wrapped) by Accumulator.Merge when the two
// accumulators were made for different survey layouts.
var ErrMismatch = errors.New("analysis: accumulators of different survey layouts")

// Accumulator collects sufficient statistics for one survey definition.
//
// Add one response at a time; Merge combines accumulators of the same
// definition; Summary computes the estimates at any point without changing
// the Accumulator. Memory is O(Σ_c K_c²) for categories of K_c indicators,
// whatever the number of responses. An Accumulator is not safe for
// concurrent use; give each goroutine its own and Merge them.
type Accumulator struct {
	slug string
	n    int64 // responses added
	cats []*catAcc
}

// catAcc holds one category's statistics.
type catAcc struct {
	code string
	inds []string // indicator codes, in definition order

	// vars are the 2K importance and satisfaction fields (I_1..I_K,
	// P_1..P_K); joint holds their means and pairwise co-moments.
	vars  []scaleVar
	joint *comoments

	// overall and recommend are the 0–10 questions; single holds their
	// moments (as variables 0 and 1), nps the recommendation counts.
	overall, recommend scaleVar
	single             *comoments
	nps                npsStats

	raters int64 // responses with any importance or satisfaction answer

	idx []int   // scratch for add
	u   []int64 // scratch for add
}

// scaleVar is one integer-scale field. A field missing from the
// definition has lo > hi, so no answer is ever in range.
type scaleVar struct {
	id     string
	lo, hi int
}

// NewAccumulator returns an empty Accumulator for the categories and
// indicators of d, in definition order. It panics if d is nil.
func NewAccumulator(d *surveys.Definition) *Accumulator {
	if d == nil {
		panic("analysis: NewAccumulator with a nil definition")
	}
	a := &Accumulator{slug: d.Slug}
	for _, c := range d.Categories {
		k := len(c.Indicators)
		ca := &catAcc{code: c.Code, inds: make([]string, k), vars: make([]scaleVar, 2*k)}
		for i, ind := range c.Indicators {
			ca.inds[i] = ind.Code
			ca.vars[i] = newScaleVar(d, surveys.ImportanceID(c.Code, ind.Code))
			ca.vars[k+i] = newScaleVar(d, surveys.SatisfactionID(c.Code, ind.Code))
		}
		ca.joint = newComoments(shifts(ca.vars))
		ca.overall = newScaleVar(d, surveys.OverallID(c.Code))
		ca.recommend = newScaleVar(d, surveys.RecommendID(c.Code))
		ca.single = newComoments(shifts([]scaleVar{ca.overall, ca.recommend}))
		ca.idx, ca.u = make([]int, 0, 2*k), make([]int64, 0, 2*k)
		a.cats = append(a.cats, ca)
	}
	return a
}

func newScaleVar(d *surveys.Definition, id string) scaleVar {
	f := d.Field(id)
	if f == nil || f.Kind != surveys.KindScale {
		return scaleVar{id: id, lo: 0, hi: -1}
	}
	lo, hi := scaleRange(f.Scale)
	return scaleVar{id: id, lo: lo, hi: hi}
}

// scaleRange is the lowest and highest point of a scale: Min and Max of a
// numeric scale, the integer point values of a likert one. It is (0, −1)
// when the scale has no integer points.
func scaleRange(s *surveys.Scale) (lo, hi int) {
	if s == nil {
		return 0, -1
	}
	if s.Type == "numeric" {
		return s.Min, s.Max
	}
	lo, hi = math.MaxInt, math.MinInt
	for _, p := range s.Points {
		if n, err := strconv.Atoi(p.Value); err == nil {
			lo, hi = min(lo, n), max(hi, n)
		}
	}
	if lo > hi {
		return 0, -1
	}
	return lo, hi
}

func shifts(vs []scaleVar) []int64 {
	out := make([]int64, len(vs))
	for i, v := range vs {
		out[i] = shiftFor(v.lo, v.hi)
	}
	return out
}

// value reads v's answer: an int point within the scale is a value; "na" is
// answered but has no value; anything else (absent, out of range, another
// type) is missing.
func (v scaleVar) value(ans surveys.Answers) (y int, ok, answered bool) {
	switch x := ans[v.id].(type) {
	case int:
		if x >= v.lo && x <= v.hi {
			return x, true, true
		}
	case string:
		return 0, false, x == surveys.NAValue
	}
	return 0, false, false
}

// Add accumulates one response, unweighted. Scale answers count when they
// are ints within the field's scale; "na", absent fields and values of
// another type or out of range are missing (ReadCSV and
// surveys.ParseAnswers never produce the last two).
func (a *Accumulator) Add(ans surveys.Answers) {
	a.n++
	for _, c := range a.cats {
		c.add(ans)
	}
}

func (c *catAcc) add(ans surveys.Answers) {
	idx, u := c.idx[:0], c.u[:0]
	rated := false
	for i, v := range c.vars {
		y, ok, answered := v.value(ans)
		rated = rated || answered
		if ok {
			idx = append(idx, i)
			u = append(u, int64(y)-c.joint.shift[i])
		}
	}
	if rated {
		c.raters++
	}
	if len(idx) > 0 {
		c.joint.add(idx, u)
	}
	idx, u = idx[:0], u[:0]
	if y, ok, _ := c.overall.value(ans); ok {
		idx, u = append(idx, 0), append(u, int64(y)-c.single.shift[0])
	}
	if y, ok, _ := c.recommend.value(ans); ok {
		idx, u = append(idx, 1), append(u, int64(y)-c.single.shift[1])
		c.nps.n++
		switch {
		case y >= 9:
			c.nps.promoters++
		case y <= 6:
			c.nps.detractors++
		}
	}
	if len(idx) > 0 {
		c.single.add(idx, u)
	}
}

// N is the number of responses added (including merged ones).
func (a *Accumulator) N() int { return int(a.n) }

// Merge adds b's statistics to a, as if b's responses had been added to a.
// b is not changed. The accumulators must come from the same definition:
// the same slug, categories, indicators and scales, in the same order;
// otherwise Merge returns an error wrapping ErrMismatch and leaves a as it
// was.
func (a *Accumulator) Merge(b *Accumulator) error {
	if err := a.sameLayout(b); err != nil {
		return err
	}
	a.n += b.n
	for i, c := range a.cats {
		o := b.cats[i]
		c.joint.merge(o.joint)
		c.single.merge(o.single)
		c.nps.n += o.nps.n
		c.nps.promoters += o.nps.promoters
		c.nps.detractors += o.nps.detractors
		c.raters += o.raters
	}
	return nil
}

func (a *Accumulator) sameLayout(b *Accumulator) error {
	if a.slug != b.slug {
		return fmt.Errorf("%w: survey %q vs %q", ErrMismatch, a.slug, b.slug)
	}
	if len(a.cats) != len(b.cats) {
		return fmt.Errorf("%w: %d vs %d categories", ErrMismatch, len(a.cats), len(b.cats))
	}
	for i, c := range a.cats {
		o := b.cats[i]
		if c.code != o.code {
			return fmt.Errorf("%w: category %d is %q vs %q", ErrMismatch, i, c.code, o.code)
		}
		if len(c.vars) != len(o.vars) || c.overall != o.overall || c.recommend != o.recommend {
			return fmt.Errorf("%w: category %q has different fields", ErrMismatch, c.code)
		}
		for j, v := range c.vars {
			if v != o.vars[j] {
				return fmt.Errorf("%w: category %q: field %q (%d–%d) vs %q (%d–%d)",
					ErrMismatch, c.code, v.id, v.lo, v.hi, o.vars[j].id, o.vars[j].lo, o.vars[j].hi)
			}
		}
	}
	return nil
}
