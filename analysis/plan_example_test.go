package analysis_test

import (
	"fmt"
	"strings"

	"github.com/qvoice/qvoice/analysis"
)

// Plan a county survey of older people and everyone else in the county
// town and the villages, to ±5 percentage points at 95% confidence, with a
// design effect of 1.5 and 80% of invitations completed.
//
// By hand: n0 = 1.96²·0.25/0.05² = 384.1 and n0·deff = 576.2 in every
// stratum; in the town's 2,000 older people the correction gives
// 576.2/(1 + 575.2/2000) = 447.5 → 448 responses and 448/0.8 = 560
// invitations. The villages' elderly stratum has its own e = 0.08.
func ExamplePlanSample() {
	const strataCSV = `key_group,region_type,population,moe
age_60plus,county_town,2000,
age_60plus,rural_village,900,0.08
general,county_town,30000,
general,rural_village,12000,
`
	strata, err := analysis.ReadStrata(strings.NewReader(strataCSV))
	if err != nil {
		panic(err)
	}
	spec := analysis.PlanSpec{MOE: 0.05, Confidence: 0.95, Deff: 1.5, ResponseRate: 0.8}
	res, err := analysis.PlanSample(strata, spec)
	if err != nil {
		panic(err)
	}
	for _, s := range res.Strata {
		fmt.Printf("%-10s %-13s N=%-5.0f e=%.2f n0=%.1f n=%d invite %d\n",
			s.KeyGroup, s.RegionType, s.Population, s.TargetMOE, s.N0, s.N, s.Invited)
	}
	for _, lang := range []string{"en", "zh-CN"} {
		text, err := res.Explain(lang)
		if err != nil {
			panic(err)
		}
		fmt.Print(text)
	}
	// Output:
	// age_60plus county_town   N=2000  e=0.05 n0=384.1 n=448 invite 560
	// age_60plus rural_village N=900   e=0.08 n0=150.1 n=181 invite 227
	// general    county_town   N=30000 e=0.05 n0=384.1 n=566 invite 708
	// general    rural_village N=12000 e=0.05 n0=384.1 n=550 invite 688
	// Sample size per stratum for a proportion (Cochran 1977, ch. 4), 95% confidence, z = Φ⁻¹(0.975) = 1.96:
	//   n0 = z²·p(1−p)/e² = 1.96²×0.5×0.5/0.05² = 384.1; × design effect 1.5 = 576.2
	//   finite population correction where N is known: n = n0·deff/(1 + (n0·deff − 1)/N), rounded up; invitations = n/0.8 (response rate), rounded up
	//   (own margin of error e in 1 of the strata)
	//   4 strata: 1745 complete responses, 2183 invitations; whole-population margin of error ±0.036 (stratified estimate)
	// 每层样本量（比例估计；Cochran 1977，第4章），置信水平95%，z = Φ⁻¹(0.975) = 1.96：
	//   n0 = z²·p(1−p)/e² = 1.96²×0.5×0.5/0.05² = 384.1；乘以设计效应1.5得576.2
	//   已知总体规模N时作有限总体校正：n = n0·deff/(1 + (n0·deff − 1)/N)，向上取整；发放数 = n/0.8（预期应答率），向上取整
	//   （其中1层使用各自的误差范围e）
	//   共4层：需完成1745份，发放2183份；全体总体估计（分层）的误差范围为±0.036
}
