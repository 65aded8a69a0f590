package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// liveState keeps one board (the compact rows of every response) per
// survey in memory, so a dashboard view never queries the database (every
// FerretDB query scans the whole collection). It is built by one streaming
// pass on first use, then updated with each response this process accepts
// and, every Config.CatchUpInterval, with those other servers sharing the
// database accepted (catchup.go).
type liveState struct {
	store surveys.Store

	mu      sync.Mutex
	surveys map[string]*liveSurvey
}

type liveSurvey struct {
	build sync.Mutex // held while the first pass runs
	mu    sync.Mutex // guards the fields below
	brd   *board
	ready bool
	// pending holds responses accepted while the first pass runs; they are
	// added afterwards unless the pass already saw them.
	pending []*surveys.Response
	// seen are the ids on the board received within recentWindow of the
	// newest (or of now), with their ReceivedAt in Unix milliseconds: a
	// response stored just before the first pass but announced by add just
	// after, or found by a catch-up before or after add announces it, must
	// not be counted twice. Older ids are pruned (catchup.go).
	seen map[string]int64
	// mark is the newest ReceivedAt the store has shown (first pass and
	// catch-ups); a catch-up asks for responses since mark − catchUpLag.
	mark time.Time
	// catch is held while a catch-up runs (one at a time per survey).
	catch sync.Mutex
	// adds counts addOnce calls since the last prune.
	adds int
}

// recentWindow bounds the time between storing a response and announcing
// it with add (a request's write timeout is far shorter).
const recentWindow = 2 * time.Minute

func newLiveState(st surveys.Store) *liveState {
	return &liveState{store: st, surveys: map[string]*liveSurvey{}}
}

func (l *liveState) get(slug string) *liveSurvey {
	l.mu.Lock()
	defer l.mu.Unlock()
	ls := l.surveys[slug]
	if ls == nil {
		ls = &liveSurvey{}
		l.surveys[slug] = ls
	}
	return ls
}

// add counts a newly stored response.
func (l *liveState) add(d *surveys.Definition, r *surveys.Response) {
	ls := l.get(d.Slug)
	ls.mu.Lock()
	defer ls.mu.Unlock()
	switch {
	case ls.ready:
		ls.addOnce(r) // the first pass or a catch-up may have counted it
	case ls.brd == nil && !ls.buildRunning():
		// Not built yet: the first pass will read it from the store.
	default:
		ls.pending = append(ls.pending, r)
	}
}

func (ls *liveSurvey) buildRunning() bool {
	if ls.build.TryLock() {
		ls.build.Unlock()
		return false
	}
	return true
}

// board returns the board of a survey, building it first if needed.
func (l *liveState) board(ctx context.Context, d *surveys.Definition) (*board, error) {
	ls := l.get(d.Slug)
	if err := ls.ensure(ctx, l.store, d); err != nil {
		return nil, err
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.brd, nil
}

func (ls *liveSurvey) ensure(ctx context.Context, st surveys.Store, d *surveys.Definition) error {
	ls.build.Lock()
	defer ls.build.Unlock()
	ls.mu.Lock()
	ready := ls.ready
	ls.mu.Unlock()
	if ready {
		return nil
	}
	brd := newBoard(d)
	seen := map[string]int64{}
	var mark time.Time
	// Every id is kept until the pass ends: which ones a catch-up can
	// bring again depends on the newest, known only then (prune).
	err := st.ScanResponses(ctx, d.Slug, surveys.Filter{}, func(r *surveys.Response) error {
		if r.ReceivedAt.After(mark) {
			mark = r.ReceivedAt
		}
		seen[r.ID] = r.ReceivedAt.UnixMilli()
		brd.add(r)
		return nil
	})
	if err != nil {
		// The next pass reads the pending responses from the store; keeping
		// them could count them twice.
		ls.mu.Lock()
		ls.pending = nil
		ls.mu.Unlock()
		return fmt.Errorf("load responses of %q: %w", d.Slug, err)
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.brd, ls.ready, ls.seen, ls.mark = brd, true, seen, mark
	for _, r := range ls.pending {
		ls.addOnce(r)
	}
	ls.pending = nil
	ls.prune(time.Now())
	return nil
}

// addOnce adds r to the board unless its id is seen, and marks it seen.
// ls.mu must be held and the board built.
func (ls *liveSurvey) addOnce(r *surveys.Response) bool {
	if _, ok := ls.seen[r.ID]; ok {
		return false
	}
	ls.seen[r.ID] = r.ReceivedAt.UnixMilli()
	if r.ReceivedAt.After(ls.mark) {
		ls.mark = r.ReceivedAt
	}
	ls.brd.add(r)
	if ls.adds++; ls.adds >= pruneEvery {
		ls.prune(time.Now())
	}
	return true
}
