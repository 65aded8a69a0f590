package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// tally keeps, for each survey with a cap (max_responses), where this
// server looks for the next free place. The cap itself is held by the
// places that submissions claim in the database (surveys.SlotKey), which
// servers sharing it see alike; the tally only saves searching, and knows
// without a query when a survey is full.
//
// A survey starts at the place after the responses stored when it is
// first served (one streaming pass): those hold no place if imported or
// stored before places existed, and take room below the start. A
// submission reserves a hint, a place no other submission of this process
// is trying, so concurrent ones do not collide with each other; it gives
// the hint back with the place it took (the hint and anything it searched
// past are then known taken) or none (the hint is free again for the
// next). Collisions come only from other servers' recent claims, and
// surveys.Submit gallops past them.
type tally struct {
	store surveys.Store

	mu      sync.Mutex
	surveys map[string]*surveyTally
}

type surveyTally struct {
	mu      sync.Mutex // held during the first pass, which is rare and bounded
	counted bool
	next    int          // the lowest place not known to be taken
	taken   map[int]bool // places above next known to be taken
	out     map[int]bool // hints given to submissions in flight
	// held maps the submission id of a failed insert to the place it
	// claimed, which its retry takes back (it is taken for everyone else).
	held map[string]int
	// refreshed is when count last looked for other servers' places.
	refreshed time.Time
}

// maxHeld bounds held: failed inserts come in bursts when the database
// is down, and a forgotten one costs its retry only a search.
const maxHeld = 10000

func newTally(st surveys.Store) *tally {
	return &tally{store: st, surveys: map[string]*surveyTally{}}
}

func (t *tally) get(slug string) *surveyTally {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.surveys[slug]
	if st == nil {
		st = &surveyTally{taken: map[int]bool{}, out: map[int]bool{}, held: map[string]int{}}
		t.surveys[slug] = st
	}
	return st
}

// holds reports whether submission id's insert failed here after it
// claimed a place of d, which its retry takes back.
func (t *tally) holds(d *surveys.Definition, id string) bool {
	if d.MaxResponses <= 0 {
		return false
	}
	st := t.get(d.Slug)
	st.mu.Lock()
	defer st.mu.Unlock()
	_, ok := st.held[id]
	return ok
}

// count returns how many places of d this server knows to be taken, for
// d.Accepts: d.MaxResponses or more means full. Surveys without a cap are
// not counted: 0.
func (t *tally) count(ctx context.Context, d *surveys.Definition) (int, error) {
	if d.MaxResponses <= 0 {
		return 0, nil
	}
	st := t.get(d.Slug)
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.ensure(ctx, t.store, d.Slug); err != nil {
		return 0, err
	}
	if now := time.Now(); st.next <= d.MaxResponses && now.Sub(st.refreshed) >= tallyRefresh {
		// Other servers may have taken places since: look past them, so
		// a full survey is said to be full on the first page. A failed
		// read keeps the count (the page may be served without the
		// database; Submit claims a place anyway).
		st.refreshed = now
		if k, err := surveys.FirstFree(ctx, t.store, d, st.next); err == nil && k > st.next {
			st.next = k
			for p := range st.taken {
				if p < k {
					delete(st.taken, p)
				}
			}
		}
	}
	return st.next - 1, nil
}

// tallyRefresh is how often count looks for places other servers took: a
// few reads by _id per survey, at most this often.
const tallyRefresh = 2 * time.Second

// reserve returns the place submission id to d should try first, and a
// done func that must be called with what surveys.Submit returned. When
// every place left is being tried by another submission, it shares the
// lowest: places can still come free, if those submissions are refused.
// The retry of a failed insert is given the place it holds.
func (t *tally) reserve(ctx context.Context, d *surveys.Definition, id string) (int, func(surveys.Receipt, error), error) {
	if d.MaxResponses <= 0 {
		return 0, func(surveys.Receipt, error) {}, nil
	}
	st := t.get(d.Slug)
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.ensure(ctx, t.store, d.Slug); err != nil {
		return 0, nil, err
	}
	if k, ok := st.held[id]; ok {
		return k, func(rec surveys.Receipt, err error) {
			st.mu.Lock()
			defer st.mu.Unlock()
			if err == nil {
				delete(st.held, id)
			}
		}, nil
	}
	hint := st.next
	for hint <= d.MaxResponses && (st.taken[hint] || st.out[hint]) {
		hint++
	}
	if hint > d.MaxResponses {
		hint = st.next
	}
	mine := hint <= d.MaxResponses && !st.out[hint]
	if mine {
		st.out[hint] = true
	}
	var once sync.Once
	return hint, func(rec surveys.Receipt, err error) {
		once.Do(func() {
			st.mu.Lock()
			defer st.mu.Unlock()
			if mine {
				delete(st.out, hint)
			}
			st.settle(d, id, hint, mine, rec, err)
		})
	}, nil
}

// settle records what a submission that started at hint found; st.mu is
// held. The places from hint to the one it took were taken, by others or
// by it (a search claims the lowest place it finds free), except those
// that submissions of this server are still trying: each settles its own.
// A search that found none means the survey is full; but a submission
// that gives its own hint back unused, refused or a retry, makes that
// place worth trying again even then, since nobody may ever claim it.
func (st *surveyTally) settle(d *surveys.Definition, id string, hint int, mine bool, rec surveys.Receipt, err error) {
	var closed *surveys.ClosedError
	if err != nil && rec.Slot > 0 && len(st.held) < maxHeld {
		st.held[id] = rec.Slot
	}
	switch {
	case errors.As(err, &closed) && closed.Reason == surveys.Full:
		st.next = max(st.next, d.MaxResponses+1)
		clear(st.taken)
	case rec.Slot >= hint:
		for k := max(hint, st.next); k <= rec.Slot; k++ {
			if !st.out[k] {
				st.taken[k] = true
			}
		}
	case rec.Slot == 0 && mine && hint < st.next:
		st.next = hint
	}
	for st.taken[st.next] {
		delete(st.taken, st.next)
		st.next++
	}
}

// ensure counts the stored responses once; st.mu is held.
func (st *surveyTally) ensure(ctx context.Context, store surveys.Store, slug string) error {
	if st.counted {
		return nil
	}
	n := 0
	err := store.EachResponse(ctx, slug, func(*surveys.Response) error { n++; return nil })
	if err != nil {
		return fmt.Errorf("count responses of %q: %w", slug, err)
	}
	st.next, st.counted = n+1, true
	return nil
}
