package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// TestAdminGuardRails: an admin cannot disable or demote themself, and
// the last enabled admin cannot be disabled or demoted: 409 with a
// message that says why, and no change.
func TestAdminGuardRails(t *testing.T) {
	e, token := adminEnv(t)
	gone := e.addUser(t, "gone", testPassword, surveys.RoleAdmin) // a disabled admin does not count
	gone.Disabled = true
	if err := e.accounts().UpdateUser(t.Context(), gone); err != nil {
		t.Fatal(err)
	}
	lastAdmin, ownAccount := "最后一个启用的管理员", "不能停用自己的账户"
	steps := []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"the last admin disables itself", "/admin/users/root/disable", nil, lastAdmin},
		{"the last admin demotes itself", "/admin/users/root", url.Values{"role": {"regulator"}}, lastAdmin},
		{"the last admin demotes itself, in English", "/admin/users/root", url.Values{"role": {"researcher"}, "_lang": {"en"}}, "the last enabled administrator"},
	}
	check := func(t *testing.T, path string, form url.Values, want string) {
		t.Helper()
		before, _ := e.accounts().Users(t.Context())
		resp, page := e.adminPost(path, token, form)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(page, want) {
			t.Errorf("%d, want 409 saying %q: %.300s", resp.StatusCode, want, page)
		}
		for _, p := range a11yProblems(page) {
			t.Errorf("the refusal page: %s", p)
		}
		e.accountsUnchanged(t, before)
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) { e.t = t; check(t, st.path, st.form, st.want) })
	}
	e.t = t
	e.addUser(t, "ops", testPassword, surveys.RoleAdmin)
	for _, st := range []struct {
		name, path string
		form       url.Values
	}{
		{"disable oneself", "/admin/users/root/disable", nil},
		{"demote oneself", "/admin/users/root", url.Values{"role": {"regulator"}, "province": {"32"}}},
	} {
		t.Run(st.name, func(t *testing.T) { e.t = t; check(t, st.path, st.form, ownAccount) })
	}
	e.t = t
	// Limiting one's own provinces is no demotion; disabling another admin
	// while one remains is allowed; the last one is then held.
	if resp, _ := e.adminPost("/admin/users/root", token, url.Values{"role": {"admin"}, "province": {"32"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("own provinces: %d, want 303", resp.StatusCode)
	}
	if resp, _ := e.adminPost("/admin/users/ops/disable", token, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("disable ops: %d, want 303", resp.StatusCode)
	}
	t.Run("the last admin again", func(t *testing.T) { e.t = t; check(t, "/admin/users/root/disable", nil, lastAdmin) })
}

// TestAdminBadInput: a form that cannot be used is answered 4xx with the
// form again, the message by the field at fault, the values kept, and no
// change.
func TestAdminBadInput(t *testing.T) {
	e, token := adminEnv(t)
	e.addUser(t, "li.na", testPassword, surveys.RoleResearcher)
	tests := []struct {
		name, path string
		form       url.Values
		status     int
		want       string
	}{
		{"unknown role", "/admin/users", url.Values{"name": {"a1"}, "role": {"superuser"}}, 422, "请选择角色"},
		{"no role", "/admin/users", url.Values{"name": {"a1"}}, 422, "请选择角色"},
		{"province not in GB/T 2260", "/admin/users", url.Values{"name": {"a1"}, "role": {"regulator"}, "province": {"32", "99"}}, 422, "99 不是"},
		{"province not a code", "/admin/users", url.Values{"name": {"a1"}, "role": {"regulator"}, "province": {"Jiangsu"}}, 422, "Jiangsu 不是"},
		{"duplicate name", "/admin/users", url.Values{"name": {"li.na"}, "role": {"regulator"}}, 409, "已存在名为 li.na 的账户"},
		{"empty name", "/admin/users", url.Values{"name": {"  "}, "role": {"regulator"}}, 422, "请填写用户名"},
		{"overlong name", "/admin/users", url.Values{"name": {strings.Repeat("名", 65)}, "role": {"regulator"}}, 422, "最多 64 个字符"},
		{"a name that starts a formula", "/admin/users", url.Values{"name": {"=cmd"}, "role": {"regulator"}}, 422, "以字母或数字开头"},
		{"English", "/admin/users", url.Values{"name": {"a1"}, "role": {"x"}, "_lang": {"en"}}, 422, "Please choose a role"},
		{"change: unknown role", "/admin/users/li.na", url.Values{"role": {"root"}}, 422, "请选择角色"},
		{"change: bad province", "/admin/users/li.na", url.Values{"role": {"regulator"}, "province": {"00"}}, 422, "00 不是"},
		{"change: unknown account", "/admin/users/nobody", url.Values{"role": {"regulator"}}, 404, "找不到该账户"},
		{"disable an unknown account", "/admin/users/nobody/disable", nil, 404, "找不到该账户"},
		{"reset an unknown account", "/admin/users/nobody/password", nil, 404, "找不到该账户"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			before, _ := e.accounts().Users(t.Context())
			resp, page := e.adminPost(tc.path, token, tc.form)
			if resp.StatusCode != tc.status || !strings.Contains(page, tc.want) {
				t.Errorf("%d, want %d saying %q: %.400s", resp.StatusCode, tc.status, tc.want, page)
			}
			if strings.Contains(page, "new-password") {
				t.Error("a refused form shows a password")
			}
			if tc.status != 404 && !strings.Contains(page, `role="alert"`) {
				t.Error("the refusal is not an alert")
			}
			if name := tc.form.Get("name"); tc.path == "/admin/users" && strings.TrimSpace(name) != "" && tc.status == 422 &&
				!strings.Contains(page, `value="`+name+`"`) {
				t.Errorf("the form lost the name %q", name)
			}
			for _, p := range a11yProblems(page) {
				t.Errorf("%s", p)
			}
			e.accountsUnchanged(t, before)
		})
	}
}

// TestAdminHTMLInjection: markup in an account name (stored by other
// means than the web form, which refuses it), in an audit detail, in the
// query string and in a refused form value is shown as text on every
// admin page.
func TestAdminHTMLInjection(t *testing.T) {
	e, token := adminEnv(t)
	const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	e.addUser(t, evil, testPassword, surveys.RoleRegulator, `"><b>32`)
	if err := e.accounts().Audit(t.Context(), surveys.AuditEvent{At: time.Now(), User: evil, Action: surveys.AuditExport,
		Survey: evil, Detail: evil, ClientHash: evil}); err != nil {
		t.Fatal(err)
	}
	e.login(t, evil, testPassword)
	pages := map[string]func() (*http.Response, string){
		"list": func() (*http.Response, string) { return e.get("/admin/users") },
		"list done": func() (*http.Response, string) {
			return e.get("/admin/users?done=disabled&name=" + url.QueryEscape(evil))
		},
		"account": func() (*http.Response, string) {
			return e.get("/admin/users/" + url.PathEscape(evil) + "?done=changed&lang=" + url.QueryEscape(evil))
		},
		"audit": func() (*http.Response, string) { return e.get("/admin/audit?user=" + url.QueryEscape(evil)) },
		"refused add": func() (*http.Response, string) {
			return e.adminPost("/admin/users", token, url.Values{"name": {evil}, "role": {"regulator"}, "province": {evil}})
		},
		"refused change": func() (*http.Response, string) {
			return e.adminPost("/admin/users/"+url.PathEscape(evil), token, url.Values{"role": {evil}})
		},
		"password": func() (*http.Response, string) {
			return e.adminPost("/admin/users/"+url.PathEscape(evil)+"/password", token, nil)
		},
	}
	for name, get := range pages {
		t.Run(name, func(t *testing.T) {
			e.t = t
			resp, page := get()
			if resp.StatusCode >= 500 || resp.StatusCode == http.StatusNotFound {
				t.Fatalf("%d", resp.StatusCode)
			}
			for _, raw := range []string{"<script>alert", "<img src=x", "<b>32"} {
				if strings.Contains(page, raw) {
					t.Errorf("the page holds %q unescaped", raw)
				}
			}
			if name != "refused add" && name != "audit" && !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("the name is not shown escaped: %.600s", page)
			}
		})
	}
}

// TestAdminAccessibility: every admin page, in both languages, passes the
// checks of TestAccessibility: lang, labels, fieldsets with legends,
// button texts, unique ids.
func TestAdminAccessibility(t *testing.T) {
	e, token := adminEnv(t)
	e.addUser(t, "li.na", testPassword, surveys.RoleResearcher, "32")
	for _, lang := range []string{"zh-CN", "en"} {
		for _, path := range []string{"/admin/users", "/admin/users/li.na", "/admin/users/root", "/admin/audit", "/admin/audit?since=24h&user=root"} {
			t.Run(lang+" "+path, func(t *testing.T) {
				e.t = t
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				resp, page := e.get(path + sep + "lang=" + lang)
				if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<html lang="`+lang+`">`) {
					t.Fatalf("%d, want 200 in %s", resp.StatusCode, lang)
				}
				for _, p := range a11yProblems(page) {
					t.Errorf("%s", p)
				}
				if !strings.Contains(page, `<th scope="col">`) && !strings.Contains(page, "<dl") {
					t.Error("no table headers")
				}
			})
		}
		t.Run(lang+" password page", func(t *testing.T) {
			e.t = t
			_, page := e.adminPost("/admin/users/li.na/password", token, url.Values{"_lang": {lang}})
			for _, p := range a11yProblems(page) {
				t.Errorf("%s", p)
			}
		})
	}
}
