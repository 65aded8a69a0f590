package demo

import "strings"

// oracleResp is what gen_row decides about a respondent before the
// ratings, and carries into them.
type oracleResp struct {
	age                   int // index into oracleAges
	older, rural, student bool
	infant                bool // household has infant_0_3
	region                string
	venue                 int   // index into oracleVenues
	cats                  []int // rated categories, in CAT_ORDER
}

// worstSat is the script's running minimum of satisfaction latents, over
// the answered items, that picks the complaint text.
type worstSat struct {
	lat    float64
	ind    string // "" is the script's None
	anyLow bool   // some answered satisfaction is 1 or 2
}

// row fills rec (in header order) with respondent rid, as gen_row does,
// making the same draws in the same order.
func (m *oracleModel) row(g oracleRNG, rid int, rec []string, cats []int) {
	clear(rec) // DictWriter's restval: unrated categories stay empty
	rec[colCode] = "R" + zeroPad(rid, 8)
	p := m.respondent(g, rec, cats)
	lenient := g.normal(0.45) // respondent-level response style
	implean := g.normal(0.35)
	w := worstSat{lat: 9.0}
	for _, ci := range p.cats {
		m.rateCategory(g, &p, &m.cats[ci], lenient, implean, &w, rec)
	}
	m.problem(g, w, rec)
	rural := 1.0
	if p.rural {
		rural = 1.25
	}
	rec[m.wtCol] = formatFixed(m.venueWt[p.venue]*rural, 4) // "%.4f" % w
}

// rateCategory draws one category's importance and satisfaction items,
// its Kano pairs and its 0–10 questions.
func (m *oracleModel) rateCategory(g oracleRNG, p *oracleResp, c *oracleCat, lenient, implean float64, w *worstSat, rec []string) {
	latentSum := 0.0
	for i := range c.inds {
		ind := &c.inds[i]
		muI := ind.imp + implean
		if ind.code == "safety" && p.infant && c.code == "infant_products" {
			muI += 0.3
		}
		if p.older && oneOf(ind.code, "instructions", "ease_of_use", "advertising_truth") {
			muI += 0.4
		}
		if p.student && oneOf(ind.code, "price_value", "price_honesty") {
			muI += 0.3
		}
		imp := clampRound(muI+g.normal(0.6), 1, 5)
		rec[ind.impCol] = m.maybe(g.bern(0.02), imp) // MISS_IMP

		lat := m.satMean(p, c, ind, lenient) + g.normal(0.7)
		// float64() stops a fused multiply-add, which Python never does.
		latentSum += float64(ind.drv * (lat - 3.6))
		sat := clampRound(lat, 1, 5)
		switch {
		case g.bern(ind.naShare):
			rec[ind.satCol] = "na"
		case g.bern(0.015): // MISS_SAT
			rec[ind.satCol] = ""
		default:
			rec[ind.satCol] = m.ints[sat]
			w.anyLow = w.anyLow || sat <= 2
			if lat < w.lat {
				w.lat, w.ind = lat, ind.code
			}
		}
	}
	for _, k := range c.kano {
		m.kanoPair(g, p, k, rec)
	}
	ovLat := 7.0 + float64(1.6*latentSum) + g.normal(1.0)
	rec[c.overallCol] = m.maybe(g.bern(0.01), clampRound(ovLat, 0, 10)) // MISS_OVERALL
	recommend := clampRound(ovLat+0.2+g.normal(1.3), 0, 10)
	rec[c.recCol] = m.maybe(g.bern(0.025), recommend) // MISS_RECOMMEND
}

// satMean is mu_s: the base satisfaction plus the planted group effects,
// added in the script's order (float addition is not associative).
func (m *oracleModel) satMean(p *oracleResp, c *oracleCat, ind *oracleInd, lenient float64) float64 {
	mu := ind.sat + lenient
	if p.region == "rural_village" && oneOf(ind.code, "authenticity", "after_sales", "returns") {
		mu -= 0.30
	}
	if p.region == "county_town" && oneOf(ind.code, "authenticity", "after_sales") {
		mu -= 0.10
	}
	if p.region == "urban_rural_fringe" && oneOf(ind.code, "authenticity", "safety") {
		mu -= 0.15
	}
	if p.older && oneOf(ind.code, "instructions", "labeling", "ease_of_use") {
		mu -= 0.30
	}
	if p.infant && c.code == "infant_products" && ind.code == "safety" {
		mu -= 0.15
	}
	return mu
}

// kanoPair draws a Kano class, then one of its cells in the evaluation
// table, and writes the functional and dysfunctional answers.
func (m *oracleModel) kanoPair(g oracleRNG, p *oracleResp, k oracleKano, rec []string) {
	if !g.bern(0.85) {
		rec[k.funcCol], rec[k.dysfCol] = "", ""
		return
	}
	// Class weights in the script's dict order: A, O, M, I, R, Q.
	weights := [6]float64{0.35, 0.20, 0.15, 0.25, 0.03, 0.02}
	switch {
	case k.id == "food_qr_traceability":
		weights = [6]float64{0.40, 0.25, 0.10, 0.20, 0.03, 0.02}
	case p.older:
		weights = [6]float64{0.15, 0.30, 0.35, 0.15, 0.03, 0.02}
	}
	cells := m.kanoCells[g.choiceW(weights[:])]
	cell := cells[int(g.u()*float64(len(cells)))]
	rec[k.funcCol], rec[k.dysfCol] = oracleKanoAnswers[cell[0]], oracleKanoAnswers[cell[1]]
}

// problem draws had_problem and, sometimes, a complaint about the
// respondent's worst-rated indicator.
func (m *oracleModel) problem(g oracleRNG, w worstSat, rec []string) {
	pProb := 0.15
	if w.anyLow {
		pProb = 0.55
	}
	x := g.u()
	had := "no"
	switch {
	case x < pProb:
		had = "yes"
	case x < pProb+0.08:
		had = "unsure"
	}
	rec[m.hadCol] = had
	if had == "yes" && g.bern(0.45) && w.ind != "" {
		opts, ok := m.complaints[w.ind]
		if !ok {
			opts = []string{"质量有问题"}
		}
		text := opts[int(g.u()*float64(len(opts)))]
		if g.bern(0.2) {
			text += "，希望监管部门加强抽查。"
		}
		rec[m.textCol] = text
	}
}

// maybe is `"" if missing else str(v)` for a small non-negative v.
func (m *oracleModel) maybe(missing bool, v int) string {
	if missing {
		return ""
	}
	return m.ints[v]
}

func oneOf(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

// zeroPad is Python's "%0*d" for non-negative n.
func zeroPad(n, width int) string {
	s := itoa(n)
	if len(s) >= width {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}
