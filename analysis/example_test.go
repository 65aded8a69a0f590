package analysis_test

import (
	"fmt"
	"strings"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// Read responses from a CSV, accumulate them in one pass, and list the
// top improvement priorities. Only elderly_products is rated here, so the
// other categories' priorities are NaN and rank last.
//
// By hand: the seven importance means sum to 86/3, so instructions has
// w = (14/3)/(86/3) = 0.163 and priority w·(5 − 5/3) = 0.543;
// Q = 25·Σ I_k(P_k − 1)/Σ I_k = 25·(532/9)/(86/3) = 51.6.
func Example() {
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		panic(err)
	}
	const responses = `response_code,elderly_products_imp_safety,elderly_products_imp_ease_of_use,elderly_products_imp_instructions,elderly_products_imp_advertising_truth,elderly_products_imp_reliability,elderly_products_imp_price_value,elderly_products_imp_after_sales,elderly_products_sat_safety,elderly_products_sat_ease_of_use,elderly_products_sat_instructions,elderly_products_sat_advertising_truth,elderly_products_sat_reliability,elderly_products_sat_price_value,elderly_products_sat_after_sales,elderly_products_overall_sat,elderly_products_recommend
A,5,4,5,4,4,3,4,4,3,2,3,4,3,na,7,9
B,5,5,4,4,3,4,4,5,3,1,2,4,4,3,6,6
C,4,4,5,5,4,3,3,4,na,2,2,3,4,3,8,8
D,,,,,,,,,,,,,,,,
`
	acc := analysis.NewAccumulator(d)
	err = analysis.ReadCSV(d, strings.NewReader(responses), func(ans surveys.Answers, _ map[string]string) error {
		acc.Add(ans)
		return nil
	})
	if err != nil {
		panic(err)
	}
	s := acc.Summary()
	c := s.Categories[4]
	fmt.Printf("%s: %d of %d responses rated it; Q %.1f, overall %.1f/100, NPS %.1f\n",
		c.Category, c.Raters, s.Responses, c.Q, c.Overall100.Mean, c.NPS)
	for _, r := range s.Priorities[:3] {
		fmt.Printf("%d. %-17s I=%.2f P=%.2f (n=%d) w=%.3f priority %.3f ± %.3f\n",
			r.RankOverall, r.Indicator, r.Importance.Mean, r.Satisfaction.Mean,
			r.Satisfaction.N, r.Weight, r.Priority.Mean, r.Priority.SE)
	}
	// Output:
	// elderly_products: 3 of 4 responses rated it; Q 51.6, overall 70.0/100, NPS 0.0
	// 1. instructions      I=4.67 P=1.67 (n=3) w=0.163 priority 0.543 ± 0.013
	// 2. advertising_truth I=4.33 P=2.33 (n=3) w=0.151 priority 0.403 ± 0.071
	// 3. ease_of_use       I=4.33 P=3.00 (n=2) w=0.151 priority 0.302 ± 0.020
}
