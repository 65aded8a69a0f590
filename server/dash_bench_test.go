package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// BenchmarkDashboardPage stores QVOICE_BENCH_DASH_N generated responses
// (default 20,000; the figure is 200,000) in the embedded
// database, starts the real server on it, signs in, and then times, in
// the same run and through the same router and middleware (server side:
// the handler, not the network):
//
//   - static: a static file (the baseline);
//   - page: the overview with one of 8 filters in turn (each computed
//     once, then served from the view cache while no response arrives);
//   - live: one response arrives through the API (not timed), then the
//     overview with one of the 8 filters: a slow view is served while a
//     newer one is computed in the background;
//   - fresh: the overview with a filter never asked before that keeps
//     every response (a different end date far ahead), so the view is
//     computed from all the rows: the cost after new responses arrive.
//
// It reports each one's p50 and p95 in ms and the ratio of the page's p95
// to the static file's.
func BenchmarkDashboardPage(b *testing.B) {
	n := 20000
	if s := os.Getenv("QVOICE_BENCH_DASH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	st, err := mongostore.Open(ctx, dbURI, fmt.Sprintf("bench%d", time.Now().UnixNano()%1e6))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close(ctx)
	if err := st.PutSurvey(ctx, &surveys.StoredSurvey{Slug: demo.Slug, Source: demo.Source(), AddedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	d, _ := surveys.Parse(demo.Source())
	start := time.Now()
	var batch []*surveys.Response
	err = demo.Generate(d, n, 1, func(r *surveys.Response) error {
		if batch = append(batch, r); len(batch) == 2000 {
			_, err := st.InsertResponses(ctx, batch)
			batch = batch[:0]
			return err
		}
		return nil
	})
	if err == nil {
		_, err = st.InsertResponses(ctx, batch)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("stored %d responses in %s", n, time.Since(start).Round(time.Millisecond))
	hash, _ := server.HashPassword("benchmark password 1")
	if err := st.PutUser(ctx, &surveys.User{Name: "bench", Role: surveys.RoleAdmin, PasswordHash: hash, CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Config{}, st)
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	cookie := benchLogin(b, h, "bench", "benchmark password 1")
	get := func(path string) time.Duration {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, req)
		el := time.Since(t0)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
		return el
	}
	start = time.Now()
	get("/dash/" + demo.Slug) // builds the board: one scan of the store
	b.Logf("first page (one scan of %d responses): %s", n, time.Since(start).Round(time.Millisecond))
	filters := []string{"", "?weight=none", "?weight=raked", "?province=32", "?region_type=rural_village",
		"?group=age_60plus", "?flagged=exclude", "?group=age_60plus&region_type=rural_village&weight=raked"}
	var arrivals []*surveys.Response
	_ = demo.Generate(d, b.N, 2, func(r *surveys.Response) error { arrivals = append(arrivals, r); return nil })
	submit := func(r *surveys.Response) {
		body, _ := json.Marshal(map[string]any{"id": r.ID, "answers": r.Answers})
		req := httptest.NewRequest(http.MethodPost, "/api/v1/surveys/"+demo.Slug+"/responses", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			b.Fatalf("submit: %d %s", rec.Code, rec.Body.String())
		}
	}
	var static, page, live, fresh []time.Duration
	b.ResetTimer()
	for i := range b.N {
		static = append(static, get("/static/0/qvoice.css"))
		page = append(page, get("/dash/"+demo.Slug+filters[i%len(filters)]))
	}
	for i := range b.N {
		submit(arrivals[i])
		live = append(live, get("/dash/"+demo.Slug+filters[i%len(filters)]))
	}
	for i := range b.N {
		far := time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(time.DateOnly)
		fresh = append(fresh, get("/dash/"+demo.Slug+"?to="+far))
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	for _, x := range []struct {
		name string
		d    []time.Duration
	}{{"static", static}, {"page", page}, {"live", live}, {"fresh", fresh}} {
		b.ReportMetric(ms(quantile(x.d, 0.5)), x.name+"-p50-ms")
		b.ReportMetric(ms(quantile(x.d, 0.95)), x.name+"-p95-ms")
	}
	b.ReportMetric(ms(quantile(page, 0.95))/ms(quantile(static, 0.95)), "page/static-p95")
	b.ReportMetric(ms(quantile(live, 0.95))/ms(quantile(static, 0.95)), "live/static-p95")
}

// quantile is the q-quantile of ds (nearest rank).
func quantile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// benchLogin signs in through the login form and returns the session
// cookie.
func benchLogin(b *testing.B, h http.Handler, name, password string) *http.Cookie {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
	m := csrfRE.FindStringSubmatch(rec.Body.String())
	if m == nil {
		b.Fatal("no CSRF token on the login page")
	}
	form := url.Values{"name": {name}, "password": {password}, "_csrf": {m[1]}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "qvoice_session" && c.Value != "" {
			return c
		}
	}
	b.Fatalf("sign in: %d %s", rec.Code, rec.Body.String())
	return nil
}
