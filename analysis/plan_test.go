package analysis_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/qvoice/qvoice/analysis"
)

// z95 is Φ⁻¹(0.975) (Python 3 statistics.NormalDist().inv_cdf(0.975)).
const z95 = 1.9599639845400536

// TestSampleSize checks SampleSize and MeanSampleSize against published
// and hand-derived values; n0 = z²·p(1−p)/e² and n = ⌈n1/(1 + (n1 − 1)/N)⌉
// (Cochran 1977, Sampling Techniques, 3rd ed., §4.4).
func TestSampleSize(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name                  string
		mean                  bool
		moe, conf, p, deff, N float64
		want                  int
	}{
		// Cochran 1977 §4.4: e = 0.05, 95%, p = 0.5: n0 = 384.15 → 385.
		{"Cochran e=0.05", false, 0.05, 0.95, 0.5, 1, 0, 385},
		{"N=+Inf is infinite", false, 0.05, 0.95, 0.5, 1, inf, 385},
		// By hand: 1.95996²·0.25/0.03² = 1067.07 → 1068.
		{"e=0.03", false, 0.03, 0.95, 0.5, 1, 0, 1068},
		// By hand: 1067.07/(1 + 1066.07/10000) = 964.27 → 965.
		{"e=0.03 N=10000", false, 0.03, 0.95, 0.5, 1, 10000, 965},
		// By hand: 1.5·1067.07 = 1600.61 → 1601.
		{"e=0.03 deff=1.5", false, 0.03, 0.95, 0.5, 1.5, 0, 1601},
		// By hand: 1.95996²·0.2·0.8/0.05² = 245.85 → 246.
		{"p=0.2", false, 0.05, 0.95, 0.2, 1, 0, 246},
		// By hand: Φ⁻¹(0.995) = 2.57583; 2.57583²·0.25/0.05² = 663.49 → 664.
		{"99%", false, 0.05, 0.99, 0.5, 1, 0, 664},
		// Krejcie & Morgan (1970), Educational and Psychological
		// Measurement 30, Table 1 (e = 0.05, 95%, P = 0.5; the same formula
		// as eq. 4.3, rounded to nearest there: 79.51, 277.73, 369.97).
		{"Krejcie-Morgan N=100", false, 0.05, 0.95, 0.5, 1, 100, 80},
		{"Krejcie-Morgan N=1000", false, 0.05, 0.95, 0.5, 1, 1000, 278},
		{"Krejcie-Morgan N=10000", false, 0.05, 0.95, 0.5, 1, 10000, 370},
		// n never exceeds N: 1067.07·21/(21 + 1066.07) = 20.61 → 21.
		{"N=21", false, 0.03, 0.95, 0.5, 1, 21, 21},
		{"N=1", false, 0.03, 0.95, 0.5, 1, 1, 1},
		// Means, n0 = z²σ²/e² (Cochran 1977 ch. 4, continuous data): by
		// hand 1.95996²·1²/0.1² = 384.15 → 385.
		{"mean sd=1 e=0.1", true, 0.1, 0.95, 1, 1, 0, 385},
		// By hand: 1.95996²·0.8²/0.05² = 983.41 → 984; FPC with N = 2000:
		// 983.41/(1 + 982.41/2000) = 659.47 → 660.
		{"mean sd=0.8 e=0.05 N=2000", true, 0.05, 0.95, 0.8, 1, 2000, 660},
		// A margin of error for a mean may exceed 1: 1.95996²·2²/1.5² = 6.83 → 7.
		{"mean e=1.5", true, 1.5, 0.95, 2, 1, 0, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := analysis.SampleSize
			if tc.mean {
				f = analysis.MeanSampleSize
			}
			got, err := f(tc.moe, tc.conf, tc.p, tc.deff, tc.N)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("n = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestSampleStages checks every stage, the response-rate inflation and that
// floating-point noise does not add a respondent (by hand, as in
// TestSampleSize).
func TestSampleStages(t *testing.T) {
	n0 := z95 * z95 * 0.25 / (0.03 * 0.03) // 1067.0718946372565
	for _, tc := range []struct {
		name string
		spec analysis.PlanSpec
		e, N float64
		want analysis.SampleStages
	}{
		{"defaults", analysis.PlanSpec{MOE: 0.03, Confidence: 0.95}, 0, 0,
			analysis.SampleStages{N0: n0, NDeff: n0, NFPC: n0, N: 1068, Invited: 1068}},
		// 1.5·n0 = 1600.61; /(1 + 1599.61/10000) = 1379.88 → 1380; /0.8 = 1725.
		{"deff FPC response", analysis.PlanSpec{MOE: 0.03, Confidence: 0.95, P: 0.5, Deff: 1.5, ResponseRate: 0.8}, 0, 10000,
			analysis.SampleStages{N0: n0, NDeff: 1.5 * n0, NFPC: 1.5 * n0 / (1 + (1.5*n0-1)/10000), N: 1380, Invited: 1725}},
		// The stratum's e = 0.05 overrides the spec's; 385/0.7 = 550.
		{"moe override", analysis.PlanSpec{MOE: 0.03, Confidence: 0.95, ResponseRate: 0.7}, 0.05, 0,
			analysis.SampleStages{N0: n0 * 0.36, NDeff: n0 * 0.36, NFPC: n0 * 0.36, N: 385, Invited: 550}},
		// 21/0.7 is 30.000000000000004 in float64: 30 invitations, not 31.
		{"no rounding noise", analysis.PlanSpec{MOE: 0.03, Confidence: 0.95, ResponseRate: 0.7}, 0, 21,
			analysis.SampleStages{N0: n0, NDeff: n0, NFPC: n0 * 21 / (20 + n0), N: 21, Invited: 30}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.spec.Stages(tc.e, tc.N)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
				t.Errorf("Stages (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanInputErrors checks that every bad input is an ErrPlanInput
// naming the parameter and its value.
func TestPlanInputErrors(t *testing.T) {
	ok := analysis.PlanSpec{MOE: 0.03, Confidence: 0.95}
	with := func(f func(*analysis.PlanSpec)) analysis.PlanSpec { s := ok; f(&s); return s }
	for _, tc := range []struct {
		name string
		spec analysis.PlanSpec
		N    float64
		want string
	}{
		{"moe 0", with(func(s *analysis.PlanSpec) { s.MOE = 0 }), 0, "moe = 0"},
		{"moe 1", with(func(s *analysis.PlanSpec) { s.MOE = 1 }), 0, "moe = 1,"},
		{"moe 3 means 3%?", with(func(s *analysis.PlanSpec) { s.MOE = 3 }), 0, "moe = 3,"},
		{"moe NaN", with(func(s *analysis.PlanSpec) { s.MOE = math.NaN() }), 0, "moe = NaN"},
		{"mean moe -1", with(func(s *analysis.PlanSpec) { s.SD, s.MOE = 1, -1 }), 0, "moe = -1"},
		{"mean moe Inf", with(func(s *analysis.PlanSpec) { s.SD, s.MOE = 1, math.Inf(1) }), 0, "moe = +Inf"},
		{"confidence 95", with(func(s *analysis.PlanSpec) { s.Confidence = 95 }), 0, "confidence = 95"},
		{"confidence 0", with(func(s *analysis.PlanSpec) { s.Confidence = 0 }), 0, "confidence = 0"},
		{"confidence 1", with(func(s *analysis.PlanSpec) { s.Confidence = 1 }), 0, "confidence = 1"},
		{"p 1", with(func(s *analysis.PlanSpec) { s.P = 1 }), 0, "p = 1"},
		{"p -0.2", with(func(s *analysis.PlanSpec) { s.P = -0.2 }), 0, "p = -0.2"},
		{"p and sd", with(func(s *analysis.PlanSpec) { s.P, s.SD = 0.5, 1 }), 0, "p = 0.5"},
		{"sd -1", with(func(s *analysis.PlanSpec) { s.SD = -1 }), 0, "sd = -1"},
		{"deff 0.5", with(func(s *analysis.PlanSpec) { s.Deff = 0.5 }), 0, "deff = 0.5"},
		{"deff Inf", with(func(s *analysis.PlanSpec) { s.Deff = math.Inf(1) }), 0, "deff = +Inf"},
		{"response rate 1.2", with(func(s *analysis.PlanSpec) { s.ResponseRate = 1.2 }), 0, "response rate = 1.2"},
		{"response rate -0.5", with(func(s *analysis.PlanSpec) { s.ResponseRate = -0.5 }), 0, "response rate = -0.5"},
		{"population -5", ok, -5, "population = -5"},
		{"population 0.5", ok, 0.5, "population = 0.5"},
		{"population NaN", ok, math.NaN(), "population = NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.spec.Stages(0, tc.N)
			if !errors.Is(err, analysis.ErrPlanInput) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want ErrPlanInput containing %q", err, tc.want)
			}
		})
	}
	t.Run("SampleSize p 0", func(t *testing.T) {
		if _, err := analysis.SampleSize(0.03, 0.95, 0, 1, 0); !errors.Is(err, analysis.ErrPlanInput) {
			t.Errorf("error = %v, want ErrPlanInput", err)
		}
	})
	t.Run("MeanSampleSize sd 0", func(t *testing.T) {
		if _, err := analysis.MeanSampleSize(0.1, 0.95, 0, 1, 0); !errors.Is(err, analysis.ErrPlanInput) {
			t.Errorf("error = %v, want ErrPlanInput", err)
		}
	})
}
