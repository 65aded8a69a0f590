package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// hostileKey reports whether a document key could be read by MongoDB as an
// operator ($…) or a path (a.b).
func hostileKey(k string) bool { return strings.HasPrefix(k, "$") || strings.Contains(k, ".") }

// storedResponses lists every response of the demo survey, read with
// ScanResponses and no filter, as the dashboard's first pass does.
func storedResponses(t *testing.T, e *env) []*surveys.Response {
	t.Helper()
	var out []*surveys.Response
	err := e.store.ScanResponses(context.Background(), demo.Slug, surveys.Filter{}, func(r *surveys.Response) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHostileOperatorsJSON: MongoDB operators and dotted keys in the JSON
// intake, in answer keys, answer values, the id and the other strings, are
// refused as bad input (400 or 422), never a 500, and never stored.
func TestHostileOperatorsJSON(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	ids := 0
	nextID := func() string {
		ids++
		return "6f708192-a3b4-4c5d-8e6f-7081920304" + string(rune('0'+ids/10)) + string(rune('0'+ids%10))
	}
	// with is the valid answers with one answer replaced by a raw JSON value.
	with := func(key, raw string) string {
		a := validAnswers()
		delete(a, key)
		b := body(nextID(), a)
		return strings.Replace(b, `"answers":{`, `"answers":{"`+key+`":`+raw+`,`, 1)
	}
	tests := []struct {
		name string
		body string
		want []int
	}{
		{"operator object as a choice", with("age_band", `{"$gt": ""}`), []int{422}},
		{"$ne null as the province", with("province", `{"$ne": null}`), []int{422}},
		{"$in as a scale", with("food_overall_sat", `{"$in": [1,2,3,4,5,6,7]}`), []int{422}},
		{"operator inside a multi-choice", with("rate_categories", `[{"$gt": ""}]`), []int{422}},
		{"nested arrays in a multi-choice", with("rate_categories", `[["food"]]`), []int{422}},
		{"array as a single choice", with("age_band", `["60_69", "70_plus"]`), []int{422}},
		{"object as a text", with("problem_text", `{"$where": "sleep(1000)"}`), []int{422}},
		{"$where as an answer key", with("$where", `"1"`), []int{422}},
		{"$set as an answer key", with("$set", `{"answers.province": "11"}`), []int{422}},
		{"dotted answer key", with("a.b", `"x"`), []int{422}},
		{"dotted key naming a real answer", with("answers.age_band", `"60_69"`), []int{422}},
		{"huge number as a scale", with("food_overall_sat", `1e400`), []int{422}},
		{"integer beyond int64 as a scale", with("food_overall_sat", `92233720368547758070`), []int{422}},
		{"negative zero point five as a scale", with("food_overall_sat", `-0.5`), []int{422}},
		{"fraction as a scale", with("food_overall_sat", `7.5`), []int{422}},
		{"NaN as a scale", with("food_overall_sat", `"NaN"`), []int{422}},
		{"Infinity as a scale", with("food_overall_sat", `"Infinity"`), []int{422}},
		{"-Inf as a scale", with("food_overall_sat", `"-Inf"`), []int{422}},
		{"hex as a scale", with("food_overall_sat", `"0x7"`), []int{422}},
		{"bool as a scale", with("food_overall_sat", `true`), []int{422}},
		{"id is an operator object", `{"id": {"$gt": ""}, "answers": {}}`, []int{400}},
		{"id is an array", `{"id": ["6f708192-a3b4-4c5d-8e6f-708192030499"], "answers": {}}`, []int{400}},
		{"id is a number", `{"id": 1e400, "answers": {}}`, []int{400}},
		{"id is a regex-like string", `{"id": "^.*$", "answers": {"consent": "adult_agree"}}`, []int{422}},
		{"answers is an array", `{"id": "6f708192-a3b4-4c5d-8e6f-708192030498", "answers": [{"$gt": ""}]}`, []int{400}},
		{"src is an operator object", strings.Replace(body(nextID(), validAnswers()), `"src":"2026zlm-sq-001"`, `"src":{"$gt":""}`, 1), []int{400}},
		{"venue is an array", strings.Replace(body(nextID(), validAnswers()), `"venue":"township"`, `"venue":["township"]`, 1), []int{400}},
		{"top-level $where", `{"id": "6f708192-a3b4-4c5d-8e6f-708192030497", "answers": {}, "$where": "1"}`, []int{400}},
		{"top-level dotted key", `{"id": "6f708192-a3b4-4c5d-8e6f-708192030496", "answers": {}, "answers.province": "11"}`, []int{400}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			resp, b := e.postJSON(apiPath, tc.body)
			ok := false
			for _, w := range tc.want {
				ok = ok || resp.StatusCode == w
			}
			if !ok {
				t.Errorf("%d, want one of %v; body %s", resp.StatusCode, tc.want, b)
			}
			if !strings.Contains(b, `"error"`) {
				t.Errorf("the refusal has no JSON error: %s", b)
			}
		})
	}
	e.t = t
	if got := storedResponses(t, e); len(got) != 0 {
		t.Errorf("the store holds %d responses after hostile posts, want 0", len(got))
	}
	// A valid response after all of them is stored, with its answers only.
	if resp, b := e.postJSON(apiPath, body(nextID(), validAnswers())); resp.StatusCode != http.StatusCreated {
		t.Fatalf("valid post: %d %s", resp.StatusCode, b)
	}
	got := storedResponses(t, e)
	if len(got) != 1 {
		t.Fatalf("the store holds %d responses, want 1", len(got))
	}
	for k := range got[0].Answers {
		if hostileKey(k) {
			t.Errorf("stored answer key %q", k)
		}
	}
}

// TestHostileOperatorsForm: operator-shaped field names and values in a
// form post (age_band[$gt]=, $where=1, a dotted name, an operator as the
// submission id or the page key) never reach the draft or the store as
// keys, and are answered as a form (303 on, or 422 with the error), never
// a 500.
func TestHostileOperatorsForm(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	a := formAnswers()
	tests := []struct {
		name  string
		extra url.Values
		drop  string // the real field left out
		want  int
	}{
		{"bracketed operator instead of the field", url.Values{"age_band[$gt]": {""}}, "age_band", http.StatusUnprocessableEntity},
		{"bracketed $ne instead of the field", url.Values{"age_band[$ne]": {"x"}}, "age_band", http.StatusUnprocessableEntity},
		{"operator as the value", url.Values{"age_band": {`{"$gt": ""}`}}, "age_band", http.StatusUnprocessableEntity},
		{"$ as the value", url.Values{"age_band": {"$gt"}}, "age_band", http.StatusUnprocessableEntity},
		{"$where as a field", url.Values{"$where": {"1"}}, "", http.StatusSeeOther},
		{"dotted field", url.Values{"answers.province": {"11"}, "a.b": {"x"}}, "", http.StatusSeeOther},
		{"$set as a field", url.Values{"$set[province]": {"11"}}, "", http.StatusSeeOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			w := e.startForm("")
			w.post(a, "next") // the consent page; now on the page asking age_band
			if !strings.Contains(w.page, `name="age_band"`) {
				t.Fatalf("the second page does not ask age_band")
			}
			v := hiddenValues(t, w.page)
			sid := v.Get("_sid")
			for _, q := range questionsOn(w.page) {
				if q != tc.drop && a[q] != nil {
					v[q] = a[q]
				}
			}
			for k, vs := range tc.extra {
				v[k] = vs
			}
			v.Set("_nav", "next")
			resp, page := e.postForm("/s/"+demo.Slug, v)
			if resp.StatusCode != tc.want {
				t.Errorf("%d, want %d:\n%s", resp.StatusCode, tc.want, page)
			}
			dr, err := e.store.(surveys.DraftStore).Draft(context.Background(), demo.Slug, sid, time.Now())
			if err != nil {
				t.Fatalf("the draft: %v", err)
			}
			for k, vs := range dr.Values {
				if hostileKey(k) {
					t.Errorf("draft key %q", k)
				}
				// A bracketed name is another field: it must not fill
				// age_band. An operator-shaped value is kept as the plain
				// string it is, to show it back beside the error.
				if _, sent := tc.extra["age_band"]; k == "age_band" && tc.drop == "age_band" && !sent {
					t.Errorf("the draft holds age_band = %q from a bracketed name", vs)
				}
			}
		})
	}

	// The hidden fields themselves: an operator as the submission id or
	// page key is a tampered form, not an error.
	e.t = t
	for _, v := range []url.Values{
		{"_sid[$gt]": {""}, "_page": {"x"}, "consent": {"adult_agree"}, "_nav": {"next"}},
		{"_sid": {`{"$gt": ""}`}, "_page[$ne]": {"x"}, "_nav": {"next"}},
		{"_sid": {"$where"}, "_page": {"$where"}, "_nav": {"submit"}},
	} {
		resp, _ := e.postForm("/s/"+demo.Slug, v)
		if resp.StatusCode >= 500 {
			t.Errorf("tampered hidden fields %v: %d", v, resp.StatusCode)
		}
	}
	if got := storedResponses(t, e); len(got) != 0 {
		t.Errorf("the store holds %d responses after hostile form posts, want 0", len(got))
	}
}
