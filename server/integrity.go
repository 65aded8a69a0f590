package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/qvoice/qvoice/surveys"
)

// RateLimit bounds how often one client address may post answers (the
// form's POSTs and the API). The address is c.RealIP(): the TCP peer, or
// X-Forwarded-For from a trusted proxy only.
type RateLimit struct {
	Rate      float64       // posts per second, sustained; 0 turns limiting off
	Burst     int           // posts allowed at once
	ExpiresIn time.Duration // an idle address is forgotten after this
}

// DefaultRateLimit allows a post per second with bursts of 20. A
// respondent posts once per page, about every 10 to 30 seconds (large-text
// mode has a page per question), so one address carries some 10 to 30
// people answering at once: a township market's Wi-Fi or a carrier's
// shared address (CGNAT) stays within it, a script does not. Raise it for
// a large event behind one address.
var DefaultRateLimit = RateLimit{Rate: 1, Burst: 20, ExpiresIn: 10 * time.Minute}

// maxPostBody bounds a form post or an API body.
const maxPostBody = "64K"

// guard is the integrity state of a server: the secret, the places
// tally of capped surveys and the honeypot counter.
type guard struct {
	secret  []byte
	tally   *tally
	ids     keyedLocks   // one submission of an id at a time
	trapped atomic.Int64 // honeypot hits, answered as if stored
}

func newGuard(secret []byte, st surveys.Store) (*guard, error) {
	switch {
	case len(secret) == 0:
		// Tests, or a single process that need not survive a restart.
		secret = make([]byte, 32)
		_, _ = rand.Read(secret)
	case len(secret) < 16:
		return nil, fmt.Errorf("server: the secret has %d bytes, want at least 16", len(secret))
	}
	return &guard{secret: secret, tally: newTally(st)}, nil
}

// mac is HMAC-SHA256 of label and msg under the secret.
func (g *guard) mac(label, msg string) []byte {
	m := hmac.New(sha256.New, g.secret)
	m.Write([]byte(label + "\x00" + msg))
	return m.Sum(nil)
}

// postLimits guards every route that takes answers: a rate limit per
// client address and a 64 KB body, on POST only. The limiter is keyed by
// a keyed hash of the address, so not even memory holds the address.
func (s *Server) postLimits() []echo.MiddlewareFunc {
	onlyPost := func(c echo.Context) bool { return c.Request().Method != http.MethodPost }
	var out []echo.MiddlewareFunc
	if rl := s.cfg.RateLimit; rl.Rate > 0 {
		store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(rl.Rate), Burst: rl.Burst, ExpiresIn: rl.ExpiresIn})
		retryAfter := strconv.Itoa(int(math.Max(1, math.Ceil(1/rl.Rate))))
		out = append(out, middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
			Skipper: onlyPost,
			Store:   store,
			IdentifierExtractor: func(c echo.Context) (string, error) {
				return hex.EncodeToString(s.guard.mac("qvoice rate", c.RealIP())[:12]), nil
			},
			DenyHandler: func(c echo.Context, _ string, err error) error {
				c.Response().Header().Set("Retry-After", retryAfter)
				return echo.NewHTTPError(http.StatusTooManyRequests, "too many posts from this address").SetInternal(err)
			},
		}))
	}
	return append(out, middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Skipper: onlyPost, Limit: maxPostBody}))
}

// checkOpen returns nil if survey d takes responses now (its dates, and
// its cap as far as this server knows: other servers may have filled it,
// which Submit finds out), or an error that the error handler shows as
// a friendly 410 page in the respondent's language (the API: a JSON
// message). It reads no database once a capped survey is counted.
func (s *Server) checkOpen(c echo.Context, d *surveys.Definition) error {
	n, err := s.guard.tally.count(c.Request().Context(), d)
	if err != nil {
		return err
	}
	return s.stop(d, d.Accepts(s.cfg.Now(), n))
}

// checkOpenFor is checkOpen for a page of the form in progress under
// submission id: a survey full by this server's count is still open to a
// submission that holds a place (its insert failed, on this server or
// another), which Submit gives back to it. Only a full survey costs a
// read of the submission's ticket.
func (s *Server) checkOpenFor(c echo.Context, d *surveys.Definition, id string) error {
	err := s.checkOpen(c, d)
	var closed *surveys.ClosedError
	if !errors.As(err, &closed) || closed.Reason != surveys.Full {
		return err
	}
	if s.guard.tally.holds(d, id) {
		return nil
	}
	holder, rerr := s.store.Claimant(c.Request().Context(), surveys.ClaimSlot, surveys.TicketKey(d.Slug, id))
	switch {
	case rerr == nil && holder == id:
		return nil // Submit decides: its place, or its stored response
	case rerr != nil && !errors.Is(rerr, surveys.ErrNotFound):
		return rerr
	}
	return err
}

// admit makes, for a form page, the checks Submit makes at the end, so a
// respondent who cannot answer is told on the first page rather than after
// the last: the survey is open; the invite (required, or given) is genuine,
// unexpired and not used by another submission; this device has not
// answered (one_per_device). sid is the form's submission id, "" on a
// fresh start. It reads the database for invites and devices: call it on
// the first page and checkOpen on the others.
func (s *Server) admit(c echo.Context, d *surveys.Definition, token, sid string) error {
	if err := s.checkOpen(c, d); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if token != "" || d.InviteOnly {
		if token == "" {
			return s.stop(d, fmt.Errorf("survey %q: %w", d.Slug, surveys.ErrTokenRequired))
		}
		inv, err := surveys.VerifyInvite(s.guard.secret, d.Slug, token, s.cfg.Now())
		if err != nil {
			return s.stop(d, err)
		}
		holder, err := s.store.Claimant(ctx, surveys.ClaimToken, inv.ID)
		switch {
		case err == nil && holder != strings.ToLower(sid):
			return s.stop(d, fmt.Errorf("survey %q: %w", d.Slug, surveys.ErrTokenUsed))
		case err != nil && !errors.Is(err, surveys.ErrNotFound):
			return err
		}
	}
	if d.OnePerDevice {
		done, err := surveys.DeviceAnswered(ctx, s.store, d, s.guard.secret, s.deviceID(c), strings.ToLower(sid))
		if err != nil {
			return err
		}
		if done {
			return s.stop(d, fmt.Errorf("survey %q: %w", d.Slug, surveys.ErrAlreadyResponded))
		}
	}
	return nil
}

// submit is the one insert path of the form and the API. It fills in what
// the server knows about the client — the device id (one_per_device only),
// the hash of address and User-Agent, where to look for a place in a
// capped survey, the secret — stores through surveys.Submit, and counts a
// new response in the live state and the tally. Refusals a respondent should
// see as a page (closed, already answered, invite problems) come back
// wrapped for the friendly page.
func (s *Server) submit(c echo.Context, d *surveys.Definition, sub surveys.Submission) (surveys.Receipt, error) {
	ctx := c.Request().Context()
	if d.OnePerDevice {
		sub.DeviceID = s.deviceID(c)
	}
	sub.IPHash = surveys.IPHash(s.guard.secret, d.Slug, c.RealIP(), c.Request().UserAgent())
	sub.Secret = s.guard.secret
	// One submission id at a time: a double tap's second copy waits for
	// the first and is then answered as its retry, rather than racing it
	// for a second place of a capped survey.
	unlock, err := s.guard.ids.lock(ctx, d.Slug+"/"+strings.ToLower(sub.ID))
	if errors.Is(err, errKeyBusy) {
		c.Response().Header().Set("Retry-After", "1")
	}
	if err != nil {
		return surveys.Receipt{}, err
	}
	defer unlock()
	hint, done, err := s.guard.tally.reserve(ctx, d, strings.ToLower(sub.ID))
	if err != nil {
		return surveys.Receipt{}, err
	}
	sub.SlotHint = hint
	var rec surveys.Receipt
	err = errSubmitPanicked // what the tally is told if Submit panics
	defer func() { done(rec, err) }()
	rec, err = surveys.Submit(ctx, s.store, d, sub, s.cfg.Now())
	if err != nil {
		return rec, s.stop(d, err)
	}
	if !rec.Duplicate {
		s.live.add(d, rec.Response)
	}
	return rec, nil
}

// errSubmitPanicked settles the tally of a submission whose Submit
// panicked (the Recover middleware answers 500): its hint is free again.
var errSubmitPanicked = errors.New("submit panicked")

// deviceCookie holds a random device id and its signature. It identifies
// a browser, not a person, and is set only for one_per_device surveys.
const (
	deviceCookie = "qv_dev"
	deviceCtxKey = "qvoice.device"
	deviceMaxAge = 365 * 24 * 60 * 60
)

// deviceID returns the browser's device id from its signed qv_dev cookie,
// setting a new cookie (HttpOnly, SameSite=Lax, Secure over HTTPS, one
// year) when there is none or its signature is wrong.
func (s *Server) deviceID(c echo.Context) string {
	if id, ok := c.Get(deviceCtxKey).(string); ok {
		return id
	}
	if ck, err := c.Cookie(deviceCookie); err == nil {
		if id, ok := s.guard.openDevice(ck.Value); ok {
			c.Set(deviceCtxKey, id)
			return id
		}
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	c.SetCookie(&http.Cookie{Name: deviceCookie, Value: s.guard.sealDevice(id), Path: "/", MaxAge: deviceMaxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https"})
	c.Set(deviceCtxKey, id)
	return id
}

func (g *guard) sealDevice(id string) string {
	return id + "." + base64.RawURLEncoding.EncodeToString(g.mac("qvoice device cookie", id)[:16])
}

func (g *guard) openDevice(v string) (string, bool) {
	id, _, ok := strings.Cut(v, ".")
	if !ok || len(id) != 22 || !hmac.Equal([]byte(v), []byte(g.sealDevice(id))) {
		return "", false
	}
	return id, true
}

// honeypotTripped reports whether a posted form filled the hidden field
// that people never see (surveys.HoneypotField, "website"). The form
// renders it off-screen with autocomplete off and tabindex -1.
func honeypotTripped(values url.Values) bool {
	return strings.TrimSpace(values.Get(surveys.HoneypotField)) != ""
}

// decoy answers a submission that tripped the honeypot as a stored one
// would be answered — a receipt with a fresh code — so a bot learns
// nothing; nothing is stored, and the hit is counted.
func (s *Server) decoy(id string) surveys.Receipt {
	s.guard.trapped.Add(1)
	return surveys.Receipt{ID: strings.ToLower(id), Code: surveys.NewResponseCode()}
}

// stopError is a refusal that a respondent sees as a page of the survey
// (title, explanation, hotline) rather than a bare error page.
type stopError struct {
	d   *surveys.Definition
	err error
}

func (e *stopError) Error() string { return e.err.Error() }
func (e *stopError) Unwrap() error { return e.err }

// stop wraps err for the friendly page if it is a refusal of the
// respondent (closed, already answered, invite problems); other errors,
// and nil, pass unchanged.
func (s *Server) stop(d *surveys.Definition, err error) error {
	if err == nil {
		return nil
	}
	for _, kind := range []error{surveys.ErrClosed, surveys.ErrAlreadyResponded, surveys.ErrTokenRequired,
		surveys.ErrTokenForged, surveys.ErrTokenExpired, surveys.ErrTokenUsed} {
		if errors.Is(err, kind) {
			return &stopError{d: d, err: err}
		}
	}
	return err
}
