package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// Sessions: the cookie holds a random token; the store holds its SHA-256
// with the account and the expiry. An idle session expires after
// sessionMaxAge; each use moves the expiry forward, writing to the store at
// most every sessionRefresh.
const (
	sessionCookie  = "qvoice_session"
	sessionMaxAge  = 12 * time.Hour
	sessionRefresh = 10 * time.Minute
	// defaultSessionCacheTTL is how long a server trusts what it read
	// about a session and its account: a sign-out or a disabled account
	// reaches the other servers within it.
	defaultSessionCacheTTL = 30 * time.Second
	// sessionCacheMax bounds the cache; beyond it, stale entries go.
	sessionCacheMax = 10000
	tokenBytes      = 32
	// csrfField is the hidden form field (or X-CSRF-Token header) that
	// carries the CSRF token on every state-changing request.
	csrfField = "_csrf"
	// userCtxKey holds the *signedIn of a request.
	userCtxKey = "qvoice.user"
)

// auth is the sign-in state of a server: the account stores, the session
// cache, the login attempt limiter and a bound on concurrent password
// hashing (each argon2id run takes 64 MiB).
type auth struct {
	store    surveys.Accounts
	cacheTTL time.Duration
	hashing  chan struct{}
	dummy    func() string // a hash to check unknown names against, so they take as long
	attempts *attemptLimiter
	// auditRead bounds the events an admin page reads from the audit log
	// (auditReadLimit; tests lower it).
	auditRead int

	mu    sync.Mutex
	cache map[string]cachedSession // by session IDHash
}

type cachedSession struct {
	sess  *surveys.Session
	user  *surveys.User
	until time.Time
}

// signedIn is a request's valid session and its account.
type signedIn struct {
	sess *surveys.Session
	user *surveys.User
}

func newAuth(cfg Config, store surveys.Store) (*auth, error) {
	accounts, ok := store.(surveys.Accounts)
	if !ok {
		return nil, fmt.Errorf("server: the store %T keeps no accounts (surveys.Accounts)", store)
	}
	ttl := cfg.SessionCacheTTL
	if ttl <= 0 {
		ttl = defaultSessionCacheTTL
	}
	a := &auth{store: accounts, cacheTTL: ttl, cache: map[string]cachedSession{}, auditRead: auditReadLimit,
		hashing:  make(chan struct{}, max(1, min(4, runtime.GOMAXPROCS(0)))),
		attempts: newAttemptLimiter(loginAttempts, loginAttemptWindow)}
	a.dummy = sync.OnceValue(func() string {
		h, _ := HashPassword(randomToken())
		return h
	})
	return a, nil
}

// randomToken is 32 random bytes, base64url without padding (43 characters).
func randomToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// verify checks a password against a hash, at most a few at a time.
func (a *auth) verify(ctx context.Context, hash, password string) (bool, error) {
	select {
	case a.hashing <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-a.hashing }()
	return verifyPassword(hash, password)
}

// hash hashes a new password, at most a few at a time (see verify).
func (a *auth) hash(ctx context.Context, password string) (string, error) {
	select {
	case a.hashing <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-a.hashing }()
	return HashPassword(password)
}

// lookup returns the session with idHash and its account, from the cache
// if it was read less than cacheTTL ago; nil if either is gone.
func (a *auth) lookup(ctx context.Context, idHash string) (*signedIn, error) {
	now := time.Now()
	a.mu.Lock()
	c, ok := a.cache[idHash]
	a.mu.Unlock()
	if ok && now.Before(c.until) {
		return &signedIn{c.sess, c.user}, nil
	}
	sess, err := a.store.Session(ctx, idHash)
	if errors.Is(err, surveys.ErrNotFound) {
		a.evict(idHash)
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	user, err := a.store.User(ctx, sess.User)
	if errors.Is(err, surveys.ErrNotFound) {
		a.evict(idHash)
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	a.remember(sess, user, now)
	return &signedIn{sess, user}, nil
}

func (a *auth) remember(sess *surveys.Session, user *surveys.User, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.cache) >= sessionCacheMax {
		for k, c := range a.cache {
			if !now.Before(c.until) {
				delete(a.cache, k)
			}
		}
		if len(a.cache) >= sessionCacheMax {
			clear(a.cache)
		}
	}
	a.cache[sess.IDHash] = cachedSession{sess: sess, user: user, until: now.Add(a.cacheTTL)}
}

// evictUser forgets the cached sessions of an account whose password,
// role or state changed, so this server reads them again at once (the
// others within cacheTTL).
func (a *auth) evictUser(name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, c := range a.cache {
		if c.user.Name == name {
			delete(a.cache, k)
		}
	}
}

func (a *auth) evict(idHash string) {
	a.mu.Lock()
	delete(a.cache, idHash)
	a.mu.Unlock()
}

// signedIn returns the request's valid session, or nil for an anonymous
// one: no cookie, an unknown or expired session, a deleted or disabled
// account. A session in use is kept alive (see sessionMaxAge).
func (s *Server) signedIn(c echo.Context) (*signedIn, error) {
	if si, ok := c.Get(userCtxKey).(*signedIn); ok {
		return si, nil
	}
	ck, err := c.Cookie(sessionCookie)
	if err != nil || len(ck.Value) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return nil, nil
	}
	ctx := c.Request().Context()
	si, err := s.auth.lookup(ctx, surveys.SessionIDHash(ck.Value))
	if err != nil || si == nil {
		return nil, err
	}
	now := s.cfg.Now()
	if !now.Before(si.sess.ExpiresAt) || si.user.Disabled {
		return nil, nil
	}
	if si.sess.ExpiresAt.Sub(now) < sessionMaxAge-sessionRefresh {
		if si, err = s.keepAlive(c, si, now); err != nil || si == nil {
			return nil, err
		}
	}
	c.Set(userCtxKey, si)
	return si, nil
}

// keepAlive moves a session's expiry to sessionMaxAge from now, in the
// store and in the cookie. A session deleted meanwhile (signed out on
// another server) is not brought back: nil.
func (s *Server) keepAlive(c echo.Context, si *signedIn, now time.Time) (*signedIn, error) {
	fresh := *si.sess
	fresh.ExpiresAt = now.Add(sessionMaxAge)
	err := s.auth.store.RefreshSession(c.Request().Context(), fresh.IDHash, fresh.ExpiresAt)
	if errors.Is(err, surveys.ErrNotFound) {
		s.auth.evict(fresh.IDHash)
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	s.auth.remember(&fresh, si.user, time.Now())
	if ck, err := c.Cookie(sessionCookie); err == nil {
		s.setSessionCookie(c, ck.Value, int(sessionMaxAge/time.Second))
	}
	return &signedIn{&fresh, si.user}, nil
}

// setSessionCookie sets (maxAge > 0) or clears (maxAge < 0) the session
// cookie: HttpOnly, SameSite=Lax, Secure when the request came over HTTPS.
func (s *Server) setSessionCookie(c echo.Context, token string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https"})
}

// requireUser guards the dashboard: an anonymous request is sent to the
// sign-in page (303), or refused with 401 if it asks for data (JSON or
// CSV); a state-changing request (not GET, HEAD or OPTIONS) must carry the
// session's CSRF token in the _csrf field or the X-CSRF-Token header, or
// it is refused with 403. Handlers behind it read the account with userOf.
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		si, err := s.signedIn(c)
		if err != nil {
			return err
		}
		if si == nil {
			return s.refuseAnonymous(c)
		}
		if !safeMethod(c.Request().Method) && !s.csrfOK(c, si.sess) {
			return s.csrfRefused(c)
		}
		h := c.Response().Header()
		h.Add("Vary", "Cookie")
		h.Set("Cache-Control", "private, no-store")
		return next(c)
	}
}

// userOf returns the signed-in account of a request that passed
// requireUser (or nil): its Role, and its Provinces (empty: every
// province), which every page, chart, table and export must respect.
func userOf(c echo.Context) *surveys.User {
	if si, ok := c.Get(userCtxKey).(*signedIn); ok {
		return si.user
	}
	return nil
}

// accountView is what a page shows of the signed-in account: a line
// "Signed in as NAME (ROLE · PROVINCES)" and a sign-out form that posts
// CSRF as _csrf to /logout (see templates/login.html).
type accountView struct {
	Line, CSRF, LogoutLabel string
}

// account is the accountView of the request's account in lang, or nil if
// the request is anonymous.
func (s *Server) account(c echo.Context, lang string) *accountView {
	si, ok := c.Get(userCtxKey).(*signedIn)
	if !ok {
		return nil
	}
	u := si.user
	scope := s.views.msg(lang, "role_"+string(u.Role))
	if !u.AllProvinces() {
		scope += " · " + strings.Join(u.Provinces, ", ")
	}
	return &accountView{Line: s.views.msg(lang, "signed_in_as", u.Name, scope), CSRF: s.sessionCSRF(si.sess),
		LogoutLabel: s.views.msg(lang, "logout")}
}

// csrfToken is the CSRF token of the request's session, for the hidden
// _csrf field of every form that changes something ("" if anonymous).
func (s *Server) csrfToken(c echo.Context) string {
	if si, ok := c.Get(userCtxKey).(*signedIn); ok {
		return s.sessionCSRF(si.sess)
	}
	return ""
}

func (s *Server) sessionCSRF(sess *surveys.Session) string {
	return base64.RawURLEncoding.EncodeToString(s.guard.mac("qvoice csrf", sess.IDHash))
}

// csrfOK checks a state-changing request: the token matches the session,
// and a browser does not say the request came from another site.
func (s *Server) csrfOK(c echo.Context, sess *surveys.Session) bool {
	if c.Request().Header.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	token := c.Request().Header.Get("X-CSRF-Token")
	if token == "" {
		token = c.FormValue(csrfField)
	}
	return hmac.Equal([]byte(token), []byte(s.sessionCSRF(sess)))
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// wantsData reports whether a request asks for data rather than a page:
// a path ending in .json or .csv, or an Accept header naming JSON or CSV
// but not HTML.
func wantsData(c echo.Context) bool {
	p := strings.ToLower(c.Request().URL.Path)
	if strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".csv") {
		return true
	}
	accept := strings.ToLower(c.Request().Header.Get("Accept"))
	return !strings.Contains(accept, "text/html") &&
		(strings.Contains(accept, "application/json") || strings.Contains(accept, "text/csv"))
}

// refuseAnonymous answers a request without a valid session.
func (s *Server) refuseAnonymous(c echo.Context) error {
	lang := pickLanguage(c, nil)
	if wantsData(c) {
		c.Response().Header().Set("Cache-Control", "no-store")
		msg := s.views.msg(lang, "login_required")
		if strings.Contains(strings.ToLower(c.Request().Header.Get("Accept")), "json") || strings.HasSuffix(c.Request().URL.Path, ".json") {
			return c.JSON(http.StatusUnauthorized, apiError{Error: msg})
		}
		return c.String(http.StatusUnauthorized, msg+"\n")
	}
	q := url.Values{"next": {c.Request().URL.RequestURI()}}
	if l := c.QueryParam("lang"); l != "" {
		q.Set("lang", l)
	}
	return c.Redirect(http.StatusSeeOther, "/login?"+q.Encode())
}

// csrfRefused is the 403 page of a form without a valid CSRF token.
func (s *Server) csrfRefused(c echo.Context) error {
	lang := pickLanguage(c, nil)
	p := messagePage{Lang: lang, Title: s.views.msg(lang, "csrf_title"), Heading: s.views.msg(lang, "csrf_title"),
		Body: []string{s.views.msg(lang, "csrf_failed")}, Link: "/login?lang=" + url.QueryEscape(lang),
		LinkText: s.views.msg(lang, "back_to_login")}
	return s.views.render(c, http.StatusForbidden, "message.html", p)
}

// audit records an action of the request's account (exports, reports):
// the account, the survey, a detail (never answers), and a keyed hash of
// the client address, never the address. An export that cannot be
// recorded should not happen: callers return the error.
func (s *Server) audit(c echo.Context, action surveys.AuditAction, survey, detail string) error {
	return s.auditAs(c, userName(c), action, survey, detail)
}

func (s *Server) auditAs(c echo.Context, user string, action surveys.AuditAction, survey, detail string) error {
	e := surveys.AuditEvent{At: s.cfg.Now(), User: user, Action: action, Survey: survey, Detail: detail,
		ClientHash: hex.EncodeToString(s.guard.mac("qvoice audit client", c.RealIP())[:8])}
	if err := s.auth.store.Audit(c.Request().Context(), e); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
