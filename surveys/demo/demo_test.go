package demo_test

import (
	"bytes"
	"testing"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// oracleColumns are the answer columns of the oracle's CSV exchange format:
// the header of ../shared/oracle/gen_survey.py output (README §3) without
// response_code, src, venue (hidden fields) and design_wt (a weight).
var oracleColumns = []string{
	"filled_by", "age_band", "gender", "region_type",
	"province", "household", "status", "rate_categories",
	"food_imp_safety", "food_imp_freshness", "food_imp_labeling", "food_imp_authenticity",
	"food_imp_taste_quality", "food_imp_price_value", "food_imp_traceability", "food_sat_safety",
	"food_sat_freshness", "food_sat_labeling", "food_sat_authenticity", "food_sat_taste_quality",
	"food_sat_price_value", "food_sat_traceability", "food_qr_traceability_func", "food_qr_traceability_dysf",
	"food_overall_sat", "food_recommend", "drugs_imp_efficacy", "drugs_imp_safety",
	"drugs_imp_instructions", "drugs_imp_labeling", "drugs_imp_authenticity", "drugs_imp_price_value",
	"drugs_imp_access", "drugs_sat_efficacy", "drugs_sat_safety", "drugs_sat_instructions",
	"drugs_sat_labeling", "drugs_sat_authenticity", "drugs_sat_price_value", "drugs_sat_access",
	"drugs_overall_sat", "drugs_recommend", "infant_products_imp_safety", "infant_products_imp_reliability",
	"infant_products_imp_labeling", "infant_products_imp_authenticity", "infant_products_imp_comfort", "infant_products_imp_price_value",
	"infant_products_imp_after_sales", "infant_products_sat_safety", "infant_products_sat_reliability", "infant_products_sat_labeling",
	"infant_products_sat_authenticity", "infant_products_sat_comfort", "infant_products_sat_price_value", "infant_products_sat_after_sales",
	"infant_products_overall_sat", "infant_products_recommend", "child_student_products_imp_safety", "child_student_products_imp_labeling",
	"child_student_products_imp_reliability", "child_student_products_imp_comfort", "child_student_products_imp_authenticity", "child_student_products_imp_price_value",
	"child_student_products_imp_advertising_truth", "child_student_products_sat_safety", "child_student_products_sat_labeling", "child_student_products_sat_reliability",
	"child_student_products_sat_comfort", "child_student_products_sat_authenticity", "child_student_products_sat_price_value", "child_student_products_sat_advertising_truth",
	"child_student_products_overall_sat", "child_student_products_recommend", "elderly_products_imp_safety", "elderly_products_imp_ease_of_use",
	"elderly_products_imp_instructions", "elderly_products_imp_advertising_truth", "elderly_products_imp_reliability", "elderly_products_imp_price_value",
	"elderly_products_imp_after_sales", "elderly_products_sat_safety", "elderly_products_sat_ease_of_use", "elderly_products_sat_instructions",
	"elderly_products_sat_advertising_truth", "elderly_products_sat_reliability", "elderly_products_sat_price_value", "elderly_products_sat_after_sales",
	"elderly_large_print_voice_instructions_func", "elderly_large_print_voice_instructions_dysf", "elderly_products_overall_sat", "elderly_products_recommend",
	"home_appliances_imp_safety", "home_appliances_imp_reliability", "home_appliances_imp_performance", "home_appliances_imp_energy_efficiency",
	"home_appliances_imp_noise", "home_appliances_imp_ease_of_use", "home_appliances_imp_after_sales", "home_appliances_sat_safety",
	"home_appliances_sat_reliability", "home_appliances_sat_performance", "home_appliances_sat_energy_efficiency", "home_appliances_sat_noise",
	"home_appliances_sat_ease_of_use", "home_appliances_sat_after_sales", "home_appliances_overall_sat", "home_appliances_recommend",
	"online_shopping_imp_description_match", "online_shopping_imp_authenticity", "online_shopping_imp_delivery", "online_shopping_imp_returns",
	"online_shopping_imp_customer_service", "online_shopping_imp_price_honesty", "online_shopping_imp_privacy", "online_shopping_sat_description_match",
	"online_shopping_sat_authenticity", "online_shopping_sat_delivery", "online_shopping_sat_returns", "online_shopping_sat_customer_service",
	"online_shopping_sat_price_honesty", "online_shopping_sat_privacy", "online_shopping_overall_sat", "online_shopping_recommend",
	"had_problem", "complaint_text"}

func TestSource(t *testing.T) {
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		t.Fatalf("Parse(demo.Source()): %v", err)
	}
	if d.Slug != demo.Slug {
		t.Errorf("slug = %q, want %q", d.Slug, demo.Slug)
	}
	if d.Version != 1 || d.MaxCategories != 2 {
		t.Errorf("version, max categories = %d, %d; want 1, 2", d.Version, d.MaxCategories)
	}
	if len(d.Indicators) != 24 {
		t.Errorf("indicator pool has %d entries, want 24", len(d.Indicators))
	}
	if len(d.Categories) != 7 {
		t.Fatalf("got %d categories, want 7", len(d.Categories))
	}
	for _, c := range d.Categories {
		if len(c.Indicators) != 7 {
			t.Errorf("category %s has %d indicators, want 7", c.Code, len(c.Indicators))
		}
		for _, ind := range c.Indicators {
			if l := d.IndicatorLabel(c, ind); l["zh-CN"] == "" || l["en"] == "" {
				t.Errorf("%s/%s: label %v lacks a language", c.Code, ind.Code, l)
			}
		}
	}
}

func TestOracleColumns(t *testing.T) {
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		t.Fatal(err)
	}
	if len(oracleColumns) != 126 {
		t.Fatalf("oracle list has %d columns, want 126 (130 minus 4)", len(oracleColumns))
	}
	for _, id := range oracleColumns {
		if d.Field(id) == nil {
			t.Errorf("no field for oracle column %q", id)
		}
	}
}

func TestSourceIsACopy(t *testing.T) {
	a := demo.Source()
	a[0] = '!'
	if b := demo.Source(); bytes.Equal(a, b) {
		t.Error("Source returned the embedded slice itself; a caller changed it")
	}
}
