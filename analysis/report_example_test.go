package analysis_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// Run only the key-driver section on 60 food ratings, without population
// margins (so no raking). Overall satisfaction was generated from the
// satisfaction items with weights 7, 6, …, 1, so safety, the first item,
// comes out as the strongest driver. The other categories, which nobody
// rated, are reported in Undefined instead of as rows of NAs.
func ExampleAnalyze() {
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		panic(err)
	}
	s := analysis.NewSample(d)
	state := uint32(7)
	next := func(k int) int { // a small deterministic generator
		state = state*1103515245 + 12345
		return int(state>>16) % k
	}
	food := d.Category("food")
	for i := range 60 {
		ans := surveys.Answers{}
		sum := 0
		for j, ind := range food.Indicators {
			sat := 1 + next(5)
			sum += sat * (7 - j)
			ans[surveys.SatisfactionID("food", ind.Code)] = sat
		}
		ans[surveys.OverallID("food")] = min(10, max(0, sum/12+next(3)-1))
		s.Add(ans, 1, fmt.Sprintf("R%02d", i), nil)
	}

	rep, err := analysis.Analyze(s, analysis.Options{Sections: []string{analysis.SectionDrivers}})
	if err != nil {
		panic(err)
	}
	for _, t := range rep.Tables {
		fmt.Printf("%s: %d rows\n", t.Name, t.Len())
	}
	drv := rep.Tables[0]
	top := drv.Rows[0] // category, indicator, n_complete, R2, r, …, lmg_pct
	fmt.Printf("%s: n %d, R² %.3f; %s has r %.3f and %.1f%% of R² (LMG)\n",
		top[0], top[2], top[3], top[1], top[4], top[len(top)-1])
	for _, e := range rep.Undefined {
		lines := strings.Split(e.Error(), "\n")
		fmt.Printf("%d undefined (too few cases: %v), first: %s\n",
			len(lines), errors.Is(e, analysis.ErrTooFewCases), lines[0])
	}
	// Output:
	// drivers: 7 rows
	// food: n 60, R² 0.754; safety has r 0.601 and 42.2% of R² (LMG)
	// 6 undefined (too few cases: true), first: analysis: drivers drugs: too few complete cases: 0 cases answered drugs_overall_sat and all 7 drivers; the regression needs at least 9
}
