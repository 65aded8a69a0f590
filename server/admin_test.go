package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
)

// newPasswordRE finds the password the admin pages show once.
var newPasswordRE = regexp.MustCompile(`<strong id="new-password"[^>]*>([^<]+)</strong>`)

// adminEnv is a server whose only admin, root, is signed in as e.http.
func adminEnv(t *testing.T) (*env, string) {
	t.Helper()
	e, _ := newEnvWith(t, server.Config{}, nil)
	e.addUser(t, "root", testPassword, surveys.RoleAdmin)
	e.http = e.login(t, "root", testPassword)
	return e, e.logoutToken(t, e.http)
}

// adminPost posts v with the token to path as the signed-in admin.
func (e *env) adminPost(path, token string, v url.Values) (*http.Response, string) {
	e.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	v.Set("_csrf", token)
	return e.send(e.http, http.MethodPost, path, v)
}

// storedUser is the account name as stored, or nil.
func (e *env) storedUser(t *testing.T, name string) *surveys.User {
	t.Helper()
	u, err := e.accounts().User(context.Background(), name)
	if err != nil {
		return nil
	}
	return u
}

// shownPassword is the password a page shows once; the page must not be
// stored anywhere.
func shownPassword(t *testing.T, resp *http.Response, page string) string {
	t.Helper()
	m := newPasswordRE.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("%d, want 200 with a new password: %.300s", resp.StatusCode, page)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the password page has Cache-Control %q, want no-store", cc)
	}
	if err := server.CheckPassword("", m[1]); err != nil {
		t.Errorf("the new password %q: %v", m[1], err)
	}
	return m[1]
}

// TestAdminAccountLifecycle: an admin adds an account (the password shown
// once works at /login), changes its role and provinces, disables it (its
// session ends), enables it, resets its password (its sessions end, the
// old password stops working, the new one works), and each change is in
// the audit log with who made it.
func TestAdminAccountLifecycle(t *testing.T) {
	e, token := adminEnv(t)
	resp, page := e.get("/admin/users")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, ">root</a>") {
		t.Fatalf("GET /admin/users: %d, no row of root", resp.StatusCode)
	}
	if _, dash := e.get("/dash"); !strings.Contains(dash, `href="/admin/users?lang=zh-CN">账户管理</a>`) {
		t.Error("the dashboard header has no link to the accounts for an admin")
	}

	resp, page = e.adminPost("/admin/users", token, url.Values{"name": {" zhang.wei "}, "role": {"regulator"}, "province": {"44", "32", "32"}})
	pw := shownPassword(t, resp, page)
	if !strings.Contains(page, "zhang.wei") || !strings.Contains(page, "江苏、广东") {
		t.Errorf("the password page does not say which account with which provinces: %.500s", page)
	}
	got := e.storedUser(t, "zhang.wei")
	if got == nil || got.Role != surveys.RoleRegulator || !slices.Equal(got.Provinces, []string{"32", "44"}) || got.Disabled {
		t.Fatalf("stored %+v, want an enabled regulator of 32 and 44", got)
	}
	user := e.login(t, "zhang.wei", pw)
	if _, list := e.get("/admin/users"); !strings.Contains(list, "江苏、广东") || !strings.Contains(list, "监管人员") {
		t.Error("the list does not name the new account's role and provinces")
	}
	if _, dash := e.getWith(user, "/dash"); strings.Contains(dash, "/admin/users") {
		t.Error("a regulator's dashboard links to the accounts")
	}

	resp, _ = e.adminPost("/admin/users/zhang.wei", token, url.Values{"role": {"researcher"}, "province": {"11"}, "_lang": {"en"}})
	if want := "/admin/users/zhang.wei?done=changed&lang=en"; resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Errorf("change: %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	if got := e.storedUser(t, "zhang.wei"); got.Role != surveys.RoleResearcher || !slices.Equal(got.Provinces, []string{"11"}) {
		t.Errorf("after the change: %s %v, want researcher [11]", got.Role, got.Provinces)
	}
	if _, p := e.get("/admin/users/zhang.wei?done=changed&lang=en"); !strings.Contains(p, "Saved the role and provinces of zhang.wei.") {
		t.Error("the page after the change does not say it was saved")
	}
	// Nothing to change: said so, and not recorded.
	resp, _ = e.adminPost("/admin/users/zhang.wei", token, url.Values{"role": {"researcher"}, "province": {"11"}})
	if !strings.Contains(resp.Header.Get("Location"), "done=unchanged") {
		t.Errorf("the same role and provinces again: to %q, want done=unchanged", resp.Header.Get("Location"))
	}

	resp, _ = e.adminPost("/admin/users/zhang.wei/disable", token, url.Values{"_from": {"list"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/users?") {
		t.Errorf("disable from the list: %d to %q, want 303 to the list", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !e.storedUser(t, "zhang.wei").Disabled {
		t.Error("not disabled")
	}
	if resp, _ := e.getWith(user, "/dash"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the disabled account's session: %d, want 303 to the sign-in page", resp.StatusCode)
	}
	if resp, _ := e.postLogin(t, newClient(), "zhang.wei", pw, ""); resp.StatusCode == http.StatusSeeOther {
		t.Error("a disabled account signs in")
	}

	resp, _ = e.adminPost("/admin/users/zhang.wei/enable", token, nil)
	if resp.StatusCode != http.StatusSeeOther || e.storedUser(t, "zhang.wei").Disabled {
		t.Errorf("enable: %d, disabled %v", resp.StatusCode, e.storedUser(t, "zhang.wei").Disabled)
	}
	user = e.login(t, "zhang.wei", pw)
	other := e.login(t, "zhang.wei", pw)

	resp, page = e.adminPost("/admin/users/zhang.wei/password", token, nil)
	pw2 := shownPassword(t, resp, page)
	if pw2 == pw {
		t.Fatal("the reset password is the old one")
	}
	for i, c := range []*http.Client{user, other} {
		if resp, _ := e.getWith(c, "/dash"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("session %d after the reset: %d, want 303 (signed out)", i, resp.StatusCode)
		}
	}
	if resp, _ := e.postLogin(t, newClient(), "zhang.wei", pw, ""); resp.StatusCode == http.StatusSeeOther {
		t.Error("the old password still signs in")
	}
	e.login(t, "zhang.wei", pw2)

	var changes []surveys.AuditAction
	for _, a := range e.auditActions(t, "zhang.wei") {
		if a != surveys.AuditLogin && a != surveys.AuditLoginFailed {
			changes = append(changes, a)
		}
	}
	want := []surveys.AuditAction{surveys.AuditUserAdded, surveys.AuditUserChanged, surveys.AuditUserDisabled,
		surveys.AuditUserEnabled, surveys.AuditPasswordChanged}
	if diff := cmp.Diff(want, changes); diff != "" {
		t.Errorf("audit of zhang.wei (-want +got):\n%s", diff)
	}
	evs, err := e.accounts().AuditEvents(context.Background(), surveys.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.User == "zhang.wei" && ev.Action != surveys.AuditLogin && ev.Action != surveys.AuditLoginFailed &&
			(!strings.Contains(ev.Detail, "by root") || ev.ClientHash == "") {
			t.Errorf("%s: detail %q client %q, want who made it and the client's hash", ev.Action, ev.Detail, ev.ClientHash)
		}
	}

	// The audit page, newest first, with its filters.
	resp, page = e.get("/admin/audit?since=24h&user=zhang.wei&lang=en")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/audit: %d", resp.StatusCode)
	}
	reset, added := strings.Index(page, "Password changed"), strings.Index(page, "Account added")
	if reset < 0 || added < 0 || reset > added || strings.Contains(page, "<td>root</td>") {
		t.Errorf("the audit page is not zhang.wei's events newest first (reset at %d, added at %d)", reset, added)
	}
	if resp, _ := e.get("/admin/audit?since=forever"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("since=forever: %d, want 400", resp.StatusCode)
	}
	if _, page := e.get("/admin/users"); !regexp.MustCompile(`>zhang\.wei</a></th>(<td>[^<]*</td>){4}<td>20`).MatchString(page) {
		t.Error("the list shows no last sign-in of zhang.wei")
	}
}
