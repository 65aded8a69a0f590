package server

import (
	"context"
	"fmt"
	"sync"

	"github.com/qvoice/qvoice/surveys"
)

// tally counts the responses of surveys with a cap (max_responses), in
// memory: counters never live in the database, where FerretDB loses
// concurrent $inc updates. A survey is counted by one streaming pass on
// first use, then by each response this process stores.
//
// A submission reserves a place before it is stored and gives it back if
// nothing was stored, so concurrent submissions never take a survey past
// its cap within one process; one that arrives while the last places are
// reserved may be told the survey is full although a reserved submission
// then fails. Servers sharing a MongoDB do not see each other's counts
// until restart, so together they may exceed the cap.
type tally struct {
	store surveys.Store

	mu      sync.Mutex
	surveys map[string]*surveyTally
}

type surveyTally struct {
	mu       sync.Mutex // held during the first pass, which is rare and bounded
	counted  bool
	stored   int // responses in the store
	reserved int // submissions in flight
}

func newTally(st surveys.Store) *tally {
	return &tally{store: st, surveys: map[string]*surveyTally{}}
}

func (t *tally) get(slug string) *surveyTally {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.surveys[slug]
	if st == nil {
		st = &surveyTally{}
		t.surveys[slug] = st
	}
	return st
}

// count returns how many responses d has, stored or in flight. Surveys
// without a cap are not counted: 0.
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
	return st.stored + st.reserved, nil
}

// reserve returns the count for a submission to d, not counting it, and a
// done func that must be called with whether a new response was stored.
func (t *tally) reserve(ctx context.Context, d *surveys.Definition) (int, func(stored bool), error) {
	if d.MaxResponses <= 0 {
		return 0, func(bool) {}, nil
	}
	st := t.get(d.Slug)
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.ensure(ctx, t.store, d.Slug); err != nil {
		return 0, nil, err
	}
	n := st.stored + st.reserved
	st.reserved++
	var once sync.Once
	return n, func(stored bool) {
		once.Do(func() {
			st.mu.Lock()
			defer st.mu.Unlock()
			st.reserved--
			if stored {
				st.stored++
			}
		})
	}, nil
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
	st.stored, st.counted = n, true
	return nil
}
