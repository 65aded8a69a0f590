package charts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/qvoice/qvoice/charts"
)

const chromiumPath = "/usr/bin/chromium"

// The server's copy of ECharts (installed by make assets) and its drawing
// script: the charts are drawn exactly as on the dashboard.
var (
	echartsJS = filepath.Join("..", "server", "static", "vendor", "echarts.min.js")
	dashJS    = filepath.Join("..", "server", "static", "dash.js")
)

// needBrowser skips the test on a developer machine without Chromium or
// the ECharts assets, and fails it in CI, where .ci/run installs both.
func needBrowser(t *testing.T) {
	t.Helper()
	_, err := exec.LookPath(chromiumPath)
	if err == nil {
		_, err = os.Stat(echartsJS)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v (.ci/run installs chromium, make assets installs ECharts)", err)
		}
		t.Skipf("%v (apt-get install -y chromium; make assets)", err)
	}
}

// chartPage is a page with the charts in dash.html's markup, loading
// ECharts and dash.js, recording errors and alerts.
func chartPage(cs []charts.Chart) []byte {
	var b bytes.Buffer
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><style>div{width:800px}</style>
<script>window.errors=[];window.alerted=false;window.alert=function(){window.alerted=true};
window.addEventListener('error',function(e){window.errors.push(String(e.message))});
console.error=function(){window.errors.push(Array.prototype.join.call(arguments,' '))};</script></head><body>`)
	for _, c := range cs {
		fmt.Fprintf(&b, `<div id="%s" data-height="%d"></div>`+"\n"+`<script type="application/json" data-chart="%s">%s</script>`+"\n",
			c.ElementID, c.Height, c.ElementID, c.Option)
	}
	b.WriteString(`<script src="/echarts.min.js"></script><script src="/dash.js"></script></body></html>`)
	return b.Bytes()
}

// hoverAll shows the tooltip of every data item of every chart and
// reports, per chart, whether dash.js drew it and the text of the first
// item's tooltip.
const hoverAll = `(function () {
  var out = {};
  document.querySelectorAll('div[id^="chart-"]').forEach(function (el) {
    var ch = echarts.getInstanceByDom(el), first = '';
    if (ch) {
      ch.getOption().series.forEach(function (s, si) {
        for (var di = 0; di < s.data.length; di++) {
          ch.dispatchAction({type: 'showTip', seriesIndex: si, dataIndex: di});
          if (si === 0 && di === 0) { first = el.innerText; }
        }
      });
    }
    out[el.id] = {drawn: el.getAttribute('data-drawn') === 'true', tip: first};
  });
  return JSON.stringify(out);
})()`

type drawn struct {
	Drawn bool
	Tip   string
}

// TestBuildersDrawInECharts draws every builder's golden inputs, and the
// same with a hostile first label, in ECharts 5.6 in Chromium: each option
// must draw without errors, every tooltip must open, and the hostile label
// must show as text in a tooltip without creating an element or running.
func TestBuildersDrawInECharts(t *testing.T) {
	needBrowser(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/echarts.min.js", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, echartsJS) })
	mux.HandleFunc("/dash.js", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, dashJS) })
	pages := map[string][]byte{}
	for _, first := range []string{"", hostile} {
		var cs []charts.Chart
		for _, tc := range builderCases(first) {
			c, err := tc.chart()
			if err != nil {
				t.Fatal(err)
			}
			cs = append(cs, c)
		}
		path := "/plain"
		if first != "" {
			path = "/hostile"
		}
		pages[path] = chartPage(cs)
	}
	pages["/empty"] = chartPage(emptyCharts(t))
	for path := range pages {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { w.Write(pages[path]) })
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx := newBrowser(t)
	for _, path := range []string{"/plain", "/hostile", "/empty"} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](hoverAll))
			if err != nil {
				t.Fatal(err)
			}
			var res map[string]drawn
			if err := json.Unmarshal([]byte(got), &res); err != nil {
				t.Fatal(err)
			}
			_ = chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)) // let a broken-out <img> fail to load
			errs, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.errors`))
			alerted, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.alerted || document.querySelectorAll('img').length > 0`))
			if len(errs) > 0 || alerted {
				t.Errorf("errors %q, alert or <img> %v", errs, alerted)
			}
			screenshot(t, ctx, "charts-"+strings.TrimPrefix(path, "/"))
			for _, tc := range builderCases("") {
				r, ok := res[tc.id]
				if !ok || !r.Drawn {
					t.Errorf("%s: not drawn (%+v)", tc.id, r)
				}
				if path == "/hostile" && !strings.Contains(r.Tip, hostile) {
					t.Errorf("%s: first tooltip %q does not show the label as text", tc.id, r.Tip)
				}
			}
		})
	}
}

// emptyCharts is every builder's chart of no input.
func emptyCharts(t *testing.T) []charts.Chart {
	t.Helper()
	var cs []charts.Chart
	for _, f := range []func() (charts.Chart, error){
		func() (charts.Chart, error) { return charts.PriorityWhiskers(nil, "") },
		func() (charts.Chart, error) { return charts.CategoryIndex(nil, "") },
		func() (charts.Chart, error) { return charts.IPAQuadrant(nil, nan, nan, charts.QuadrantLabels{}, "") },
		func() (charts.Chart, error) { return charts.GapHeatmap(nil, nil, nil, "") },
		func() (charts.Chart, error) { return charts.WeeklyTrend(nil, nil, "") },
		func() (charts.Chart, error) { return charts.GroupComparison(nil, "") },
		func() (charts.Chart, error) { return charts.ComplaintCounts(nil, "") },
		func() (charts.Chart, error) { return charts.NPSBars(nil, "") },
		func() (charts.Chart, error) {
			return charts.QuotaFill(nil, nil, nil, "", charts.NoData("暂无数据"))
		},
	} {
		c, err := f()
		if err != nil || !c.Empty {
			t.Fatalf("empty chart: %v, Empty %v", err, c.Empty)
		}
		cs = append(cs, c)
	}
	return cs
}

// screenshot saves a PNG of the page when QVOICE_SCREENSHOTS names a
// directory, for people to look at (after the charts' animation).
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("QVOICE_SCREENSHOTS")
	if dir == "" {
		return
	}
	_ = chromedp.Do(ctx, chromedp.Sleep(1500*time.Millisecond))
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

// newBrowser starts headless Chromium for the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}
