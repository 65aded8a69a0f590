package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys/demo"
)

// qvoice runs the command in-process and returns its exit code and output.
// It sees the process environment without the locale variables, so tables
// are in English unless --lang says otherwise.
func qvoice(ctx context.Context, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := newApp(&stdout, &stderr, noLocale).run(ctx, args)
	return code, stdout.String(), stderr.String()
}

// noLocale is os.LookupEnv without LC_ALL, LC_MESSAGES, LANG and QVOICE_LANG.
func noLocale(name string) (string, bool) {
	switch name {
	case "LC_ALL", "LC_MESSAGES", "LANG", "QVOICE_LANG":
		return "", false
	}
	return os.LookupEnv(name)
}

func TestSurveyValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "demo.yaml")
	if err := os.WriteFile(good, demo.Source(), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.yaml")
	src := strings.Replace(string(demo.Source()), "slug: quality-month-demo", "slug: Quality Month!", 1)
	src = strings.Replace(src, "scale: imp5", "scale: imp7", 1)
	if err := os.WriteFile(broken, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
	}{
		{"valid", []string{"survey", "validate", good}, exitOK, []string{"ok (quality-month-demo, 7 categories"}},
		{"every problem with its line", []string{"survey", "validate", broken}, exitDataInvalid,
			[]string{"broken.yaml:", ": slug: must be", `unknown scale "imp7"`}},
		{"missing file", []string{"survey", "validate", filepath.Join(dir, "nope.yaml")}, exitFailure, []string{"nope.yaml"}},
		{"no file", []string{"survey", "validate"}, exitUsage, nil},
		{"unknown command", []string{"frobnicate"}, exitUsage, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := qvoice(context.Background(), tc.args...)
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d; stdout %s; stderr %s", code, tc.wantCode, out, errOut)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("output lacks %q:\n%s%s", w, out, errOut)
				}
			}
		})
	}
}

func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeAndAnalyze is the newcomer's path: serve the demo on the
// embedded database, post a response with the JSON intake, and count it with
// analyze while the server runs; a second serve on the same data directory
// is refused; SIGINT-style cancellation stops the server cleanly.
func TestServeAndAnalyze(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	addr := freeAddr(t)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var serveErr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--demo-responses", "0", "--addr", addr, "--data", data}, &bytes.Buffer{}, &serveErr)
	}()
	base := "http://" + addr
	waitHealthy(t, base, done, nil)

	body := `{"id": "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "answers": {"consent": "adult_agree", "age_band": "30_39",
	  "filled_by": "self", "rate_categories": ["drugs"], "drugs_overall_sat": 8, "drugs_recommend": 10,
	  "overall_local_sat": 8, "trend_vs_last_year": "better", "improve_first": ["drug_quality_leaflet"],
	  "had_problem": "no", "household": ["none"], "status": "employed", "region_type": "urban_core", "province": "11"%s}}`
	var extra strings.Builder
	for i, ind := range []string{"efficacy", "safety", "instructions", "labeling", "authenticity", "price_value", "access"} {
		fmt.Fprintf(&extra, `, "drugs_imp_%s": %d, "drugs_sat_%s": %d`, ind, 3+i%3, ind, 1+i%5)
	}
	resp, err := http.Post(base+"/api/v1/surveys/"+demo.Slug+"/responses", "application/json",
		strings.NewReader(fmt.Sprintf(body, extra.String())))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d", resp.StatusCode)
	}

	code, out, errOut := qvoice(context.Background(), "analyze", "--survey", demo.Slug, "--data", data, "--format", "json")
	if code != exitOK {
		t.Fatalf("analyze beside serve: exit %d: %s", code, errOut)
	}
	var sum struct {
		Responses  int              `json:"responses"`
		Priorities []map[string]any `json:"priorities"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("analyze JSON: %v\n%s", err, out)
	}
	if sum.Responses != 1 {
		t.Errorf("analyze counted %d responses, want 1", sum.Responses)
	}
	if len(sum.Priorities) == 0 || sum.Priorities[0]["category"] != "drugs" {
		t.Errorf("top priority %v, want a drugs indicator", sum.Priorities[:min(1, len(sum.Priorities))])
	}

	code, _, errOut = qvoice(context.Background(), "serve", "--addr", freeAddr(t), "--data", data)
	if code != exitFailure || !strings.Contains(errOut, "locked") {
		t.Errorf("second serve: exit %d, stderr %q; want 1 and a lock message", code, errOut)
	}

	code, out, _ = qvoice(context.Background(), "analyze", "--survey", demo.Slug, "--data", data)
	if code != exitOK || !strings.Contains(out, "Top 10 improvement priorities") {
		t.Errorf("table output: exit %d\n%s", code, out)
	}

	stop()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exit %d after shutdown: %s", code, serveErr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	// After the server stopped, analyze owns the directory itself.
	code, out, errOut = qvoice(context.Background(), "analyze", "--survey", demo.Slug, "--data", data, "--format", "csv")
	if code != exitOK || !strings.HasPrefix(out, "category,indicator,") || strings.Count(out, "\n") != 1+49 {
		t.Errorf("csv after stop: exit %d, %d lines: %s", code, strings.Count(out, "\n"), errOut)
	}
}

// waitHealthy waits until the serve at base answers /healthz; done gives
// its exit code if it ends first. errOut, if not nil, is its standard
// error, quoted when it fails to come up.
func waitHealthy(tb testing.TB, base string, done <-chan int, errOut fmt.Stringer) {
	tb.Helper()
	quote := func() string {
		if errOut == nil {
			return ""
		}
		return ": " + errOut.String()
	}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			tb.Fatalf("serve exited early with %d%s", code, quote())
		default:
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatal("server never became healthy" + quote())
}

// Flags may follow the files, as the README writes them.
func TestSurveyImportFlagsAfterFiles(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "demo.yaml")
	if err := os.WriteFile(file, demo.Source(), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	code, out, errOut := qvoice(context.Background(), "survey", "import", file, "--data", data)
	if code != exitOK || !strings.Contains(out, "imported quality-month-demo") {
		t.Fatalf("import: exit %d: %s%s", code, out, errOut)
	}
	code, _, errOut = qvoice(context.Background(), "survey", "import", "--data", data, file)
	if code != exitFailure || !strings.Contains(errOut, "already stored") {
		t.Errorf("second import: exit %d: %s", code, errOut)
	}
}

// The researcher's full analysis from a CSV in the exchange format.
func TestAnalyzeCSVOut(t *testing.T) {
	csvPath := filepath.Join("..", "..", "analysis", "testdata", "survey_10k.csv.gz")
	defPath := filepath.Join("..", "..", "surveys", "demo", "quality-month-demo.yaml")
	margins := filepath.Join("..", "..", "analysis", "testdata", "margins.csv")
	out := t.TempDir()
	code, stdout, stderr := qvoice(context.Background(), "analyze", "--csv", csvPath, "--definition", defPath,
		"--margins", margins, "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	if len(files) != 14 {
		t.Errorf("wrote %d tables, want the oracle's 14", len(files))
	}
	lines := strings.Split(stdout, "\n")
	if len(lines) < 5 || !strings.HasPrefix(lines[2], "Top 10 improvement priorities") ||
		!strings.Contains(lines[4], "elderly_products") || !strings.Contains(lines[4], "instructions") {
		t.Errorf("summary does not lead with the top priority:\n%s", stdout)
	}

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"csv without definition", []string{"--csv", csvPath, "--out", out}, exitUsage, "--definition"},
		{"both sources", []string{"--csv", csvPath, "--definition", defPath, "--survey", "x"}, exitUsage, "either"},
		{"missing margins file", []string{"--csv", csvPath, "--definition", defPath, "--margins", "nope.csv", "--out", out}, exitFailure, "nope.csv"},
		{"unknown section", []string{"--csv", csvPath, "--definition", defPath, "--out", out, "--sections", "bogus"}, exitFailure, `unknown section "bogus"`},
		{"raking sections without margins", []string{"--csv", csvPath, "--definition", defPath, "--out", out, "--sections", "means"}, exitFailure, "margins"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := qvoice(context.Background(), append([]string{"analyze"}, tc.args...)...)
			if code != tc.wantCode || !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.wantCode, tc.wantErr)
			}
		})
	}
}
