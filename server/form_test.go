package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

var (
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	inputRE  = regexp.MustCompile(`<(?:input type="(?:radio|checkbox)"|textarea[^>]*|select[^>]*) (?:id="[^"]*" )?name="([a-z0-9_]+)"`)
)

// hiddenValues reads the hidden inputs of a page, as a browser sends them.
func hiddenValues(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(page, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	if v.Get("_sid") == "" || v.Get("_page") == "" {
		t.Fatalf("page has no _sid or _page hidden input:\n%s", page)
	}
	return v
}

// questionsOn lists the answer fields a page asks.
func questionsOn(page string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range inputRE.FindAllStringSubmatch(page, -1) {
		if !seen[m[1]] && m[1] != "website" {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// formAnswers is a complete set of form answers rating food.
func formAnswers() url.Values {
	v := url.Values{"consent": {"adult_agree"}, "age_band": {"70_plus"}, "filled_by": {"with_family"},
		"rate_categories": {"food"}, "improve_first": {"food_safety"}, "household": {"none"}}
	for k, a := range validAnswers() {
		if strings.HasPrefix(k, "food_") || k == "overall_local_sat" || k == "trend_vs_last_year" ||
			k == "had_problem" || k == "status" || k == "region_type" || k == "province" {
			v.Set(k, fmt.Sprint(a))
		}
	}
	return v
}

// walker answers the form page by page as a browser would.
type walker struct {
	e    *env
	page string
	resp *http.Response
}

func (e *env) startForm(query string) *walker {
	e.t.Helper()
	resp, page := e.get("/s/" + demo.Slug + query)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("GET form: %d", resp.StatusCode)
	}
	return &walker{e: e, page: page, resp: resp}
}

// post sends this page's hidden fields, the answers to the questions it
// asks, and nav; it follows a 303 to the next page (not to thanks).
func (w *walker) post(answers url.Values, nav string) {
	w.e.t.Helper()
	v := hiddenValues(w.e.t, w.page)
	for _, q := range questionsOn(w.page) {
		if a, ok := answers[q]; ok {
			v[q] = a
		}
	}
	v.Set("_nav", nav)
	w.resp, w.page = w.e.postForm("/s/"+demo.Slug, v)
	if loc := w.resp.Header.Get("Location"); w.resp.StatusCode == http.StatusSeeOther && strings.Contains(loc, "/r/") {
		w.resp, w.page = w.e.get(loc)
		w.resp.Header.Set("X-From", loc)
	}
}

// finish answers pages until the survey is submitted, and returns the
// response code.
func (w *walker) finish(answers url.Values) string {
	w.e.t.Helper()
	for range 40 {
		nav := "next"
		if strings.Contains(w.page, `value="submit"`) {
			nav = "submit"
		}
		w.post(answers, nav)
		if w.resp.StatusCode == http.StatusSeeOther {
			u, err := url.Parse(w.resp.Header.Get("Location"))
			if err != nil || !strings.HasSuffix(u.Path, "/thanks") {
				w.e.t.Fatalf("redirect to %q", w.resp.Header.Get("Location"))
			}
			return u.Query().Get("code")
		}
		if w.resp.StatusCode != http.StatusOK {
			w.e.t.Fatalf("page answered %d:\n%s", w.resp.StatusCode, w.page)
		}
	}
	w.e.t.Fatal("the survey never ended")
	return ""
}

func (e *env) response(code string) *surveys.Response {
	e.t.Helper()
	var found *surveys.Response
	err := e.store.EachResponse(context.Background(), demo.Slug, func(r *surveys.Response) error {
		if r.Code == code {
			found = r
		}
		return nil
	})
	if err != nil || found == nil {
		e.t.Fatalf("response %q not stored (%v)", code, err)
	}
	return found
}

func TestFormFlow(t *testing.T) {
	e := newEnv(t)
	w := e.startForm("?src=2026zlm-sq-007&venue=community")
	for _, want := range []string{`<html lang="zh-CN">`, `name="consent"`, `value="adult_agree"`, `name="_src" value="2026zlm-sq-007"`} {
		if !strings.Contains(w.page, want) {
			t.Errorf("first page lacks %q", want)
		}
	}
	if strings.Contains(w.page, "<script") {
		t.Errorf("the form has a script; it must work without JavaScript")
	}
	answers := formAnswers()
	answers.Set("complaint_text", "鸡蛋不新鲜，电话13812345678")
	code := w.finish(answers)
	_, page := e.get("/s/" + demo.Slug + "/thanks?code=" + code)
	if !strings.Contains(page, code) || !strings.Contains(page, "12315") {
		t.Errorf("thank-you page lacks the code %s or the 12315 hotline", code)
	}
	r := e.response(code)
	if r.Src != "2026zlm-sq-007" || r.Venue != "community" || r.Channel != "form" {
		t.Errorf("stored %+v", r)
	}
	if got := r.Answers.Code("complaint_text"); strings.Contains(got, "13812345678") {
		t.Errorf("phone number stored: %q", got)
	}
	if r.Answers["food_imp_safety"] != 5 || r.Answers["food_sat_traceability"] != surveys.NAValue {
		t.Errorf("answers %v", r.Answers)
	}
	if n := e.count(); n != 1 {
		t.Errorf("store holds %d responses, want 1", n)
	}
	// Paradata is kept for review: a test run is far under 90 seconds.
	if p := r.Paradata; p == nil || !p.TooFast || len(p.PageMs) < 5 {
		t.Errorf("paradata %+v, want too_fast and page timings", p)
	}
}

// A missing answer re-renders the page with the error by the field and the
// other answers kept.
func TestFormErrorKeepsAnswers(t *testing.T) {
	e := newEnv(t)
	w := e.startForm("")
	a := formAnswers()
	w.post(a, "next") // consent
	a.Del("age_band")
	w.post(a, "next")
	if w.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(w.page, `id="err-age_band"`) || !strings.Contains(w.page, "请回答此题") {
		t.Fatalf("page without age_band: %d, want 422 with the error by the field", w.resp.StatusCode)
	}
	if !strings.Contains(w.page, `value="with_family" checked`) {
		t.Errorf("the answer to filled_by was not kept")
	}
}

// Reload and Back: every page is a GET of the draft, so nothing is lost.
func TestFormReloadAndBackKeepAnswers(t *testing.T) {
	e := newEnv(t)
	w := e.startForm("")
	a := formAnswers()
	for range 3 { // consent, about you, categories
		w.post(a, "next")
	}
	if !strings.Contains(w.page, `name="food_imp_safety"`) || strings.Contains(w.page, `name="drugs_imp_safety"`) {
		t.Fatalf("the fourth page should be the food block")
	}
	w.post(a, "next") // food answered
	foodURL := ""
	resp, page := e.get(w.resp.Header.Get("X-From")) // reload the current page
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="overall_local_sat"`) {
		t.Fatalf("reload: %d", resp.StatusCode)
	}
	w.post(url.Values{}, "back")
	foodURL = w.resp.Header.Get("X-From")
	if !strings.Contains(w.page, `name="food_imp_safety" value="5" checked`) {
		t.Errorf("Back lost the food answers")
	}
	resp, page = e.get(foodURL) // the browser's Back button re-requests the page
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="food_sat_traceability" value="na" checked`) {
		t.Errorf("re-requesting the food page lost its answers")
	}
	code := w.finish(a)
	if r := e.response(code); r.Answers["food_imp_safety"] != 5 {
		t.Errorf("stored %v", r.Answers)
	}
}

func TestFormDecline(t *testing.T) {
	e := newEnv(t)
	w := e.startForm("")
	w.post(url.Values{"consent": {"decline"}}, "next")
	if w.resp.StatusCode != http.StatusOK || !strings.Contains(w.page, "未保存任何信息") {
		t.Errorf("decline: %d", w.resp.StatusCode)
	}
	if n := e.count(); n != 0 {
		t.Errorf("declined consent stored %d responses", n)
	}
}

func TestFormLanguage(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, query, acceptLanguage, want string
	}{
		{"default", "", "", `lang="zh-CN"`},
		{"query", "?lang=en", "", `lang="en"`},
		{"accept-language en", "", "en-GB,en;q=0.9", `lang="en"`},
		{"accept-language zh", "", "zh-Hans-CN,zh;q=0.9,en;q=0.5", `lang="zh-CN"`},
		{"query wins", "?lang=zh-CN", "en", `lang="zh-CN"`},
		{"unknown language", "?lang=fr", "", `lang="zh-CN"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h []string
			if tc.acceptLanguage != "" {
				h = []string{"Accept-Language", tc.acceptLanguage}
			}
			_, page := e.get("/s/"+demo.Slug+tc.query, h...)
			if !strings.Contains(page, "<html "+tc.want+">") {
				t.Errorf("want %s", tc.want)
			}
		})
	}
	_, page := e.get("/s/" + demo.Slug + "?lang=en")
	if !strings.Contains(page, "I am 14 or older") {
		t.Errorf("English form lacks the English consent option")
	}
}

// Switching language mid-survey keeps every answer and the page.
func TestFormLanguageSwitchKeepsAnswers(t *testing.T) {
	e := newEnv(t)
	w := e.startForm("")
	a := formAnswers()
	w.post(a, "next")
	w.post(a, "lang:en")
	if !strings.Contains(w.page, `<html lang="en">`) || !strings.Contains(w.page, `value="70_plus" checked`) {
		t.Fatalf("switch: %d, lang or answers lost", w.resp.StatusCode)
	}
}

// An under-14 respondent without guardian consent is stopped at the age
// question (PIPL Art. 31).
func TestFormGuardianConsent(t *testing.T) {
	e := newEnv(t)
	w := e.startForm("")
	a := formAnswers()
	a.Set("age_band", "under_14")
	w.post(a, "next")
	w.post(a, "next")
	if w.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(w.page, `id="err-age_band"`) || !strings.Contains(w.page, "监护人") {
		t.Errorf("under 14 with adult consent: %d, want 422 with the guardian message", w.resp.StatusCode)
	}
}

// Large-text mode asks one question per screen and completes.
func TestFormElderMode(t *testing.T) {
	e := newEnv(t)
	w := e.startForm("?big=1")
	if !strings.Contains(w.page, `class="form elder"`) {
		t.Fatalf("?big=1 is not large-text mode")
	}
	if q := questionsOn(w.page); len(q) != 1 {
		t.Errorf("first page asks %v, want one question", q)
	}
	code := w.finish(formAnswers())
	if r := e.response(code); r.Answers["food_recommend"] != 9 {
		t.Errorf("stored %v", r.Answers)
	}
}

func TestFormNotFound(t *testing.T) {
	e := newEnv(t)
	resp, page := e.get("/s/no-such-survey")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "找不到该问卷") {
		t.Errorf("unknown survey: %d", resp.StatusCode)
	}
	resp, _ = e.get("/s/" + demo.Slug + "/r/00000000-0000-4000-8000-000000000000/s:s_screen")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown draft: %d, want 404", resp.StatusCode)
	}
}

// A post from a page the draft no longer has (a stale tab) clears nothing.
func TestFormStalePageClearsNothing(t *testing.T) {
	e := newEnv(t)
	w := e.startForm("")
	a := formAnswers()
	w.post(a, "next") // consent stored in the draft
	v := hiddenValues(t, w.page)
	v.Set("_page", "c:no_such_category")
	v.Set("_nav", "next")
	resp, _ := e.postForm("/s/"+demo.Slug, v)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("stale page: %d, want 303", resp.StatusCode)
	}
	_, page := e.get(resp.Header.Get("Location"))
	if !strings.Contains(page, `value="adult_agree" checked`) {
		t.Errorf("a stale page cleared the consent answer")
	}
}

// Follow-up questions opened by an answer on the same page are asked
// before moving on (server-side branching without JavaScript).
func TestFormSamePageFollowUps(t *testing.T) {
	e := newEnv(t)
	w := e.startForm("")
	a := formAnswers()
	a.Set("had_problem", "yes")
	for range 10 {
		if strings.Contains(w.page, `name="had_problem"`) {
			break
		}
		w.post(a, "next")
	}
	w.post(a, "next")
	if !strings.Contains(w.page, `name="problem_types"`) || !strings.Contains(w.page, `name="actions_taken"`) {
		t.Fatalf("had_problem=yes did not bring up its follow-ups on the same page")
	}
}
