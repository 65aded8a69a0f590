package demo

import (
	"math/rand/v2"
	"slices"

	"github.com/qvoice/qvoice/surveys"
)

// respondent draws one synthetic respondent's answers, field by field in
// questionnaire order, so that show_if conditions see the answers before
// them, as the form does.
type respondent struct {
	g       *Generator
	rng     *rand.Rand
	a       surveys.Answers
	older   bool
	lenient float64 // response style: shifts every satisfaction answer
	implean float64 // shifts every importance answer

	pre      map[string]string     // answers drawn ahead of their field
	catLat   map[string][2]float64 // sum and count of satisfaction latents
	overall  map[string]float64    // overall-satisfaction latent per category
	kanoDysf map[string]string     // the dysfunctional half of a drawn Kano pair
	worstInd string                // the indicator rated lowest so far
	worstLat float64
}

func (g *Generator) newRespondent(rng *rand.Rand, progress float64) *respondent {
	s := &respondent{g: g, rng: rng, a: surveys.Answers{}, pre: map[string]string{},
		catLat: map[string][2]float64{}, overall: map[string]float64{}, kanoDysf: map[string]string{}, worstLat: 99}
	s.lenient = 0.45*rng.NormFloat64() + g.plan.Trend*(progress-0.5)
	s.implean = 0.35 * rng.NormFloat64()
	// Consent is asked first but depends on the age (guardian rule), and
	// the key-group effect needs the age before the ratings: draw the
	// age and the guardian rule's question now, and use them at their turn.
	ids := []string{ageQuestion}
	if gr := g.d.Guardian; gr != nil {
		ids = append(ids, gr.Question)
	}
	for _, id := range ids {
		f := g.d.Field(id)
		if _, done := s.pre[id]; !done && f != nil && f.Kind == surveys.KindChoice && f.Category == "" {
			s.pre[id] = s.choice(f)
		}
	}
	s.older = g.plan.older[s.pre[ageQuestion]]
	return s
}

// answers draws every field that is asked, given the answers before it.
func (s *respondent) answers() surveys.Answers {
	for _, f := range s.g.d.Fields() {
		if !asked(f, s.a) {
			continue
		}
		if v, ok := s.answer(f); ok {
			s.a[f.ID] = v
		}
	}
	return s.a
}

// answer draws one field; ok is false to leave it unanswered.
func (s *respondent) answer(f *surveys.Field) (v any, ok bool) {
	if v, drawn := s.pre[f.ID]; drawn {
		return v, v != ""
	}
	switch {
	case f.ID == surveys.ConsentID:
		return s.consent(f), true
	case f.ID == surveys.RatedCategoriesID:
		return s.categories(f), true
	case f.Role == surveys.RoleKanoFunc || f.Role == surveys.RoleKanoDysf:
		return s.kano(f)
	}
	switch f.Kind {
	case surveys.KindScale:
		return s.rating(f)
	case surveys.KindMulti:
		return s.multi(f)
	case surveys.KindText:
		return s.text(f)
	}
	v = s.choice(f)
	return v, v != ""
}

// consent agrees: as the guardian when the guardian rule needs it, else
// with the first agreeing option. Declined responses are never stored.
func (s *respondent) consent(f *surveys.Field) string {
	gr := s.g.d.Guardian
	if gr != nil && slices.Contains(gr.In, s.pre[gr.Question]) {
		return gr.Consent
	}
	var fallback string
	for _, o := range f.Options {
		switch {
		case o.Value == surveys.DeclineValue:
		case gr != nil && o.Value == gr.Consent:
			fallback = o.Value
		default:
			return o.Value
		}
	}
	return fallback
}

// choice picks an option by the plan's weights; an optional question is
// skipped now and then (item nonresponse).
func (s *respondent) choice(f *surveys.Field) string {
	if len(f.Options) == 0 || (!f.Required && s.rng.Float64() < 0.08) {
		return ""
	}
	return f.Options[weighted(s.rng, s.g.plan.optW[f.ID])].Value
}

// categories picks 1 to max_categories_per_respondent categories (within
// the question's min and max), the 60+ leaning to an elderly key group.
func (s *respondent) categories(f *surveys.Field) []string {
	d := s.g.d
	hi := min(d.MaxCategories, len(d.Categories))
	if f.Max > 0 {
		hi = min(hi, f.Max)
	}
	k := max(1, f.Min)
	for k < hi && s.rng.Float64() < 0.55 {
		k++
	}
	w := make([]float64, len(d.Categories))
	for i, c := range d.Categories {
		w[i] = s.g.plan.catW[c.Code]
		if s.older && c.KeyGroup == "elderly" {
			w[i] *= 4
		}
	}
	chosen := make([]bool, len(w))
	for range k {
		i := weighted(s.rng, w)
		chosen[i], w[i] = true, 0
	}
	var out []string
	for i, c := range d.Categories {
		if chosen[i] {
			out = append(out, c.Code)
		}
	}
	return out
}

// multi ticks options by the plan's weights, sometimes just an exclusive
// "none of these", within the question's min and max.
func (s *respondent) multi(f *surveys.Field) (any, bool) {
	opts := f.Options
	if len(opts) == 0 || (!f.Required && s.rng.Float64() < 0.3) {
		return nil, false
	}
	need, limit := max(1, f.Min), len(opts)
	if f.Max > 0 {
		limit = f.Max
	}
	for _, o := range opts {
		if o.Exclusive && need == 1 && s.rng.Float64() < 0.15 {
			return []string{o.Value}, true
		}
	}
	w := s.g.plan.optW[f.ID]
	picked := make([]bool, len(opts))
	open := make([]float64, len(opts)) // weights of what can still be ticked
	count := 0
	for i, o := range opts {
		if o.Exclusive {
			continue
		}
		if s.rng.Float64() < 0.1+0.3*w[i] {
			picked[i], count = true, count+1
		} else {
			open[i] = w[i]
		}
	}
	for ; count < need && slices.ContainsFunc(open, func(x float64) bool { return x > 0 }); count++ {
		i := weighted(s.rng, open)
		picked[i], open[i] = true, 0
	}
	for ; count > limit; count-- {
		i := s.nthPicked(picked, s.rng.IntN(count))
		picked[i] = false
	}
	var out []string
	for i, o := range opts {
		if picked[i] {
			out = append(out, o.Value)
		}
	}
	return out, true
}

func (s *respondent) nthPicked(picked []bool, n int) int {
	for i, p := range picked {
		if p {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return -1
}

// asked reports whether the form asks f, given the answers so far: the
// rule of surveys.ParseAnswers (a rated category; show_if in / not_in).
func asked(f *surveys.Field, a surveys.Answers) bool {
	if f.Category != "" && !slices.Contains(a.Codes(surveys.RatedCategoriesID), f.Category) {
		return false
	}
	c := f.ShowIf
	if c == nil {
		return true
	}
	got := a.Codes(c.Question)
	if v := a.Code(c.Question); v != "" {
		got = []string{v}
	}
	if n, ok := a.Int(c.Question); ok {
		got = []string{itoa(n)}
	}
	anyIn := func(set []string) bool {
		return slices.ContainsFunc(got, func(v string) bool { return slices.Contains(set, v) })
	}
	return (len(c.In) == 0 || anyIn(c.In)) && !anyIn(c.NotIn)
}
