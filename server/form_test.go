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

	"github.com/qvoice/qvoice/surveys/demo"
)

var sidRE = regexp.MustCompile(`name="_sid" value="([0-9a-f-]{36})"`)

// hiddenValues reads the hidden inputs of a page, as a browser would send them.
func hiddenValues(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	re := regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	if v.Get("_sid") == "" {
		t.Fatalf("page has no _sid hidden input")
	}
	return v
}

func step1Values() url.Values {
	return url.Values{"consent": {"adult_agree"}, "age_band": {"70_plus"}, "filled_by": {"with_family"},
		"rate_categories": {"food"}, "_nav": {"next"}}
}

func step2Values(v url.Values) url.Values {
	v = cloneValues(v)
	for k, a := range validAnswers() {
		if strings.HasPrefix(k, "food_") || k == "overall_local_sat" || k == "trend_vs_last_year" ||
			k == "had_problem" || k == "status" || k == "region_type" || k == "province" {
			v.Set(k, fmt.Sprint(a))
		}
	}
	v["improve_first"] = []string{"food_safety"}
	v["household"] = []string{"none"}
	v.Set("_nav", "submit")
	return v
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func TestFormFlow(t *testing.T) {
	e := newEnv(t)
	path := "/s/" + demo.Slug

	resp, page := e.get(path + "?src=2026zlm-sq-007&venue=community")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET form: %d", resp.StatusCode)
	}
	for _, want := range []string{`<html lang="zh-CN">`, `name="consent"`, `value="adult_agree"`, `name="rate_categories"`,
		`name="_src" value="2026zlm-sq-007"`} {
		if !strings.Contains(page, want) {
			t.Errorf("step 1 lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") {
		t.Errorf("the form page has a script; it must work without JavaScript")
	}
	carried := hiddenValues(t, page)

	// Step 1 with a missing answer is re-rendered with the answers kept.
	v := cloneValues(carried)
	for k, vs := range step1Values() {
		v[k] = vs
	}
	v.Del("age_band")
	resp, page = e.postForm(path, v)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("step 1 without age_band: %d, want 422", resp.StatusCode)
	}
	if !strings.Contains(page, `id="err-age_band"`) || !strings.Contains(page, "请回答此题") {
		t.Errorf("no error next to age_band")
	}
	if !regexp.MustCompile(`value="with_family" checked`).MatchString(page) {
		t.Errorf("the answer to filled_by was not kept")
	}

	// Step 1 complete → step 2 shows the food block only.
	v.Set("age_band", "70_plus")
	resp, page = e.postForm(path, v)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("step 1: %d", resp.StatusCode)
	}
	if !strings.Contains(page, `name="food_imp_safety"`) || strings.Contains(page, `name="drugs_imp_safety"`) {
		t.Errorf("step 2 should ask about food only")
	}
	carried = hiddenValues(t, page)

	// Step 2 with an error keeps the answers and marks the field.
	v = step2Values(carried)
	v.Del("food_overall_sat")
	v.Set("complaint_text", `</textarea><script>alert(1)</script>`)
	resp, page = e.postForm(path, v)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="err-food_overall_sat"`) {
		t.Fatalf("step 2 without food_overall_sat: %d, want 422 with the error by the field", resp.StatusCode)
	}
	if strings.Contains(page, "<script>alert(1)") {
		t.Errorf("respondent text is not escaped")
	}
	if !regexp.MustCompile(`name="food_sat_traceability" value="na" checked`).MatchString(page) {
		t.Errorf("the na answer was not kept")
	}

	// Submit: 303 to the thank-you page with the response code.
	v = step2Values(hiddenValues(t, page))
	v.Set("complaint_text", "鸡蛋不新鲜，电话13812345678")
	resp, _ = e.postForm(path, v)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d, want 303", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	u, err := url.Parse(loc)
	if err != nil || u.Path != path+"/thanks" {
		t.Fatalf("redirect to %q", loc)
	}
	code := u.Query().Get("code")
	_, page = e.get(loc)
	if !strings.Contains(page, code) || !strings.Contains(page, "12315") {
		t.Errorf("thank-you page lacks the code %s or the 12315 hotline", code)
	}

	// A retry of the same POST (double tap, lost connection) stores nothing new.
	resp, _ = e.postForm(path, v)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), code) {
		t.Errorf("resubmission: %d to %q, want 303 with the same code", resp.StatusCode, resp.Header.Get("Location"))
	}
	if n := e.count(); n != 1 {
		t.Fatalf("store holds %d responses, want 1", n)
	}
	r, err := e.store.Response(context.Background(), demo.Slug, v.Get("_sid"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != code || r.Src != "2026zlm-sq-007" || r.Venue != "community" || r.Channel != "form" {
		t.Errorf("stored %+v", r)
	}
	if got := r.Answers.Code("complaint_text"); strings.Contains(got, "13812345678") {
		t.Errorf("phone number stored: %q", got)
	}
	if got := r.Answers["food_imp_safety"]; got != 5 {
		t.Errorf("food_imp_safety stored as %#v, want 5", got)
	}
}

func TestFormBackKeepsAnswers(t *testing.T) {
	e := newEnv(t)
	path := "/s/" + demo.Slug
	_, page := e.get(path)
	v := hiddenValues(t, page)
	for k, vs := range step1Values() {
		v[k] = vs
	}
	_, page = e.postForm(path, v)
	v = step2Values(hiddenValues(t, page))
	v.Set("_nav", "back")
	resp, page := e.postForm(path, v)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="consent"`) {
		t.Fatalf("back: %d", resp.StatusCode)
	}
	if !strings.Contains(page, `name="food_imp_safety" value="5"`) {
		t.Errorf("step 2 answers are not carried back to step 1")
	}
}

func TestFormDecline(t *testing.T) {
	e := newEnv(t)
	_, page := e.get("/s/" + demo.Slug)
	v := hiddenValues(t, page)
	v.Set("consent", "decline")
	v.Set("_nav", "next")
	resp, page := e.postForm("/s/"+demo.Slug, v)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "未保存任何信息") {
		t.Errorf("decline: %d", resp.StatusCode)
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

func TestFormNotFound(t *testing.T) {
	e := newEnv(t)
	resp, page := e.get("/s/no-such-survey")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "找不到该问卷") {
		t.Errorf("unknown survey: %d", resp.StatusCode)
	}
}

// Switching language mid-survey keeps every answer and the step.
func TestFormLanguageSwitchKeepsAnswers(t *testing.T) {
	e := newEnv(t)
	path := "/s/" + demo.Slug
	_, page := e.get(path)
	v := hiddenValues(t, page)
	for k, vs := range step1Values() {
		v[k] = vs
	}
	_, page = e.postForm(path, v)
	v = hiddenValues(t, page)
	v.Set("food_imp_safety", "4")
	v.Set("_nav", "lang:en")
	resp, page := e.postForm(path, v)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<html lang="en">`) {
		t.Fatalf("switch: %d", resp.StatusCode)
	}
	if !strings.Contains(page, `name="food_imp_safety" value="4" checked`) || !strings.Contains(page, `name="consent" value="adult_agree"`) {
		t.Errorf("answers lost when switching language")
	}
}

// An under-14 respondent without guardian consent is stopped on step 1.
func TestFormGuardianConsent(t *testing.T) {
	e := newEnv(t)
	_, page := e.get("/s/" + demo.Slug)
	v := hiddenValues(t, page)
	for k, vs := range step1Values() {
		v[k] = vs
	}
	v.Set("age_band", "under_14")
	resp, page := e.postForm("/s/"+demo.Slug, v)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="err-age_band"`) || !strings.Contains(page, "监护人") {
		t.Errorf("under 14 with adult consent: %d, want 422 with the guardian message by age_band", resp.StatusCode)
	}
	v.Set("consent", "guardian_agree")
	if resp, _ := e.postForm("/s/"+demo.Slug, v); resp.StatusCode != http.StatusOK {
		t.Errorf("under 14 with guardian consent: %d, want 200 (step 2)", resp.StatusCode)
	}
}

// A form whose id already holds other answers keeps the new answers under
// a fresh id instead of losing them.
func TestFormConflictKeepsAnswers(t *testing.T) {
	e := newEnv(t)
	path := "/s/" + demo.Slug
	_, page := e.get(path)
	v := hiddenValues(t, page)
	for k, vs := range step1Values() {
		v[k] = vs
	}
	_, page = e.postForm(path, v)
	v = step2Values(hiddenValues(t, page))
	if resp, _ := e.postForm(path, v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first submit: %d", resp.StatusCode)
	}
	v.Set("food_sat_safety", "1")
	resp, page := e.postForm(path, v)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, `name="food_sat_safety" value="1" checked`) {
		t.Fatalf("changed resubmit: %d, want 409 with the answers kept", resp.StatusCode)
	}
	v2 := hiddenValues(t, page)
	if v2.Get("_sid") == v.Get("_sid") {
		t.Fatalf("the form kept the used submission id")
	}
	for k, vs := range v {
		if _, ok := v2[k]; !ok && !strings.HasPrefix(k, "_") {
			v2[k] = vs
		}
	}
	v2.Set("_nav", "submit")
	if resp, _ := e.postForm(path, v2); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("submit under the fresh id: %d", resp.StatusCode)
	}
	if n := e.count(); n != 2 {
		t.Errorf("store holds %d responses, want 2", n)
	}
}
