package analysis_test

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gonum.org/v1/gonum/mat"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// tinyYAML is a questionnaire with one category "tea" of two indicators,
// a (safety) and b (price_value), rated 1–5, with 0–10 overall and
// recommendation questions.
const tinyYAML = `
slug: tiny
version: 1
languages: [en]
max_categories_per_respondent: 1
title: {en: Tiny}
thanks: {en: Thanks}
scales:
  five:
    type: likert
    points:
      - {value: 1, label: {en: one}}
      - {value: 2, label: {en: two}}
      - {value: 3, label: {en: three}}
      - {value: 4, label: {en: four}}
      - {value: 5, label: {en: five}}
    na: {value: na, label: {en: n/a}}
  eleven: {type: numeric, min: 0, max: 10}
indicators:
  safety: {en: Safety}
  price_value: {en: Value}
categories:
  - code: tea
    label: {en: Tea}
    indicators: [{code: safety}, {code: price_value}]
category_block:
  importance: {label: {en: Importance}, scale: five}
  satisfaction: {label: {en: Satisfaction}, scale: five, allow_na: true}
  overall: {id: overall_sat, type: rating, scale: eleven, label: {en: Overall}}
  recommend: {id: recommend, type: rating, scale: eleven, label: {en: Recommend}}
sections:
  - id: start
    title: {en: Start}
    category_blocks: true
    questions:
      - id: consent
        type: consent
        required: true
        label: {en: Consent}
        notice: {en: Notice}
        options: [{value: agree, label: {en: Agree}}, {value: decline, label: {en: Decline}}]
      - id: rate_categories
        type: multi_choice
        required: true
        label: {en: Rate}
        options_from: categories
      - {id: comment, type: text, max_length: 200, label: {en: Comment}}
`

func tinyDefinition(tb testing.TB) *surveys.Definition {
	tb.Helper()
	d, err := surveys.Parse([]byte(tinyYAML))
	if err != nil {
		tb.Fatalf("Parse(tinyYAML): %v", err)
	}
	return d
}

// tinyAnswers are four responses; the fourth did not rate tea.
//
//	     imp a  imp b  sat a  sat b  overall  recommend
//	r1     5      3      2      4       6         9
//	r2     4      4      3     na       8         6
//	r3     3      5      4      5       7        10
//	r4     –      –      –      –       –         –
var tinyAnswers = []surveys.Answers{
	{"tea_imp_safety": 5, "tea_imp_price_value": 3, "tea_sat_safety": 2, "tea_sat_price_value": 4,
		"tea_overall_sat": 6, "tea_recommend": 9},
	{"tea_imp_safety": 4, "tea_imp_price_value": 4, "tea_sat_safety": 3, "tea_sat_price_value": "na",
		"tea_overall_sat": 8, "tea_recommend": 6},
	{"tea_imp_safety": 3, "tea_imp_price_value": 5, "tea_sat_safety": 4, "tea_sat_price_value": 5,
		"tea_overall_sat": 7, "tea_recommend": 10},
	{"comment": "did not rate anything"},
}

// TestHandComputed checks a case small enough to do by hand (source: the
// arithmetic below, and the closed forms of the t quantiles for 1 and 2
// degrees of freedom: qt(p, 1) = tan(π(p−½)), the Cauchy quantile, and
// qt(p, 2) = (2p−1)/√(2p(1−p)), so qt(0.975, 2) = 0.95·√(2/0.0975) =
// 4.3026527297494638…, matching R's qt).
//
// N = 4 responses, 3 raters. Means: I_a = 4, I_b = 4, P_a = 3 (n 3),
// P_b = 4.5 (n 2, "na" excluded). Centred sums of squares 2, 2, 2, 0.5, so
// SD = 1, 1, 1, √0.5. Σ I = 8, w_a = w_b = 1/2, S100 = 25·(P−1) = 50, 87.5,
// Q = 68.75, π_a = ½·(5−3) = 1, π_b = ½·(5−4.5) = 0.25.
//
// Covariance V_xy = N/(N−1)·C_xy/(n_x n_y), C over the rows with both:
// deviations I_a (+1, 0, −1), I_b (−1, 0, +1), P_a (−1, 0, +1), P_b (−½, ·, +½):
//
//	V(Ia,Ia) = V(Ib,Ib) = V(Pa,Pa) = 4/3·2/9 = 8/27,  V(Ia,Ib) = V(Ia,Pa) = −8/27
//	V(Ib,Pa) = 8/27,  V(Pb,Pb) = 4/3·½/4 = 1/6
//	V(Ia,Pb) = 4/3·(−1)/6 = −2/9,  V(Ib,Pb) = V(Pa,Pb) = 2/9
//
// π_a: g = (∂I_a, ∂I_b, ∂P_a, ∂P_b) = (4/64·2, −4/64·2, −½, 0) = (⅛, −⅛, −½, 0),
// gᵀVg = (⅛+⅛+¼+2+1+1)/27 = 1/6, SE = √(1/6).
// π_b: g = (−1/32, 1/32, 0, −½), gᵀVg = 1/864 + 1/24 − 2/144 = 25/864.
// Q: g = ((50−68.75)/8, (87.5−68.75)/8, 12.5, 12.5) = (−75/32, 75/32, 12.5, 12.5),
// gᵀVg = (5625 + 122500 + 52500)/864 = 180625/864, SE = 425/√864.
// Overall: 6, 8, 7 → 70 on 0–100, SD 10, SE = 10·√(4/3·2/9) = 10·√(8/27).
// NPS: promoters 2, detractors 1, d = (100, −100, 100): 100/3; Σ(d−d̄)² =
// 10⁴·(3·3 − 1)/3, SE = √(4/3·(8·10⁴/3)/9).
func TestHandComputed(t *testing.T) {
	acc := analysis.NewAccumulator(tinyDefinition(t))
	for _, a := range tinyAnswers {
		acc.Add(a)
	}
	got := acc.Summary()

	nan := math.NaN()
	t2, t1 := 0.95*math.Sqrt(2/0.0975), math.Tan(0.475*math.Pi)
	z := 1.959963984540054 // qnorm(0.975)
	classical := func(n int, mean, sd, q float64) analysis.Estimate {
		se := sd / math.Sqrt(float64(n))
		return analysis.Estimate{N: n, Mean: mean, SD: sd, SE: se, CILow: mean - q*se, CIHigh: mean + q*se}
	}
	linear := func(n int, est, sd, se float64) analysis.Estimate {
		return analysis.Estimate{N: n, Mean: est, SD: sd, SE: se, CILow: est - z*se, CIHigh: est + z*se}
	}
	a := analysis.IndicatorResult{Category: "tea", Indicator: "safety",
		Importance: classical(3, 4, 1, t2), Satisfaction: classical(3, 3, 1, t2),
		Weight: 0.5, S100: 50, Priority: linear(3, 1, nan, math.Sqrt(1.0/6)),
		RankInCategory: 1, RankOverall: 1}
	b := analysis.IndicatorResult{Category: "tea", Indicator: "price_value",
		Importance: classical(3, 4, 1, t2), Satisfaction: classical(2, 4.5, math.Sqrt(0.5), t1),
		Weight: 0.5, S100: 87.5, Priority: linear(2, 0.25, nan, math.Sqrt(25.0/864)),
		RankInCategory: 2, RankOverall: 2}
	v := 8.0 / 27
	want := &analysis.Summary{
		Survey: "tiny", Responses: 4,
		Categories: []analysis.CategorySummary{{
			Category: "tea", Raters: 3,
			Indicators: []analysis.IndicatorResult{a, b},
			Q:          68.75, QSE: 425 / math.Sqrt(864),
			Overall100: linear(3, 70, 10, 10*math.Sqrt(v)),
			NPS:        100.0 / 3, NPSSE: math.Sqrt(4.0 / 3 * (8e4 / 3) / 9), NPSN: 3,
			Cov: mat.NewSymDense(4, []float64{
				v, -v, -v, -2.0 / 9,
				-v, v, v, 2.0 / 9,
				-v, v, v, 2.0 / 9,
				-2.0 / 9, 2.0 / 9, 2.0 / 9, 1.0 / 6,
			}),
		}},
		Priorities: []analysis.IndicatorResult{a, b},
	}
	if diff := cmp.Diff(want, got, summaryOpts(1e-14)...); diff != "" {
		t.Errorf("Summary mismatch (-want +got):\n%s", diff)
	}
}

// summaryOpts compares Summaries with a relative tolerance, NaN equal to
// NaN, and covariance matrices element by element.
func summaryOpts(rel float64) []cmp.Option {
	return []cmp.Option{
		cmpopts.EquateApprox(rel, 0),
		cmpopts.EquateNaNs(),
		cmp.Transformer("SymDense", func(m *mat.SymDense) [][]float64 {
			if m == nil {
				return nil
			}
			n := m.SymmetricDim()
			out := make([][]float64, n)
			for i := range out {
				out[i] = make([]float64, n)
				for j := range out[i] {
					out[i][j] = m.At(i, j)
				}
			}
			return out
		}),
	}
}

// TestMergeEqualsSinglePass splits the 10k responses over three
// accumulators of unequal size, merges them in two different orders, and
// expects exactly the single-pass Summary (the statistics are integers).
func TestMergeEqualsSinglePass(t *testing.T) {
	d, rows := load10k(t)
	want := summary10k(t)
	cuts := []int{0, 1234, 7000, len(rows)}
	parts := make([]*analysis.Accumulator, 3)
	for i := range parts {
		parts[i] = analysis.NewAccumulator(d)
		for _, ans := range rows[cuts[i]:cuts[i+1]] {
			parts[i].Add(ans)
		}
	}
	for _, tc := range []struct {
		name  string
		order []int
	}{
		{"in order", []int{0, 1, 2}},
		{"reversed", []int{2, 1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acc := analysis.NewAccumulator(d)
			for _, i := range tc.order {
				if err := acc.Merge(parts[i]); err != nil {
					t.Fatalf("Merge: %v", err)
				}
			}
			if acc.N() != len(rows) {
				t.Errorf("N() = %d, want %d", acc.N(), len(rows))
			}
			if diff := cmp.Diff(want, acc.Summary(), summaryOpts(0)...); diff != "" {
				t.Errorf("merged Summary differs from the single pass (-want +got):\n%s", diff)
			}
		})
	}
	for i, p := range parts { // Merge must not have changed its argument
		if p.N() != cuts[i+1]-cuts[i] {
			t.Errorf("part %d: N() = %d after merging, want %d", i, p.N(), cuts[i+1]-cuts[i])
		}
	}
}

func TestMergeMismatch(t *testing.T) {
	demoDef, _ := load10k(t)
	tiny := tinyDefinition(t)
	acc := analysis.NewAccumulator(tiny)
	acc.Add(tinyAnswers[0])
	before := acc.Summary()
	err := acc.Merge(analysis.NewAccumulator(demoDef))
	if !errors.Is(err, analysis.ErrMismatch) {
		t.Fatalf("Merge(other survey) = %v, want ErrMismatch", err)
	}
	if diff := cmp.Diff(before, acc.Summary(), summaryOpts(0)...); diff != "" {
		t.Errorf("failed Merge changed the accumulator (-before +after):\n%s", diff)
	}
}

// TestSummaryDoesNotModify calls Summary twice around further Adds.
func TestSummaryDoesNotModify(t *testing.T) {
	acc := analysis.NewAccumulator(tinyDefinition(t))
	acc.Add(tinyAnswers[0])
	acc.Add(tinyAnswers[1])
	s1, s2 := acc.Summary(), acc.Summary()
	if diff := cmp.Diff(s1, s2, summaryOpts(0)...); diff != "" {
		t.Errorf("second Summary differs (-first +second):\n%s", diff)
	}
	acc.Add(tinyAnswers[2])
	if got := acc.Summary().Categories[0].Indicators[0].Importance.N; got != 3 {
		t.Errorf("after a third Add, importance n = %d, want 3", got)
	}
}

// TestEmptySummary: with no responses every estimate is NaN, nothing is
// ranked, and nothing panics.
func TestEmptySummary(t *testing.T) {
	s := analysis.NewAccumulator(tinyDefinition(t)).Summary()
	c := s.Categories[0]
	for name, v := range map[string]float64{
		"Q": c.Q, "QSE": c.QSE, "NPS": c.NPS, "Overall100": c.Overall100.Mean,
		"Importance": c.Indicators[0].Importance.Mean, "Priority": c.Indicators[0].Priority.Mean,
		"Priority.SE": c.Indicators[0].Priority.SE,
	} {
		if !math.IsNaN(v) {
			t.Errorf("%s = %g, want NaN", name, v)
		}
	}
	for _, r := range s.Priorities {
		if r.RankInCategory != 0 || r.RankOverall != 0 {
			t.Errorf("%s ranked %d/%d, want 0/0", r.Indicator, r.RankInCategory, r.RankOverall)
		}
	}
}
