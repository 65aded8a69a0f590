package demo

import (
	"math"
	"strings"

	"github.com/qvoice/qvoice/surveys"
)

// rating draws a scale answer. Every rating is modelled on a 1–5 latent
// scale, as in gen_survey.py, and then mapped onto the field's own range
// (1–5, 0–10, …), so the planted effects mean the same on any scale.
func (s *respondent) rating(f *surveys.Field) (any, bool) {
	lo, hi := f.Scale.Range()
	if lo > hi || (!f.Required && s.rng.Float64() < 0.08) {
		return nil, false
	}
	if f.AllowNA && s.rng.Float64() < naShare(f) {
		return surveys.NAValue, true
	}
	p := s.g.plan
	var mu float64
	switch f.Role {
	case surveys.RoleImportance:
		mu = p.impBase[f.ID] + s.implean + 0.6*s.rng.NormFloat64()
		if p.weak[f.ID] {
			mu += weakImportance // high importance, low satisfaction
		}
		if s.older && p.olderInd[f.Indicator] {
			mu += olderImp
		}
	case surveys.RoleSatisfaction:
		mu = s.satisfaction(f)
	case surveys.RoleOverall:
		mu = s.overallLatent(f.Category)
	case surveys.RoleRecommend:
		mu = s.overallLatent(f.Category) + 0.05 + 0.55*s.rng.NormFloat64()
	default:
		mu = 3.6 + s.lenient + 0.8*s.rng.NormFloat64()
	}
	return toScale(mu, lo, hi), true
}

// satisfaction draws a satisfaction latent with the planted effects and
// remembers it for the category's overall rating and the complaint text.
func (s *respondent) satisfaction(f *surveys.Field) float64 {
	p := s.g.plan
	lat := p.satBase[f.ID] + s.lenient + 0.7*s.rng.NormFloat64()
	if p.weak[f.ID] {
		lat -= weakShift
	}
	if s.older && p.olderInd[f.Indicator] {
		lat -= olderSat
	}
	agg := s.catLat[f.Category]
	s.catLat[f.Category] = [2]float64{agg[0] + lat, agg[1] + 1}
	if lat < s.worstLat {
		s.worstLat, s.worstInd = lat, f.Indicator
	}
	return lat
}

// overallLatent follows the mean satisfaction of the category's items,
// drawn once per category for both 0–10 questions.
func (s *respondent) overallLatent(category string) float64 {
	if v, ok := s.overall[category]; ok {
		return v
	}
	base := 3.6 + s.lenient
	if agg := s.catLat[category]; agg[1] > 0 {
		base = agg[0] / agg[1]
	}
	v := base + 0.45*s.rng.NormFloat64()
	s.overall[category] = v
	return v
}

// naShare is how often "na" (不了解/未使用) is chosen where allowed: the
// oracle's shares for satisfaction items, 3% elsewhere.
func naShare(f *surveys.Field) float64 {
	if f.Role == surveys.RoleSatisfaction {
		return oracleNAShare(f.Indicator)
	}
	return 0.03
}

// toScale maps a 1–5 latent onto lo..hi, rounded and clamped.
func toScale(mu5 float64, lo, hi int) int {
	x := float64(lo) + (mu5-1)/4*float64(hi-lo)
	return min(max(int(math.Floor(x+0.5)), lo), hi)
}

// kano draws a Kano pair at its functional half: a class (the 60+ expect
// more must-be features), then a cell of the standard evaluation table;
// the dysfunctional half takes the other answer. 15% skip the pair. A
// scale that is not the standard five answers gets independent picks.
func (s *respondent) kano(f *surveys.Field) (any, bool) {
	if f.Role == surveys.RoleKanoDysf {
		v, ok := s.kanoDysf[f.KanoID]
		return v, ok
	}
	opts := f.Options
	if len(opts) == 0 || s.rng.Float64() >= 0.85 {
		return nil, false
	}
	fi, di := s.rng.IntN(len(opts)), s.rng.IntN(len(opts))
	if len(opts) == 5 {
		w := []float64{0.35, 0.20, 0.15, 0.25, 0.03, 0.02} // A, O, M, I, R, Q
		if s.older {
			w = []float64{0.15, 0.30, 0.35, 0.15, 0.03, 0.02}
		}
		cells := s.g.kanoCells[weighted(s.rng, w)]
		cell := cells[s.rng.IntN(len(cells))]
		fi, di = cell[0], cell[1]
	}
	s.kanoDysf[f.KanoID] = opts[di].Value
	return opts[fi].Value, true
}

// text writes a short complaint about the respondent's worst-rated
// indicator (the oracle's texts), or a general remark. An optional text is
// answered by about a quarter of respondents.
func (s *respondent) text(f *surveys.Field) (any, bool) {
	if !f.Required && s.rng.Float64() >= 0.25 {
		return nil, false
	}
	pool, ok := s.g.complaints[s.worstInd]
	if !ok {
		pool = []string{"质量总体还可以，希望继续加强监管", "希望价格和促销更透明", "希望说明书字再大一点", "售后服务还需要改进"}
	}
	t := []rune(pool[s.rng.IntN(len(pool))])
	if f.Max > 0 && len(t) > f.Max {
		t = t[:f.Max]
	}
	// ParseAnswers trims; a cut after "，" or ", " must not leave a space.
	return strings.TrimSpace(string(t)), true
}
