package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/embedded"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// Issue 7: when the database is unreachable the form answers 503 with the
// respondent's answers kept in the page — never a thank-you without a
// stored response — and pressing the same button again, once the
// database is back, carries on and stores the response once.

// newEnvOn starts the real server on st, after storing the demo survey.
func newEnvOn(t *testing.T, st surveys.Store) *env {
	t.Helper()
	return newEnvOnSource(t, st, demo.Source())
}

// newEnvOnSource starts the real server on st, after storing the survey
// definition src.
func newEnvOnSource(t *testing.T, st surveys.Store, src []byte) *env {
	t.Helper()
	if err := st.PutSurvey(context.Background(), &surveys.StoredSurvey{Slug: demo.Slug, Source: src, AddedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{Secret: testSecret}, st)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &env{t: t, store: st, srv: hs, http: client}
}

// downEnv is a server on its own embedded database, which the test stops
// and starts again under the running server.
type downEnv struct {
	*env
	db  *embedded.DB
	dir string
}

// newDownEnv opens an embedded database in a short directory, so that its
// socket, and so its URI, is the same when it is opened again.
func newDownEnv(t *testing.T) *downEnv {
	t.Helper()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "qvu")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	db, err := embedded.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := &downEnv{db: db, dir: dir}
	t.Cleanup(func() { _ = e.db.Close() })
	// A short server selection timeout (the driver's default is 30 s,
	// meant for replica-set failovers) keeps the test short.
	uri := db.URI()
	if strings.Contains(uri, "?") {
		uri += "&serverSelectionTimeoutMS=1500"
	} else {
		uri += "?serverSelectionTimeoutMS=1500"
	}
	st, err := mongostore.Open(ctx, uri, "down")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	e.env = newEnvOn(t, st)
	return e
}

func (e *downEnv) stop() {
	e.t.Helper()
	if err := e.db.Close(); err != nil {
		e.t.Fatal(err)
	}
}

// restart opens the same data directory again, at the same URI.
func (e *downEnv) restart() {
	e.t.Helper()
	uri := e.db.URI()
	db, err := embedded.Open(context.Background(), e.dir, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	e.db = db
	if db.URI() != uri {
		e.t.Fatalf("database restarted at %s, not %s", db.URI(), uri)
	}
}

// walkToPage answers the form until the page with key is on screen.
func walkToPage(e *env, key string, answers url.Values) *walker {
	e.t.Helper()
	w := e.startForm("")
	for range 20 {
		if hiddenValues(e.t, w.page).Get("_page") == key {
			return w
		}
		w.post(answers, "next")
		if w.resp.StatusCode != http.StatusOK {
			e.t.Fatalf("page answered %d:\n%s", w.resp.StatusCode, excerpt(w.page))
		}
	}
	e.t.Fatalf("no page %s", key)
	return nil
}

// pageForm is what the walker's page sends with nav: its hidden fields and
// answers to the questions it asks.
func pageForm(w *walker, answers url.Values, nav string) url.Values {
	v := hiddenValues(w.e.t, w.page)
	for _, q := range questionsOn(w.page) {
		if a, ok := answers[q]; ok {
			v[q] = a
		}
	}
	v.Set("_nav", nav)
	return v
}

var (
	checkedRE  = regexp.MustCompile(`<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]*)" checked>`)
	selectRE   = regexp.MustCompile(`(?s)<select id="[^"]*" name="([^"]+)">(.*?)</select>`)
	selectedRE = regexp.MustCompile(`<option value="([^"]*)" selected>`)
	progressRE = regexp.MustCompile(`<p class="progress">[^<]*</p>`)
	textareaRE = regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>`)
)

// filledIn reads a page as a browser sends it when nav is pressed: hidden
// fields, ticked boxes, chosen options and typed text.
func filledIn(t *testing.T, page, nav string) url.Values {
	t.Helper()
	v := hiddenValues(t, page)
	for _, m := range checkedRE.FindAllStringSubmatch(page, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range selectRE.FindAllStringSubmatch(page, -1) {
		for _, o := range selectedRE.FindAllStringSubmatch(m[2], -1) {
			v.Add(m[1], html.UnescapeString(o[1]))
		}
	}
	for _, m := range textareaRE.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	v.Set("_nav", nav)
	return v
}

// checkKept checks a page kept on screen: 503, Retry-After, the notice,
// the page's key and submission id, and no way to the thank-you page.
func checkKept(t *testing.T, resp *http.Response, page string, sent url.Values, want []string) {
	t.Helper()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503:\n%s", resp.StatusCode, excerpt(page))
	}
	if got := resp.Header.Get("Retry-After"); got != "5" {
		t.Errorf("Retry-After %q, want 5", got)
	}
	if strings.Contains(page, "/thanks") || resp.Header.Get("Location") != "" {
		t.Errorf("a page kept on screen leads to %q or the thank-you page", resp.Header.Get("Location"))
	}
	want = append(want, "还在本页上", "没有丢失",
		fmt.Sprintf(`name="_sid" value="%s"`, sent.Get("_sid")), fmt.Sprintf(`name="_page" value="%s"`, sent.Get("_page")))
	for _, s := range want {
		if !strings.Contains(page, s) {
			t.Errorf("kept page lacks %s", s)
		}
	}
}

func TestFormKeptWhenDatabaseDown(t *testing.T) {
	problems := url.Values{"had_problem": {"yes"}, "problem_types": {"expired", "quality"}, "actions_taken": {"none"},
		"complaint_text": {`<b>过期</b>的牛奶 & "酸了"`}}
	last := url.Values{"household": {"infant_0_3", "elder_60_plus"}, "status": {"farming"}, "region_type": {"county_town"},
		"province": {"44"}, "gender": {"female"}}
	food := url.Values{"food_overall_sat": {"3"}, "food_recommend": {"10"}}
	for _, ind := range []string{"safety", "freshness", "labeling", "authenticity", "taste_quality", "price_value", "traceability"} {
		food.Set("food_imp_"+ind, "4")
		food.Set("food_sat_"+ind, "2")
	}
	cases := []struct {
		name, key, nav string
		answers        url.Values
		want           []string
	}{
		{"first page", "s:s_consent", "next", url.Values{"consent": {"adult_agree"}},
			[]string{`value="adult_agree" checked`}},
		{"category page, its category unreadable", "c:food", "next", food,
			[]string{`name="food_overall_sat" value="3" checked`, `name="food_recommend" value="10" checked`, `name="food_sat_safety" value="2" checked`}},
		{"follow-ups and text", "s:s_problems", "next", problems,
			[]string{`value="yes" checked`, `name="problem_types" value="expired" checked`, `name="problem_types" value="quality" checked`,
				`name="actions_taken" value="none" checked`, `&lt;b&gt;过期&lt;/b&gt;的牛奶 &amp; &#34;酸了&#34;`}},
		{"last page", "s:s_demographics", "submit", last,
			[]string{`name="household" value="infant_0_3" checked`, `name="household" value="elder_60_plus" checked`,
				`value="farming" checked`, `value="county_town" checked`, `<option value="44" selected>`, `value="female" checked`, `value="submit"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each on its own database; most of the time is spent waiting for it
			e := newDownEnv(t)
			w := walkToPage(e.env, tc.key, formAnswers())
			sent := pageForm(w, tc.answers, tc.nav)
			for k, vs := range tc.answers { // follow-ups the page shows once had_problem is ticked
				sent[k] = vs
			}
			e.stop()
			resp, page := e.postForm("/s/"+demo.Slug, sent)
			checkKept(t, resp, page, sent, tc.want)
			if strings.Contains(page, "<b>") {
				t.Error("typed text shown unescaped")
			}
			if strings.Contains(page, `class="progress"`) {
				t.Error("a page count shown without the draft to count from")
			}
		})
	}
}

// TestFormKeptResumeUnavailable: a saved page asked for with the database
// down is a 503 error page (nothing was typed), not a 500.
func TestFormKeptResumeUnavailable(t *testing.T) {
	e := newDownEnv(t)
	w := walkToPage(e.env, "s:s_categories", formAnswers())
	loc := w.resp.Header.Get("X-From")
	e.stop()
	resp, page := e.get(loc)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET %s with the database down: %d, want 503:\n%s", loc, resp.StatusCode, excerpt(page))
	}
}

// TestFormKeptThenStored presses the kept page's button again once the
// database is back: the response is stored once, with every page's
// answers, under the form's submission id.
func TestFormKeptThenStored(t *testing.T) {
	e := newDownEnv(t)
	answers := formAnswers()
	answers.Set("status", "farming")
	answers.Set("province", "44")
	w := walkToPage(e.env, "s:s_demographics", answers)
	sent := pageForm(w, answers, "submit")
	e.stop()
	resp, page := e.postForm("/s/"+demo.Slug, sent)
	checkKept(t, resp, page, sent, []string{`value="farming" checked`})
	e.restart()
	deadline := time.Now().Add(30 * time.Second)
	for resp.StatusCode == http.StatusServiceUnavailable && time.Now().Before(deadline) {
		// The driver finds the database again within a heartbeat; until
		// then, the page stays kept and the button can be pressed again.
		again := filledIn(t, page, "submit")
		if want := withoutClock(sent); withoutClock(again).Encode() != want.Encode() {
			t.Fatalf("the kept page sends\n%s\nnot what was posted\n%s", again.Encode(), sent.Encode())
		}
		resp, page = e.postForm("/s/"+demo.Slug, again)
	}
	checkStoredOnce(t, e.env, resp, sent.Get("_sid"))
}

// withoutClock is a page's form without _t, the time its page was served.
func withoutClock(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if k != "_t" {
			out[k] = vs
		}
	}
	return out
}

// faultyStore is the real store with inserting responses failing as on an
// unreachable database, as many times as failures says: drafts are
// still read and saved, and only the submission fails. The server
// inserts through a group commit, in batches.
type faultyStore struct {
	*mongostore.Store
	failures atomic.Int32
}

func (f *faultyStore) fail() error {
	if f.failures.Add(-1) >= 0 {
		return fmt.Errorf("insert response: %w: injected", surveys.ErrUnavailable)
	}
	return nil
}

func (f *faultyStore) InsertResponse(ctx context.Context, r *surveys.Response) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.InsertResponse(ctx, r)
}

func (f *faultyStore) InsertResponses(ctx context.Context, rs []*surveys.Response) ([]error, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return f.Store.InsertResponses(ctx, rs)
}

// TestFormKeptAtSubmit: the draft loads, the submission fails; the kept
// page shows this page's answers over the draft's, at its place in the
// form, and pressing Submit again stores the response once.
func TestFormKeptAtSubmit(t *testing.T) {
	ctx := context.Background()
	ms, err := mongostore.Open(ctx, dbURI, fmt.Sprintf("kept_%d", time.Now().UnixNano()%1e9))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ms.Close(context.Background()) })
	st := &faultyStore{Store: ms}
	e := newEnvOn(t, st)
	answers := formAnswers()
	answers.Set("status", "farming")
	w := walkToPage(e, "s:s_demographics", answers)
	sent := pageForm(w, answers, "submit")
	st.failures.Store(1)
	resp, page := e.postForm("/s/"+demo.Slug, sent)
	checkKept(t, resp, page, sent, []string{`value="farming" checked`, `value="submit"`})
	if want := progressRE.FindString(w.page); want == "" || !strings.Contains(page, want) {
		t.Errorf("kept page lacks its place in the form %q", want)
	}
	resp, _ = e.postForm("/s/"+demo.Slug, filledIn(t, page, "submit"))
	checkStoredOnce(t, e, resp, sent.Get("_sid"))
}

// checkStoredOnce checks that resp leads to the thank-you page and that
// the store holds one response, under sid, with the answers of the first
// and the last pages.
func checkStoredOnce(t *testing.T, e *env, resp *http.Response, sid string) {
	t.Helper()
	code := thanksCode(resp)
	if code == "" {
		t.Fatalf("pressed again: %d %q, want 303 to the thank-you page", resp.StatusCode, resp.Header.Get("Location"))
	}
	r := e.stored(sid)
	if r.Code != code {
		t.Errorf("stored code %s, thank-you page shows %s", r.Code, code)
	}
	if n := e.count(); n != 1 {
		t.Errorf("store holds %d responses, want 1", n)
	}
	for k, want := range map[string]string{"consent": "adult_agree", "status": "farming", "food_recommend": "9"} {
		if got := fmt.Sprint(r.Answers[k]); got != want {
			t.Errorf("stored %s = %s, want %s", k, got, want)
		}
	}
}
