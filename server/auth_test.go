package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// genericRefusal is the start of the one answer to every failed sign-in,
// whatever the reason, so names cannot be probed.
const genericRefusal = "Wrong name or password, or the account is locked for a while."

// testClock is a clock a test moves.
type testClock struct{ ns atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.ns.Store(fixedClock().UnixNano())
	return c
}

func (c *testClock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *testClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// auditActions lists the actions of the audit log for user, oldest first.
func (e *env) auditActions(t *testing.T, user string) []surveys.AuditAction {
	t.Helper()
	evs, err := e.accounts().AuditEvents(context.Background(), surveys.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var out []surveys.AuditAction
	for _, ev := range evs {
		if ev.User == user {
			out = append(out, ev.Action)
		}
	}
	return out
}

func TestLoginSetsSessionCookie(t *testing.T) {
	tests := []struct {
		name       string
		header     []string
		wantSecure bool
	}{
		{"plain HTTP", nil, false},
		{"HTTPS at a trusted proxy", []string{"X-Forwarded-Proto", "https", "X-Forwarded-For", "203.0.113.9"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := newEnvWith(t, server.Config{TrustedProxies: []string{"127.0.0.0/8"}}, nil)
			e.addUser(t, "js.regulator", testPassword, surveys.RoleRegulator, "32")
			c := newClient()
			resp, page := e.getWith(c, "/login", tc.header...)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /login: %d", resp.StatusCode)
			}
			v := formValues(t, page, "/login")
			v.Set("name", "js.regulator")
			v.Set("password", testPassword)
			resp, _ = e.send(c, http.MethodPost, "/login", v, tc.header...)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dash" {
				t.Fatalf("POST /login: %d to %q, want 303 to the survey list /dash", resp.StatusCode, resp.Header.Get("Location"))
			}
			ck := sessionCookieOf(resp)
			if ck == nil {
				t.Fatal("no session cookie")
			}
			set := resp.Header.Get("Set-Cookie")
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge != 12*3600 || ck.Secure != tc.wantSecure {
				t.Errorf("Set-Cookie %q: want HttpOnly, SameSite=Lax, Path=/, Max-Age=43200, Secure %v", set, tc.wantSecure)
			}
			if len(ck.Value) != 43 {
				t.Errorf("session token %q: want 32 random bytes in base64url", ck.Value)
			}
			// The store keeps the token's hash, never the token.
			ctx := context.Background()
			sess, err := e.accounts().Session(ctx, surveys.SessionIDHash(ck.Value))
			if err != nil || sess.User != "js.regulator" {
				t.Errorf("stored session = %+v, %v; want one of js.regulator under the token's hash", sess, err)
			}
			if _, err := e.accounts().Session(ctx, ck.Value); !errors.Is(err, surveys.ErrNotFound) {
				t.Errorf("the store holds the token itself: %v", err)
			}
			if resp, _ := e.getWith(c, "/dash/"+demo.Slug); resp.StatusCode != http.StatusOK {
				t.Errorf("dashboard with the session: %d", resp.StatusCode)
			}
			if got := e.auditActions(t, "js.regulator"); !cmp.Equal(got, []surveys.AuditAction{surveys.AuditLogin}) {
				t.Errorf("audit log %v, want one login", got)
			}
		})
	}
}

func TestLoginRefusals(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	e.addUser(t, "admin", testPassword, surveys.RoleAdmin)
	off := e.addUser(t, "gone", testPassword, surveys.RoleRegulator)
	off.Disabled = true
	if err := e.accounts().UpdateUser(context.Background(), off); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, user, password string }{
		{"wrong password", "admin", testPassword + "!"},
		{"unknown name", "nobody", testPassword},
		{"disabled account", "gone", testPassword},
		{"empty form", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, page := e.postLogin(t, newClient(), tc.user, tc.password, "")
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "用户名或密码错误，或该账号已被暂时锁定") {
				t.Errorf("%d, want 401 with the generic message", resp.StatusCode)
			}
			if sessionCookieOf(resp) != nil {
				t.Error("a refused sign-in set a session cookie")
			}
		})
	}
	if got := e.auditActions(t, "admin"); !cmp.Equal(got, []surveys.AuditAction{surveys.AuditLoginFailed}) {
		t.Errorf("audit of admin %v, want one login_failed", got)
	}
	evs, _ := e.accounts().AuditEvents(context.Background(), surveys.AuditQuery{})
	for _, ev := range evs {
		if ev.User == "nobody" || strings.Contains(ev.ClientHash, "127.0.0.1") {
			t.Errorf("the audit log holds a typed unknown name or the address: %+v", ev)
		}
	}
}

// TestLockout: five failures lock the name for 15 minutes, even for the
// right password, with the same message; other names are not affected;
// unknown names lock the same way; a success starts the count again.
func TestLockout(t *testing.T) {
	clock := newTestClock()
	e, _ := newEnvWith(t, server.Config{Now: clock.now}, nil)
	e.addUser(t, "admin", testPassword, surveys.RoleAdmin)
	e.addUser(t, "other", testPassword, surveys.RoleAdmin)
	try := func(user, password string) int {
		t.Helper()
		resp, page := e.postLogin(t, newClient(), user, password, "")
		if resp.StatusCode == http.StatusUnauthorized && !strings.Contains(page, "用户名或密码错误") {
			t.Errorf("refusal without the generic message")
		}
		return resp.StatusCode
	}
	// A success resets the count: 4 failures, a success, 4 failures.
	for range 4 {
		try("admin", "wrong password 1")
	}
	if got := try("admin", testPassword); got != http.StatusSeeOther {
		t.Fatalf("sign in after 4 failures: %d, want 303", got)
	}
	for range 4 {
		try("admin", "wrong password 2")
	}
	if got := try("admin", testPassword); got != http.StatusSeeOther {
		t.Fatalf("sign in after 4 more failures: %d, want 303 (a success resets the count)", got)
	}
	for range 5 {
		clock.advance(time.Minute)
		try("admin", "wrong password 3")
	}
	if got := try("admin", testPassword); got != http.StatusUnauthorized {
		t.Errorf("right password after 5 failures: %d, want 401 (locked)", got)
	}
	if got := try("other", testPassword); got != http.StatusSeeOther {
		t.Errorf("another account during the lock: %d, want 303", got)
	}
	clock.advance(14 * time.Minute)
	if got := try("admin", testPassword); got != http.StatusUnauthorized {
		t.Errorf("right password 14 minutes after the fifth failure: %d, want 401", got)
	}
	clock.advance(time.Minute)
	if got := try("admin", testPassword); got != http.StatusSeeOther {
		t.Errorf("right password 15 minutes after the fifth failure: %d, want 303", got)
	}
	acts := e.auditActions(t, "admin")
	if n := strings.Count(strings.Join(toStrings(acts), " "), "locked_out"); n != 2 {
		t.Errorf("audit of admin %v: %d locked_out, want 2", acts, n)
	}

	// Unknown names lock too, so a lock tells nothing about a name.
	for range 6 {
		if got := try("nobody", "x"); got != http.StatusUnauthorized {
			t.Fatalf("unknown name: %d", got)
		}
	}
	evs, _ := e.accounts().AuditEvents(context.Background(), surveys.AuditQuery{})
	if last := evs[len(evs)-1]; last.Action != surveys.AuditLockedOut || !strings.HasPrefix(last.User, "unknown:") {
		t.Errorf("sixth try of an unknown name recorded as %+v, want locked_out of unknown:HASH", last)
	}
}

func toStrings(as []surveys.AuditAction) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}

// TestLoginRateLimit: ten sign-in posts a minute per address; the
// eleventh gets 429, other addresses are not affected, and a minute later
// the address may try again.
func TestLoginRateLimit(t *testing.T) {
	clock := newTestClock()
	e, _ := newEnvWith(t, server.Config{Now: clock.now, TrustedProxies: []string{"127.0.0.0/8"}}, nil)
	post := func(addr string) (*http.Response, string) {
		t.Helper()
		c := newClient()
		_, page := e.getWith(c, "/login")
		v := formValues(t, page, "/login")
		v.Set("name", "nobody"+addr)
		v.Set("password", "x")
		return e.send(c, http.MethodPost, "/login", v, "X-Forwarded-For", addr)
	}
	for i := range 10 {
		if resp, _ := post("198.51.100.7"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	resp, page := post("198.51.100.7")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(page, "登录尝试太频繁") {
		t.Errorf("eleventh attempt: %d, Retry-After %q; want 429 with the sign-in page", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ := post("198.51.100.8"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("another address: %d, want 401", resp.StatusCode)
	}
	clock.advance(61 * time.Second)
	if resp, _ := post("198.51.100.7"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a minute later: %d, want 401", resp.StatusCode)
	}
}

// TestCSRF: the sign-in form, the sign-out form and every state-changing
// dashboard request need the token.
func TestCSRF(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	e.addUser(t, "admin", testPassword, surveys.RoleAdmin)
	c := newClient()
	_, page := e.getWith(c, "/login")
	good := formValues(t, page, "/login")
	good.Set("name", "admin")
	good.Set("password", testPassword)
	with := func(key, val string) url.Values {
		v := url.Values{}
		for k, vs := range good {
			v[k] = vs
		}
		if val == "" {
			v.Del(key)
		} else {
			v.Set(key, val)
		}
		return v
	}
	signedIn := e.login(t, "admin", testPassword)
	tests := []struct {
		name   string
		client *http.Client
		path   string
		form   url.Values
		header []string
	}{
		{"sign-in without a token", c, "/login", with("_csrf", ""), nil},
		{"sign-in with a wrong token", c, "/login", with("_csrf", "AAAA"), nil},
		{"sign-in without the cookie", newClient(), "/login", good, nil},
		{"sign-in from another site", c, "/login", good, []string{"Sec-Fetch-Site", "cross-site"}},
		{"sign-out without a token", signedIn, "/logout", url.Values{}, nil},
		{"sign-out with the sign-in token", signedIn, "/logout", url.Values{"_csrf": good["_csrf"]}, nil},
		{"dashboard post without a token", signedIn, "/dash/" + demo.Slug + "/anything", url.Values{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, page := e.send(tc.client, http.MethodPost, tc.path, tc.form, tc.header...)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "表单已过期") {
				t.Errorf("%d, want 403 with the explanation", resp.StatusCode)
			}
			if sessionCookieOf(resp) != nil {
				t.Error("a refused post set a session cookie")
			}
		})
	}
	if resp, _ := e.getWith(signedIn, "/dash/"+demo.Slug); resp.StatusCode != http.StatusOK {
		t.Errorf("after the refused sign-outs the session ends: %d", resp.StatusCode)
	}
	// With the session's token a dashboard post passes the check (and
	// finds no such page).
	token := e.logoutToken(t, signedIn)
	if resp, _ := e.send(signedIn, http.MethodPost, "/dash/"+demo.Slug+"/anything", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("dashboard post with the token: %d, want 404", resp.StatusCode)
	}
	if resp, _ := e.send(signedIn, http.MethodPost, "/dash/"+demo.Slug+"/anything", url.Values{}, "X-CSRF-Token", token); resp.StatusCode != http.StatusNotFound {
		t.Errorf("dashboard post with the token in X-CSRF-Token: %d, want 404", resp.StatusCode)
	}
	if resp, _ := e.send(c, http.MethodPost, "/login", good); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in with the token: %d, want 303", resp.StatusCode)
	}
}

// TestLogout: signing out ends the session at once on this server, and on
// another server sharing the database once its cache (SessionCacheTTL)
// expires; the cookie is cleared.
func TestLogout(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	e.addUser(t, "admin", testPassword, surveys.RoleAdmin)
	c := e.login(t, "admin", testPassword)
	second := e.clientWith(e.loginCookie(t, "admin", testPassword)) // another browser of the same account
	other := e.serverOnSameStore(t, server.Config{SessionCacheTTL: time.Nanosecond})
	if resp, _ := e.sendReq(second, http.MethodGet, other+"/dash/"+demo.Slug, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("the second session on another server: %d", resp.StatusCode)
	}

	resp, _ := e.send(c, http.MethodPost, "/logout", url.Values{"_csrf": {e.logoutToken(t, c)}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?signed_out=1") {
		t.Fatalf("POST /logout: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if cleared := sessionCookieOf(resp); cleared == nil || cleared.MaxAge >= 0 {
		t.Errorf("sign-out does not clear the cookie: %v", cleared)
	}
	if _, page := e.getWith(c, resp.Header.Get("Location")); !strings.Contains(page, "您已退出登录") || strings.Contains(page, `action="/logout"`) {
		t.Error("the sign-in page after sign-out does not say so, or still offers to sign out")
	}
	if resp, _ := e.getWith(c, "/dash/"+demo.Slug); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("dashboard after sign-out: %d, want 303 to the sign-in page", resp.StatusCode)
	}

	// The second browser signs out on this server; the other server, whose
	// cache lasts a nanosecond here (30 s by default), refuses it too.
	if resp, _ := e.send(second, http.MethodPost, "/logout", url.Values{"_csrf": {e.logoutToken(t, second)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second sign-out: %d", resp.StatusCode)
	}
	if resp, _ := e.sendReq(second, http.MethodGet, other+"/dash/"+demo.Slug, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the signed-out session on the other server: %d, want 303", resp.StatusCode)
	}
	acts := e.auditActions(t, "admin")
	if want := []surveys.AuditAction{"login", "login", "logout", "logout"}; !cmp.Equal(want, acts) {
		t.Errorf("audit %v, want %v", acts, want)
	}
}

// TestDashRequiresLogin: every /dash route, existing or not, refuses an
// anonymous request: a page request is sent to sign in, a data request
// gets 401.
func TestDashRequiresLogin(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, path string
		header     []string
		want       int
		wantLoc    string
	}{
		{"dashboard", "/dash/" + demo.Slug, nil, http.StatusSeeOther, "/login?next=%2Fdash%2F" + demo.Slug},
		{"dashboard in English", "/dash/" + demo.Slug + "?lang=en", nil, http.StatusSeeOther, "/login?lang=en&next=%2Fdash%2F" + demo.Slug + "%3Flang%3Den"},
		{"dashboard index", "/dash", nil, http.StatusSeeOther, "/login?next=%2Fdash"},
		{"unknown page", "/dash/" + demo.Slug + "/export/x", nil, http.StatusSeeOther, "/login?next=%2Fdash%2F" + demo.Slug + "%2Fexport%2Fx"},
		{"JSON by Accept", "/dash/" + demo.Slug, []string{"Accept", "application/json"}, http.StatusUnauthorized, ""},
		{"CSV by Accept", "/dash/" + demo.Slug, []string{"Accept", "text/csv"}, http.StatusUnauthorized, ""},
		{"CSV by path", "/dash/" + demo.Slug + "/responses.csv", nil, http.StatusUnauthorized, ""},
		{"JSON by path", "/dash/" + demo.Slug + "/summary.json", nil, http.StatusUnauthorized, ""},
		{"browser Accept", "/dash/" + demo.Slug, []string{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, http.StatusSeeOther, "/login?next=%2Fdash%2F" + demo.Slug},
		{"forged cookie", "/dash/" + demo.Slug, []string{"Cookie", "qvoice_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, http.StatusSeeOther, "/login?next=%2Fdash%2F" + demo.Slug},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.get(tc.path, tc.header...)
			if resp.StatusCode != tc.want || resp.Header.Get("Location") != tc.wantLoc {
				t.Errorf("%d to %q, want %d to %q", resp.StatusCode, resp.Header.Get("Location"), tc.want, tc.wantLoc)
			}
			if strings.Contains(body, "质量提升优先级") {
				t.Error("the refusal shows the dashboard")
			}
			if tc.want == http.StatusUnauthorized && strings.Contains(tc.path+strings.Join(tc.header, ""), "json") {
				var msg struct{ Error string }
				if err := json.Unmarshal([]byte(body), &msg); err != nil || msg.Error == "" {
					t.Errorf("401 body %q, want JSON with an error", body)
				}
			}
		})
	}
}

// TestLoginNext: after signing in, next is followed only to a dashboard
// or admin path of this site.
func TestLoginNext(t *testing.T) {
	clock := newTestClock()
	e, _ := newEnvWith(t, server.Config{Now: clock.now}, nil)
	e.addUser(t, "admin", testPassword, surveys.RoleAdmin)
	landing := "/dash" // the survey list
	tests := []struct{ next, want string }{
		{"/dash/" + demo.Slug + "?lang=en", "/dash/" + demo.Slug + "?lang=en"},
		{"/dash", "/dash"},
		{"/admin/users?lang=en", "/admin/users?lang=en"},
		{"/administrator", landing},
		{"/admin/../s/" + demo.Slug, landing},
		{"https://evil.example", landing},
		{"//evil.example", landing},
		{"/\\evil.example", landing},
		{"/dash//evil.example", landing},
		{"/dashboard.evil.example", landing},
		{"/dash/../s/" + demo.Slug, landing},
		{"/dash/%2e%2e/login", landing},
		{"/dash/x\r\nSet-Cookie: a=b", landing},
		{"javascript:alert(1)", landing},
		{"/s/" + demo.Slug, landing},
	}
	for _, tc := range tests {
		t.Run(tc.next, func(t *testing.T) {
			clock.advance(time.Minute) // below the sign-in rate limit
			c := newClient()
			_, page := e.getWith(c, "/login?next="+url.QueryEscape(tc.next))
			if tc.want == landing && strings.Contains(page, "evil") {
				t.Errorf("the sign-in page carries the refused next")
			}
			v := formValues(t, page, "/login")
			v.Set("name", "admin")
			v.Set("password", testPassword)
			v.Set("next", tc.next) // as a forged form would
			resp, _ := e.send(c, http.MethodPost, "/login", v)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tc.want {
				t.Errorf("%d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), tc.want)
			}
		})
	}
}

// TestSessionFixation: a session cookie planted before sign-in is never
// signed in: the sign-in makes a new token and ends the planted session.
func TestSessionFixation(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "victim", testPassword, surveys.RoleAdmin)
	e.addUser(t, "attacker", testPassword, surveys.RoleResearcher)
	planted := map[string]*http.Cookie{
		"an invented token":              {Name: "qvoice_session", Value: "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"},
		"the attacker's own valid token": e.loginCookie(t, "attacker", testPassword),
	}
	for name, ck := range planted {
		t.Run(name, func(t *testing.T) {
			c := newClient()
			u, _ := url.Parse(e.srv.URL)
			c.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/"}})
			resp, _ := e.postLogin(t, c, "victim", testPassword, "")
			got := sessionCookieOf(resp)
			if resp.StatusCode != http.StatusSeeOther || got == nil || got.Value == ck.Value {
				t.Fatalf("sign-in: %d, cookie %v; want 303 with a new token", resp.StatusCode, got)
			}
			// The planted token does not reach the victim's session.
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/dash/"+demo.Slug, nil)
			req.AddCookie(ck)
			r, err := newClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			if r.StatusCode != http.StatusSeeOther {
				t.Errorf("the planted token after the victim signed in: %d, want 303 (no session)", r.StatusCode)
			}
		})
	}
}

// TestDisabledAccount: disabling an account (qvoice user disable) ends
// its sessions on every server within the cache time, and it cannot sign
// in again.
func TestDisabledAccount(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{SessionCacheTTL: time.Nanosecond}, nil)
	u := e.addUser(t, "leaver", testPassword, surveys.RoleRegulator, "44")
	c := e.login(t, "leaver", testPassword)
	if resp, _ := e.getWith(c, "/dash/"+demo.Slug); resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	u.Disabled = true
	if err := e.accounts().UpdateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if resp, _ := e.getWith(c, "/dash/"+demo.Slug); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("dashboard of a disabled account: %d, want 303", resp.StatusCode)
	}
	if resp, _ := e.postLogin(t, newClient(), "leaver", testPassword, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("sign-in of a disabled account: %d, want 401", resp.StatusCode)
	}
}

// TestSessionIdleExpiry: a session lasts 12 hours from its last use; use
// moves the expiry (in the store and the cookie's Max-Age) forward.
func TestSessionIdleExpiry(t *testing.T) {
	clock := newTestClock()
	e, _ := newEnvWith(t, server.Config{Now: clock.now, SessionCacheTTL: time.Nanosecond}, nil)
	e.addUser(t, "admin", testPassword, surveys.RoleAdmin)
	c := e.login(t, "admin", testPassword)
	dash := func() *http.Response {
		t.Helper()
		resp, _ := e.getWith(c, "/dash/"+demo.Slug)
		return resp
	}
	clock.advance(11 * time.Hour)
	resp := dash()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("after 11 idle hours: %d, want 200", resp.StatusCode)
	}
	if ck := sessionCookieOf(resp); ck == nil || ck.MaxAge != 12*3600 {
		t.Errorf("a used session's cookie is not renewed for 12 hours: %v", ck)
	}
	clock.advance(11 * time.Hour) // 22 hours after sign-in, 11 after the last use
	if resp := dash(); resp.StatusCode != http.StatusOK {
		t.Fatalf("11 hours after the last use: %d, want 200", resp.StatusCode)
	}
	clock.advance(12*time.Hour + time.Second)
	if resp := dash(); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("12 idle hours after the last use: %d, want 303", resp.StatusCode)
	}
}
