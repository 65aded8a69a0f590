package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// validAnswers is a complete demo response rating food only.
func validAnswers() map[string]any {
	a := map[string]any{
		"consent": "adult_agree", "age_band": "60_69", "filled_by": "self",
		"rate_categories":  []string{"food"},
		"food_overall_sat": 7, "food_recommend": 9,
		"overall_local_sat": 6, "trend_vs_last_year": "same", "improve_first": []string{"food_safety", "price_opaque"},
		"had_problem": "no", "household": []string{"elder_60_plus"}, "status": "retired",
		"region_type": "rural_village", "province": "41",
	}
	for i, ind := range []string{"safety", "freshness", "labeling", "authenticity", "taste_quality", "price_value", "traceability"} {
		a["food_imp_"+ind] = 5 - i%3
		a["food_sat_"+ind] = 2 + i%3
	}
	a["food_sat_traceability"] = "na"
	return a
}

func body(id string, answers map[string]any) string {
	b, err := json.Marshal(map[string]any{"id": id, "answers": answers, "src": "2026zlm-sq-001", "venue": "township"})
	if err != nil {
		panic(err)
	}
	return string(b)
}

const apiPath = "/api/v1/surveys/" + demo.Slug + "/responses"

func TestAPISubmit(t *testing.T) {
	e := newEnv(t)
	id := "8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a01"
	changed := validAnswers()
	changed["food_sat_safety"] = 1
	invalid := validAnswers()
	invalid["food_imp_safety"] = 6
	delete(invalid, "age_band")
	declined := validAnswers()
	declined["consent"] = "decline"

	var firstCode string
	tests := []struct {
		name       string
		path, body string
		wantStatus int
		check      func(t *testing.T, got map[string]any)
	}{
		{"new response", apiPath, body(id, validAnswers()), http.StatusCreated, func(t *testing.T, got map[string]any) {
			firstCode, _ = got["code"].(string)
			if got["status"] != "stored" || firstCode == "" {
				t.Errorf("got %v, want status stored and a code", got)
			}
		}},
		{"same id, same body", apiPath, body(id, validAnswers()), http.StatusOK, func(t *testing.T, got map[string]any) {
			if got["status"] != "already_received" || got["code"] != firstCode {
				t.Errorf("got %v, want already_received with code %s", got, firstCode)
			}
		}},
		{"same id, different body", apiPath, body(id, changed), http.StatusConflict, nil},
		{"invalid answers", apiPath, body("8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a02", invalid), http.StatusUnprocessableEntity,
			func(t *testing.T, got map[string]any) {
				var fields []string
				for _, f := range got["fields"].([]any) {
					fm := f.(map[string]any)
					fields = append(fields, fm["field"].(string)+":"+fm["code"].(string))
					if fm["message"] == "" {
						t.Errorf("field error %v has no message", fm)
					}
				}
				want := []string{"age_band:required", "food_imp_safety:out_of_range"}
				if diff := cmp.Diff(want, fields); diff != "" {
					t.Errorf("field errors (-want +got):\n%s", diff)
				}
			}},
		{"declined consent", apiPath, body("8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a03", declined), http.StatusUnprocessableEntity, nil},
		{"bad id", apiPath, body("not-a-uuid", validAnswers()), http.StatusUnprocessableEntity, nil},
		{"missing id", apiPath, `{"answers": {}}`, http.StatusBadRequest, nil},
		{"malformed JSON", apiPath, `{"id": `, http.StatusBadRequest, nil},
		{"unknown top-level field", apiPath, `{"id": "8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a04", "answers": {}, "x": 1}`, http.StatusBadRequest, nil},
		{"unknown survey", "/api/v1/surveys/no-such-survey/responses", body(id, validAnswers()), http.StatusNotFound, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := e.postJSON(tc.path, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tc.wantStatus, b)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q, want JSON", resp.Header.Get("Content-Type"))
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(b), &got); err != nil {
				t.Fatalf("body is not JSON: %v: %s", err, b)
			}
			if tc.wantStatus >= 400 && got["error"] == "" {
				t.Errorf("error body without message: %s", b)
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}

	// Exactly one copy is stored, with the first body, normalised.
	if n := e.count(); n != 1 {
		t.Fatalf("store holds %d responses, want 1", n)
	}
	r, err := e.store.Response(context.Background(), demo.Slug, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != firstCode || r.Src != "2026zlm-sq-001" || r.Venue != "township" || r.Channel != "api" {
		t.Errorf("stored %+v", r)
	}
	if got := r.Answers["food_sat_safety"]; got != 2 {
		t.Errorf("stored food_sat_safety = %#v, want 2 (the first body)", got)
	}
	if got := r.Answers["food_sat_traceability"]; got != surveys.NAValue {
		t.Errorf("stored food_sat_traceability = %#v, want na", got)
	}
}

// A double tap sends the same submission many times at once: one copy.
func TestAPIConcurrentRetries(t *testing.T) {
	e := newEnv(t)
	b := body("5d2b7c1e-0a9f-4e3b-8c6d-1e2f3a4b5c6d", validAnswers())
	statuses := make(chan int, 8)
	for range 8 {
		go func() {
			resp, _ := e.postJSON(apiPath, b)
			statuses <- resp.StatusCode
		}()
	}
	created := 0
	for range 8 {
		switch s := <-statuses; s {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Errorf("status %d, want 201 or 200", s)
		}
	}
	if created != 1 {
		t.Errorf("%d requests answered 201, want 1", created)
	}
	if n := e.count(); n != 1 {
		t.Errorf("store holds %d responses, want 1", n)
	}
}
