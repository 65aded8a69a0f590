package demo

import (
	"slices"
	"strings"
)

// Code lists of gen_survey.py, in its order. They are read-only tables:
// nothing in the package writes them.
var (
	oracleAges        = [...]string{"14_17", "18_29", "30_39", "40_49", "50_59", "60_69", "70_plus"}
	oracleGenders     = [...]string{"female", "male", "prefer_not"}
	oracleRegions     = [...]string{"urban_core", "urban_rural_fringe", "county_town", "rural_village", "unsure"}
	oracleVenues      = [...]string{"community", "school", "township", "online"}
	oracleStatuses    = [...]string{"school_student", "college_student", "employed", "farming", "self_employed", "retired", "home_or_unemployed", "other"}
	oracleKanoAnswers = [...]string{"like", "must_be", "neutral", "live_with", "dislike"}
)

// Indexes into oracleAges and the category order used by the rules.
const (
	age14to17, age18to29, age30to39, age40to49, age50to59, age60to69, age70plus = 0, 1, 2, 3, 4, 5, 6

	catDrugs, catInfant, catChild, catElderly, catOnline = 1, 2, 3, 4, 6
)

// respondent draws the respondent-level answers of gen_row, up to the
// src code, writes them into rec, and returns what the ratings need.
// cats is scratch space for the chosen categories.
func (m *oracleModel) respondent(g oracleRNG, rec []string, cats []int) oracleResp {
	var p oracleResp
	p.age = g.choiceW(m.ageW)
	gender := oracleGenders[2]
	if !g.bern(0.02) {
		gender = oracleGenders[g.choiceW([]float64{0.49, 0.51})] // GENDER_POP
	}
	prov := m.provs[g.choiceW(m.provW)]
	// Region depends on the province's urbanisation and the sample tilt.
	urb := prov.urban
	rw := [4]float64{0.42 * urb / 0.64, 0.10, 0.16, 0.32 * (1 - urb) / 0.36}
	for i, tilt := range [4]float64{1.45, 1.10, 0.90, 0.60} { // REGION_TILT
		rw[i] *= tilt
	}
	p.region = oracleRegions[4]
	if !g.bern(0.015) {
		p.region = oracleRegions[g.choiceW(rw[:])]
	}
	p.rural = p.region == "county_town" || p.region == "rural_village"
	young := p.age == age14to17 || p.age == age18to29
	p.venue = g.choiceW([]float64{3, pick(young, 1.5, 0.4), pick(p.rural, 3, 0.6), pick(!p.rural, 3, 1.5)})
	p.older = p.age == age60to69 || p.age == age70plus
	hh := m.household(g, &p)
	st := g.choiceW(m.statusWeights(&p))
	p.student = st <= 1 // school_student, college_student
	filledBy := "self"
	if p.age == age70plus && g.bern(0.45) {
		filledBy = "with_staff"
		if g.bern(0.6) {
			filledBy = "with_family"
		}
	} else if p.age == age60to69 && g.bern(0.15) {
		filledBy = "with_family"
	}
	p.cats = m.pickCategories(g, &p, hh, cats)
	venue := oracleVenues[p.venue]
	src := "2018zly-" + venue[:2] + "-" + zeroPad(1+int(g.u()*40), 3)

	rec[colSrc], rec[colVenue], rec[colFilledBy] = src, venue, filledBy
	rec[colAge], rec[colGender], rec[colRegion] = oracleAges[p.age], gender, p.region
	rec[colProvince], rec[colHousehold], rec[colStatus] = prov.code, strings.Join(hh, ";"), oracleStatuses[st]
	names := make([]string, len(p.cats))
	for i, c := range p.cats {
		names[i] = m.cats[c].code
	}
	rec[colRateCategories] = strings.Join(names, ";")
	return p
}

// household draws the household members (infant, child, elder).
func (m *oracleModel) household(g oracleRNG, p *oracleResp) []string {
	pInf, pChi := 0.04, 0.12
	switch p.age {
	case age14to17:
		pChi = 0.2
	case age18to29:
		pInf, pChi = 0.15, 0.1
	case age30to39:
		pInf, pChi = 0.25, 0.45
	case age40to49:
		pInf, pChi = 0.08, 0.5
	case age50to59:
		pChi = 0.15
	}
	var hh []string
	if g.bern(pInf) {
		hh = append(hh, "infant_0_3")
		p.infant = true
	}
	if g.bern(pChi) {
		hh = append(hh, "child_3_14")
	}
	if g.bern(pick(p.older, 0.8, 0.3)) {
		hh = append(hh, "elder_60_plus")
	}
	if hh == nil {
		hh = []string{"none"}
	}
	return hh
}

// statusWeights are the status weights for the respondent's age group.
func (m *oracleModel) statusWeights(p *oracleResp) []float64 {
	switch {
	case p.age == age14to17:
		return []float64{95, 0, 2, 0, 0, 0, 1, 2}
	case p.age == age18to29:
		return []float64{1, 30, 50, pick(p.rural, 3, 1), 6, 0, 7, 3}
	case p.older:
		return []float64{0, 0, 8, pick(p.rural, 25, 4), 4, 55, 6, 2}
	}
	return []float64{0, 0, 60, pick(p.rural, 15, 3), 12, pick(p.age == age50to59, 3, 0), 8, 2}
}

// pickCategories draws 1 or 2 categories without replacement; key groups
// lean toward their category. It returns them in CAT_ORDER.
func (m *oracleModel) pickCategories(g oracleRNG, p *oracleResp, hh []string, out []int) []int {
	var w [7]float64
	for i := range m.cats {
		w[i] = m.cats[i].pick
	}
	if p.infant {
		w[catInfant] *= 6
	}
	if slices.Contains(hh, "child_3_14") {
		w[catChild] *= 3
	}
	if p.older {
		w[catElderly] *= 5
		w[catDrugs] *= 2
	}
	if p.student {
		w[catOnline] *= 2
		w[catChild] *= 1.5
	}
	n := 1
	if g.bern(0.55) {
		n = 2
	}
	out = out[:0]
	var avail []int
	var aw []float64
	for range n {
		avail, aw = avail[:0], aw[:0]
		for c := range m.cats {
			if !slices.Contains(out, c) {
				avail, aw = append(avail, c), append(aw, w[c])
			}
		}
		out = append(out, avail[g.choiceW(aw)])
	}
	slices.Sort(out)
	return out
}

func pick(cond bool, a, b float64) float64 {
	if cond {
		return a
	}
	return b
}
