package surveys_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
)

// FuzzParseAnswers feeds the answer binder and validator raw values built
// from a form-encoded string (one value as a string, several as []string;
// lists forces []string) and a JSON object (decoded with UseNumber, as the
// API does), against the demo questionnaire. Neither ParseAnswers nor
// ParseRecorded may panic; what they accept must answer questions of the
// survey only and be a fixed point: parsing the normalised answers again
// gives the same answers and the same Digest. ParseRecorded accepts what
// ParseAnswers accepts, with the same answers.
func FuzzParseAnswers(f *testing.F) {
	d := demoDefinition(f)
	valid := "consent=adult_agree&age_band=60_69&filled_by=self&rate_categories=food" +
		"&food_overall_sat=7&food_recommend=9&overall_local_sat=6&trend_vs_last_year=same" +
		"&improve_first=food_safety&improve_first=price_opaque&had_problem=no&household=elder_60_plus" +
		"&status=retired&region_type=rural_village&province=41" +
		"&food_imp_safety=5&food_imp_freshness=4&food_imp_labeling=3&food_imp_authenticity=5" +
		"&food_imp_taste_quality=4&food_imp_price_value=3&food_imp_traceability=5" +
		"&food_sat_safety=2&food_sat_freshness=3&food_sat_labeling=4&food_sat_authenticity=2" +
		"&food_sat_taste_quality=3&food_sat_price_value=4&food_sat_traceability=na"
	f.Add(valid, []byte(nil), false)
	f.Add(valid, []byte(nil), true)
	f.Add(valid+"&had_problem=yes&problem_text=%E6%89%8B%E6%9C%BA13812345678", []byte(nil), false)
	f.Add("consent=decline", []byte(nil), false)
	f.Add("consent=adult_agree&rate_categories=food;drugs;toys", []byte(nil), false)
	f.Add("consent=adult_agree&rate_categories=food&food_overall_sat=1e1&food_imp_safety=+5", []byte(nil), false)
	f.Add("nope=1&%zz", []byte(nil), false)
	f.Add("", []byte(`{"consent":"adult_agree","rate_categories":["food","drugs"],"food_overall_sat":7.0,"drugs_overall_sat":1e400}`), false)
	f.Add("", []byte(`{"consent":["adult_agree"],"rate_categories":"food","food_overall_sat":[[7]],"age_band":null,"x":{}}`), false)
	f.Add(valid, []byte(`{"food_sat_safety":-0,"food_imp_safety":true}`), false)
	f.Fuzz(func(t *testing.T, form string, js []byte, lists bool) {
		raw := rawAnswers(form, js, lists)
		var first surveys.Answers
		for _, p := range []struct {
			name  string
			parse func(*surveys.Definition, map[string]any) (surveys.Answers, error)
		}{{"ParseAnswers", surveys.ParseAnswers}, {"ParseRecorded", surveys.ParseRecorded}} {
			a, err := p.parse(d, raw)
			if p.name == "ParseAnswers" {
				first = a
			} else if first != nil && err != nil {
				t.Fatalf("ParseRecorded refuses what ParseAnswers accepts: %v", err)
			} else if diff := cmp.Diff(first, a); first != nil && diff != "" {
				t.Fatalf("ParseRecorded and ParseAnswers disagree (-ParseAnswers +ParseRecorded):\n%s", diff)
			}
			if err != nil {
				var fes surveys.FieldErrors
				if !errors.Is(err, surveys.ErrDeclined) && !(errors.As(err, &fes) && len(fes) > 0) {
					t.Fatalf("%s error %v (%T) is neither ErrDeclined nor FieldErrors", p.name, err, err)
				}
				continue
			}
			for k := range a {
				if d.Field(k) == nil {
					t.Fatalf("%s answers %q, not a question of the survey", p.name, k)
				}
			}
			again, err := p.parse(d, map[string]any(a))
			if err != nil {
				t.Fatalf("%s refuses its own normalised answers %v: %v", p.name, a, err)
			}
			if diff := cmp.Diff(a, again); diff != "" {
				t.Fatalf("%s is not idempotent (-first +again):\n%s", p.name, diff)
			}
			if d1, d2 := surveys.Digest(d.Slug, a, "", ""), surveys.Digest(d.Slug, again, "", ""); d1 != d2 {
				t.Fatalf("%s: digest changed on re-parsing: %s, then %s", p.name, d1, d2)
			}
		}
	})
}

// rawAnswers builds submitted values as the form and the API hand them to
// the binder.
func rawAnswers(form string, js []byte, lists bool) map[string]any {
	raw := map[string]any{}
	vals, _ := url.ParseQuery(form) // keeps what parsed before an error
	for k, vs := range vals {
		if len(vs) == 1 && !lists {
			raw[k] = vs[0]
		} else {
			raw[k] = vs
		}
	}
	if len(js) > 0 {
		var obj map[string]any
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.UseNumber()
		if dec.Decode(&obj) == nil {
			for k, v := range obj {
				raw[k] = v
			}
		}
	}
	return raw
}
