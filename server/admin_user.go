package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// accountFormView is the add form (with a name field) or the change form
// of an account, as account-form in _admin.html renders it.
type accountFormView struct {
	Action, Submit, CSRF, Lang string
	NewAccount                 bool
	Name, Version              string
	Roles, Provinces           []option
	RoleHints                  map[string]string
	Error, ErrorField          string
	M                          func(key string, args ...any) string
}

// accountFormView is the form posting f to action.
func (s *Server) accountFormView(ch adminChrome, action string, f accountForm, add bool) accountFormView {
	v := accountFormView{Action: action, CSRF: ch.CSRF, Lang: ch.Lang, NewAccount: add, Name: f.Name, Version: f.Version, M: ch.M,
		Submit: ch.M("adm_save"), RoleHints: map[string]string{}}
	if add {
		v.Submit = ch.M("adm_add_submit")
	}
	for _, r := range surveys.Roles() {
		v.Roles = append(v.Roles, option{Value: string(r), Label: ch.M("role_" + string(r)), Selected: string(r) == f.Role})
		v.RoleHints[string(r)] = ch.M("adm_role_" + string(r) + "_hint")
	}
	for _, p := range surveys.Provinces() {
		v.Provinces = append(v.Provinces, option{Value: p.Code, Label: p.Name(ch.Lang), Selected: slices.Contains(f.Provinces, p.Code)})
	}
	return v
}

// adminUserPage is what admin_user.html renders: one account, the form
// to change its role and provinces, and its disable or enable and
// password reset buttons.
type adminUserPage struct {
	adminChrome
	Account  accountRow
	Form     accountFormView
	StateURL string
	AuditURL string
}

// adminUser is GET /admin/users/:name.
func (s *Server) adminUser(c echo.Context) error {
	u, err := s.auth.store.User(c.Request().Context(), pathName(c))
	if err != nil {
		return s.adminRefused(c, err)
	}
	p, err := s.userPage(c, u, accountForm{Role: string(u.Role), Provinces: u.Provinces, Version: strconv.FormatInt(u.Version, 10)})
	if err != nil {
		return err
	}
	p.Notice = doneNotice(p.M, c.QueryParam("done"), u.Name)
	return s.views.render(c, http.StatusOK, "admin_user.html", p)
}

func (s *Server) userPage(c echo.Context, u *surveys.User, f accountForm) (*adminUserPage, error) {
	ch := s.newAdminChrome(c, "/admin/users", userPath(u.Name), "adm_user_title", u.Name)
	last, err := s.lastLogin(c, u.Name)
	if err != nil {
		return nil, err
	}
	p := &adminUserPage{adminChrome: ch, Account: s.accountRow(c, ch.Lang, u, last, true),
		Form:     s.accountFormView(ch, userPath(u.Name), f, false),
		AuditURL: "/admin/audit?" + url.Values{"user": {u.Name}, "lang": {ch.Lang}, "since": {"2160h"}}.Encode()}
	return p, nil
}

// adminChangeUser is POST /admin/users/:name: a new role and provinces.
func (s *Server) adminChangeUser(c echo.Context) error {
	name := pathName(c)
	f, err := bindAccountForm(c)
	if err != nil {
		return err
	}
	role, provinces, err := f.scope()
	changed := false
	if err == nil {
		changed, err = s.changeAccount(c, name, setScope(role, provinces, f.Version))
	}
	if err != nil {
		return s.userRefused(c, name, f, err)
	}
	return c.Redirect(http.StatusSeeOther, userPath(name)+"?"+doneQuery(c, changed, "changed"))
}

// adminSetDisabled is POST /admin/users/:name/disable and /enable. A
// disabled account's sessions end at once on this server and within the
// session cache's life on the others.
func (s *Server) adminSetDisabled(disabled bool) echo.HandlerFunc {
	done := map[bool]string{true: "disabled", false: "enabled"}[disabled]
	return func(c echo.Context) error {
		name := pathName(c)
		changed, err := s.changeAccount(c, name, setDisabled(disabled))
		if err != nil {
			return s.userRefused(c, name, accountForm{}, err)
		}
		q := doneQuery(c, changed, done)
		if c.FormValue("_from") == "list" {
			return c.Redirect(http.StatusSeeOther, "/admin/users?"+q+"&name="+url.QueryEscape(name))
		}
		return c.Redirect(http.StatusSeeOther, userPath(name)+"?"+q)
	}
}

// adminResetPassword is POST /admin/users/:name/password: a new random
// password, shown once, and every session of the account ended. Not for
// one's own account: qvoice user passwd on the server is the way.
func (s *Server) adminResetPassword(c echo.Context) error {
	name := pathName(c)
	if name == userName(c) {
		// A reset asks for no current password: on one's own account, a
		// browser left signed in would be enough to take it over.
		return s.userRefused(c, name, accountForm{},
			&inputError{key: "adm_err_self_reset", args: []any{name}, kind: surveys.ErrOwnAccount})
	}
	var pw string
	if _, err := s.changeAccount(c, name, s.resetPassword(c.Request().Context(), &pw)); err != nil {
		return s.userRefused(c, name, accountForm{}, err)
	}
	lang := pickLanguage(c, nil)
	return s.showPassword(c, &surveys.User{Name: name}, pw, s.views.msg(lang, "adm_password_reset", name))
}

// adminPasswordPage is what admin_password.html renders.
type adminPasswordPage struct {
	adminChrome
	Done, Label, Password, BackURL string
}

// showPassword answers a POST with the new password of u, directly
// rather than by a redirect, so that it is never in a URL, a log or a
// page that can be fetched again; the page is not stored (no-store).
func (s *Server) showPassword(c echo.Context, u *surveys.User, pw, done string) error {
	ch := s.newAdminChrome(c, "/admin/users", "/admin/users", "adm_password_title")
	ch.SwitchLangURL = "" // a GET in the other language would not show the password again
	p := adminPasswordPage{adminChrome: ch, Done: done, Label: ch.M("adm_password_label", u.Name), Password: pw,
		BackURL: "/admin/users" + langQuery(c)}
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	return s.views.render(c, http.StatusOK, "admin_password.html", p)
}

// userRefused answers a refused change to the account name: its page
// again, with the status and message, and the form holding f if f has a
// role. An unknown account and a store failure go to adminRefused.
func (s *Server) userRefused(c echo.Context, name string, f accountForm, err error) error {
	status, msg, ok := s.refusal(pickLanguage(c, nil), err)
	if !ok || errors.Is(err, surveys.ErrNotFound) {
		return s.adminRefused(c, err)
	}
	u, uerr := s.auth.store.User(c.Request().Context(), name)
	if uerr != nil {
		return s.adminRefused(c, uerr)
	}
	if f.Role == "" || errors.Is(err, surveys.ErrConflict) {
		// Changed meanwhile: the form shows the account as it is now.
		f = accountForm{Role: string(u.Role), Provinces: u.Provinces}
	}
	f.Version = strconv.FormatInt(u.Version, 10)
	p, perr := s.userPage(c, u, f)
	if perr != nil {
		return perr
	}
	if fieldOf(err) != "" {
		p.Form.Error, p.Form.ErrorField = msg, fieldOf(err)
	} else {
		p.Error = msg
	}
	return s.views.render(c, status, "admin_user.html", p)
}

// adminRefused answers an error of an admin page that has no form to
// show it with: an unknown account is a 404 that says so; a store
// failure goes to the error handler.
func (s *Server) adminRefused(c echo.Context, err error) error {
	lang := pickLanguage(c, nil)
	status, msg, ok := s.refusal(lang, err)
	if !ok {
		return err
	}
	return s.views.render(c, status, "error.html", errorPage{Lang: lang, Status: status, Message: msg})
}

// pathName is the account named in the path. Names have no '%', so
// unescaping a name the router already unescaped leaves it as it is.
func pathName(c echo.Context) string {
	name, err := url.PathUnescape(c.Param("name"))
	if err != nil {
		return c.Param("name")
	}
	return name
}

// doneQuery is the query of the page a change redirects to: the
// language and what was done.
func doneQuery(c echo.Context, changed bool, done string) string {
	if !changed {
		done = "unchanged"
	}
	return url.Values{"lang": {pickLanguage(c, nil)}, "done": {done}}.Encode()
}
