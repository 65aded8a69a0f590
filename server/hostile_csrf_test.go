package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// hostileDashPaths are the dashboard's routes (dashroutes.go) and the
// admin pages' (admin.go), with real parameters.
var hostileDashPaths = []string{
	"/admin/users",
	"/admin/users/root",
	"/admin/audit",
	"/dash",
	"/dash/" + demo.Slug,
	"/dash/" + demo.Slug + "/category/food",
	"/dash/" + demo.Slug + "/groups",
	"/dash/" + demo.Slug + "/heatmap",
	"/dash/" + demo.Slug + "/trend",
	"/dash/" + demo.Slug + "/complaints",
	"/dash/" + demo.Slug + "/report",
	"/dash/" + demo.Slug + "/data/index.csv",
	"/dash/" + demo.Slug + "/category/food/data/ipa.csv",
}

// TestHostileCSRFSignOut: POST /logout ends the session only with the
// session's own token from this site. TestCSRF covers a missing token and
// the sign-in token; here: a valid token sent cross-site, another
// account's token, a token of the right length but wrong, a cross-site
// Origin without a token. A refused sign-out leaves the session alive.
func TestHostileCSRFSignOut(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	victim := e.loginAs(t, surveys.RoleAdmin)
	attacker := e.loginAs(t, surveys.RoleResearcher)
	token := e.logoutToken(t, victim)
	wrong := strings.Repeat("A", len(token))
	tests := []struct {
		name   string
		form   url.Values
		header []string
	}{
		{"the session's token, cross-site", url.Values{"_csrf": {token}}, []string{"Sec-Fetch-Site", "cross-site"}},
		{"the session's token in the header, cross-site", url.Values{}, []string{"X-CSRF-Token", token, "Sec-Fetch-Site", "cross-site"}},
		{"another account's token", url.Values{"_csrf": {e.logoutToken(t, attacker)}}, nil},
		{"another account's token in the header", url.Values{}, []string{"X-CSRF-Token", e.logoutToken(t, attacker)}},
		{"a wrong token of the right length", url.Values{"_csrf": {wrong}}, nil},
		{"the token twice, one wrong", url.Values{"_csrf": {wrong, token}}, nil},
		{"no token from another origin", url.Values{}, []string{"Origin", "https://evil.example", "Referer", "https://evil.example/x"}},
		{"an empty header and no field", url.Values{}, []string{"X-CSRF-Token", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			resp, page := e.send(victim, http.MethodPost, "/logout", tc.form, tc.header...)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "表单已过期") {
				t.Errorf("%d, want 403 with the explanation", resp.StatusCode)
			}
			if ck := sessionCookieOf(resp); ck != nil {
				t.Errorf("a refused sign-out touched the session cookie: %v", ck)
			}
			if resp, _ := e.getWith(victim, "/dash/"+demo.Slug); resp.StatusCode != http.StatusOK {
				t.Errorf("the session after a refused sign-out: %d, want 200", resp.StatusCode)
			}
		})
	}
	e.t = t
	if resp, _ := e.send(victim, http.MethodPost, "/logout", url.Values{"_csrf": {token}}, "Sec-Fetch-Site", "same-origin"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-out with the token, same-origin: %d, want 303", resp.StatusCode)
	}
}

// TestHostileCSRFSignIn: login CSRF. The sign-in token is the MAC of the
// browser's own qvoice_csrf cookie: a token from another browser, the
// dashboard's session token, or any token without the matching cookie is
// refused, so a site cannot sign a victim in to the attacker's account.
func TestHostileCSRFSignIn(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	e.addUser(t, "mallory", testPassword, surveys.RoleResearcher)
	victim, attacker := newClient(), newClient()
	_, page := e.getWith(victim, "/login")
	victimToken := formValues(t, page, "/login").Get("_csrf")
	_, page = e.getWith(attacker, "/login")
	attackerForm := formValues(t, page, "/login")
	attackerForm.Set("name", "mallory")
	attackerForm.Set("password", testPassword)
	signedIn := e.login(t, "mallory", testPassword)
	sessionToken := e.logoutToken(t, signedIn)
	with := func(tok string) url.Values {
		v := url.Values{"name": {"mallory"}, "password": {testPassword}}
		for k, vs := range attackerForm {
			v[k] = vs
		}
		v.Set("_csrf", tok)
		return v
	}
	tests := []struct {
		name   string
		form   url.Values
		header []string
	}{
		{"the attacker's token in the victim's browser", attackerForm, nil},
		{"the dashboard session's token", with(sessionToken), nil},
		{"the victim's own token, cross-site", with(victimToken), []string{"Sec-Fetch-Site", "cross-site"}},
		{"the victim's token in the header only", with(""), []string{"X-CSRF-Token", victimToken}},
		{"a wrong token of the right length", with(strings.Repeat("A", len(victimToken))), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			resp, _ := e.send(victim, http.MethodPost, "/login", tc.form, tc.header...)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%d, want 403", resp.StatusCode)
			}
			if sessionCookieOf(resp) != nil {
				t.Error("a refused sign-in set a session cookie")
			}
		})
	}
	e.t = t
	if resp, _ := e.send(victim, http.MethodPost, "/login", with(victimToken)); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in with the browser's own token: %d, want 303", resp.StatusCode)
	}
}

// TestHostileCSRFDashboard: the dashboard has no state-changing route, so
// POST, PUT, PATCH and DELETE on every /dash path are refused: 303 or 401
// anonymous, 403 signed in without the token or cross-site, and 404 or 405
// with the token. Never a 2xx: no handler runs a page on a write. The
// admin pages' POST routes answer an empty form with the token 422 (no
// name or role) and are covered by TestAdminCSRF.
func TestHostileCSRFDashboard(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	e.addUser(t, "root", testPassword, surveys.RoleRegulator)
	c := e.loginAs(t, surveys.RoleAdmin)
	token := e.logoutToken(t, c)
	anon := newClient()
	for _, path := range hostileDashPaths {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			t.Run(method+" "+path, func(t *testing.T) {
				e.t = t
				cases := []struct {
					who    string
					client *http.Client
					form   url.Values
					header []string
					want   []int
				}{
					{"anonymous", anon, url.Values{}, nil, []int{http.StatusSeeOther, http.StatusUnauthorized}},
					{"no token", c, url.Values{}, nil, []int{http.StatusForbidden}},
					{"wrong token", c, url.Values{"_csrf": {"x"}}, nil, []int{http.StatusForbidden}},
					{"token, cross-site", c, url.Values{"_csrf": {token}}, []string{"Sec-Fetch-Site", "cross-site"}, []int{http.StatusForbidden}},
					{"token", c, url.Values{"_csrf": {token}}, nil, []int{http.StatusNotFound, http.StatusMethodNotAllowed}},
					{"token in the header", c, url.Values{}, []string{"X-CSRF-Token", token}, []int{http.StatusNotFound, http.StatusMethodNotAllowed}},
				}
				if method == http.MethodPost && strings.HasPrefix(path, "/admin/users") {
					cases[4].want = []int{http.StatusUnprocessableEntity}
					cases[5].want = cases[4].want
				}
				if method == http.MethodDelete {
					// net/http reads no form from a DELETE body: the token
					// goes in X-CSRF-Token, and one in the body is missing.
					cases[4].want = []int{http.StatusForbidden}
				}
				for _, tc := range cases {
					resp, _ := e.send(tc.client, method, path, tc.form, tc.header...)
					ok := false
					for _, w := range tc.want {
						ok = ok || resp.StatusCode == w
					}
					if !ok {
						t.Errorf("%s: %d, want one of %v", tc.who, resp.StatusCode, tc.want)
					}
				}
			})
		}
	}
	e.t = t
	if resp, _ := e.getWith(c, "/dash/"+demo.Slug); resp.StatusCode != http.StatusOK {
		t.Errorf("the session after the refused writes: %d", resp.StatusCode)
	}
}

// TestHostileCSRFRespondentForm: the respondent form POST /s/SLUG has no
// session and no CSRF token by design. What protects it: there is nothing
// of the respondent's to act on behalf of (no account, no cookie that
// authorises anything). A post carries the submission id (_sid) that was
// chosen when the form was served; an unknown or tampered id starts a new
// draft, a draft moves one page per post in the order the questionnaire
// sets, and a response is stored only when the draft's last page is
// submitted, under that id, once (a replay is a duplicate, not a copy).
// The per-address rate limit and the honeypot bound what a forged post
// from another site can do: at most what any anonymous respondent can do.
// Here a cross-site post with every answer at once and nav=submit stores
// nothing.
func TestHostileCSRFRespondentForm(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	v := formAnswers()
	v.Set("_sid", "7081920a-b4c5-4d6e-8f70-819203040501")
	v.Set("_nav", "submit")
	for _, page := range []string{"", "consent", "end", "$gt"} {
		v.Set("_page", page)
		resp, _ := e.send(newClient(), http.MethodPost, "/s/"+demo.Slug, v, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusSeeOther && strings.Contains(resp.Header.Get("Location"), "/thanks") {
			t.Errorf("cross-site one-shot post (page %q): %d to %q", page, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if n := len(storedResponses(t, e)); n != 0 {
		t.Errorf("a forged one-shot post stored %d responses", n)
	}
}
