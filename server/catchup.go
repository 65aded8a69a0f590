package server

import (
	"context"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// Catching up: servers sharing a database (several qvoice serve behind a
// load balancer) each keep their own boards. Every Config.CatchUpInterval
// a server asks the store for the responses of each loaded board received
// since its mark (the newest ReceivedAt seen) minus catchUpLag, in
// (received_at, _id) order from the index, and adds those whose id it has
// not seen. The lag covers responses that another server stamped before
// the mark but stored after this server read past it (a slow insert, or
// clocks a little apart); servers' clocks must agree to within it (NTP).
// A response stored with an older ReceivedAt than that (an import of
// history, a server whose clock is far behind) reaches the board only at
// the next restart, as before.

// defaultCatchUpInterval is how often a server reads the responses other
// servers accepted.
const defaultCatchUpInterval = 2 * time.Second

// catchUpLag is how far before the mark each catch-up reads again.
const catchUpLag = 30 * time.Second

// pruneEvery bounds how many ids are added between two prunes of the seen
// set, for boards that no catch-up loop prunes (a Handler without Serve).
const pruneEvery = 4096

// catchUpLoop catches up every interval until ctx is done.
func (s *Server) catchUpLoop(ctx context.Context) {
	interval := s.cfg.CatchUpInterval
	switch {
	case interval < 0:
		return // one server owns the database: nothing to catch up on
	case interval == 0:
		interval = defaultCatchUpInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.catchUp(ctx)
	}
}

// catchUp adds to every loaded board the responses it has not seen; a
// store failure is logged and retried at the next tick.
func (s *Server) catchUp(ctx context.Context) {
	s.live.mu.Lock()
	list := make(map[string]*liveSurvey, len(s.live.surveys))
	for slug, ls := range s.live.surveys {
		list[slug] = ls
	}
	s.live.mu.Unlock()
	for slug, ls := range list {
		n, err := ls.catchUp(ctx, s.store, slug)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("catch up on responses from other servers", "survey", slug, "err", err)
		case n > 0:
			s.log.Debug("caught up on responses from other servers", "survey", slug, "count", n)
		}
	}
}

// catchUp reads the responses received since the mark minus catchUpLag
// and adds those not seen; it returns how many it added. A board not yet
// built is left alone: its first pass will read everything.
func (ls *liveSurvey) catchUp(ctx context.Context, st surveys.Store, slug string) (int, error) {
	ls.catch.Lock()
	defer ls.catch.Unlock()
	ls.mu.Lock()
	ready, mark := ls.ready, ls.mark
	ls.mu.Unlock()
	if !ready {
		return 0, nil
	}
	var since time.Time // zero: all (the board was empty)
	if !mark.IsZero() {
		since = mark.Add(-catchUpLag)
	}
	// Collected first, so add (this server's own responses) never waits
	// for the database.
	var found []*surveys.Response
	err := st.ResponsesSince(ctx, slug, since, func(r *surveys.Response) error {
		found = append(found, r)
		return nil
	})
	if err != nil {
		return 0, err
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	n := 0
	for _, r := range found {
		if ls.addOnce(r) {
			n++
		}
	}
	ls.prune(time.Now())
	return n, nil
}

// prune forgets the seen ids that neither a catch-up (it reads from
// mark − catchUpLag) nor a late add (within recentWindow of now) can
// bring again. ls.mu must be held.
func (ls *liveSurvey) prune(now time.Time) {
	ls.adds = 0
	if ls.mark.IsZero() {
		return
	}
	cutoff := min(ls.mark.Add(-catchUpLag).UnixMilli(), now.Add(-recentWindow).UnixMilli())
	for id, at := range ls.seen {
		if at < cutoff {
			delete(ls.seen, id)
		}
	}
}
