package server_test

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// The payloads of an HTML-injection attempt: a script element, and an
// attribute break-out into an element with an event handler.
const (
	scriptPayload = `<script>alert(1)</script>`
	attrPayload   = `"><img src=x onerror=alert(1)>`
	payload       = scriptPayload + attrPayload
	injectSlug    = "inject-demo"
)

// injected marks where a payload went, so a test can tell that this text,
// and not another, reached the page: "[title]<script>…".
func injected(where string) string { return "[" + where + "]" + payload }

// injectedEscaped is injected(where) as html/template writes it in text.
func injectedEscaped(where string) string { return template.HTMLEscapeString(injected(where)) }

// yamlQuoted is s as a YAML double-quoted scalar.
func yamlQuoted(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// injectionSurvey is the demo questionnaire under another slug with the
// payloads in the title, the intro, a category label, an indicator label,
// an option label, the consent notice and the thank-you text.
func injectionSurvey(t *testing.T) []byte {
	t.Helper()
	src := string(demo.Source())
	for _, r := range []struct{ old, new string }{
		{"slug: " + demo.Slug, "slug: " + injectSlug},
		{"  zh-CN: 消费品质量 消费者需求调查（示例）", "  zh-CN: " + yamlQuoted(injected("title"))},
		// Block scalars (|) take the text as it is.
		{"    您好！本调查是", "    您好！" + injected("intro") + "本调查是"},
		{"            本调查由{{organizer_name}}组织", "            " + injected("notice") + "本调查由{{organizer_name}}组织"},
		{"    感谢您的参与！", "    感谢您的参与！" + injected("thanks")},
		{"label: {zh-CN: 食品（含农产品、包装食品）,", "label: {zh-CN: " + yamlQuoted(injected("category")) + ","},
		{"freshness:         {zh-CN: 新鲜,", "freshness:         {zh-CN: " + yamlQuoted(injected("indicator")) + ","},
		{"{value: self, label: {zh-CN: 本人填写,", "{value: self, label: {zh-CN: " + yamlQuoted(injected("option")) + ","},
	} {
		if strings.Count(src, r.old) != 1 {
			t.Fatalf("the demo YAML holds %q %d times, want once; update injectionSurvey", r.old, strings.Count(src, r.old))
		}
		src = strings.Replace(src, r.old, r.new, 1)
	}
	if _, err := surveys.Parse([]byte(src)); err != nil {
		t.Fatalf("the injected survey does not parse: %v", err)
	}
	return []byte(src)
}

// TestHTMLInjection renders every page that shows survey text or a
// respondent's text, with both payloads in that text: the payloads must
// arrive as text (escaped), never as markup.
func TestHTMLInjection(t *testing.T) {
	e := newEnv(t)
	e.signIn(t)
	ctx := context.Background()
	if err := e.store.PutSurvey(ctx, &surveys.StoredSurvey{Slug: injectSlug, Source: injectionSurvey(t), AddedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	form := "/s/" + injectSlug

	// A respondent walks to the food block; one more response rating food
	// gives the dashboard something to chart.
	answers := twoCategoryAnswers()
	answers["rate_categories"] = []string{"food"}
	answers.Set("filled_by", "self")
	first, screen, categories, food := walkTo(t, e, form, answers)

	// The complaint text is re-rendered after a validation error (had_problem
	// missing) on the same page, then again from the draft.
	page := food
	for range 10 {
		if strings.Contains(page, `name="complaint_text"`) {
			break
		}
		_, page = step(t, e, form, page, answers, "next")
	}
	bad := url.Values{}
	for k, v := range answers {
		bad[k] = v
	}
	bad.Del("had_problem")
	bad.Set("complaint_text", injected("complaint"))
	resp, complaint := step(t, e, form, page, bad, "next")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(complaint, `id="err-had_problem"`) {
		t.Fatalf("complaint page without had_problem: %d, want 422 with the error", resp.StatusCode)
	}
	sid := hiddenValues(t, complaint).Get("_sid")
	resp, complaintAgain := e.get(form + "/r/" + sid + "/s:s_problems")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the problems page again: %d", resp.StatusCode)
	}

	// 35 responses: the dashboard shows no estimate resting on fewer than 30.
	for i := range 35 {
		ans := validAnswers()
		ans["filled_by"] = "self"
		ans["food_sat_freshness"] = 2 + i%4
		ans["had_problem"], ans["problem_types"], ans["actions_taken"] = "yes", []string{"quality"}, []string{"seller"}
		ans["complaint_text"] = injected("complaint")
		id := fmt.Sprintf("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e%03d", i)
		if resp, b := e.postJSON("/api/v1/surveys/"+injectSlug+"/responses", body(id, ans)); resp.StatusCode != http.StatusCreated {
			t.Fatalf("API submit: %d %s", resp.StatusCode, b)
		}
	}
	resp, thanks := e.get(form + "/thanks?code=ABCD-EFGH")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("thanks: %d", resp.StatusCode)
	}
	resp, dash := e.get("/dash/" + injectSlug)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	dashPage := func(path string) string {
		resp, page := e.get("/dash/" + injectSlug + path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("dashboard %s: %d", path, resp.StatusCode)
		}
		return page
	}

	tests := []struct {
		name, page string
		texts      []string // where the payloads were put, shown on this page
	}{
		{"first page", first, []string{"title", "intro", "notice"}},
		{"option label", screen, []string{"title", "option"}},
		{"category choice", categories, []string{"category"}},
		{"category page", food, []string{"title", "category", "indicator"}},
		{"complaint after an error", complaint, []string{"complaint"}},
		{"complaint from the draft", complaintAgain, []string{"complaint"}},
		{"thank-you page", thanks, []string{"title", "thanks"}},
		{"dashboard", dash, []string{"title", "category", "indicator"}},
		{"dashboard category", dashPage("/category/food"), []string{"title", "category", "indicator"}},
		{"dashboard groups", dashPage("/groups"), []string{"title", "category"}},
		{"dashboard heatmap", dashPage("/heatmap"), []string{"title", "category", "indicator"}},
		{"dashboard trend", dashPage("/trend"), []string{"title", "category"}},
		{"dashboard complaints", dashPage("/complaints"), []string{"title", "complaint"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, raw := range []string{"<script>alert", "<img src=x", "<img", "onerror=alert(1)>"} {
				if strings.Contains(tc.page, raw) {
					i := strings.Index(tc.page, raw)
					t.Errorf("the page holds %q unescaped: …%s…", raw, tc.page[max(i-80, 0):min(i+80, len(tc.page))])
				}
			}
			if !strings.Contains(tc.page, "&lt;script&gt;alert(1)&lt;/script&gt;") ||
				!strings.Contains(tc.page, "&gt;&lt;img src=x onerror=alert(1)&gt;") {
				t.Errorf("the escaped payloads are not on the page: the test proves nothing")
			}
			doc, err := html.Parse(strings.NewReader(tc.page))
			if err != nil {
				t.Fatal(err)
			}
			var text strings.Builder
			eachElement(doc, func(n *html.Node) {
				switch n.Data {
				case "img", "iframe", "object", "embed", "svg":
					t.Errorf("the page has an <%s> element", n.Data)
				case "script":
					typ, _ := attr(n, "type")
					src, _ := attr(n, "src")
					if typ != "application/json" && !strings.HasPrefix(src, "/static/") {
						t.Errorf("the page has an inline script: %s", textOf(n))
					}
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") {
						t.Errorf("<%s %s=%q>: an event handler attribute", n.Data, a.Key, a.Val)
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.TextNode && n.Data != "script" {
						text.WriteString(c.Data)
					}
				}
			})
			for _, where := range tc.texts {
				if !strings.Contains(text.String(), injected(where)) {
					t.Errorf("the %s text does not reach the page as text", where)
				}
			}
		})
	}

	// The report inlines ECharts and its own script (under a nonce CSP), so
	// it is checked for the payloads themselves: escaped wherever they are.
	t.Run("report", func(t *testing.T) {
		report := dashPage("/report")
		for _, raw := range []string{"<script>alert(1)", "<img src=x onerror"} {
			if strings.Contains(report, raw) {
				t.Errorf("the report holds %q unescaped", raw)
			}
		}
		for _, want := range []string{injectedEscaped("title"), injectedEscaped("category")} {
			if !strings.Contains(report, want) {
				t.Errorf("the report lacks the escaped %s", want)
			}
		}
	})

	// The chart's option JSON escapes < and > (encoding/json), so a label
	// cannot close the <script type="application/json"> that holds it.
	t.Run("dashboard chart JSON", func(t *testing.T) {
		const open = `<script type="application/json" data-chart=`
		var js string
		for rest := dash; strings.Contains(rest, open); {
			i := strings.Index(rest, open)
			i += strings.Index(rest[i:], ">") + 1 // the JSON starts after the tag
			j := strings.Index(rest[i:], "</script>")
			js += rest[i:i+j] + "\n"
			rest = rest[i+j:]
		}
		if js == "" {
			t.Fatal("no chart option on the dashboard")
		}
		for _, want := range []string{`\u003cscript\u003ealert(1)\u003c/script\u003e`, `\u003e\u003cimg src=x onerror=alert(1)\u003e`} {
			if !strings.Contains(js, want) {
				t.Errorf("the chart JSON lacks %s", want)
			}
		}
		if strings.Contains(js, "<") {
			t.Errorf("the chart JSON holds a raw '<'")
		}
	})
}

// walkTo answers the form from its first page to the first category
// block and returns the first page, the "about you" page, the category
// choice and the first category block.
func walkTo(t *testing.T, e *env, form string, answers url.Values) (first, screen, categories, block string) {
	t.Helper()
	resp, page := e.get(form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", form, resp.StatusCode)
	}
	first = page
	for _, p := range []*string{&screen, &categories, &block} {
		resp, page = step(t, e, form, page, answers, "next")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %d", form, resp.StatusCode)
		}
		*p = page
	}
	if !strings.Contains(block, `name="food_imp_freshness"`) {
		t.Fatalf("the fourth page is not the food block")
	}
	return first, screen, categories, block
}

// step posts a page of the form at path form (any survey, unlike
// walker.post) with its hidden fields and the answers to its questions,
// and follows a redirect to the next page.
func step(t *testing.T, e *env, form, page string, answers url.Values, nav string) (*http.Response, string) {
	t.Helper()
	v := hiddenValues(t, page)
	for _, q := range questionsOn(page) {
		if a, ok := answers[q]; ok {
			v[q] = a
		}
	}
	v.Set("_nav", nav)
	resp, next := e.postForm(form, v)
	if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther && strings.Contains(loc, "/r/") {
		return e.get(loc)
	}
	return resp, next
}
