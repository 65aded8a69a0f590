package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// lastLoginWindow is how far back the accounts pages look in the audit
// log for each account's last sign-in. The list reads the newest sign-ins
// of the window (at most auditReadLimit: every query scans the whole log
// on the embedded database); an account's own page reads its newest one.
const lastLoginWindow = 90 * 24 * time.Hour

// accountRow is one account in the list.
type accountRow struct {
	Name, URL, EditLabel    string
	Role, Provinces, Status string
	Created, LastLogin      string // LastLogin: a time, "—" (none in the window) or "not read"
	Disabled, Self          bool
	Toggle                  *toggleButton // nil on one's own row: an admin cannot disable themself
}

// toggleButton is the disable or enable form of an account.
type toggleButton struct {
	URL, Label, Aria string
}

// adminUsersPage is what admin_users.html renders.
type adminUsersPage struct {
	adminChrome
	Count string
	// ReadLimit says that more sign-ins were in the window than were
	// read: an account without one may have signed in before them.
	ReadLimit string
	Users     []accountRow
	Form      accountFormView
}

// adminUsers is GET /admin/users: every account, and the form to add one.
func (s *Server) adminUsers(c echo.Context) error {
	p, err := s.usersPage(c, accountForm{Role: string(surveys.RoleRegulator)})
	if err != nil {
		return err
	}
	if name := c.QueryParam("name"); name != "" {
		p.Notice = doneNotice(p.M, c.QueryParam("done"), name)
	}
	return s.views.render(c, http.StatusOK, "admin_users.html", p)
}

// adminAddUser is POST /admin/users: add an account with a random
// password, shown once on the page it answers with.
func (s *Server) adminAddUser(c echo.Context) error {
	f, err := bindAccountForm(c)
	if err != nil {
		return err
	}
	u, pw, err := s.addAccount(c, f)
	if err != nil {
		status, msg, ok := s.refusal(pickLanguage(c, nil), err)
		if !ok {
			return err
		}
		p, perr := s.usersPage(c, f)
		if perr != nil {
			return perr
		}
		p.Form.Error, p.Form.ErrorField = msg, fieldOf(err)
		return s.views.render(c, status, "admin_users.html", p)
	}
	lang := pickLanguage(c, nil)
	return s.showPassword(c, u, pw, s.views.msg(lang, "adm_password_added", u.Name, s.scopeLine(lang, u)))
}

// usersPage builds the accounts list with the add form holding f.
func (s *Server) usersPage(c echo.Context, f accountForm) (*adminUsersPage, error) {
	ctx := c.Request().Context()
	ch := s.newAdminChrome(c, "/admin/users", "/admin/users", "adm_users_title")
	users, err := s.auth.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	last, complete, err := s.lastLogins(c)
	if err != nil {
		return nil, err
	}
	p := &adminUsersPage{adminChrome: ch, Form: s.accountFormView(ch, "/admin/users", f, true)}
	if !complete {
		p.ReadLimit = ch.M("adm_logins_read_limit", s.auth.auditRead)
	}
	disabled := 0
	for _, u := range users {
		row := s.accountRow(c, ch.Lang, u, last[u.Name], complete)
		if u.Disabled {
			disabled++
		}
		p.Users = append(p.Users, row)
	}
	p.Count = ch.M("adm_users_count", len(users), disabled)
	return p, nil
}

// lastLogins is the time of each account's last sign-in within
// lastLoginWindow, from the newest auditRead sign-ins (the store filters
// the action); complete is false when that many were read, so older
// sign-ins were not.
func (s *Server) lastLogins(c echo.Context) (last map[string]time.Time, complete bool, err error) {
	events, err := s.auth.store.AuditEvents(c.Request().Context(),
		surveys.AuditQuery{Since: s.cfg.Now().Add(-lastLoginWindow), Action: surveys.AuditLogin, Limit: s.auth.auditRead})
	if err != nil {
		return nil, false, err
	}
	last = map[string]time.Time{}
	for _, e := range events { // oldest first: the last one wins
		last[e.User] = e.At
	}
	return last, len(events) < s.auth.auditRead, nil
}

// lastLogin is the time of name's last sign-in within lastLoginWindow,
// or zero: one query, filtered by the store, that nothing crowds out.
func (s *Server) lastLogin(c echo.Context, name string) (time.Time, error) {
	events, err := s.auth.store.AuditEvents(c.Request().Context(),
		surveys.AuditQuery{Since: s.cfg.Now().Add(-lastLoginWindow), User: name, Action: surveys.AuditLogin, Limit: 1})
	if err != nil || len(events) == 0 {
		return time.Time{}, err
	}
	return events[0].At, nil
}

// accountRow is u as a row of the list, in lang. A zero lastLogin is
// "none in the window" if complete, and "not among the sign-ins read"
// if not.
func (s *Server) accountRow(c echo.Context, lang string, u *surveys.User, lastLogin time.Time, complete bool) accountRow {
	m := func(key string, args ...any) string { return s.views.msg(lang, key, args...) }
	row := accountRow{Name: u.Name, URL: userPath(u.Name) + langQuery(c), EditLabel: m("adm_edit_label", u.Name),
		Role: m("role_" + string(u.Role)), Provinces: s.provinceNames(lang, u.Provinces), Status: m("adm_active"),
		Created: humanTime(u.CreatedAt), LastLogin: m("adm_never"), Disabled: u.Disabled, Self: u.Name == userName(c)}
	switch {
	case !lastLogin.IsZero():
		row.LastLogin = humanTime(lastLogin)
	case !complete:
		row.LastLogin = m("adm_login_not_read")
	}
	if u.Disabled {
		row.Status = m("adm_disabled")
	}
	switch {
	case row.Self:
	case u.Disabled:
		row.Toggle = &toggleButton{URL: userPath(u.Name) + "/enable", Label: m("adm_enable"), Aria: m("adm_enable_label", u.Name)}
	default:
		row.Toggle = &toggleButton{URL: userPath(u.Name) + "/disable", Label: m("adm_disable"), Aria: m("adm_disable_label", u.Name)}
	}
	return row
}

// provinceNames names provinces in lang ("江苏、广东"); none is every
// province. A code the table lacks (set on the command line) shows as is.
func (s *Server) provinceNames(lang string, codes []string) string {
	if len(codes) == 0 {
		return s.views.msg(lang, "all_provinces")
	}
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = code
		if p, ok := surveys.ProvinceByCode(code); ok {
			names[i] = p.Name(lang)
		}
	}
	sep := ", "
	if lang == "zh-CN" {
		sep = "、"
	}
	return strings.Join(names, sep)
}

// scopeLine is an account's role and provinces in lang.
func (s *Server) scopeLine(lang string, u *surveys.User) string {
	return s.views.msg(lang, "role_"+string(u.Role)) + " · " + s.provinceNames(lang, u.Provinces)
}

// humanTime is a time in China time, to the minute.
func humanTime(t time.Time) string {
	return t.In(surveys.ChinaTime).Format("2006-01-02 15:04")
}

// refusal is how an admin page answers a refused change: the status and
// the message in lang. ok is false for an error that is not a refusal
// (the store failed), which the error handler answers.
func (s *Server) refusal(lang string, err error) (status int, msg string, ok bool) {
	var ie *inputError
	switch {
	case errors.As(err, &ie):
		return classify(err).status, s.views.msg(lang, ie.key, ie.args...), true
	case errors.Is(err, surveys.ErrNotFound):
		return http.StatusNotFound, s.views.msg(lang, "adm_err_no_user"), true
	}
	info := classify(err)
	if info.status >= 500 || info.isHTTP {
		return 0, "", false
	}
	return info.status, s.message(lang, info), true
}

// fieldOf is the form field a refusal is about, if any.
func fieldOf(err error) string {
	var ie *inputError
	if errors.As(err, &ie) {
		return ie.field
	}
	return ""
}

// doneNotice is the notice after a change (post/redirect/get): done is
// the message suffix, from a fixed list, so a crafted link can only show
// one of these sentences.
func doneNotice(m func(string, ...any) string, done, name string) string {
	switch done {
	case "changed", "disabled", "enabled", "unchanged":
		return m("adm_done_"+done, name)
	}
	return ""
}
