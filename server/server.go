package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// Config is what the composition root decides for the server.
type Config struct {
	// Secret signs device cookies and invite tokens and keys the hashes of
	// client addresses; every server sharing a database needs the same one.
	// Nil: a random secret for this process only.
	Secret []byte
	// RateLimit bounds the answer posts per client address; the zero value
	// turns it off (the composition root uses DefaultRateLimit).
	RateLimit RateLimit
	// TrustedProxies lists the CIDR ranges of reverse proxies whose
	// X-Forwarded-For is believed. Empty: the client address is the TCP peer.
	TrustedProxies []string
	Logger         *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// PublicURL is the scheme and host that QR posters point at, e.g.
	// https://survey.example.gov.cn; empty: taken from each request.
	PublicURL string
	// DraftTTL is how long a survey in progress is kept (default 24 h).
	DraftTTL time.Duration
	// StateTTL is how long a survey's manual open/close is cached
	// (default 5 s): how soon `qvoice survey close` reaches this server.
	StateTTL time.Duration
	// SessionCacheTTL is how long a dashboard session and its account are
	// cached (default 30 s): how soon a sign-out on another server, or
	// `qvoice user disable`, reaches this one.
	SessionCacheTTL time.Duration
	// CatchUpInterval is how often Serve reads the responses that other
	// servers sharing the database accepted (default 2 s): how soon they
	// reach this server's dashboards. Negative turns catching up off, for
	// a server that owns its database (the embedded one): on FerretDB
	// every catch-up is a full scan of the responses.
	CatchUpInterval time.Duration
	// InsertWriters is how many batches of responses are written at once
	// (default 1). Submissions arriving together share one insert
	// (surveys.GroupCommit); the embedded database writes serially, so
	// one writer is right there, and a few suit a MongoDB replica set.
	InsertWriters int
}

// Server serves the phone form, the JSON intake and the dashboard.
type Server struct {
	cfg    Config
	store  surveys.Store
	drafts surveys.DraftStore
	log    *slog.Logger
	echo   *echo.Echo
	views  *views
	live   *liveState

	mu   sync.Mutex
	defs map[string]*surveys.Definition // parsed definitions by slug
	// states caches each survey's manual open/close (qvoice survey
	// open|close) for Config.StateTTL, so a close reaches every server sharing
	// the database within seconds without a query per request.
	states map[string]cachedState

	guard *guard // integrity: secret, response caps, honeypot (integrity.go)
	auth  *auth  // dashboard accounts: sessions, sign-in limits (auth.go)
}

// New wires a server over store.
func New(cfg Config, store surveys.Store) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	v, err := newViews()
	if err != nil {
		return nil, err
	}
	if cfg.DraftTTL <= 0 {
		cfg.DraftTTL = 24 * time.Hour
	}
	drafts, ok := store.(surveys.DraftStore)
	if !ok {
		return nil, fmt.Errorf("server: the store %T keeps no drafts (surveys.DraftStore)", store)
	}
	// Responses go through a group commit; everything else reaches the
	// store as is.
	grouped := surveys.NewGroupCommit(store, 0, cfg.InsertWriters)
	s := &Server{cfg: cfg, store: grouped, drafts: drafts, log: cfg.Logger, views: v, defs: map[string]*surveys.Definition{}, states: map[string]cachedState{}}
	s.live = newLiveState(store)
	if s.guard, err = newGuard(cfg.Secret, store); err != nil {
		return nil, err
	}
	if s.auth, err = newAuth(cfg, store); err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	extractor, err := ipExtractor(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	e.IPExtractor = extractor
	e.HTTPErrorHandler = s.handleError
	s.echo = e
	s.routes()
	return s, nil
}

// ipExtractor trusts X-Forwarded-For only from the configured proxies
// (GHSA-246p-cpwv-v3jq: Echo ≤ 4.16.2 trusted it from anyone by default).
func ipExtractor(proxies []string) (echo.IPExtractor, error) {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	var opts []echo.TrustOption
	for _, p := range proxies {
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", p, err)
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	opts = append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
	return echo.ExtractIPFromXFFHeader(opts...), nil
}

// Handler is the whole application as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// Serve answers on ln until ctx is done, then shuts down gracefully,
// letting requests in flight finish for up to 10 seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.echo, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go s.background(ctx)
	go s.catchUpLoop(ctx)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// background warms the dashboards' analysis state (one streaming pass per
// survey, so the first dashboard view does not wait) and purges expired
// drafts every hour, until ctx is done.
func (s *Server) background(ctx context.Context) {
	if list, err := s.store.Surveys(ctx); err == nil {
		for _, st := range list {
			if d, err := s.definition(ctx, st.Slug); err == nil {
				if _, err := s.live.board(ctx, d); err != nil && ctx.Err() == nil {
					s.log.Warn("warm analysis state", "survey", st.Slug, "err", err)
				}
			}
		}
	}
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := s.drafts.PurgeDrafts(ctx, s.cfg.Now()); err != nil && ctx.Err() == nil {
			s.log.Warn("purge expired drafts", "err", err)
		} else if n > 0 {
			s.log.Info("purged expired drafts", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// definition returns the parsed definition of slug, reading the store once
// per slug (every FerretDB query is a full scan, so it is cached).
func (s *Server) definition(ctx context.Context, slug string) (*surveys.Definition, error) {
	s.mu.Lock()
	d := s.defs[slug]
	s.mu.Unlock()
	if d != nil {
		return d.WithState(s.state(ctx, slug)), nil
	}
	st, err := s.store.Survey(ctx, slug)
	if err != nil {
		return nil, fmt.Errorf("survey %q: %w", slug, err)
	}
	d, err = st.Definition()
	if err != nil {
		// Not %w: a stored definition that no longer parses is a server
		// fault (500), not the client's invalid input (422).
		return nil, fmt.Errorf("stored survey %q does not parse: %v", slug, err)
	}
	s.mu.Lock()
	s.defs[slug] = d
	s.mu.Unlock()
	return d.WithState(s.state(ctx, slug)), nil
}

// defaultStateTTL is how long a survey's manual state is cached.
const defaultStateTTL = 5 * time.Second

type cachedState struct {
	state *surveys.SurveyState // nil: never opened or closed by hand
	until time.Time
}

// state returns slug's manual state, read at most every StateTTL. If the
// store fails, the last known state stands and the failure is logged: a
// form keeps working on what it knew.
func (s *Server) state(ctx context.Context, slug string) *surveys.SurveyState {
	now := time.Now()
	s.mu.Lock()
	c, ok := s.states[slug]
	s.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.state
	}
	st, err := s.store.SurveyState(ctx, slug)
	switch {
	case errors.Is(err, surveys.ErrNotFound):
		st = nil
	case err != nil:
		s.log.Warn("read survey state", "survey", slug, "err", err)
		st = c.state
	}
	s.mu.Lock()
	ttl := s.cfg.StateTTL
	if ttl <= 0 {
		ttl = defaultStateTTL
	}
	s.states[slug] = cachedState{state: st, until: now.Add(ttl)}
	s.mu.Unlock()
	return st
}
