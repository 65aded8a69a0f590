package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// TestHostileDashAccess: every dashboard route refuses a request without a
// valid session however the cookie is made: none, a disabled account's
// session, garbage of every shape, a well-formed token no store knows, and
// a session of another server's database. A page is answered 303 to the
// sign-in page (with next), a CSV 401; nothing of the dashboard is shown.
func TestHostileDashAccess(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{SessionCacheTTL: time.Nanosecond}, nil)
	leaver := e.addUser(t, "leaver", testPassword, surveys.RoleAdmin)
	disabled := e.loginCookie(t, "leaver", testPassword)
	leaver.Disabled = true
	if err := e.accounts().UpdateUser(context.Background(), leaver); err != nil {
		t.Fatal(err)
	}
	elsewhere, _ := newEnvWith(t, server.Config{}, nil) // another database
	elsewhere.addUser(t, "admin", testPassword, surveys.RoleAdmin)
	foreign := elsewhere.loginCookie(t, "admin", testPassword)
	e.addUser(t, "root", testPassword, surveys.RoleRegulator) // the account of /admin/users/root
	valid := e.loginCookie(t, e.addUser(t, "ok", testPassword, surveys.RoleAdmin).Name, testPassword)
	n := len(valid.Value)
	cookies := []struct{ name, header string }{
		{"no cookie", ""},
		{"a disabled account's session", "qvoice_session=" + disabled.Value},
		{"another server's session", "qvoice_session=" + foreign.Value},
		{"a well-formed unknown token", "qvoice_session=" + strings.Repeat("Q", n)},
		{"empty", "qvoice_session="},
		{"one character short", "qvoice_session=" + valid.Value[:n-1]},
		{"one character long", "qvoice_session=" + valid.Value + "A"},
		{"not base64", "qvoice_session=" + strings.Repeat("!", n)},
		{"padded base64", "qvoice_session=" + valid.Value[:n-2] + "=="},
		{"a 4 KB value", "qvoice_session=" + strings.Repeat("A", 4096)},
		{"an operator", `qvoice_session={"$gt":""}`},
		{"quoted", `qvoice_session="` + strings.Repeat("Q", n) + `"`},
		{"the valid token under another name", "session=" + valid.Value},
		{"the valid token in upper case", "qvoice_session=" + strings.ToUpper(valid.Value)},
	}
	for _, path := range hostileDashPaths {
		for _, ck := range cookies {
			t.Run(ck.name+" "+path, func(t *testing.T) {
				e.t = t
				var header []string
				if ck.header != "" {
					header = []string{"Cookie", ck.header}
				}
				resp, body := e.sendReq(newClient(), http.MethodGet, path, nil, header...)
				if strings.HasSuffix(path, ".csv") {
					if resp.StatusCode != http.StatusUnauthorized {
						t.Errorf("%d, want 401", resp.StatusCode)
					}
				} else if want := "/login?next=" + url.QueryEscape(path); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
					t.Errorf("%d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
				}
				if strings.Contains(body, "<table") || strings.Contains(body, "data-chart") || strings.Contains(body, ",") {
					t.Errorf("the refusal shows dashboard content: %.200s", body)
				}
			})
		}
	}
	// The valid session opens every route: the refusals above are for the
	// cookie, not the path.
	e.t = t
	for _, path := range hostileDashPaths {
		if resp, _ := e.get(path, "Cookie", "qvoice_session="+valid.Value); resp.StatusCode != http.StatusOK {
			t.Errorf("%s with a valid session: %d, want 200", path, resp.StatusCode)
		}
	}
}

// TestHostileSessionRotation: session fixation beyond TestSessionFixation.
// No cookie a browser holds before signing in (the login-form cookie, a
// planted session) is the session afterwards; every sign-in makes a new
// token, even for the same account in the same browser, and the token it
// replaces is dead; the cookie is HttpOnly and SameSite.
func TestHostileSessionRotation(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	e.addUser(t, "admin", testPassword, surveys.RoleAdmin)
	c := newClient()
	u, _ := url.Parse(e.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "qvoice_session", Value: strings.Repeat("Z", 43), Path: "/"}})
	_, _ = e.getWith(c, "/login")
	before := map[string]bool{}
	for _, p := range []string{"/", "/login", "/dash"} {
		pu, _ := url.Parse(e.srv.URL + p)
		for _, ck := range c.Jar.Cookies(pu) {
			before[ck.Value] = true
		}
	}
	resp, _ := e.postLogin(t, c, "admin", testPassword, "")
	first := sessionCookieOf(resp)
	if resp.StatusCode != http.StatusSeeOther || first == nil {
		t.Fatalf("sign-in: %d, cookie %v", resp.StatusCode, first)
	}
	if before[first.Value] {
		t.Error("the session token is a cookie the browser held before signing in")
	}
	if !first.HttpOnly || first.SameSite != http.SameSiteLaxMode && first.SameSite != http.SameSiteStrictMode {
		t.Errorf("session cookie HttpOnly=%v SameSite=%v", first.HttpOnly, first.SameSite)
	}
	// Signing in again in the same, signed-in browser.
	resp, _ = e.postLogin(t, c, "admin", testPassword, "")
	second := sessionCookieOf(resp)
	if resp.StatusCode != http.StatusSeeOther || second == nil || second.Value == first.Value {
		t.Fatalf("second sign-in: %d, cookie %v; want a new token", resp.StatusCode, second)
	}
	if resp, _ := e.get("/dash/"+demo.Slug, "Cookie", "qvoice_session="+first.Value); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the token a second sign-in replaced: %d, want 303", resp.StatusCode)
	}
	if resp, _ := e.get("/dash/"+demo.Slug, "Cookie", "qvoice_session="+second.Value); resp.StatusCode != http.StatusOK {
		t.Errorf("the new token: %d, want 200", resp.StatusCode)
	}
}
