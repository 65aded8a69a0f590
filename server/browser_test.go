package server_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts headless Chromium. Without Chromium the test is skipped
// on a developer machine and fails in CI, where .ci/run installs it.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found; .ci/run installs Debian's chromium", chromiumPath)
		}
		t.Skipf("%s not found (apt-get install -y chromium)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// screenshot saves a PNG when QVOICE_SCREENSHOTS names a directory, for
// people to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("QVOICE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

// noJavaScript turns script execution off in the page, as in WeChat's
// script-stripped copies of pages it considers risky.
func noJavaScript() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

func click(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel))
}

func radio(name, value string) chromedp.Action[chromedp.Void] {
	return click(`input[name="` + name + `"][value="` + value + `"]`)
}

// answerPages answers the form page by page in the browser, clicking the
// options of the questions each page asks, until the thank-you page, and
// returns the response code. onPage runs on each page before answering.
func answerPages(t *testing.T, ctx context.Context, answers map[string][]string, onPage func(n int)) string {
	t.Helper()
	for n := range 150 {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('response-code') !== null`))
		if err != nil {
			t.Fatal(err)
		}
		if done {
			code, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("response-code")))
			if err != nil {
				t.Fatal(err)
			}
			return strings.TrimSpace(code)
		}
		if onPage != nil {
			onPage(n)
		}
		names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`[...new Set([...document.querySelectorAll('form input[type=radio], form input[type=checkbox], form select, form textarea')].map(e => e.name))]`))
		if err != nil {
			t.Fatal(err)
		}
		var steps []chromedp.Action[chromedp.Void]
		for _, name := range names {
			for _, v := range answers[name] {
				if name == "province" {
					steps = append(steps, chromedp.SetValue(chromedp.CSS(`select[name="province"]`), v))
					continue
				}
				steps = append(steps, radio(name, v))
			}
		}
		before := pageMarker(t, ctx)
		steps = append(steps, click(`.nav button:last-child`))
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("page %d (%v): %v", n, names, err)
		}
		waitNewPage(t, ctx, before)
	}
	t.Fatal("the survey never ended")
	return ""
}

// pageMarker identifies the rendered page: its render time and URL.
func pageMarker(t *testing.T, ctx context.Context) string {
	m, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.readyState + '|' + location.href + '|' + ((document.querySelector('input[name="_t"]') || {}).value || '')`))
	if err != nil {
		return ""
	}
	return m
}

// waitNewPage waits until a page other than before has loaded.
func waitNewPage(t *testing.T, ctx context.Context, before string) {
	t.Helper()
	for range 200 {
		if m := pageMarker(t, ctx); m != before && strings.HasPrefix(m, "complete|") {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("no new page after %q", before)
}

func browserAnswers(categories ...string) map[string][]string {
	a := map[string][]string{"consent": {"adult_agree"}, "age_band": {"70_plus"}, "filled_by": {"self"},
		"rate_categories": categories, "overall_local_sat": {"6"}, "trend_vs_last_year": {"better"},
		"improve_first": {"food_safety"}, "had_problem": {"no"}, "household": {"elder_60_plus"},
		"status": {"retired"}, "region_type": {"urban_rural_fringe"}, "province": {"41"}}
	for _, c := range categories {
		for _, ind := range []string{"safety", "reliability", "labeling", "authenticity", "advertising_truth", "price_value",
			"after_sales", "ease_of_use", "instructions", "freshness", "taste_quality", "traceability", "efficacy", "access",
			"comfort", "performance", "energy_efficiency", "noise", "description_match", "delivery", "returns",
			"customer_service", "price_honesty", "privacy"} {
			a[c+"_imp_"+ind], a[c+"_sat_"+ind] = []string{"5"}, []string{"3"}
		}
		a[c+"_sat_traceability"] = []string{"na"}
		a[c+"_overall_sat"], a[c+"_recommend"] = []string{"7"}, []string{"8"}
	}
	return a
}

// TestBrowserPhoneForm answers the demo survey in headless Chromium at a
// phone's viewport, with JavaScript disabled, as a respondent in WeChat would.
func TestBrowserPhoneForm(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 667, chromedp.EmulateScale(2)),
		noJavaScript(),
		chromedp.Navigate(e.srv.URL+"/s/"+demo.Slug+"?src=2026zlm-xc-003&venue=school"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="consent"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	fontSize, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`parseFloat(getComputedStyle(document.body).fontSize)`))
	if err != nil || fontSize < 18 {
		t.Errorf("body font size %v px (err %v), want ≥ 18 (适老化)", fontSize, err)
	}
	minTarget, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
		`Math.min(...[...document.querySelectorAll('.opts label, button')].map(e => e.getBoundingClientRect().height))`))
	if err != nil || minTarget < 44 {
		t.Errorf("smallest tap target %v px (err %v), want ≥ 44", minTarget, err)
	}
	screenshot(t, ctx, "form-first")
	code := answerPages(t, ctx, browserAnswers("food"), func(n int) {
		if n == 3 {
			screenshot(t, ctx, "form-food")
		}
	})
	screenshot(t, ctx, "thanks")
	found := e.response(code)
	if found.Answers["food_imp_safety"] != 5 || found.Answers["food_sat_traceability"] != surveys.NAValue ||
		found.Answers.Code("province") != "41" || found.Venue != "school" {
		t.Errorf("stored answers %v venue %q", found.Answers, found.Venue)
	}
}

// TestBrowserElderTwoCategories: an elderly respondent in large-text mode,
// one question per screen at 360×640, rates two categories.
func TestBrowserElderTwoCategories(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 640, chromedp.EmulateScale(2)),
		chromedp.Navigate(e.srv.URL+"/s/"+demo.Slug),
		chromedp.WaitVisible(chromedp.CSS(`button[value="elder:on"]`)),
		click(`button[value="elder:on"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`main.elder`))); err != nil {
		t.Fatal(err)
	}
	size, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`parseFloat(getComputedStyle(document.querySelector('main')).fontSize)`))
	if err != nil || size < 22 {
		t.Errorf("large-text font %v px, want ≥ 22", size)
	}
	minTarget, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
		`Math.min(...[...document.querySelectorAll('.opts label, .nav button')].map(e => e.getBoundingClientRect().height))`))
	if err != nil || minTarget < 60 {
		t.Errorf("smallest large-text target %v px, want ≥ 60", minTarget)
	}
	screenshot(t, ctx, "elder-first")
	code := answerPages(t, ctx, browserAnswers("elderly_products", "drugs"), nil)
	r := e.response(code)
	if r.Answers["elderly_products_imp_instructions"] != 5 || r.Answers["drugs_recommend"] != 8 {
		t.Errorf("stored %v", r.Answers)
	}
}

// TestBrowserReloadAndBack reloads mid-survey and presses the browser's
// Back button: no answer is lost.
func TestBrowserReloadAndBack(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 667), chromedp.Navigate(e.srv.URL+"/s/"+demo.Slug),
		chromedp.WaitVisible(chromedp.CSS(`input[name="consent"]`))); err != nil {
		t.Fatal(err)
	}
	foodURL := ""
	code := answerPages(t, ctx, browserAnswers("food"), func(n int) {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		if n == 3 { // the food block
			foodURL = loc
		}
		if n != 4 { // on the page after the food block
			return
		}
		if !strings.Contains(foodURL, "/r/") {
			t.Fatalf("the food page was not served from a draft URL: %q", foodURL)
		}
		// Reload, then go back the way the phone's Back button does: pages
		// are Cache-Control: no-store, so Back re-requests the URL.
		if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`input[name="overall_local_sat"]`)),
			chromedp.Navigate(foodURL), chromedp.WaitVisible(chromedp.CSS(`input[name="food_imp_safety"]`))); err != nil {
			t.Fatal(err)
		}
		checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('input[name="food_imp_safety"][value="5"]').checked`))
		if err != nil || !checked {
			t.Errorf("after reload and Back the food answers are gone (err %v)", err)
		}
	})
	if r := e.response(code); r.Answers["food_imp_price_value"] != 5 {
		t.Errorf("stored %v", r.Answers)
	}
}

// TestBrowserDashboard draws the ECharts chart from this server's own origin.
func TestBrowserDashboard(t *testing.T) {
	e := newEnv(t)
	if resp, b := e.postJSON(apiPath, body("1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9", validAnswers())); resp.StatusCode != 201 {
		t.Fatalf("submit: %d %s", resp.StatusCode, b)
	}
	ctx := newBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	e.addUser(t, "browser", testPassword, surveys.RoleAdmin)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(e.srv.URL+"/dash/"+demo.Slug), // sent to sign in, then back
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "browser"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), testPassword),
		click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(`#chart-priority-ci[data-drawn="true"] canvas`)),
	)
	if err != nil {
		t.Fatalf("chart not drawn: %v", err)
	}
	// The chart is as tall as its ranking needs (the CSP forbids inline
	// style attributes, so dash.js sets it).
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](
		`(e => [e.clientHeight, parseInt(e.dataset.height, 10)])(document.getElementById('chart-priority-ci'))`))
	if err != nil || len(got) != 2 || got[0] != got[1] || got[1] < 100 {
		t.Errorf("chart height %v (err %v), want clientHeight = data-height", got, err)
	}
	screenshot(t, ctx, "dashboard")
}
