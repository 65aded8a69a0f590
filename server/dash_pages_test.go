package server_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// seed stores n generated responses to the demo survey and returns how
// many came from each province.
func (e *env) seed(t *testing.T, n int, seed int64) map[string]int {
	t.Helper()
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		t.Fatal(err)
	}
	byProvince := map[string]int{}
	var batch []*surveys.Response
	err = demo.Generate(d, n, seed, func(r *surveys.Response) error {
		byProvince[r.Answers.Code(surveys.ProvinceID)]++
		batch = append(batch, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.InsertResponses(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	return byProvince
}

// dashPaths are every page of the demo survey's dashboard.
var dashPaths = []string{
	"/dash", "/dash/" + demo.Slug, "/dash/" + demo.Slug + "/category/food", "/dash/" + demo.Slug + "/category/elderly_products",
	"/dash/" + demo.Slug + "/groups", "/dash/" + demo.Slug + "/heatmap", "/dash/" + demo.Slug + "/trend",
	"/dash/" + demo.Slug + "/complaints",
}

var (
	chartRE = regexp.MustCompile(`data-chart="([^"]+)"`)
	csvRE   = regexp.MustCompile(`href="([^"]+\.csv\?[^"]*)"`)
)

// TestDashboardPages opens every page, with and without filters and in
// each weighting: each has its charts, each chart a table and a CSV
// download of the same rows.
func TestDashboardPages(t *testing.T) {
	e := newEnv(t)
	e.seed(t, 800, 11)
	e.signIn(t)
	for _, q := range []string{"", "?weight=none", "?weight=raked", "?province=32&flagged=exclude", "?group=age_60plus&region_type=rural_village&lang=en"} {
		for _, p := range dashPaths {
			t.Run(p+q, func(t *testing.T) {
				e.t = t
				resp, page := e.get(p + q)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%d: %.300s", resp.StatusCode, page)
				}
				ids := chartRE.FindAllStringSubmatch(page, -1)
				if len(ids) == 0 {
					t.Fatalf("no chart on the page")
				}
				links := csvRE.FindAllStringSubmatch(page, -1)
				if len(links) != len(ids) || strings.Count(page, `<details class="chart-data">`) != len(ids) {
					t.Errorf("%d charts, %d CSV links, %d tables", len(ids), len(links), strings.Count(page, `<details class="chart-data">`))
				}
				for _, l := range links {
					u := strings.ReplaceAll(l[1], "&amp;", "&")
					resp, body := e.get(u)
					if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
						t.Errorf("%s: %d %s", u, resp.StatusCode, resp.Header.Get("Content-Type"))
						continue
					}
					recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
					if err != nil || len(recs) == 0 {
						t.Errorf("%s: %v", u, err)
					}
				}
			})
		}
	}
	e.t = t
	for _, bad := range []string{"?weight=heavy", "?from=yesterday", "?group=cats"} {
		if resp, _ := e.get("/dash/" + demo.Slug + bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, resp.StatusCode)
		}
	}
	if resp, _ := e.get("/dash/" + demo.Slug + "/category/no_such"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown category: %d, want 404", resp.StatusCode)
	}
}

// responsesOn reads the "N responses" line of a page.
func responsesOn(t *testing.T, page string) int {
	t.Helper()
	m := regexp.MustCompile(`(\d+) (?:responses|份答卷)`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no response count on the page")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestDashboardProvinceScope: a regulator limited to Jiangsu (32) sees
// only Jiangsu's responses on every page, in every CSV and in the report,
// and is refused another province.
func TestDashboardProvinceScope(t *testing.T) {
	e := newEnv(t)
	byProvince := e.seed(t, 900, 5)
	jiangsu := e.loginAs(t, surveys.RoleRegulator, "32")
	admin := e.loginAs(t, surveys.RoleAdmin)
	_, all := e.getWith(admin, "/dash/"+demo.Slug)
	if n := responsesOn(t, all); n != 900 {
		t.Fatalf("admin sees %d responses, want 900", n)
	}
	for _, p := range dashPaths[1:] {
		resp, page := e.getWith(jiangsu, p)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		if n := responsesOn(t, page); n != byProvince["32"] {
			t.Errorf("%s: the Jiangsu regulator sees %d responses, want Jiangsu's %d", p, n, byProvince["32"])
		}
	}
	_, list := e.getWith(jiangsu, "/dash")
	if !strings.Contains(list, "<td>"+strconv.Itoa(byProvince["32"])+"</td>") {
		t.Errorf("survey list does not count Jiangsu's %d responses only", byProvince["32"])
	}
	for _, p := range []string{"/dash/" + demo.Slug + "?province=44", "/dash/" + demo.Slug + "/data/index.csv?province=32,44",
		"/dash/" + demo.Slug + "/report?province=44"} {
		if resp, _ := e.getWith(jiangsu, p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", p, resp.StatusCode)
		}
	}
	// The complaint texts: only Jiangsu's.
	resp, body := e.getWith(jiangsu, "/dash/"+demo.Slug+"/data/complaint-categories.csv")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("CSV: %d", resp.StatusCode)
	}
	_, bodyAll := e.getWith(admin, "/dash/"+demo.Slug+"/data/complaint-categories.csv")
	if body == bodyAll {
		t.Errorf("the Jiangsu regulator's CSV equals the admin's")
	}
	_, report := e.getWith(jiangsu, "/dash/"+demo.Slug+"/report")
	if !strings.Contains(report, strconv.Itoa(byProvince["32"])+" 份答卷") && !strings.Contains(report, "样本 "+strconv.Itoa(byProvince["32"])+" 份") {
		t.Errorf("the report does not rest on Jiangsu's %d responses", byProvince["32"])
	}
}

// TestDashboardReportSelfContained: the report makes no request: ECharts,
// script and style are inline, under a CSP that allows nothing else.
func TestDashboardReportSelfContained(t *testing.T) {
	e := newEnv(t)
	e.seed(t, 300, 2)
	e.signIn(t)
	resp, page := e.get("/dash/" + demo.Slug + "/report")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.HasPrefix(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'nonce-") {
		t.Errorf("CSP %q", csp)
	}
	markup := regexp.MustCompile(`(?s)<script[^>]*>.*?</script>`).ReplaceAllString(page, "")
	for _, bad := range []string{` src=`, `<link`, `href="http`, `href="//`, `url(`, `@import`} {
		if strings.Contains(markup, bad) {
			t.Errorf("the report contains %q: it would make a request", bad)
		}
	}
	if len(page) < 900_000 || !strings.Contains(page, "echarts") || !strings.Contains(page, "@page") {
		t.Errorf("ECharts or the print style is not inline (%d bytes)", len(page))
	}
}
