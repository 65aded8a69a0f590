package server

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// attemptLimiter allows at most n events per key in any window (a sliding
// log, unlike a token bucket, which would allow a burst and then its refill
// in the same minute). It is per process: each server behind a load
// balancer counts its own.
type attemptLimiter struct {
	n      int
	window time.Duration

	mu    sync.Mutex
	seen  map[string][]time.Time
	calls int
}

func newAttemptLimiter(n int, window time.Duration) *attemptLimiter {
	return &attemptLimiter{n: n, window: window, seen: map[string][]time.Time{}}
}

// allow records an attempt by key at now, unless key already made n within
// the window; it reports whether the attempt may go ahead.
func (l *attemptLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.calls++; l.calls%1000 == 0 {
		for k, ts := range l.seen {
			if len(ts) == 0 || !ts[len(ts)-1].After(now.Add(-l.window)) {
				delete(l.seen, k)
			}
		}
	}
	ts := l.seen[key]
	for len(ts) > 0 && !ts[0].After(now.Add(-l.window)) {
		ts = ts[1:]
	}
	if len(ts) >= l.n {
		l.seen[key] = ts
		return false
	}
	l.seen[key] = append(ts, now)
	return true
}

// loginLimit refuses a sign-in post beyond loginAttempts a minute from
// one client address (c.RealIP(): X-Forwarded-For only from trusted
// proxies) with 429 and the sign-in page. The limiter is keyed by a keyed
// hash of the address, so not even memory holds the address.
func (s *Server) loginLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := hex.EncodeToString(s.guard.mac("qvoice login rate", c.RealIP())[:12])
		if s.auth.attempts.allow(key, s.cfg.Now()) {
			return next(c)
		}
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(loginAttemptWindow/time.Second)))
		p := s.newLoginPage(c, "", safeNext(c.FormValue("next")))
		p.Error = p.Msg("login_rate_limited")
		return s.views.render(c, http.StatusTooManyRequests, "login.html", p)
	}
}
