package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// fuzzStatuses are the answers the JSON intake may give to any body. An
// invitation token that is forged or expired is also refused, with 403 or
// 410 and "field": "token" (see server/errors.go); fuzzTokenStatuses.
var fuzzStatuses = map[int]bool{
	http.StatusCreated: true, http.StatusOK: true, http.StatusBadRequest: true,
	http.StatusConflict: true, http.StatusRequestEntityTooLarge: true,
	http.StatusUnsupportedMediaType: true, http.StatusUnprocessableEntity: true,
	http.StatusTooManyRequests: true,
}

var fuzzTokenStatuses = map[int]bool{http.StatusForbidden: true, http.StatusGone: true}

// FuzzJSONIntake posts arbitrary bytes as application/json to the API
// through the real router, middleware and error handler, on one server and
// database for the whole run. The status must be one the API documents
// (never 500) and an error must be a JSON object with an "error" message.
// More seeds are in testdata/fuzz/FuzzJSONIntake.
func FuzzJSONIntake(f *testing.F) {
	h := newFuzzHandler(f)
	valid := validAnswers()
	f.Add([]byte(body("8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a01", valid)))
	changed := validAnswers()
	changed["food_sat_safety"] = 1
	f.Add([]byte(body("8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a01", changed)))
	declined := validAnswers()
	declined["consent"] = "decline"
	f.Add([]byte(body("8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a03", declined)))
	f.Add([]byte(body("not-a-uuid", valid)))
	f.Add([]byte(`{"id": "8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a04", "answers": {"consent": ["adult_agree"], "rate_categories": "food;drugs", "food_overall_sat": 1e400}, "lang": "xx", "token": "abc"}`))
	f.Add([]byte(`{"id": "8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a05", "answers": {"website": "x"}}`))
	withText := validAnswers()
	withText["complaint_text"] = "a\x00b \u2028 </script>"
	f.Add([]byte(body("8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a06", withText)))
	f.Add([]byte(`{"id": "8c0e5a52-8f0b-4d5e-9a41-3f1f6f0f1a07", "answers": {"consent": "adult_agree"}, "src": "\u0000", "venue": "\ud800"}`))
	f.Add([]byte(`{"answers": {}}`))
	f.Add([]byte(`{"id": `))
	f.Add([]byte(`[1, 2]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		req := httptest.NewRequest(http.MethodPost, apiPath, strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code < 400 {
			if !fuzzStatuses[rec.Code] {
				t.Fatalf("status %d; body %s", rec.Code, rec.Body)
			}
			return
		}
		var got map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("status %d with a body that is not a JSON object: %v: %s", rec.Code, err, rec.Body)
		}
		if msg, _ := got["error"].(string); msg == "" {
			t.Fatalf("status %d without an error message: %s", rec.Code, rec.Body)
		}
		if !fuzzStatuses[rec.Code] && !(fuzzTokenStatuses[rec.Code] && got["field"] == "token") {
			t.Fatalf("status %d; body %s", rec.Code, rec.Body)
		}
	})
}

// newFuzzHandler is newEnv for a fuzz target: the real server on a fresh
// database holding the demo survey, without rate limits.
func newFuzzHandler(f *testing.F) http.Handler {
	f.Helper()
	ctx := context.Background()
	st, err := mongostore.Open(ctx, dbURI, fmt.Sprintf("fuzz%d_%d", time.Now().UnixNano()%1e6, dbSeq.Add(1)))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = st.Close(context.Background()) })
	if err := st.PutSurvey(ctx, &surveys.StoredSurvey{Slug: demo.Slug, Source: demo.Source(), AddedAt: time.Now()}); err != nil {
		f.Fatal(err)
	}
	s, err := server.New(server.Config{}, st)
	if err != nil {
		f.Fatal(err)
	}
	return s.Handler()
}
