package server

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// Sign-in limits: at most loginAttempts posts per loginAttemptWindow from
// one client address; maxFailures failed attempts on one name within
// lockWindow lock that name for lockFor, even with the right password.
const (
	loginAttempts      = 10
	loginAttemptWindow = time.Minute
	maxFailures        = 5
	lockWindow         = 15 * time.Minute
	lockFor            = 15 * time.Minute
	// loginCSRFCookie holds a random value before there is a session; the
	// login form's token is its MAC.
	loginCSRFCookie = "qvoice_csrf"
)

// loginPage is the sign-in form.
type loginPage struct {
	Lang, Title                            string
	Name, Next, CSRF                       string
	Error, Notice                          string
	Account                                *accountView // already signed in: who, and a sign-out form
	SwitchLang, SwitchLangURL, SwitchLabel string
	Msg                                    func(string) string
}

// loginForm shows the sign-in page: GET /login[?next=/dash/…&lang=en].
// A signed-in browser also sees its account and a sign-out button.
func (s *Server) loginForm(c echo.Context) error {
	if _, err := s.signedIn(c); err != nil {
		return err
	}
	p := s.newLoginPage(c, "", safeNext(c.QueryParam("next")))
	p.Account = s.account(c, p.Lang)
	if c.QueryParam("signed_out") != "" {
		p.Notice = p.Msg("login_signed_out")
	}
	return s.views.render(c, http.StatusOK, "login.html", p)
}

func (s *Server) newLoginPage(c echo.Context, name, next string) loginPage {
	lang := pickLanguage(c, nil)
	p := loginPage{Lang: lang, Name: name, Next: next, CSRF: s.loginCSRF(c),
		Msg: func(k string) string { return s.views.msg(lang, k) }}
	p.Title = p.Msg("login_title")
	if l := otherLanguage(lang, serverLanguages); l != "" {
		q := url.Values{"lang": {l}}
		if next != "" {
			q.Set("next", next)
		}
		p.SwitchLang, p.SwitchLangURL, p.SwitchLabel = l, "/login?"+q.Encode(), languageName(l)
	}
	return p
}

// login signs in: POST /login with name, password, _csrf and next. A new
// session with a new token replaces whatever session the browser had.
func (s *Server) login(c echo.Context) error {
	if !s.loginCSRFOK(c) {
		return s.csrfRefused(c)
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if utf8.RuneCountInString(name) > 64 {
		name = string([]rune(name)[:64])
	}
	next := safeNext(c.FormValue("next"))
	u, err := s.authenticate(c, name, c.FormValue("password"))
	if err != nil {
		return err
	}
	if u == nil {
		p := s.newLoginPage(c, name, next)
		p.Error = p.Msg("login_failed")
		return s.views.render(c, http.StatusUnauthorized, "login.html", p)
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	if next == "" {
		next = "/dash" // the survey list
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// authenticate returns the account if name and password are right, the
// account is enabled and the name is not locked; otherwise nil, after
// recording why in the audit log. Every path checks one password hash, so
// an unknown name takes as long as a known one.
func (s *Server) authenticate(c echo.Context, name, password string) (*surveys.User, error) {
	ctx := c.Request().Context()
	u, err := s.auth.store.User(ctx, name)
	if err != nil && !errors.Is(err, surveys.ErrNotFound) {
		return nil, err
	}
	who, hash := name, s.auth.dummy()
	if u != nil {
		hash = u.PasswordHash
	} else {
		// What was typed may be a password in the wrong field: the log
		// keeps a keyed hash of an unknown name, enough to lock it out.
		who = "unknown:" + hex.EncodeToString(s.guard.mac("qvoice unknown user", name)[:8])
	}
	ok, verr := s.auth.verify(ctx, hash, password)
	if errors.Is(verr, context.Canceled) || errors.Is(verr, context.DeadlineExceeded) {
		return nil, verr
	}
	until, err := s.lockedUntil(ctx, who)
	if err != nil {
		return nil, err
	}
	fail := func(action surveys.AuditAction, detail string) (*surveys.User, error) {
		return nil, s.auditAs(c, who, action, "", detail)
	}
	switch {
	case s.cfg.Now().Before(until):
		return fail(surveys.AuditLockedOut, "locked until "+until.UTC().Format(time.RFC3339))
	case u == nil:
		return fail(surveys.AuditLoginFailed, "unknown user")
	case verr != nil:
		s.log.Error("unreadable password hash", "user", u.Name, "err", verr)
		return fail(surveys.AuditLoginFailed, "unreadable password hash")
	case !ok:
		return fail(surveys.AuditLoginFailed, "wrong password")
	case u.Disabled:
		return fail(surveys.AuditLoginFailed, "account disabled")
	}
	return u, nil
}

// lockedUntil reads the last two lock windows of the audit log: walking
// who's failed logins in order, maxFailures of them within lockWindow
// lock the name for lockFor from the last one; a successful login starts
// the count again. Attempts while locked are locked_out, not counted, so
// the lock does not grow. The log is shared, so every server agrees.
func (s *Server) lockedUntil(ctx context.Context, who string) (time.Time, error) {
	events, err := s.auth.store.AuditEvents(ctx, surveys.AuditQuery{Since: s.cfg.Now().Add(-lockWindow - lockFor), User: who})
	if err != nil {
		return time.Time{}, err
	}
	var until time.Time
	var recent []time.Time
	for _, e := range events {
		if e.User != who {
			continue
		}
		switch e.Action {
		case surveys.AuditLogin:
			recent = recent[:0]
		case surveys.AuditLoginFailed:
			if e.At.Before(until) {
				continue
			}
			for len(recent) > 0 && !recent[0].After(e.At.Add(-lockWindow)) {
				recent = recent[1:]
			}
			if recent = append(recent, e.At); len(recent) >= maxFailures {
				until, recent = e.At.Add(lockFor), recent[:0]
			}
		}
	}
	return until, nil
}

// startSession ends the browser's current session, if any, and starts a
// new one for u with a new random token (so a token planted before sign-in
// is never signed in), sets the cookie, records the login and purges
// expired sessions.
func (s *Server) startSession(c echo.Context, u *surveys.User) error {
	ctx := c.Request().Context()
	if ck, err := c.Cookie(sessionCookie); err == nil {
		old := surveys.SessionIDHash(ck.Value)
		if err := s.auth.store.DeleteSession(ctx, old); err != nil {
			return err
		}
		s.auth.evict(old)
	}
	token, now := randomToken(), s.cfg.Now()
	sess := &surveys.Session{IDHash: surveys.SessionIDHash(token), User: u.Name, CreatedAt: now, ExpiresAt: now.Add(sessionMaxAge)}
	if err := s.auth.store.PutSession(ctx, sess); err != nil {
		return err
	}
	if err := s.auditAs(c, u.Name, surveys.AuditLogin, "", ""); err != nil {
		_ = s.auth.store.DeleteSession(ctx, sess.IDHash)
		return err
	}
	s.setSessionCookie(c, token, int(sessionMaxAge/time.Second))
	if n, err := s.auth.store.PurgeSessions(ctx, now); err != nil {
		s.log.Warn("purge expired sessions", "err", err)
	} else if n > 0 {
		s.log.Info("purged expired sessions", "count", n)
	}
	return nil
}

// logout ends the session: POST /logout with the session's _csrf. Without
// a session it only clears the cookie.
func (s *Server) logout(c echo.Context) error {
	si, err := s.signedIn(c)
	if err != nil {
		return err
	}
	if si != nil {
		if !s.csrfOK(c, si.sess) {
			return s.csrfRefused(c)
		}
		if err := s.auth.store.DeleteSession(c.Request().Context(), si.sess.IDHash); err != nil {
			return err
		}
		s.auth.evict(si.sess.IDHash)
		if err := s.auditAs(c, si.user.Name, surveys.AuditLogout, "", ""); err != nil {
			s.log.Warn("audit logout", "err", err)
		}
	}
	s.setSessionCookie(c, "", -1)
	return c.Redirect(http.StatusSeeOther, "/login?signed_out=1&lang="+url.QueryEscape(pickLanguage(c, nil)))
}

// safeNext returns next if it is a path of this site under /dash or
// /admin (where requireUser sends an anonymous browser from), else "":
// no scheme or host ("https://evil.example", "//evil.example"), no
// backslashes (browsers read "/\evil" as "//evil"), dot segments, or
// characters a browser would have percent-encoded (controls, spaces, <>").
func safeNext(next string) string {
	rest, ok := strings.CutPrefix(next, "/dash")
	if !ok {
		rest, ok = strings.CutPrefix(next, "/admin")
	}
	if !ok || len(next) > 2048 || (rest != "" && rest[0] != '/' && rest[0] != '?') {
		return ""
	}
	lower := strings.ToLower(next)
	if strings.Contains(next, "//") || strings.Contains(next, "\\") || strings.Contains(lower, "/.") || strings.Contains(lower, "/%2e") {
		return "" // "/dash/../x" and "/dash/%2e%2e/x" leave /dash in a browser
	}
	for _, r := range next { // RFC 3986 path and query characters only: browsers percent-encode the rest
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~!$&'()*+,;=:@/?%", r)) {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return ""
	}
	return next
}

// loginCSRF returns the login form's CSRF token, setting the random
// qvoice_csrf cookie it is the MAC of if the browser has none.
func (s *Server) loginCSRF(c echo.Context) string {
	v := ""
	if ck, err := c.Cookie(loginCSRFCookie); err == nil && len(ck.Value) == base64.RawURLEncoding.EncodedLen(tokenBytes) {
		v = ck.Value
	} else {
		v = randomToken()
		c.SetCookie(&http.Cookie{Name: loginCSRFCookie, Value: v, Path: "/login", MaxAge: int(sessionMaxAge / time.Second),
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https"})
	}
	return base64.RawURLEncoding.EncodeToString(s.guard.mac("qvoice login csrf", v))
}

// loginCSRFOK checks the login form's token against the cookie.
func (s *Server) loginCSRFOK(c echo.Context) bool {
	if c.Request().Header.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	ck, err := c.Cookie(loginCSRFCookie)
	if err != nil || ck.Value == "" {
		return false
	}
	want := base64.RawURLEncoding.EncodeToString(s.guard.mac("qvoice login csrf", ck.Value))
	return hmac.Equal([]byte(c.FormValue(csrfField)), []byte(want))
}
