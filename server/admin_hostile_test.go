package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/surveys"
)

// adminRoute is one route under /admin with real parameters, and the form
// that would make a POST change something.
type adminRoute struct {
	method, path string
	form         url.Values
}

// adminRoutes are the routes of admin.go; target is the account they
// act on.
func adminRoutes(target string) []adminRoute {
	u := "/admin/users/" + target
	return []adminRoute{
		{http.MethodGet, "/admin", nil},
		{http.MethodGet, "/admin/users", nil},
		{http.MethodGet, u, nil},
		{http.MethodGet, "/admin/audit", nil},
		{http.MethodPost, "/admin/users", url.Values{"name": {"intruder"}, "role": {"admin"}}},
		{http.MethodPost, u, url.Values{"role": {"admin"}}},
		{http.MethodPost, u + "/disable", url.Values{}},
		{http.MethodPost, u + "/enable", url.Values{}},
		{http.MethodPost, u + "/password", url.Values{}},
	}
}

// accountsUnchanged fails t if any account differs from before.
func (e *env) accountsUnchanged(t *testing.T, before []*surveys.User) {
	t.Helper()
	after, err := e.accounts().Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Fatalf("%d accounts, want %d", len(after), len(before))
	}
	for i := range after {
		a, b := after[i], before[i]
		if a.Name != b.Name || a.Role != b.Role || a.Disabled != b.Disabled || a.PasswordHash != b.PasswordHash ||
			strings.Join(a.Provinces, ",") != strings.Join(b.Provinces, ",") {
			t.Errorf("account %s changed: %+v, was %+v", a.Name, a, b)
		}
	}
}

// TestAdminAccess: only admins reach /admin. A regulator and a researcher
// get a 403 page that says why, in their language, on every route, GET or
// POST with their valid CSRF token, and change nothing; an anonymous
// browser is sent to the sign-in page as on the dashboard.
func TestAdminAccess(t *testing.T) {
	e, _ := adminEnv(t)
	e.addUser(t, "target", testPassword, surveys.RoleAdmin)
	before, err := e.accounts().Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []surveys.Role{surveys.RoleRegulator, surveys.RoleResearcher} {
		c := e.loginAs(t, role)
		token := e.logoutToken(t, c)
		before, _ = e.accounts().Users(t.Context())
		for _, r := range adminRoutes("target") {
			for _, lang := range []struct{ tag, want string }{{"zh-CN", "账户管理仅限管理员"}, {"en", "for administrators only"}} {
				t.Run(string(role)+" "+r.method+" "+r.path+" "+lang.tag, func(t *testing.T) {
					e.t = t
					var resp *http.Response
					var page string
					if r.method == http.MethodGet {
						resp, page = e.getWith(c, r.path+"?lang="+lang.tag)
					} else {
						v := url.Values{"_csrf": {token}, "_lang": {lang.tag}}
						for k, vs := range r.form {
							v[k] = vs
						}
						resp, page = e.send(c, r.method, r.path, v)
					}
					if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, lang.want) {
						t.Errorf("%d, want 403 saying %q: %.300s", resp.StatusCode, lang.want, page)
					}
					if strings.Contains(page, "<table") || strings.Contains(page, "new-password") {
						t.Error("the refusal shows account data")
					}
				})
			}
		}
		e.t = t
		e.accountsUnchanged(t, before)
	}
	anon := newClient()
	for _, r := range adminRoutes("target") {
		t.Run("anonymous "+r.method+" "+r.path, func(t *testing.T) {
			e.t = t
			resp, page := e.send(anon, r.method, r.path, r.form)
			if want := "/login?next=" + url.QueryEscape(r.path); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
				t.Errorf("%d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
			}
			if strings.Contains(page, "target") {
				t.Error("the refusal names an account")
			}
		})
	}
	e.t = t
	e.accountsUnchanged(t, before)
}

// TestAdminDemotedAtOnce: an admin demoted by another loses /admin on the
// next request, though its session is still cached as an admin's.
func TestAdminDemotedAtOnce(t *testing.T) {
	e, token := adminEnv(t)
	e.addUser(t, "ops", testPassword, surveys.RoleAdmin)
	ops := e.login(t, "ops", testPassword)
	if resp, _ := e.getWith(ops, "/admin/users"); resp.StatusCode != http.StatusOK {
		t.Fatalf("ops as admin: %d", resp.StatusCode)
	}
	if resp, _ := e.adminPost("/admin/users/ops", token, url.Values{"role": {"regulator"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("demote ops: %d", resp.StatusCode)
	}
	if resp, _ := e.getWith(ops, "/admin/users"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("ops after the demotion: %d, want 403", resp.StatusCode)
	}
}

// TestAdminCSRF: every POST under /admin needs the session's own token
// from this site: none, a wrong one, another account's, or the right one
// sent cross-site are refused with 403 and change nothing.
func TestAdminCSRF(t *testing.T) {
	e, token := adminEnv(t)
	e.addUser(t, "target", testPassword, surveys.RoleRegulator)
	otherToken := e.logoutToken(t, e.loginAs(t, surveys.RoleAdmin))
	before, err := e.accounts().Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		token  string
		header []string
	}{
		{"no token", "", nil},
		{"a wrong token", strings.Repeat("A", len(token)), nil},
		{"another admin's token", otherToken, nil},
		{"the token, cross-site", token, []string{"Sec-Fetch-Site", "cross-site"}},
		{"the token in the header, cross-site", "", []string{"X-CSRF-Token", token, "Sec-Fetch-Site", "cross-site"}},
	}
	for _, r := range adminRoutes("target") {
		if r.method != http.MethodPost {
			continue
		}
		for _, tc := range tests {
			t.Run(r.path+" "+tc.name, func(t *testing.T) {
				e.t = t
				v := url.Values{}
				for k, vs := range r.form {
					v[k] = vs
				}
				if tc.token != "" {
					v.Set("_csrf", tc.token)
				}
				resp, page := e.send(e.http, r.method, r.path, v, tc.header...)
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "表单已过期") {
					t.Errorf("%d, want 403 with the explanation", resp.StatusCode)
				}
			})
		}
	}
	e.t = t
	e.accountsUnchanged(t, before)
}
