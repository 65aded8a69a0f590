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
// pass on first use, then updated with each response this process accepts.
//
// Responses accepted by other processes sharing a MongoDB are not seen
// until restart; catching up by (received_at, _id) comes with multi-server
// support.
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
	// recent are the ids the first pass saw that were received shortly
	// before it started: a response stored just before the pass but
	// announced by add just after must not be counted twice.
	recent map[string]bool
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
	case ls.ready && ls.recent[r.ID]:
		delete(ls.recent, r.ID) // the first pass counted it already
	case ls.ready:
		ls.brd.add(r)
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
	seen := map[string]bool{}
	since := time.Now().Add(-recentWindow)
	err := st.ScanResponses(ctx, d.Slug, surveys.Filter{}, func(r *surveys.Response) error {
		if r.ReceivedAt.After(since) {
			seen[r.ID] = true
		}
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
	for _, r := range ls.pending {
		if !seen[r.ID] {
			brd.add(r)
		}
	}
	ls.brd, ls.ready, ls.pending, ls.recent = brd, true, nil, seen
	return nil
}
