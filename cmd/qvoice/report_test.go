package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/surveys/demo"
)

// TestReport writes the report of generated data: one file with ECharts
// inline, a CSP that forbids requests, the top 10, the quadrants, the key
// groups and the methods note; filters narrow it; a bad one is a usage
// error.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mustRun(t, 0, "demo", "generate", "--data", data, "--n", "600", "--seed", "4", "--store")
	out := filepath.Join(dir, "report.html")
	mustRun(t, 0, "report", "--data", data, "--survey", demo.Slug, "--out", out, "--lang", "zh-CN")
	html := string(readFile(t, out))
	for _, want := range []string{"消费者质量需求调查报告", "最需要改进的 10 项", "重要性–满意度四象限", "重点群体", "方法说明",
		"样本 600 份", "default-src 'none'", "@page", `data-renderer="svg"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	markup := regexp.MustCompile(`(?s)<script[^>]*>.*?</script>`).ReplaceAllString(html, "")
	if strings.Contains(markup, " src=") || strings.Contains(markup, "<link") {
		t.Error("the report loads something from outside the file")
	}
	rural := filepath.Join(dir, "rural.html")
	mustRun(t, 0, "report", "--data", data, "--survey", demo.Slug, "--out", rural, "--region-type", "rural_village", "--weight", "raked", "--lang", "en")
	if r := string(readFile(t, rural)); !strings.Contains(r, "Rural village") || strings.Contains(r, "600 responses") {
		t.Errorf("the rural report does not say its filter, or covers every response")
	}
	mustRun(t, 2, "report", "--data", data, "--survey", demo.Slug, "--out", out, "--from", "someday")
	mustRun(t, 1, "report", "--data", data, "--survey", "nope", "--out", out)
}
