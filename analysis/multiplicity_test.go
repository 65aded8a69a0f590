package analysis_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/qvoice/qvoice/analysis"
)

// TestAdjust checks Holm and BH against values worked by hand from the
// formulas of R's p.adjust (methods.md §7), which R 4.2.2 reproduces.
func TestAdjust(t *testing.T) {
	cases := []struct {
		name     string
		p        []float64
		holm, bh []float64
	}{
		{
			// p.adjust(c(.01, .02, .03, .04, .05), "holm"): 5·.01, 4·.02,
			// 3·.03, then the running maximum; BH: every (5/i)·p_(i) is .05.
			name: "even",
			p:    []float64{0.01, 0.02, 0.03, 0.04, 0.05},
			holm: []float64{0.05, 0.08, 0.09, 0.09, 0.09},
			bh:   []float64{0.05, 0.05, 0.05, 0.05, 0.05},
		},
		{
			// Unsorted, with a tie: sorted .01 .01 .03 .04 .045 .2 .5 (m = 7).
			// Holm: .07 .07 .15 .16 .16 .4 .5; BH from the top: .5,
			// 7/6·.2 = .2333, 7/5·.045 = .063, then .063 .063, 7/2·.01 = .035, .035.
			name: "unsorted with ties",
			p:    []float64{0.04, 0.01, 0.03, 0.2, 0.01, 0.5, 0.045},
			holm: []float64{0.16, 0.07, 0.15, 0.4, 0.07, 0.5, 0.16},
			bh:   []float64{0.063, 0.035, 0.063, 7.0 / 30, 0.035, 0.5, 0.063},
		},
		{
			// Capped at 1.
			name: "cap",
			p:    []float64{0.3, 0.6, 0.9},
			holm: []float64{0.9, 1, 1},
			bh:   []float64{0.9, 0.9, 0.9},
		},
		{
			// NaN is R's NA: left out of the family (m = 2) and kept.
			name: "NaN",
			p:    []float64{0.01, math.NaN(), 0.02},
			holm: []float64{0.02, math.NaN(), 0.02},
			bh:   []float64{0.02, math.NaN(), 0.02},
		},
		{name: "empty", p: []float64{}, holm: []float64{}, bh: []float64{}},
	}
	opt := cmp.Options{cmpopts.EquateApprox(1e-14, 0), cmpopts.EquateNaNs()}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.p)
			if d := cmp.Diff(tc.holm, analysis.HolmAdjust(tc.p), opt); d != "" {
				t.Errorf("HolmAdjust (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.bh, analysis.BHAdjust(tc.p), opt); d != "" {
				t.Errorf("BHAdjust (-want +got):\n%s", d)
			}
			if d := cmp.Diff(in, tc.p, cmpopts.EquateNaNs()); d != "" {
				t.Errorf("input modified (-want +got):\n%s", d)
			}
		})
	}
}

// Adjust the p-values of a family of five tests.
func ExampleHolmAdjust() {
	p := []float64{0.01, 0.02, 0.03, 0.04, 0.05}
	fmt.Printf("holm %.2f\n", analysis.HolmAdjust(p))
	fmt.Printf("BH   %.2f\n", analysis.BHAdjust(p))
	// Output:
	// holm [0.05 0.08 0.09 0.09 0.09]
	// BH   [0.05 0.05 0.05 0.05 0.05]
}
