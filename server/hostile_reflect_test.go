package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// TestHostileReflectedInput: what a request carries in its URL (query
// values, path segments) or its form's hidden fields and is shown back,
// is shown as text. TestHTMLInjection and TestLoginHTMLInjection cover
// survey texts, answers and account names; here the payloads come from
// the request itself (a crafted link or QR code): the QR's src and venue,
// the language, the invite token, the receipt code, the sign-in page's
// next, every dashboard filter, unknown surveys, categories and pages, and
// API error messages. An HTML answer holds no payload element or event
// handler; any other answer is not served as HTML and holds no raw '<'
// of a payload.
func TestHostileReflectedInput(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	anon := newClient()
	admin := e.loginAs(t, surveys.RoleAdmin)
	p := url.QueryEscape(payload)
	pp := url.PathEscape(payload)
	filters := "?province=" + p + "&region_type=" + p + "&group=" + p + "&weight=" + p + "&from=" + p + "&to=" + p +
		"&flagged=" + p + "&venue=" + p + "&src=" + p + "&lang=" + p + "&cat=" + p
	type reflectCase struct {
		name   string
		client *http.Client
		method string
		path   string
		ctype  string
		body   string
	}
	tests := []reflectCase{
		{"form with a crafted QR link", anon, "GET", "/s/" + demo.Slug + "?src=" + p + "&venue=" + p + "&lang=" + p + "&big=" + p, "", ""},
		{"form with a crafted invite", anon, "GET", "/s/" + demo.Slug + "?t=" + p, "", ""},
		{"thank-you page with a crafted code", anon, "GET", "/s/" + demo.Slug + "/thanks?code=" + p + "&lang=" + p, "", ""},
		{"unknown survey", anon, "GET", "/s/" + pp, "", ""},
		{"resume with a crafted id and page", anon, "GET", "/s/" + demo.Slug + "/r/" + pp + "/" + pp, "", ""},
		{"QR poster with crafted values", anon, "GET", "/s/" + demo.Slug + "/qr.png?src=" + p + "&venue=" + p + "&lang=" + p, "", ""},
		{"form post with crafted hidden fields", anon, "POST", "/s/" + demo.Slug, "application/x-www-form-urlencoded",
			url.Values{"_sid": {payload}, "_page": {payload}, "_lang": {payload}, "_src": {payload}, "_venue": {payload},
				"_token": {payload}, "_nav": {payload}, "consent": {payload}}.Encode()},
		{"sign-in page with crafted values", anon, "GET", "/login?next=" + p + "&lang=" + p + "&signed_out=" + p, "", ""},
		{"unknown page", anon, "GET", "/" + pp, "", ""},
		{"dashboard filters", admin, "GET", "/dash/" + demo.Slug + filters, "", ""},
		{"category filters", admin, "GET", "/dash/" + demo.Slug + "/category/food" + filters, "", ""},
		{"groups filters", admin, "GET", "/dash/" + demo.Slug + "/groups" + filters, "", ""},
		{"heatmap filters", admin, "GET", "/dash/" + demo.Slug + "/heatmap" + filters, "", ""},
		{"trend filters", admin, "GET", "/dash/" + demo.Slug + "/trend" + filters, "", ""},
		{"complaints filters", admin, "GET", "/dash/" + demo.Slug + "/complaints" + filters, "", ""},
		{"report filters", admin, "GET", "/dash/" + demo.Slug + "/report" + filters, "", ""},
		{"CSV filters", admin, "GET", "/dash/" + demo.Slug + "/data/index.csv" + filters, "", ""},
		{"unknown dashboard", admin, "GET", "/dash/" + pp, "", ""},
		{"unknown category", admin, "GET", "/dash/" + demo.Slug + "/category/" + pp, "", ""},
		{"unknown CSV", admin, "GET", "/dash/" + demo.Slug + "/data/" + pp + ".csv", "", ""},
		{"API, unknown survey", anon, "POST", "/api/v1/surveys/" + pp + "/responses", "application/json", `{"id": "x", "answers": {}}`},
		{"API, crafted id", anon, "POST", apiPath, "application/json", body(payload, validAnswers())},
		{"API, crafted answer key", anon, "POST", apiPath, "application/json", `{"id": "8192a3b4-c5d6-4e7f-8091-a2b3c4d5e601", "answers": {"` + strings.ReplaceAll(payload, `"`, `\"`) + `": 1}}`},
		{"API, crafted answer", anon, "POST", apiPath, "application/json", body("8192a3b4-c5d6-4e7f-8091-a2b3c4d5e602", map[string]any{"age_band": payload})},
		{"API, crafted unknown field", anon, "POST", apiPath, "application/json", `{"` + strings.ReplaceAll(payload, `"`, `\"`) + `": 1}`},
	}
	// Each filter alone, too: a value the page accepts or ignores may be
	// carried into its links and forms rather than refused.
	for _, param := range []string{"province", "region_type", "group", "weight", "from", "to", "flagged", "venue", "src", "lang", "cat", "x"} {
		for _, page := range []string{"", "/category/food", "/complaints", "/report"} {
			tests = append(tests, reflectCase{"dashboard" + page + " ?" + param, admin, "GET", "/dash/" + demo.Slug + page + "?" + param + "=" + p + "&province=32", "", ""})
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			var header []string
			if tc.ctype != "" {
				header = []string{"Content-Type", tc.ctype}
			}
			resp, page := e.sendReq(tc.client, tc.method, tc.path, strings.NewReader(tc.body), header...)
			if resp.StatusCode >= 500 {
				t.Errorf("%d", resp.StatusCode)
			}
			t.Logf("%d %s %d bytes, escaped payload shown: %v", resp.StatusCode, resp.Header.Get("Content-Type"), len(page),
				strings.Contains(page, "&lt;script&gt;") || strings.Contains(page, "&#34;&gt;&lt;img") || strings.Contains(page, `\u003cscript`))
			for _, raw := range []string{"<script>alert", "<img src=x"} {
				if strings.Contains(page, raw) {
					i := strings.Index(page, raw)
					t.Errorf("%d answer holds %q unescaped: …%s…", resp.StatusCode, raw, page[max(i-80, 0):min(i+80, len(page))])
				}
			}
			if loc := resp.Header.Get("Location"); strings.ContainsAny(loc, "<>\"\r\n") {
				t.Errorf("Location %q holds raw markup", loc)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				return
			}
			doc, err := html.Parse(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			eachElement(doc, func(n *html.Node) {
				if src, _ := attr(n, "src"); n.Data == "img" && src == "x" {
					t.Errorf("the page has the payload's <img> element")
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") {
						t.Errorf("<%s %s=%q>: an event handler attribute", n.Data, a.Key, a.Val)
					}
				}
			})
		})
	}
}
