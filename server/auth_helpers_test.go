package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
)

// How a test signs in to the dashboard:
//
//	e := newEnv(t)
//	e.signIn(t)                    // e.get and e.postForm now carry an admin's session
//	c := e.loginAs(t, surveys.RoleRegulator, "32") // or a client of a regulator of Jiangsu
//	resp, page := e.getWith(c, "/dash/"+demo.Slug)
//	token := csrfOf(t, page)       // the _csrf of the session, for forms that post
//	token = e.logoutToken(t, c)    // the same token, from the sign-out form of /login
//
// For a browser (chromedp) or a client without a jar, loginCookie gives the
// session cookie itself.

// testPassword is the password of the accounts tests make.
const testPassword = "correct horse battery staple"

var userSeq atomic.Int64

// accounts is the test store's account storage.
func (e *env) accounts() surveys.Accounts {
	e.t.Helper()
	a, ok := e.store.(surveys.Accounts)
	if !ok {
		e.t.Fatalf("the test store %T keeps no accounts", e.store)
	}
	return a
}

// addUser stores an account with the password and returns it.
func (e *env) addUser(t *testing.T, name, password string, role surveys.Role, provinces ...string) *surveys.User {
	t.Helper()
	hash, err := server.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	u := &surveys.User{Name: name, Role: role, Provinces: provinces, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	if err := e.accounts().PutUser(context.Background(), u); err != nil {
		t.Fatalf("add user %s: %v", name, err)
	}
	return u
}

// newClient is a browser: its own cookie jar, redirects not followed.
func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs in as name through the sign-in page and returns the client,
// which now carries the session cookie.
func (e *env) login(t *testing.T, name, password string) *http.Client {
	t.Helper()
	c := newClient()
	resp, _ := e.postLogin(t, c, name, password, "")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d, want 303", name, resp.StatusCode)
	}
	return c
}

// loginAs makes a new account of role (limited to provinces, if any) and
// returns a client signed in to it.
func (e *env) loginAs(t *testing.T, role surveys.Role, provinces ...string) *http.Client {
	t.Helper()
	name := fmt.Sprintf("%s%d", role, userSeq.Add(1))
	e.addUser(t, name, testPassword, role, provinces...)
	return e.login(t, name, testPassword)
}

// signIn makes e's own client (e.get, e.postForm, …) a signed-in admin.
func (e *env) signIn(t *testing.T) {
	t.Helper()
	e.http = e.loginAs(t, surveys.RoleAdmin)
}

// loginCookie signs in as name and returns the session cookie.
func (e *env) loginCookie(t *testing.T, name, password string) *http.Cookie {
	t.Helper()
	c := e.login(t, name, password)
	u, _ := url.Parse(e.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "qvoice_session" {
			return ck
		}
	}
	t.Fatal("no session cookie after signing in")
	return nil
}

// postLogin gets the sign-in page with client c, then posts its form with
// name and password (next: the page's ?next=).
func (e *env) postLogin(t *testing.T, c *http.Client, name, password, next string) (*http.Response, string) {
	t.Helper()
	path := "/login"
	if next != "" {
		path += "?next=" + url.QueryEscape(next)
	}
	resp, page := e.getWith(c, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	v := formValues(t, page, "/login")
	v.Set("name", name)
	v.Set("password", password)
	return e.send(c, http.MethodPost, "/login", v)
}

// getWith is e.get with another client.
func (e *env) getWith(c *http.Client, path string, header ...string) (*http.Response, string) {
	e.t.Helper()
	return e.sendReq(c, http.MethodGet, path, nil, header...)
}

// send posts form values with client c.
func (e *env) send(c *http.Client, method, path string, v url.Values, header ...string) (*http.Response, string) {
	e.t.Helper()
	return e.sendReq(c, method, path, strings.NewReader(v.Encode()), append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)...)
}

// sendReq sends a request with client c to path on e's server, or to a full
// URL, and returns the response and its body.
func (e *env) sendReq(c *http.Client, method, path string, body io.Reader, header ...string) (*http.Response, string) {
	e.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = e.srv.URL + path
	}
	req, err := http.NewRequest(method, path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(b)
}

// serverOnSameStore starts another server over e's database, as a second
// machine behind a load balancer would be, and returns its base URL.
func (e *env) serverOnSameStore(t *testing.T, cfg server.Config) string {
	t.Helper()
	if cfg.Secret == nil {
		cfg.Secret = testSecret
	}
	s, err := server.New(cfg, e.store)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

// formValues reads the hidden inputs of the page's form that posts to
// action.
func formValues(t *testing.T, page, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{}
	found := false
	eachElement(doc, func(n *html.Node) {
		if a, _ := attr(n, "action"); n.Data != "form" || a != action {
			return
		}
		found = true
		eachElement(n, func(in *html.Node) {
			if typ, _ := attr(in, "type"); in.Data == "input" && typ == "hidden" {
				name, _ := attr(in, "name")
				val, _ := attr(in, "value")
				v.Add(name, val)
			}
		})
	})
	if !found {
		t.Fatalf("the page has no form posting to %s", action)
	}
	return v
}

// csrfOf is the _csrf hidden value of the page's first form that has one
// (a dashboard page's forms all carry the session's token).
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	tok := ""
	eachElement(doc, func(n *html.Node) {
		if name, _ := attr(n, "name"); tok == "" && n.Data == "input" && name == "_csrf" {
			tok, _ = attr(n, "value")
		}
	})
	if tok == "" {
		t.Fatal("the page has no _csrf field")
	}
	return tok
}

// logoutToken is the CSRF token of client c's session, read from the
// sign-out form that the sign-in page shows a signed-in browser.
func (e *env) logoutToken(t *testing.T, c *http.Client) string {
	t.Helper()
	_, page := e.getWith(c, "/login")
	tok := formValues(t, page, "/logout").Get("_csrf")
	if tok == "" {
		t.Fatal("the sign-out form has no _csrf")
	}
	return tok
}

// clientWith is a new client whose jar holds the cookie ck.
func (e *env) clientWith(ck *http.Cookie) *http.Client {
	c := newClient()
	u, _ := url.Parse(e.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/"}})
	return c
}

// sessionCookieOf is the qvoice_session cookie a response sets, or nil.
func sessionCookieOf(resp *http.Response) *http.Cookie {
	for _, ck := range resp.Cookies() {
		if ck.Name == "qvoice_session" {
			return ck
		}
	}
	return nil
}
