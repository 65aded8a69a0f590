package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// secondServer is another server over e's store, as a deployment with
// several servers sharing one database has: an env whose requests go to
// it. Its session cache is its own.
func (e *env) secondServer(t *testing.T) *env {
	t.Helper()
	other, err := server.New(server.Config{Secret: testSecret}, e.store)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(other.Handler())
	t.Cleanup(hs.Close)
	b := *e
	b.srv = hs
	return &b
}

// TestAdminResetAcrossServers: an admin account reset on server A loses
// the account pages on server B at once, although B still holds its
// session in its cache: B reads the session again for /admin, so the old
// cookie can neither read the accounts nor add a backdoor admin.
func TestAdminResetAcrossServers(t *testing.T) {
	tests := []struct {
		name   string
		change func(e *env, token string) (*http.Response, string)
	}{
		{"password reset", func(e *env, token string) (*http.Response, string) {
			return e.adminPost("/admin/users/mallory/password", token, nil)
		}},
		{"disabled", func(e *env, token string) (*http.Response, string) {
			return e.adminPost("/admin/users/mallory/disable", token, nil)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, token := adminEnv(t)
			a.addUser(t, "mallory", testPassword, surveys.RoleAdmin)
			b := a.secondServer(t)
			mallory := b.login(t, "mallory", testPassword)
			resp, page := b.getWith(mallory, "/admin/users") // B now caches the session
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("mallory on B before the change: %d", resp.StatusCode)
			}
			csrf := csrfOf(t, page)

			if resp, page := tc.change(a, token); resp.StatusCode >= 400 {
				t.Fatalf("the change on A: %d %.300s", resp.StatusCode, page)
			}
			if resp, _ := b.getWith(mallory, "/admin/users"); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("GET /admin/users on B with the old session: %d, want 303 to the sign-in page", resp.StatusCode)
			}
			resp, _ = b.send(mallory, http.MethodPost, "/admin/users",
				url.Values{"_csrf": {csrf}, "name": {"backdoor"}, "role": {"admin"}})
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
				t.Errorf("POST /admin/users on B with the old session: %d to %q, want 303 to the sign-in page",
					resp.StatusCode, resp.Header.Get("Location"))
			}
			if u := a.storedUser(t, "backdoor"); u != nil {
				t.Errorf("the old session added an account: %+v", u)
			}
		})
	}
}

// TestAdminStaleChange: a change made from an account as read before
// another change to it (another admin, the command line) is refused with
// 409 and a message to reload, and the newer change stands: the old
// password hash or an enabled state never comes back.
func TestAdminStaleChange(t *testing.T) {
	e, token := adminEnv(t)
	e.addUser(t, "zhang.wei", testPassword, surveys.RoleRegulator, "32")
	ctx := context.Background()
	stale := e.storedUser(t, "zhang.wei")

	// Another path disables the account and sets a new password.
	newer := *stale
	newer.Disabled, newer.PasswordHash, newer.UpdatedAt = true, "$argon2id$newer", time.Now()
	if err := e.accounts().UpdateUser(ctx, &newer); err != nil {
		t.Fatal(err)
	}
	// The stale copy, changed and written back, is refused.
	stale.Provinces = []string{"44"}
	if err := e.accounts().UpdateUser(ctx, stale); !errors.Is(err, surveys.ErrConflict) {
		t.Errorf("UpdateUser of a stale copy: %v, want ErrConflict", err)
	}
	got := e.storedUser(t, "zhang.wei")
	if !got.Disabled || got.PasswordHash != "$argon2id$newer" || got.Provinces[0] != "32" {
		t.Errorf("after the stale write: %+v, want the newer change to stand", got)
	}

	// On the page: the form carries the version it was read at.
	_, page := e.get("/admin/users/zhang.wei?lang=en")
	v := formValues(t, page, "/admin/users/zhang.wei")
	if err := e.accounts().UpdateUser(ctx, e.storedUser(t, "zhang.wei")); err != nil { // another admin saves meanwhile
		t.Fatal(err)
	}
	v.Set("role", "regulator")
	v.Set("province", "44")
	resp, page := e.adminPost("/admin/users/zhang.wei", token, v)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "changed meanwhile") {
		t.Errorf("a change from a stale page: %d, want 409 saying it changed meanwhile: %.300s", resp.StatusCode, page)
	}
	if got := e.storedUser(t, "zhang.wei"); got.Provinces[0] != "32" {
		t.Errorf("the stale page's change was stored: %v", got.Provinces)
	}
}

// TestAdminAuditReadsFiltered: the audit page and the last sign-in read
// the events of the account asked for from the store, so other accounts'
// newer events (here failed sign-ins to unknown names) do not crowd them
// out; when more events match than the page reads, it says so, and the
// list says "not read" rather than that there was no sign-in.
func TestAdminAuditReadsFiltered(t *testing.T) {
	const limit = 5
	e, s := newEnvWith(t, server.Config{}, nil)
	s.SetAuditReadLimit(limit)
	e.addUser(t, "root", testPassword, surveys.RoleAdmin)
	e.addUser(t, "zhang.wei", testPassword, surveys.RoleRegulator)
	e.login(t, "zhang.wei", testPassword)
	e.http = e.login(t, "root", testPassword)
	audit := func(user string, action surveys.AuditAction, n int) {
		t.Helper()
		for range n {
			if err := e.accounts().Audit(context.Background(), surveys.AuditEvent{At: time.Now(), User: user, Action: action}); err != nil {
				t.Fatal(err)
			}
		}
	}
	audit("9f86d081", surveys.AuditLoginFailed, 2*limit) // newer than zhang.wei's sign-in

	_, page := e.get("/admin/audit?since=24h&user=zhang.wei&lang=en")
	if !strings.Contains(page, "<td>Sign-in</td>") || strings.Contains(page, `id="read-limit"`) {
		t.Errorf("zhang.wei's audit page: no sign-in listed, or a read-limit notice: %.2000s", page)
	}
	_, page = e.get("/admin/audit?since=24h&lang=en")
	if !strings.Contains(page, `id="read-limit"`) || !strings.Contains(page, "only the newest 5 were read") {
		t.Errorf("the whole audit page read the limit but does not say so: %.2000s", page)
	}
	_, page = e.get("/admin/users?lang=en")
	if !lastLoginShown(page, "zhang.wei") || strings.Contains(page, `id="read-limit"`) {
		t.Errorf("the list shows no last sign-in of zhang.wei, or a read-limit notice: %.3000s", page)
	}

	audit("someone.else", surveys.AuditLogin, limit) // more sign-ins than the list reads
	_, page = e.get("/admin/users?lang=en")
	if !strings.Contains(page, `id="read-limit"`) || !strings.Contains(accountRowOf(page, "zhang.wei"), "<td>not read</td>") {
		t.Errorf("the list with more sign-ins than it reads: no notice, or no \"not read\": %.3000s", page)
	}
	if _, page := e.get("/admin/users/zhang.wei?lang=en"); !strings.Contains(page, "Last sign-in (90 days)</dt><dd>20") {
		t.Errorf("zhang.wei's page shows no last sign-in: %.3000s", page)
	}
}

// accountRowOf is the row of name in the accounts list ("" if none).
func accountRowOf(page, name string) string {
	i := strings.Index(page, ">"+name+"</a></th>")
	if i < 0 {
		return ""
	}
	row := page[i:]
	if j := strings.Index(row, "</tr>"); j >= 0 {
		row = row[:j]
	}
	return row
}

// lastLoginShown reports whether the accounts list shows a last sign-in
// time of name (a date of this century in its sixth column).
func lastLoginShown(page, name string) bool {
	cells := strings.Split(accountRowOf(page, name), "<td>")
	return len(cells) > 5 && strings.HasPrefix(cells[5], "20")
}

// auditDown is a store whose audit log refuses password changes.
type auditDown struct{ *mongostore.Store }

func (s auditDown) Audit(ctx context.Context, e surveys.AuditEvent) error {
	if e.Action == surveys.AuditPasswordChanged {
		return errors.New("audit log unavailable")
	}
	return s.Store.Audit(ctx, e)
}

// TestAdminResetAuditFails: a password reset that is stored but cannot be
// recorded still shows the new password (it is already the account's:
// a 500 would lock the account out until another reset).
func TestAdminResetAuditFails(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, func(st *mongostore.Store) surveys.Store { return auditDown{st} })
	e.addUser(t, "root", testPassword, surveys.RoleAdmin)
	e.addUser(t, "zhang.wei", testPassword, surveys.RoleRegulator)
	e.http = e.login(t, "root", testPassword)
	token := e.logoutToken(t, e.http)
	resp, page := e.adminPost("/admin/users/zhang.wei/password", token, nil)
	pw := shownPassword(t, resp, page)
	e.login(t, "zhang.wei", pw)
}

// TestAdminOwnPasswordReset: an admin cannot reset their own password on
// the web, which would change it without the current one (a borrowed
// browser would be enough to take the account); the page says to use
// qvoice user passwd, and the password is unchanged.
func TestAdminOwnPasswordReset(t *testing.T) {
	e, token := adminEnv(t)
	before := e.storedUser(t, "root")
	resp, page := e.adminPost("/admin/users/root/password", token, url.Values{"_lang": {"en"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "qvoice user passwd root") || newPasswordRE.MatchString(page) {
		t.Errorf("own reset: %d, want 409 pointing to qvoice user passwd, no new password: %.300s", resp.StatusCode, page)
	}
	if after := e.storedUser(t, "root"); after.PasswordHash != before.PasswordHash {
		t.Error("the own reset changed the password")
	}
	if _, page := e.get("/admin/users/root?lang=en"); strings.Contains(page, `action="/admin/users/root/password"`) {
		t.Error("one's own page offers a password reset")
	}
}
