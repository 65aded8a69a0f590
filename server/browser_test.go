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
	screenshot(t, ctx, "form-step1")

	err = chromedp.Do(ctx,
		radio("consent", "adult_agree"), radio("age_band", "60_69"), radio("filled_by", "self"),
		click(`input[name="rate_categories"][value="food"]`),
		click(`button[value="next"]`),
		chromedp.WaitVisible(chromedp.CSS(`input[name="food_imp_safety"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	steps := []chromedp.Action[chromedp.Void]{}
	for _, ind := range []string{"safety", "freshness", "labeling", "authenticity", "taste_quality", "price_value", "traceability"} {
		steps = append(steps, radio("food_imp_"+ind, "5"), radio("food_sat_"+ind, "3"))
	}
	steps = append(steps,
		radio("food_sat_traceability", "na"),
		radio("food_overall_sat", "7"), radio("food_recommend", "8"), radio("overall_local_sat", "6"),
		radio("trend_vs_last_year", "better"), click(`input[name="improve_first"][value="food_safety"]`),
		radio("had_problem", "no"), click(`input[name="household"][value="elder_60_plus"]`),
		radio("status", "retired"), radio("region_type", "urban_rural_fringe"),
		chromedp.SetValue(chromedp.CSS(`select[name="province"]`), "41"),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "form-step2")
	if err := chromedp.Do(ctx, click(`button[value="submit"]`), chromedp.WaitVisible(chromedp.ID("response-code"))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "thanks")
	code, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("response-code")))
	if err != nil {
		t.Fatal(err)
	}
	code = strings.TrimSpace(code)

	var found *surveys.Response
	err = e.store.EachResponse(context.Background(), demo.Slug, func(r *surveys.Response) error {
		if r.Code == code {
			found = r
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == nil {
		t.Fatalf("response %q not in the store", code)
	}
	if found.Answers["food_imp_safety"] != 5 || found.Answers["food_sat_traceability"] != surveys.NAValue ||
		found.Answers.Code("province") != "41" || found.Venue != "school" {
		t.Errorf("stored answers %v venue %q", found.Answers, found.Venue)
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
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(e.srv.URL+"/dash/"+demo.Slug),
		chromedp.WaitVisible(chromedp.CSS(`#chart-priority[data-drawn="true"] canvas`)),
	)
	if err != nil {
		t.Fatalf("chart not drawn: %v", err)
	}
	// The chart is as tall as its ranking needs (the CSP forbids inline
	// style attributes, so dash.js sets it).
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](
		`(e => [e.clientHeight, parseInt(e.dataset.height, 10)])(document.getElementById('chart-priority'))`))
	if err != nil || len(got) != 2 || got[0] != got[1] || got[1] < 100 {
		t.Errorf("chart height %v (err %v), want clientHeight = data-height", got, err)
	}
	screenshot(t, ctx, "dashboard")
}
