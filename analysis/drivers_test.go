package analysis_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"gonum.org/v1/gonum/mat"
)

// TestDriversMatchOracle checks every column of drivers.csv: R's cor,
// cor.test, solve(Rxx, rxy), lm on scale(D), the rwa eigen formula and the
// exact LMG enumeration of oracle.R. r_p and beta_p are p-values (rel 1e-6;
// some are below 1e-90), the rest statistics (rel 1e-9).
func TestDriversMatchOracle(t *testing.T) {
	s := loadSample10k(t)
	rs, err := analysis.Drivers(s)
	if err != nil {
		t.Fatalf("Drivers: %v", err)
	}
	relCompareTable(t, analysis.DriversTable(rs), "drivers.csv", []string{"category", "indicator"},
		nil, map[string]bool{"r_p": true, "beta_p": true})
	for _, r := range rs {
		var rw, lmg float64
		for _, d := range r.Drivers {
			rw += d.RW
			lmg += d.LMG
			if math.Abs(d.Beta-d.BetaLM) > 1e-12 {
				t.Errorf("%s %s: beta_std %v and beta_std_lm %v differ", r.Category, d.Indicator, d.Beta, d.BetaLM)
			}
			if d.VIF < 1 {
				t.Errorf("%s %s: VIF %v < 1", r.Category, d.Indicator, d.VIF)
			}
		}
		if relDiff(rw, r.R2) > 1e-13 || relDiff(lmg, r.R2) > 1e-13 {
			t.Errorf("%s: Σ rw = %v, Σ lmg = %v, want both R² = %v", r.Category, rw, lmg, r.R2)
		}
	}
	ipa := readOracle(t, "ipa.csv")
	imp := analysis.DerivedImportance(rs)
	for _, w := range ipa {
		c := newChecker(t)
		c.float(w["category"]+"/"+w["indicator"], "I_derived_r", imp[w["category"]][w["indicator"]], w["I_derived_r"])
	}
}

// drvBlock3 is a 3-driver case computed by hand: x3 is uncorrelated with
// x1 and x2, so its LMG share and relative weight are r_3² = 0.09, and x1
// and x2 share R²({1,2}) = (r_1² + r_2² − 2 r_1 r_2 r_12)/(1 − r_12²) =
// 0.21/0.75 = 0.28 as LMG_1 = ½(r_1² + R²({1,2}) − r_2²) = 0.185 and
// LMG_2 = 0.095. R² = 0.28 + 0.09 = 0.37.
var (
	drvBlock3 = mat.NewSymDense(3, []float64{
		1, 0.5, 0,
		0.5, 1, 0,
		0, 0, 1,
	})
	drvBlock3R = []float64{0.5, 0.4, 0.3}
)

// drvGeneral3 is a 3-driver case with all correlations non-zero. The
// reference values are exact rational arithmetic (Python fractions) of the
// formulas of methods.md §2: R²({1,2}) = 31/75 (by hand as above),
// R²({1,3}) = 188/455, R²({2,3}) = 11/32, β = (69/170, 171/680, 31/136),
// R² = 3131/6800, and LMG = (2543087/11138400, 617507/4455360,
// 2083447/22276800).
var (
	drvGeneral3 = mat.NewSymDense(3, []float64{
		1, 0.5, 0.3,
		0.5, 1, 0.2,
		0.3, 0.2, 1,
	})
	drvGeneral3R = []float64{0.6, 0.5, 0.4}
)

func TestLMGHandComputed(t *testing.T) {
	const tol = 1e-14
	for _, tc := range []struct {
		name string
		rxx  *mat.SymDense
		rxy  []float64
		want []float64
		r2   float64
	}{
		{"block", drvBlock3, drvBlock3R, []float64{0.185, 0.095, 0.09}, 0.37},
		{"general", drvGeneral3, drvGeneral3R, []float64{2543087.0 / 11138400, 617507.0 / 4455360, 2083447.0 / 22276800}, 3131.0 / 6800},
		{"orthogonal: r²", mat.NewSymDense(2, []float64{1, 0, 0, 1}), []float64{0.3, -0.2}, []float64{0.09, 0.04}, 0.13},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := analysis.LMG(tc.rxx, tc.rxy)
			if err != nil {
				t.Fatal(err)
			}
			var sum float64
			for j := range got {
				sum += got[j]
				if math.Abs(got[j]-tc.want[j]) > tol {
					t.Errorf("LMG[%d] = %.17g, want %.17g (hand-computed)", j, got[j], tc.want[j])
				}
			}
			if math.Abs(sum-tc.r2) > tol {
				t.Errorf("Σ LMG = %.17g, want R² = %.17g", sum, tc.r2)
			}
		})
	}
}

func TestRelativeWeightsHandComputed(t *testing.T) {
	const tol = 1e-14
	for _, tc := range []struct {
		name string
		rxx  *mat.SymDense
		rxy  []float64
		want []float64 // NaN: only the sum is known
		r2   float64
	}{
		// Two drivers with r_12 = 0.6: Λ = [[3, 1], [1, 3]]/√10 (eigenvalues
		// 1.6, 0.4), β* = Λ⁻¹(0.5, 0.3) = (1.5, 0.5)/√10, so ε_1 = 0.9·0.225 +
		// 0.1·0.025 = 0.205 and ε_2 = 0.1·0.225 + 0.9·0.025 = 0.045;
		// R² = (0.25 + 0.09 − 0.18)/0.64 = 0.25. By hand.
		{"two drivers", mat.NewSymDense(2, []float64{1, 0.6, 0.6, 1}), []float64{0.5, 0.3}, []float64{0.205, 0.045}, 0.25},
		// Λ is block diagonal, so ε_3 = r_3²; the sum is R² = 0.37 (see drvBlock3).
		{"block", drvBlock3, drvBlock3R, []float64{math.NaN(), math.NaN(), 0.09}, 0.37},
		{"general", drvGeneral3, drvGeneral3R, []float64{math.NaN(), math.NaN(), math.NaN()}, 3131.0 / 6800},
		{"orthogonal: r²", mat.NewSymDense(2, []float64{1, 0, 0, 1}), []float64{0.3, -0.2}, []float64{0.09, 0.04}, 0.13},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := analysis.RelativeWeights(tc.rxx, tc.rxy)
			if err != nil {
				t.Fatal(err)
			}
			var sum float64
			for j := range got {
				sum += got[j]
				if !math.IsNaN(tc.want[j]) && math.Abs(got[j]-tc.want[j]) > tol {
					t.Errorf("RelativeWeights[%d] = %.17g, want %.17g (hand-computed)", j, got[j], tc.want[j])
				}
			}
			if math.Abs(sum-tc.r2) > tol {
				t.Errorf("Σ ε = %.17g, want R² = %.17g", sum, tc.r2)
			}
		})
	}
}

func TestDriverWeightsSingular(t *testing.T) {
	singular := mat.NewSymDense(3, []float64{1, 1, 0, 1, 1, 0, 0, 0, 1})
	r := []float64{0.5, 0.5, 0.3}
	if _, err := analysis.LMG(singular, r); !errors.Is(err, analysis.ErrCollinear) {
		t.Errorf("LMG(singular) err = %v, want ErrCollinear", err)
	}
	if _, err := analysis.RelativeWeights(singular, r); !errors.Is(err, analysis.ErrCollinear) {
		t.Errorf("RelativeWeights(singular) err = %v, want ErrCollinear", err)
	}
	big := mat.NewSymDense(17, nil)
	for j := 0; j < 17; j++ {
		big.SetSym(j, j, 1)
	}
	if _, err := analysis.LMG(big, make([]float64, 17)); !errors.Is(err, analysis.ErrTooManyDrivers) {
		t.Errorf("LMG(17 drivers) err = %v, want ErrTooManyDrivers", err)
	}
}

// drvFoodAnswers returns one respondent's food answers: overall
// satisfaction and the seven satisfaction items.
func drvFoodAnswers(d *surveys.Definition, overall int, sat [7]int) surveys.Answers {
	a := surveys.Answers{surveys.OverallID("food"): overall}
	for j, ind := range d.Category("food").Indicators {
		a[surveys.SatisfactionID("food", ind.Code)] = sat[j]
	}
	return a
}

// drvSynthetic returns n food respondents whose answers are fixed,
// well-spread functions of i (a small linear congruential generator).
func drvSynthetic(d *surveys.Definition, n int) []surveys.Answers {
	var out []surveys.Answers
	state := uint32(12345)
	next := func(k int) int {
		state = state*1103515245 + 12345
		return int(state>>16) % k
	}
	for i := 0; i < n; i++ {
		var sat [7]int
		sum := 0
		for j := range sat {
			sat[j] = 1 + next(5)
			sum += sat[j] * (7 - j)
		}
		overall := min(10, max(0, sum/12+next(3)-1))
		out = append(out, drvFoodAnswers(d, overall, sat))
	}
	return out
}

func TestDriversErrors(t *testing.T) {
	d, _ := load10k(t)
	answers := drvSynthetic(d, 40)
	foodErr := func(t *testing.T, answers []surveys.Answers, kind error, detail string) {
		t.Helper()
		s := relDemoSample(t, answers...)
		rs, err := analysis.Drivers(s)
		if len(rs) != 0 {
			t.Errorf("Drivers returned %d categories, want none", len(rs))
		}
		var found bool
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			var ue *analysis.UndefinedError
			if errors.As(e, &ue) && ue.Subject == "food" {
				found = true
				if !errors.Is(e, kind) || !strings.Contains(e.Error(), detail) {
					t.Errorf("food: %v, want %v mentioning %q", e, kind, detail)
				}
			}
		}
		if !found {
			t.Errorf("err = %v, want an *UndefinedError for food", err)
		}
	}
	t.Run("single respondent", func(t *testing.T) {
		foodErr(t, answers[:1], analysis.ErrTooFewCases, "1 cases answered food_overall_sat and all 7 drivers; the regression needs at least 9")
	})
	t.Run("n = p+1", func(t *testing.T) {
		foodErr(t, answers[:8], analysis.ErrTooFewCases, "8 cases")
	})
	t.Run("collinear", func(t *testing.T) {
		dup := make([]surveys.Answers, len(answers))
		for i, a := range answers { // labeling := safety
			b := surveys.Answers{}
			for k, v := range a {
				b[k] = v
			}
			b["food_sat_labeling"] = a["food_sat_safety"]
			dup[i] = b
		}
		foodErr(t, dup, analysis.ErrCollinear, "food_sat_safety and food_sat_labeling (r = 1.000000)")
	})
	t.Run("constant", func(t *testing.T) {
		con := make([]surveys.Answers, len(answers))
		for i, a := range answers {
			b := surveys.Answers{}
			for k, v := range a {
				b[k] = v
			}
			b["food_overall_sat"] = 7
			con[i] = b
		}
		foodErr(t, con, analysis.ErrConstant, "food_overall_sat is constant over the 40 complete cases")
	})
	t.Run("defined with n = p+2", func(t *testing.T) {
		s := relDemoSample(t, answers[:9]...)
		rs, _ := analysis.Drivers(s)
		if len(rs) != 1 || rs[0].Category != "food" || rs[0].N != 9 {
			t.Fatalf("Drivers = %+v, want food with n 9", rs)
		}
	})
}

// Key drivers of overall food satisfaction in 200 synthetic responses:
// the items were generated with weights 7, 6, …, 1, which the LMG shares
// of R² recover. The other categories, which nobody rated, are reported in
// err.
func ExampleDrivers() {
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		panic(err)
	}
	s := analysis.NewSample(d)
	for i, ans := range drvSynthetic(d, 200) {
		s.Add(ans, 1, fmt.Sprint(i), nil)
	}
	rs, err := analysis.Drivers(s)
	if err != nil { // err joins one *UndefinedError per category left out
		var left []string
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			if ue := (*analysis.UndefinedError)(nil); errors.As(e, &ue) && errors.Is(ue, analysis.ErrTooFewCases) {
				left = append(left, ue.Subject)
			}
		}
		fmt.Println("too few complete cases:", strings.Join(left, ", "))
	}
	for _, r := range rs {
		fmt.Printf("%s: n = %d, R² = %.3f\n", r.Category, r.N, r.R2)
		for _, d := range r.Drivers {
			fmt.Printf("  %-14s r %.3f  β %6.3f  LMG %5.1f%%  RW %5.1f%%\n", d.Indicator, d.R, d.Beta, d.LMGPct, d.RWPct)
		}
	}
	// Output:
	// too few complete cases: drugs, infant_products, child_student_products, elderly_products, home_appliances, online_shopping
	// food: n = 200, R² = 0.670
	//   safety         r 0.476  β  0.540  LMG  38.1%  RW  38.1%
	//   freshness      r 0.410  β  0.446  LMG  26.9%  RW  26.9%
	//   labeling       r 0.210  β  0.349  LMG  11.6%  RW  11.4%
	//   authenticity   r 0.241  β  0.311  LMG  11.0%  RW  11.1%
	//   taste_quality  r 0.251  β  0.238  LMG   8.9%  RW   8.9%
	//   price_value    r 0.117  β  0.150  LMG   2.7%  RW   2.8%
	//   traceability   r 0.060  β  0.073  LMG   0.7%  RW   0.7%
}
