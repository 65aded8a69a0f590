package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// testSecret signs the tests' invites and cookies.
var testSecret = []byte("qvoice test secret, 32 bytes ok!")

// variant is the demo survey under another slug, with top-level keys
// added (opens_at, one_per_device, …).
func variant(slug, extra string) []byte {
	src := bytes.Replace(demo.Source(), []byte("slug: "+demo.Slug), []byte("slug: "+slug), 1)
	return append(append(src, '\n'), extra...)
}

// newEnvWith starts the real server with cfg over a fresh database holding
// the demo survey and the given variants. wrap, if not nil, wraps the
// store the server uses (to inject failures). The client keeps cookies.
func newEnvWith(t *testing.T, cfg server.Config, wrap func(*mongostore.Store) surveys.Store, variants ...[]byte) (*env, *server.Server) {
	t.Helper()
	ctx := context.Background()
	st, err := mongostore.Open(ctx, dbURI, fmt.Sprintf("i%d_%d", time.Now().UnixNano()%1e6, dbSeq.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	for _, src := range append([][]byte{demo.Source()}, variants...) {
		d, err := surveys.Parse(src)
		if err != nil {
			t.Fatalf("test survey does not parse: %v", err)
		}
		if err := st.PutSurvey(ctx, &surveys.StoredSurvey{Slug: d.Slug, Source: src, AddedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	var used surveys.Store = st
	if wrap != nil {
		used = wrap(st)
	}
	if cfg.Secret == nil {
		cfg.Secret = testSecret
	}
	s, err := server.New(cfg, used)
	if err != nil {
		t.Fatal(err)
	}
	s.AddAdmitRoute()
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &env{t: t, store: st, srv: hs, http: client}, s
}

// fixedClock is 2026-09-15 12:00 in China.
func fixedClock() time.Time { return time.Date(2026, 9, 15, 12, 0, 0, 0, surveys.ChinaTime) }

func apiPathOf(slug string) string { return "/api/v1/surveys/" + slug + "/responses" }

// countOf returns how many responses a survey has.
func (e *env) countOf(slug string) int {
	e.t.Helper()
	n := 0
	err := e.store.EachResponse(context.Background(), slug, func(*surveys.Response) error { n++; return nil })
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// apiCase is one API request and what must come back.
type apiCase struct {
	name       string
	path, body string
	header     []string // name, value, …
	wantStatus int
	wantField  string // the error body's "field"
	wantText   string // a part of the error message (or of the body)
	check      func(t *testing.T, got map[string]any)
}

// runAPICases sends the cases in order, each as a subtest, through the
// real router and error handler.
func runAPICases(t *testing.T, e *env, cases []apiCase) {
	t.Helper()
	defer func(orig *testing.T) { e.t = orig }(e.t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			ctype := "application/json"
			resp, b := e.do(http.MethodPost, tc.path, ctype, tc.body, tc.header...)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tc.wantStatus, b)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(b), &got); err != nil {
				t.Fatalf("body is not JSON: %v: %s", err, b)
			}
			if tc.wantStatus >= 400 {
				if msg, _ := got["error"].(string); msg == "" {
					t.Errorf("error body without a message: %s", b)
				}
				if f, _ := got["field"].(string); f != tc.wantField {
					t.Errorf("field %q, want %q; body %s", f, tc.wantField, b)
				}
			}
			if tc.wantText != "" && !strings.Contains(b, tc.wantText) {
				t.Errorf("body %s does not contain %q", b, tc.wantText)
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

// pageCase is one GET of a respondent page and what it must show.
type pageCase struct {
	name       string
	path       string
	header     []string
	wantStatus int
	want       []string // parts of the page
}

func runPageCases(t *testing.T, e *env, cases []pageCase) {
	t.Helper()
	defer func(orig *testing.T) { e.t = orig }(e.t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			resp, b := e.get(tc.path, tc.header...)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tc.wantStatus, b)
			}
			for _, w := range tc.want {
				if !strings.Contains(b, w) {
					t.Errorf("page does not contain %q:\n%s", w, b)
				}
			}
		})
	}
}

// bodyWith is a JSON intake body with an invite token.
func bodyWith(id string, answers map[string]any, token string) string {
	b, err := json.Marshal(map[string]any{"id": id, "answers": answers, "token": token})
	if err != nil {
		panic(err)
	}
	return string(b)
}
