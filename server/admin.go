package server

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// adminRoutes lists the account administration pages under /admin, for
// admins only (requireAdmin, behind requireUser). Every POST carries the
// session's CSRF token and answers 303 (post/redirect/get), except the
// page that shows a new password once.
func (s *Server) adminRoutes(g *echo.Group) {
	g.GET("", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/admin/users"+langQuery(c)) })
	g.GET("/users", s.adminUsers)
	g.POST("/users", s.adminAddUser)
	g.GET("/users/:name", s.adminUser)
	g.POST("/users/:name", s.adminChangeUser)
	g.POST("/users/:name/disable", s.adminSetDisabled(true))
	g.POST("/users/:name/enable", s.adminSetDisabled(false))
	g.POST("/users/:name/password", s.adminResetPassword)
	g.GET("/audit", s.adminAudit)
}

// requireAdmin lets only admins through; another role gets a 403 page
// that says why. The session and the account are read again from the
// store, not from the session cache, so an admin signed out, reset,
// disabled or demoted on any server loses these pages at once on every
// server: a cached session of a compromised admin whose password was
// reset elsewhere cannot add a backdoor account in the cache's 30 s.
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		si, ok := c.Get(userCtxKey).(*signedIn)
		if !ok {
			return s.refuseAnonymous(c)
		}
		ctx := c.Request().Context()
		if _, err := s.auth.store.Session(ctx, si.sess.IDHash); errors.Is(err, surveys.ErrNotFound) {
			s.auth.evict(si.sess.IDHash) // the dashboards of this server stop too
			return s.refuseAnonymous(c)
		} else if err != nil {
			return err
		}
		u := si.user
		fresh, err := s.auth.store.User(ctx, u.Name)
		if errors.Is(err, surveys.ErrNotFound) {
			return s.refuseAnonymous(c)
		} else if err != nil {
			return err
		}
		if fresh.Disabled {
			return s.refuseAnonymous(c)
		}
		if fresh.Role != surveys.RoleAdmin {
			return s.adminForbidden(c, fresh)
		}
		return next(c)
	}
}

// adminForbidden is the 403 page of a signed-in account that is not an
// admin: what the pages are for, its role, whom to ask.
func (s *Server) adminForbidden(c echo.Context, u *surveys.User) error {
	lang := pickLanguage(c, nil)
	title := s.views.msg(lang, "adm_forbidden_title")
	p := messagePage{Lang: lang, Title: title, Heading: title,
		Body: []string{s.views.msg(lang, "adm_forbidden_body", s.views.msg(lang, "role_"+string(u.Role)))},
		Link: "/dash?lang=" + url.QueryEscape(lang), LinkText: s.views.msg(lang, "adm_nav_dash")}
	return s.views.render(c, http.StatusForbidden, "message.html", p)
}

// adminChrome is what every admin page has: the header with the account,
// the language switch and sign-out, the admin navigation, and a notice or
// an error at the top.
type adminChrome struct {
	Lang, Title, Heading           string
	User, CSRF                     string
	SwitchLangURL, SwitchLangLabel string
	Nav                            []navItem
	Notice, Error                  string
	M                              func(key string, args ...any) string
}

// newAdminChrome makes the chrome of the page here, under the
// navigation entry nav, with the heading key and its arguments. The
// language switch goes to here; after a POST (a refusal shown again) it
// drops the query, which belonged to the form.
func (s *Server) newAdminChrome(c echo.Context, nav, here, heading string, args ...any) adminChrome {
	lang := pickLanguage(c, nil)
	m := func(key string, args ...any) string { return s.views.msg(lang, key, args...) }
	ch := adminChrome{Lang: lang, Title: m(heading, args...), User: userName(c), CSRF: s.csrfToken(c), M: m}
	ch.Heading = ch.Title
	if l := otherLanguage(lang, serverLanguages); l != "" {
		q := url.Values{}
		if c.Request().Method == http.MethodGet {
			q = c.Request().URL.Query()
		}
		q.Set("lang", l)
		ch.SwitchLangURL, ch.SwitchLangLabel = here+"?"+q.Encode(), languageName(l)
	}
	q := "?lang=" + url.QueryEscape(lang)
	for _, n := range []struct{ key, url string }{
		{"adm_nav_accounts", "/admin/users"}, {"adm_nav_audit", "/admin/audit"}, {"adm_nav_dash", "/dash"},
	} {
		ch.Nav = append(ch.Nav, navItem{Label: m(n.key), URL: n.url + q, Current: n.url == nav})
	}
	return ch
}

// adminLink is the header link to the account pages, for admins only
// (nil for everyone else).
func (s *Server) adminLink(c echo.Context, lang string) *navItem {
	if u := userOf(c); u == nil || u.Role != surveys.RoleAdmin {
		return nil
	}
	return &navItem{Label: s.views.msg(lang, "adm_nav_accounts"), URL: "/admin/users?lang=" + url.QueryEscape(lang)}
}

// langQuery is "?lang=L" for the request's language, for redirects.
func langQuery(c echo.Context) string {
	return "?lang=" + url.QueryEscape(pickLanguage(c, nil))
}

// userPath is the page of the account name.
func userPath(name string) string { return "/admin/users/" + url.PathEscape(name) }
