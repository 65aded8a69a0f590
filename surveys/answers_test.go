package surveys_test

import (
	"encoding/json"
	"errors"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

func demoDefinition(t testing.TB) *surveys.Definition {
	t.Helper()
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		t.Fatalf("Parse(demo.Source()): %v", err)
	}
	return d
}

// foodIndicators are the indicators of the demo's food category.
var foodIndicators = []string{"safety", "freshness", "labeling", "authenticity", "taste_quality", "price_value", "traceability"}

// formSubmission is a complete answer set for the demo survey, rating food
// only, as an HTML form sends it: every value a string.
func formSubmission() map[string]any {
	raw := map[string]any{
		"consent":            "adult_agree",
		"age_band":           "60_69",
		"filled_by":          "with_family",
		"rate_categories":    []string{"food"},
		"food_overall_sat":   "8",
		"food_recommend":     "10",
		"overall_local_sat":  "7",
		"trend_vs_last_year": "better",
		"improve_first":      []string{"food_safety", "complaint_hard"},
		"had_problem":        "no",
		"household":          []string{"infant_0_3", "elder_60_plus"},
		"status":             "retired",
		"region_type":        "rural_village",
		"province":           "44",
	}
	for i, ind := range foodIndicators {
		raw["food_imp_"+ind] = []string{"5", "4", "3", "5", "2", "4", "1"}[i]
		raw["food_sat_"+ind] = []string{"4", "na", "3", "2", "5", "1", "3"}[i]
	}
	return raw
}

// wantAnswers is formSubmission normalised.
func wantAnswers() surveys.Answers {
	want := surveys.Answers{
		"consent":            "adult_agree",
		"age_band":           "60_69",
		"filled_by":          "with_family",
		"rate_categories":    []string{"food"},
		"food_overall_sat":   8,
		"food_recommend":     10,
		"overall_local_sat":  7,
		"trend_vs_last_year": "better",
		"improve_first":      []string{"food_safety", "complaint_hard"},
		"had_problem":        "no",
		"household":          []string{"infant_0_3", "elder_60_plus"},
		"status":             "retired",
		"region_type":        "rural_village",
		"province":           "44",
	}
	for i, ind := range foodIndicators {
		want["food_imp_"+ind] = []int{5, 4, 3, 5, 2, 4, 1}[i]
		want["food_sat_"+ind] = []any{4, "na", 3, 2, 5, 1, 3}[i]
	}
	return want
}

// jsonSubmission is formSubmission as the JSON intake decodes it: numbers
// are float64 and lists are []any.
func jsonSubmission(t *testing.T) map[string]any {
	t.Helper()
	raw := formSubmission()
	for k, v := range raw {
		if s, ok := v.(string); ok && s != "na" && regexp.MustCompile(`^\d+$`).MatchString(s) && k != "province" {
			raw[k] = json.Number(s)
		}
	}
	b, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if _, ok := out["food_overall_sat"].(float64); !ok {
		t.Fatalf("food_overall_sat decoded as %T, want float64", out["food_overall_sat"])
	}
	return out
}

func TestParseAnswersValid(t *testing.T) {
	d := demoDefinition(t)
	tests := []struct {
		name string
		raw  func(t *testing.T) map[string]any
		want func() surveys.Answers
	}{
		{"form strings", func(*testing.T) map[string]any { return formSubmission() }, wantAnswers},
		{"JSON numbers and lists", jsonSubmission, wantAnswers},
		{"url.Values style one-element lists", func(*testing.T) map[string]any {
			raw := formSubmission()
			for k, v := range raw {
				if s, ok := v.(string); ok {
					raw[k] = []string{s}
				}
			}
			return raw
		}, wantAnswers},
		{"ints", func(*testing.T) map[string]any {
			raw := formSubmission()
			raw["food_overall_sat"], raw["food_imp_safety"] = 8, 5
			return raw
		}, wantAnswers},
		{"';'-joined multi-choice", func(*testing.T) map[string]any {
			raw := formSubmission()
			raw["household"] = "infant_0_3;elder_60_plus"
			raw["improve_first"] = "food_safety; complaint_hard"
			return raw
		}, wantAnswers},
		{"blank optional answers are absent", func(*testing.T) map[string]any {
			raw := formSubmission()
			raw["gender"], raw["complaint_text"], raw["food_channel"] = "", "  ", []string{}
			return raw
		}, wantAnswers},
		{"optional answers and the Kano pair are kept", func(*testing.T) map[string]any {
			raw := formSubmission()
			raw["gender"] = "female"
			raw["food_channel"] = []any{"supermarket", "wet_market"}
			raw["food_qr_traceability_func"] = "like"
			raw["food_qr_traceability_dysf"] = "dislike"
			return raw
		}, func() surveys.Answers {
			a := wantAnswers()
			a["gender"] = "female"
			a["food_channel"] = []string{"supermarket", "wet_market"}
			a["food_qr_traceability_func"] = "like"
			a["food_qr_traceability_dysf"] = "dislike"
			return a
		}},
		{"answers to an unselected category are dropped", func(*testing.T) map[string]any {
			raw := formSubmission()
			raw["drugs_imp_safety"], raw["drugs_overall_sat"] = "5", "3"
			return raw
		}, wantAnswers},
		{"follow-ups of had_problem=no are dropped", func(*testing.T) map[string]any {
			raw := formSubmission()
			raw["problem_types"] = []string{"quality"}
			raw["actions_taken"] = []string{"seller"}
			return raw
		}, wantAnswers},
		{"follow-ups of had_problem=yes are kept", func(*testing.T) map[string]any {
			raw := formSubmission()
			raw["had_problem"] = "yes"
			raw["problem_types"] = []string{"quality", "price"}
			raw["actions_taken"] = []string{"none"}
			raw["why_not_complain"] = []string{"small_loss"}
			raw["complaint_resolution_sat"] = "4" // only asked after a complaint
			return raw
		}, func() surveys.Answers {
			a := wantAnswers()
			a["had_problem"] = "yes"
			a["problem_types"] = []string{"quality", "price"}
			a["actions_taken"] = []string{"none"}
			a["why_not_complain"] = []string{"small_loss"}
			return a
		}},
		{"two categories", func(*testing.T) map[string]any {
			raw := formSubmission()
			raw["rate_categories"] = []string{"food", "online_shopping"}
			for _, ind := range []string{"description_match", "authenticity", "delivery", "returns", "customer_service", "price_honesty", "privacy"} {
				raw["online_shopping_imp_"+ind] = "4"
				raw["online_shopping_sat_"+ind] = "na"
			}
			raw["online_shopping_overall_sat"], raw["online_shopping_recommend"] = "0", "6"
			return raw
		}, func() surveys.Answers {
			a := wantAnswers()
			a["rate_categories"] = []string{"food", "online_shopping"}
			for _, ind := range []string{"description_match", "authenticity", "delivery", "returns", "customer_service", "price_honesty", "privacy"} {
				a["online_shopping_imp_"+ind] = 4
				a["online_shopping_sat_"+ind] = "na"
			}
			a["online_shopping_overall_sat"], a["online_shopping_recommend"] = 0, 6
			return a
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := surveys.ParseAnswers(d, tc.raw(t))
			if err != nil {
				t.Fatalf("ParseAnswers: %v", err)
			}
			if diff := cmp.Diff(tc.want(), got); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAnswersInvalid(t *testing.T) {
	d := demoDefinition(t)
	tests := []struct {
		name   string
		change func(raw map[string]any)
		want   []surveys.FieldError // each must be among the errors
	}{
		{"missing required matrix row", func(raw map[string]any) { delete(raw, "food_sat_freshness") },
			[]surveys.FieldError{{Field: "food_sat_freshness", Key: surveys.KeyRequired}}},
		{"missing required respondent question", func(raw map[string]any) { raw["province"] = "" },
			[]surveys.FieldError{{Field: "province", Key: surveys.KeyRequired}}},
		{"no category chosen", func(raw map[string]any) { delete(raw, "rate_categories") },
			[]surveys.FieldError{{Field: "rate_categories", Key: surveys.KeyRequired}}},
		{"importance out of range", func(raw map[string]any) { raw["food_imp_safety"] = "6" },
			[]surveys.FieldError{{Field: "food_imp_safety", Key: surveys.KeyOutOfRange, Args: []any{1, 5}}}},
		{"0-10 out of range", func(raw map[string]any) { raw["food_recommend"] = float64(11) },
			[]surveys.FieldError{{Field: "food_recommend", Key: surveys.KeyOutOfRange, Args: []any{0, 10}}}},
		{"na on importance", func(raw map[string]any) { raw["food_imp_freshness"] = "na" },
			[]surveys.FieldError{{Field: "food_imp_freshness", Key: surveys.KeyNotAnOption, Args: []any{"na"}}}},
		{"not a number", func(raw map[string]any) { raw["overall_local_sat"] = "seven" },
			[]surveys.FieldError{{Field: "overall_local_sat", Key: surveys.KeyNotANumber}}},
		{"fractional number", func(raw map[string]any) { raw["overall_local_sat"] = 7.5 },
			[]surveys.FieldError{{Field: "overall_local_sat", Key: surveys.KeyNotANumber}}},
		{"not an option", func(raw map[string]any) { raw["province"] = "99" },
			[]surveys.FieldError{{Field: "province", Key: surveys.KeyNotAnOption, Args: []any{"99"}}}},
		{"wrong type", func(raw map[string]any) { raw["age_band"] = []any{"18_29", "30_39"} },
			[]surveys.FieldError{{Field: "age_band", Key: surveys.KeyWrongType}}},
		{"under 14 without guardian consent (PIPL Art. 31)", func(raw map[string]any) { raw["age_band"] = "under_14" },
			[]surveys.FieldError{{Field: "age_band", Key: surveys.KeyNeedsGuardian}}},
		{"three categories", func(raw map[string]any) { raw["rate_categories"] = []string{"food", "drugs", "home_appliances"} },
			[]surveys.FieldError{{Field: "rate_categories", Key: surveys.KeyTooMany, Args: []any{2}}}},
		{"four things to improve first", func(raw map[string]any) {
			raw["improve_first"] = []string{"food_safety", "complaint_hard", "price_opaque", "other"}
		}, []surveys.FieldError{{Field: "improve_first", Key: surveys.KeyTooMany, Args: []any{3}}}},
		{"unknown question", func(raw map[string]any) { raw["favourite_colour"] = "blue" },
			[]surveys.FieldError{{Field: "favourite_colour", Key: surveys.KeyUnknown}}},
		{"exclusive none with another member", func(raw map[string]any) { raw["household"] = []string{"none", "infant_0_3"} },
			[]surveys.FieldError{{Field: "household", Key: surveys.KeyExclusive}}},
		{"text too long", func(raw map[string]any) { raw["complaint_text"] = strings.Repeat("质", 501) },
			[]surveys.FieldError{{Field: "complaint_text", Key: surveys.KeyTooLong, Args: []any{500}}}},
		{"follow-ups required when shown", func(raw map[string]any) { raw["had_problem"] = "yes" },
			[]surveys.FieldError{
				{Field: "problem_types", Key: surveys.KeyRequired},
				{Field: "actions_taken", Key: surveys.KeyRequired},
			}},
		{"every error at once", func(raw map[string]any) {
			raw["food_imp_safety"], raw["status"], raw["oops"] = "0", "astronaut", "1"
		}, []surveys.FieldError{
			{Field: "oops", Key: surveys.KeyUnknown},
			{Field: "food_imp_safety", Key: surveys.KeyOutOfRange, Args: []any{1, 5}},
			{Field: "status", Key: surveys.KeyNotAnOption, Args: []any{"astronaut"}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := formSubmission()
			tc.change(raw)
			got, err := surveys.ParseAnswers(d, raw)
			if got != nil {
				t.Errorf("answers = %v, want nil on error", got)
			}
			if !errors.Is(err, surveys.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			var fe surveys.FieldErrors
			if !errors.As(err, &fe) {
				t.Fatalf("err %T is not FieldErrors", err)
			}
			for _, w := range tc.want {
				if !containsError(fe, w) {
					t.Errorf("missing %v in %v", w, fe)
				}
			}
		})
	}
}

func containsError(fe surveys.FieldErrors, want surveys.FieldError) bool {
	for _, e := range fe {
		if cmp.Equal(e, want) {
			return true
		}
	}
	return false
}

func TestParseAnswersDeclined(t *testing.T) {
	d := demoDefinition(t)
	raw := formSubmission()
	raw["consent"] = "decline"
	raw["unknown_thing"] = "x" // nothing else matters once consent is declined
	got, err := surveys.ParseAnswers(d, raw)
	if !errors.Is(err, surveys.ErrDeclined) || got != nil {
		t.Fatalf("ParseAnswers = %v, %v; want nil, ErrDeclined", got, err)
	}
	if errors.Is(err, surveys.ErrInvalid) {
		t.Errorf("a declined consent is not invalid input: %v", err)
	}
}

func TestParseAnswersScrubsPersonalData(t *testing.T) {
	d := demoDefinition(t)
	tests := []struct{ in, want string }{
		{"买的奶粉结块了，电话13812345678，身份证号110101199003071234，请联系",
			"买的奶粉结块了，电话" + surveys.Redacted + "，身份证号" + surveys.Redacted + "，请联系"},
		{"ID 11010119900307123X and +86 139-1234-5678.",
			"ID " + surveys.Redacted + " and " + surveys.Redacted + "."},
		{"座机010-12345678", "座机" + surveys.Redacted},
		{"买了3袋，共500克，价格12元", "买了3袋，共500克，价格12元"},
	}
	for _, tc := range tests {
		raw := formSubmission()
		raw["complaint_text"] = tc.in
		got, err := surveys.ParseAnswers(d, raw)
		if err != nil {
			t.Fatalf("ParseAnswers(%q): %v", tc.in, err)
		}
		if s := got.Code("complaint_text"); s != tc.want {
			t.Errorf("complaint_text %q stored as %q, want %q", tc.in, s, tc.want)
		}
	}
}

func TestDigest(t *testing.T) {
	d := demoDefinition(t)
	form, err := surveys.ParseAnswers(d, formSubmission())
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := surveys.ParseAnswers(d, jsonSubmission(t))
	if err != nil {
		t.Fatal(err)
	}
	base := surveys.Digest(demo.Slug, form, "2018zly-sq-001", "community")
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(base) {
		t.Errorf("Digest = %q, want 64 hex digits", base)
	}
	if got := surveys.Digest(demo.Slug, fromJSON, "2018zly-sq-001", "community"); got != base {
		t.Errorf("the same answers sent as JSON give digest %s, want %s", got, base)
	}
	changed := maps.Clone(form)
	changed["food_imp_safety"] = 4
	for name, got := range map[string]string{
		"changed answer": surveys.Digest(demo.Slug, changed, "2018zly-sq-001", "community"),
		"other src":      surveys.Digest(demo.Slug, form, "2018zly-sq-002", "community"),
		"other venue":    surveys.Digest(demo.Slug, form, "2018zly-sq-001", "school"),
		"other survey":   surveys.Digest("other", form, "2018zly-sq-001", "community"),
	} {
		if got == base {
			t.Errorf("%s: digest unchanged", name)
		}
	}
}

func TestNewResponseCode(t *testing.T) {
	re := regexp.MustCompile(`^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$`)
	seen := map[string]bool{}
	for range 1000 {
		c := surveys.NewResponseCode()
		if !re.MatchString(c) {
			t.Fatalf("NewResponseCode() = %q, want like K7Q2-9XHD without 0, 1, I, L, O, U", c)
		}
		if seen[c] {
			t.Fatalf("NewResponseCode repeated %q within 1000 calls", c)
		}
		seen[c] = true
	}
}

func TestSubmissionID(t *testing.T) {
	id := surveys.NewSubmissionID()
	if !surveys.ValidSubmissionID(id) {
		t.Errorf("ValidSubmissionID(NewSubmissionID() = %q) = false", id)
	}
	if id[14] != '4' {
		t.Errorf("NewSubmissionID() = %q, want a version 4 UUID", id)
	}
	for _, bad := range []string{"", "not-a-uuid", id + "0", strings.ReplaceAll(id, "-", "")} {
		if surveys.ValidSubmissionID(bad) {
			t.Errorf("ValidSubmissionID(%q) = true", bad)
		}
	}
}

func TestParseAnswersGuardianConsent(t *testing.T) {
	d := demoDefinition(t)
	raw := formSubmission()
	raw["age_band"] = "under_14"
	raw["consent"] = "guardian_agree"
	if _, err := surveys.ParseAnswers(d, raw); err != nil {
		t.Errorf("under 14 with guardian consent: %v", err)
	}
}

// A multi-choice in another order is the same answer, with the same digest,
// so a client retry that reorders a list is "already received", not 409.
func TestParseAnswersMultiOrder(t *testing.T) {
	d := demoDefinition(t)
	a, b := formSubmission(), formSubmission()
	a["improve_first"] = []string{"food_safety", "price_opaque"}
	b["improve_first"] = []string{"price_opaque", "food_safety"}
	ga, err := surveys.ParseAnswers(d, a)
	if err != nil {
		t.Fatal(err)
	}
	gb, err := surveys.ParseAnswers(d, b)
	if err != nil {
		t.Fatal(err)
	}
	if surveys.Digest(d.Slug, ga, "", "") != surveys.Digest(d.Slug, gb, "", "") {
		t.Errorf("digests differ: %v vs %v", ga["improve_first"], gb["improve_first"])
	}
}

// show_if may test a rating's value: the follow-up is kept when it applies.
func TestParseAnswersShowIfOnRating(t *testing.T) {
	src := strings.Replace(string(demo.Source()), "      - id: had_problem\n", `      - id: rating_followup
        type: text
        max_length: 100
        label: {zh-CN: "为什么打低分？", en: "Why a low score?"}
        show_if: {question: overall_local_sat, in: ["0", "1", "2"]}
      - id: had_problem
`, 1)
	d, err := surveys.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	raw := formSubmission()
	raw["overall_local_sat"] = "1"
	raw["rating_followup"] = "太差"
	got, err := surveys.ParseAnswers(d, raw)
	if err != nil {
		t.Fatal(err)
	}
	if got["rating_followup"] != "太差" {
		t.Errorf("follow-up of a low rating was dropped: %v", got["rating_followup"])
	}
	raw["overall_local_sat"] = "9"
	got, _ = surveys.ParseAnswers(d, raw)
	if _, ok := got["rating_followup"]; ok {
		t.Errorf("follow-up kept although the rating is 9")
	}
}

func TestScrubFullWidthDigits(t *testing.T) {
	if got := surveys.ScrubPersonalData("电话１３８１２３４５６７８"); strings.Contains(got, "8") || !strings.Contains(got, surveys.Redacted) {
		t.Errorf("full-width phone number not scrubbed: %q", got)
	}
}
