package demo

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// WeakSpot is a category × indicator whose satisfaction Generate plants
// clearly below the rest of its category.
type WeakSpot struct {
	Category, Indicator string
}

// Plan is the ground truth that Generate plants in its data, for a
// dashboard or an analysis to recover. It depends on the definition and
// the seed only, not on n.
type Plan struct {
	// WeakSpots have satisfaction about weakShift scale points lower (on a
	// 1–5 scale) and importance a little higher than their base.
	WeakSpots []WeakSpot
	// OlderCodes are the age_band options read as 60+ (an option whose
	// code starts with a number of 60 or more, such as "60_69"); empty if
	// the definition has none, and then there is no key-group effect.
	OlderCodes []string
	// OlderIndicators are the indicators that the 60+ rate lower and find
	// more important: those about instructions or labelling, else the
	// first indicator of the first category.
	OlderIndicators []string
	// From and To bound ReceivedAt, [From, To): the survey's window, or
	// 30 days of it if it has one bound, or the 30 days before a date
	// derived from the seed if it has none. Responses arrive in order.
	From, To time.Time
	// Trend is how much satisfaction rises from the first response to the
	// last, in 1–5 scale points, so time charts show a trend.
	Trend float64
}

// Sizes of the planted effects, in points of a 1–5 scale.
const (
	weakShift      = 1.1  // satisfaction of a weak spot
	weakImportance = 0.25 // importance of a weak spot
	olderSat       = 0.5  // satisfaction of OlderIndicators for the 60+
	olderImp       = 0.4  // importance of OlderIndicators for the 60+
	trend          = 0.25
)

// ageQuestion is the field the key-group effect reads the age from.
const ageQuestion = "age_band"

// plan is Plan plus the per-field parameters drawn with it.
type plan struct {
	Plan
	catW     map[string]float64   // category popularity
	optW     map[string][]float64 // option weights of choice fields
	impBase  map[string]float64   // base importance per importance field
	satBase  map[string]float64   // base satisfaction per satisfaction field
	weak     map[string]bool      // satisfaction and importance field ids of weak spots
	older    map[string]bool      // OlderCodes
	olderInd map[string]bool      // OlderIndicators
}

// newPlan draws the plan from its own random stream, walking the
// definition in order (never a map), so a seed always gives the same plan.
func newPlan(d *surveys.Definition, seed int64) *plan {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x706c616e)) // "plan"
	p := &plan{catW: map[string]float64{}, optW: map[string][]float64{}, impBase: map[string]float64{},
		satBase: map[string]float64{}, weak: map[string]bool{}, older: map[string]bool{}, olderInd: map[string]bool{},
		Plan: Plan{Trend: trend}}
	var spots []WeakSpot
	for _, c := range d.Categories {
		p.catW[c.Code] = 0.5 + rng.Float64()
		for _, ind := range c.Indicators {
			p.impBase[surveys.ImportanceID(c.Code, ind.Code)] = 3.8 + 0.9*rng.Float64()
			p.satBase[surveys.SatisfactionID(c.Code, ind.Code)] = 3.3 + 0.7*rng.Float64()
			spots = append(spots, WeakSpot{c.Code, ind.Code})
		}
	}
	for _, f := range d.Fields() {
		if len(f.Options) > 0 {
			w := make([]float64, len(f.Options))
			for i := range w {
				w[i] = 0.6 + 0.8*rng.Float64() // at most about 2.3 times as likely as another
			}
			p.optW[f.ID] = w
			if gr := d.Guardian; gr != nil && f.ID == gr.Question {
				for i, o := range f.Options {
					if slices.Contains(gr.In, o.Value) {
						w[i] *= 0.15 // few children, each with a guardian
					}
				}
			}
		}
	}
	// About one weak spot per dozen items: a few, and never all of them.
	k := min(max(len(spots)/12, 1), 4, len(spots)/2)
	for _, i := range rng.Perm(len(spots))[:k] {
		s := spots[i]
		p.WeakSpots = append(p.WeakSpots, s)
		p.weak[surveys.SatisfactionID(s.Category, s.Indicator)] = true
		p.weak[surveys.ImportanceID(s.Category, s.Indicator)] = true
	}
	p.keyGroup(d)
	p.From, p.To = window(d, seed)
	return p
}

// keyGroup finds the 60+ age codes and the indicators they rate lower.
func (p *plan) keyGroup(d *surveys.Definition) {
	if f := d.Field(ageQuestion); f != nil {
		for _, o := range f.Options {
			if n, ok := leadingInt(o.Value); ok && n >= 60 {
				p.OlderCodes = append(p.OlderCodes, o.Value)
				p.older[o.Value] = true
			}
		}
	}
	if len(p.OlderCodes) == 0 {
		return
	}
	for _, c := range d.Categories {
		for _, ind := range c.Indicators {
			about := strings.Contains(ind.Code, "instruction") || strings.Contains(ind.Code, "label")
			if about && !p.olderInd[ind.Code] {
				p.OlderIndicators = append(p.OlderIndicators, ind.Code)
				p.olderInd[ind.Code] = true
			}
		}
	}
	if len(p.OlderIndicators) == 0 && len(d.Categories) > 0 && len(d.Categories[0].Indicators) > 0 {
		code := d.Categories[0].Indicators[0].Code
		p.OlderIndicators, p.olderInd[code] = []string{code}, true
	}
}

// leadingInt reads the number an age code starts with: 60 in "60_69".
func leadingInt(code string) (int, bool) {
	end := strings.IndexFunc(code, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(code)
	}
	n, err := strconv.Atoi(code[:end])
	return n, err == nil
}

// window is the ReceivedAt range: see Plan.From.
func window(d *surveys.Definition, seed int64) (from, to time.Time) {
	const span = 30 * 24 * time.Hour
	opens, closes := d.Window()
	switch {
	case !opens.IsZero() && !closes.IsZero():
		return opens, closes
	case !opens.IsZero():
		return opens, opens.Add(span)
	case !closes.IsZero():
		return closes.Add(-span), closes
	}
	// The end of a 质量月 (September), moved back by up to a year.
	end := time.Date(2025, 10, 1, 0, 0, 0, 0, surveys.ChinaTime)
	end = end.AddDate(0, 0, -int(uint64(seed)%365))
	return end.Add(-span), end
}
