package server_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// pageWatch records what a page does that a dashboard must not: requests
// to another origin, console errors and uncaught exceptions.
type pageWatch struct {
	mu       sync.Mutex
	origin   string
	external []string
	errors   []string
}

func (w *pageWatch) event(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		if !strings.HasPrefix(u, w.origin+"/") && !strings.HasPrefix(u, "data:") {
			w.external = append(w.external, u)
		}
	case *runtime.EventExceptionThrown:
		w.errors = append(w.errors, "exception: "+ev.ExceptionDetails.Text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			w.errors = append(w.errors, string(ev.Type)+" on the console")
		}
	}
}

func (w *pageWatch) take() (external, errors []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	external, errors = w.external, w.errors
	w.external, w.errors = nil, nil
	return external, errors
}

// artifactDir is where the dashboard's screenshots go: QVOICE_ARTIFACTS,
// or a fixed folder under the temporary directory, named in the log.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("QVOICE_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "qvoice-artifacts")
	}
	dir = filepath.Join(dir, "dashboard")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserDashboardPages signs in through the login page in Chromium,
// opens every dashboard page of the demo survey with generated responses
// and the report, and checks that every chart canvas (or SVG) is drawn,
// the console has no error, and no request leaves the server's origin;
// it saves a screenshot of each page. Last, the account pages: refused to
// the regulator, shown to an admin.
func TestBrowserDashboardPages(t *testing.T) {
	e := newEnv(t)
	e.seed(t, 600, 3)
	e.addUser(t, "regulator1", testPassword, surveys.RoleRegulator)
	ctx := newBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	w := &pageWatch{origin: e.srv.URL}
	if err := chromedp.Listen(ctx, w.event); err != nil {
		t.Fatal(err)
	}
	enable := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, runtime.Enable, cdp.Empty{})
		return err
	})
	dir := artifactDir(t)
	err := chromedp.Do(ctx, enable, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(e.srv.URL+"/dash/"+demo.Slug),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "regulator1"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), testPassword),
		click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(`.dash-nav`)),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	pages := append([]string{}, dashPaths...)
	pages = append(pages, "/dash/"+demo.Slug+"?weight=raked&group=age_60plus&region_type=rural_village", "/dash/"+demo.Slug+"/report")
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+p))
			if err != nil {
				t.Fatal(err)
			}
			_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('.chart-box').length > 0 &&
					Array.from(document.querySelectorAll('.chart-box')).every(el => el.getAttribute('data-drawn') === 'true' && el.querySelector('canvas, svg'))`,
				chromedp.WithPollingTimeout(30*time.Second)))
			if err != nil {
				t.Fatalf("charts not drawn: %v", err)
			}
			name := strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "-").Replace(strings.TrimPrefix(p, "/"))
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
			if err == nil {
				_ = os.WriteFile(filepath.Join(dir, url.PathEscape(name)+".png"), png, 0o644)
			}
			external, errs := w.take()
			if len(external) > 0 {
				t.Errorf("requests to other origins: %v", external)
			}
			if len(errs) > 0 {
				t.Errorf("console: %v", errs)
			}
		})
	}
	// The report, printed to PDF as a colleague would get it: A4 pages
	// (the report's @page rule), the overview before the quadrants.
	t.Run("report printed to PDF", func(t *testing.T) {
		err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/dash/"+demo.Slug+"/report?group=age_60plus&region_type=rural_village"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](`Array.from(document.querySelectorAll('.chart-box')).every(el => el.getAttribute('data-drawn') === 'true')`,
			chromedp.WithPollingTimeout(30*time.Second)))
		if err != nil {
			t.Fatalf("report charts: %v", err)
		}
		var pdf []byte
		err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			prefer := true
			r, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
			pdf = r.Data
			return err
		}))
		if err != nil {
			t.Fatalf("print to PDF: %v", err)
		}
		pages := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page/")) + bytes.Count(pdf, []byte("/Type /Page>"))
		if !bytes.HasPrefix(pdf, []byte("%PDF")) || len(pdf) < 20_000 || pages < 2 {
			t.Fatalf("not a PDF report of several pages (%d bytes, %d pages)", len(pdf), pages)
		}
		_ = os.WriteFile(filepath.Join(dir, "report.pdf"), pdf, 0o644)
		t.Logf("report.pdf: %d bytes, about %d pages", len(pdf), pages)
	})
	// The account pages: refused to the regulator, then signed in as an
	// admin, the list with its add form, drawn without a script.
	t.Run("admin accounts", func(t *testing.T) {
		e.addUser(t, "admin1", testPassword, surveys.RoleAdmin)
		err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/admin/users"))
		heading, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`h1`)))
		if err != nil || heading != "无权访问" && heading != "No access" {
			t.Fatalf("the regulator at /admin/users: %q, %v; want the 403 page", heading, err)
		}
		err = chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/login?next=/admin/users"),
			chromedp.SendKeys(chromedp.CSS(`#f-name`), "admin1"),
			chromedp.SendKeys(chromedp.CSS(`#f-password`), testPassword),
			click(`form[action="/login"] button[type=submit]`),
			chromedp.WaitVisible(chromedp.CSS(`table.accounts`)),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/users"] #f-name`)))
		if err != nil {
			t.Fatalf("the admin at /admin/users: %v", err)
		}
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "admin_users.png"), png, 0o644)
		}
		external, errs := w.take()
		if len(external) > 0 || len(errs) > 0 {
			t.Errorf("requests to other origins %v, console %v", external, errs)
		}
	})
	t.Logf("screenshots in %s", dir)
}
