package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys/demo"
)

// TestRateLimit: 30 quick posts from one address meet 429 with Retry-After;
// another address behind the trusted proxy is not limited; without a
// trusted proxy X-Forwarded-For is ignored, so it cannot dodge the limit.
func TestRateLimit(t *testing.T) {
	limit := server.RateLimit{Rate: 1, Burst: 5, ExpiresIn: time.Minute}
	behindProxy, _ := newEnvWith(t, server.Config{RateLimit: limit, TrustedProxies: []string{"127.0.0.0/8"}}, nil)
	direct, _ := newEnvWith(t, server.Config{RateLimit: limit}, nil)
	form := "/s/" + demo.Slug
	tests := []struct {
		name        string
		e           *env
		path, ctype string
		xffs        []string // one post per entry
		want429     bool
	}{
		{"30 API posts from one address", behindProxy, apiPath, "application/json", repeat("203.0.113.10", 30), true},
		{"another address is not limited", behindProxy, apiPath, "application/json", repeat("198.51.100.20", 5), false},
		{"30 form posts from one address", behindProxy, form, "application/x-www-form-urlencoded", repeat("203.0.113.11", 30), true},
		{"forged X-Forwarded-For without a trusted proxy", direct, apiPath, "application/json", spoofed(30), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.e.t = t
			limited := 0
			for _, xff := range tc.xffs {
				resp, b := tc.e.do(http.MethodPost, tc.path, tc.ctype, "{}", "X-Forwarded-For", xff, "Accept-Language", "en")
				if resp.StatusCode != http.StatusTooManyRequests {
					continue
				}
				limited++
				if resp.Header.Get("Retry-After") != "1" {
					t.Errorf("Retry-After %q, want 1", resp.Header.Get("Retry-After"))
				}
				if !strings.Contains(b, "please wait a minute") {
					t.Errorf("429 body without the friendly message: %s", b)
				}
			}
			if got := limited > 0; got != tc.want429 {
				t.Errorf("%d of %d posts answered 429, want limited = %v", limited, len(tc.xffs), tc.want429)
			}
		})
	}
	if resp, _ := behindProxy.get(form, "X-Forwarded-For", "203.0.113.10"); resp.StatusCode == http.StatusTooManyRequests {
		t.Error("GET of the form is rate limited")
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// spoofed gives every post another X-Forwarded-For, as a script would.
func spoofed(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("192.0.2.%d", i+1)
	}
	return out
}

// TestBadInput: each bad request gets a clear JSON error, with the field
// at fault where there is one, and nothing is stored.
func TestBadInput(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	big := body("4d5e6f70-8192-4a3b-8c4d-5e6f70819201", map[string]any{"consent": strings.Repeat("x", 70<<10)})
	id := "4d5e6f70-8192-4a3b-8c4d-5e6f70819202"
	changed := validAnswers()
	changed["food_sat_safety"] = 1
	invalid := validAnswers()
	delete(invalid, "age_band")
	en := []string{"Accept-Language", "en"}
	runAPICases(t, e, []apiCase{
		{name: "body over 64 KB", path: apiPath, body: big, header: en, wantStatus: http.StatusRequestEntityTooLarge, wantText: "over 64 KB"},
		{name: "wrong content type", path: apiPath, body: body(id, validAnswers()), header: []string{"Content-Type", "text/plain", "Accept-Language", "en"},
			wantStatus: http.StatusUnsupportedMediaType, wantText: "application/json"},
		{name: "form-encoded body", path: apiPath, body: "id=" + id, header: []string{"Content-Type", "application/x-www-form-urlencoded"},
			wantStatus: http.StatusUnsupportedMediaType},
		{name: "malformed JSON", path: apiPath, body: `{"id": `, wantStatus: http.StatusBadRequest},
		{name: "malformed id", path: apiPath, body: body("12345", validAnswers()), wantStatus: http.StatusUnprocessableEntity, wantField: "id"},
		{name: "invalid answers name the first field", path: apiPath, body: body(id, invalid), wantStatus: http.StatusUnprocessableEntity, wantField: "age_band"},
		{name: "JSON with a charset", path: apiPath, body: body(id, validAnswers()), header: []string{"Content-Type", "application/json; charset=utf-8"},
			wantStatus: http.StatusCreated},
		{name: "reused id with other answers", path: apiPath, body: body(id, changed), wantStatus: http.StatusConflict, wantField: "id"},
	})
	if n := e.count(); n != 1 {
		t.Errorf("store holds %d responses, want 1", n)
	}

	// A body without Content-Length (chunked) is cut off at 64 KB too.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+apiPath, io.MultiReader(strings.NewReader(big)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if req.ContentLength != 0 || resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked body over 64 KB: status %d, want 413", resp.StatusCode)
	}
	// The form refuses it with a page.
	resp, b := e.postForm("/s/"+demo.Slug, url.Values{"problem_text": {strings.Repeat("x", 70<<10)}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(b, "64 KB") {
		t.Errorf("form post over 64 KB: status %d, want 413 with a message; %s", resp.StatusCode, b)
	}
}

// TestHoneypot: a filled bot trap is answered exactly as a stored response
// (201 with a code), stores nothing and is counted; an empty one is
// ignored.
func TestHoneypot(t *testing.T) {
	e, s := newEnvWith(t, server.Config{}, nil)
	trapped := validAnswers()
	trapped["website"] = "http://spam.example"
	empty := validAnswers()
	empty["website"] = ""
	codeRE := regexp.MustCompile(`^[2-9A-Z]{4}-[2-9A-Z]{4}$`)
	looksStored := func(t *testing.T, got map[string]any) {
		if got["status"] != "stored" || !codeRE.MatchString(got["code"].(string)) {
			t.Errorf("got %v, want status stored with a response code", got)
		}
	}
	runAPICases(t, e, []apiCase{
		{name: "filled honeypot", path: apiPath, body: body("5e6f7081-92a3-4b4c-8d5e-6f7081920301", trapped), wantStatus: http.StatusCreated, check: looksStored},
		{name: "empty honeypot", path: apiPath, body: body("5e6f7081-92a3-4b4c-8d5e-6f7081920302", empty), wantStatus: http.StatusCreated, check: looksStored},
	})
	if n := e.count(); n != 1 {
		t.Errorf("store holds %d responses, want 1 (the trapped one is not stored)", n)
	}
	if n := s.HoneypotHits(); n != 1 {
		t.Errorf("honeypot hits %d, want 1", n)
	}
	for _, tc := range []struct {
		name string
		v    url.Values
		want bool
	}{
		{"filled", url.Values{"website": {"http://x"}}, true},
		{"empty", url.Values{"website": {""}}, false},
		{"blank", url.Values{"website": {"  "}}, false},
		{"absent", url.Values{"consent": {"adult_agree"}}, false},
	} {
		if got := server.HoneypotTripped(tc.v); got != tc.want {
			t.Errorf("honeypotTripped(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
