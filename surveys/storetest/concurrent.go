package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
)

// insertConcurrently inserts rs from workers goroutines, rs[i] by worker
// i%workers, and fails on any error.
func insertConcurrently(t *testing.T, st surveys.Store, workers int, rs []*surveys.Response) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, len(rs))
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(rs); i += workers {
				errs[i] = st.InsertResponse(t.Context(), rs[i])
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent InsertResponse: %v", err)
	}
}

func testConcurrentInserts(t *testing.T, st surveys.Store) {
	const workers, each = 8, 25
	rs := make([]*surveys.Response, workers*each)
	want := make([]string, len(rs))
	for i := range rs {
		rs[i] = newResponse("c", i, t0.Add(time.Duration(i)*time.Second))
		want[i] = id(i)
	}
	insertConcurrently(t, st, workers, rs)
	if diff := cmp.Diff(want, ids(all(t, st, "c"))); diff != "" {
		t.Errorf("stored ids (-want +got):\n%s", diff)
	}
}

// testConcurrentSameID races inserts of one submission id, as a phone
// retrying a slow POST would: exactly one wins, the rest are ErrDuplicate.
func testConcurrentSameID(t *testing.T, st surveys.Store) {
	const workers = 8
	rs := make([]*surveys.Response, workers)
	for i := range rs {
		rs[i] = newResponse("same", 1, t0.Add(time.Duration(i)*time.Millisecond))
		rs[i].Answers = surveys.Answers{"sat": i + 1}
	}
	errs := make([]error, workers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range rs {
		wg.Go(func() {
			<-start
			errs[i] = st.InsertResponse(t.Context(), rs[i])
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("inserts %d and %d of the same id both succeeded", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, surveys.ErrDuplicate):
			t.Errorf("insert %d: err = %v, want nil or ErrDuplicate", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no insert of the id succeeded")
	}
	got := all(t, st, "same")
	if diff := cmp.Diff([]*surveys.Response{stored(rs[winner])}, got); diff != "" {
		t.Errorf("stored responses (-want +got):\n%s", diff)
	}
}
