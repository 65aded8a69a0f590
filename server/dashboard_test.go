package server_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/surveys/demo"
)

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	resp, b := e.get("/healthz")
	if resp.StatusCode != http.StatusOK || b != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, b)
	}
}

// externalRef finds any URL that points to another origin.
var externalRef = regexp.MustCompile(`(?i)(src|href|action)\s*=\s*["']?\s*(https?:)?//`)

func TestDashboard(t *testing.T) {
	e := newEnv(t)
	e.signIn(t)
	// Empty survey: the page still renders.
	resp, page := e.get("/dash/" + demo.Slug)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "还没有答卷") {
		t.Fatalf("empty dashboard: %d", resp.StatusCode)
	}
	for i := range 3 {
		a := validAnswers()
		a["food_sat_labeling"] = 1 + i
		if resp, b := e.postJSON(apiPath, body(fmt.Sprintf("7a1b2c3d-0000-4000-8000-00000000000%d", i), a)); resp.StatusCode != http.StatusCreated {
			t.Fatalf("submit: %d %s", resp.StatusCode, b)
		}
	}
	resp, page = e.get("/dash/" + demo.Slug)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	if !strings.Contains(page, "3 份答卷") {
		t.Errorf("dashboard does not count the 3 responses")
	}
	if !strings.Contains(page, `<script type="application/json" data-chart="chart-priority-ci">`) {
		t.Errorf("no chart option on the page")
	}
	if m := externalRef.FindString(page); m != "" {
		t.Errorf("page refers to another origin: %q", m)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	// Every script and stylesheet is served by this server, content-hashed.
	assets := regexp.MustCompile(`(?:src|href)="(/static/[0-9a-f]{12}/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(assets) < 3 {
		t.Fatalf("found %d static assets, want css, echarts and dash.js", len(assets))
	}
	sawECharts := false
	for _, m := range assets {
		resp, b := e.get(m[1])
		if resp.StatusCode != http.StatusOK || len(b) == 0 {
			t.Errorf("GET %s: %d", m[1], resp.StatusCode)
		}
		if !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s is not cached as immutable", m[1])
		}
		if strings.Contains(m[1], "echarts.min.js") {
			sawECharts = true
			if len(b) < 1_000_000 {
				t.Errorf("echarts.min.js is %d bytes; want the full 5.6.0 build", len(b))
			}
		}
	}
	if !sawECharts {
		t.Errorf("dashboard does not load ECharts from this server")
	}
	if resp, _ := e.get("/static/000000000000/..%2f..%2fgo.mod"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("path traversal: %d", resp.StatusCode)
	}
}
