package mongostore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/storetest"
)

// TestGroupCommitContract runs the store contract over a grouped store on
// the embedded database: grouping must change no outcome, including the
// concurrent same-id race and the code's uniqueness.
func TestGroupCommitContract(t *testing.T) {
	newStore := newStoreFunc(embeddedURI, "g")
	storetest.Run(t, func(t *testing.T) surveys.Store {
		return surveys.NewGroupCommit(newStore(t), 0, 1)
	})
}

// batchRecorder is the real store with each InsertResponses call
// recorded; the first call waits for release, so that the responses that
// arrive meanwhile must queue behind it, as they do behind a slow commit.
type batchRecorder struct {
	surveys.Store
	entered chan struct{}
	release chan struct{}
	calls   atomic.Int64
	reads   atomic.Int64 // Response calls
	fail    error        // when set, every batch fails with it (after the first)
}

func (b *batchRecorder) Response(ctx context.Context, slug, id string) (*surveys.Response, error) {
	b.reads.Add(1)
	return b.Store.Response(ctx, slug, id)
}

func (b *batchRecorder) InsertResponses(ctx context.Context, rs []*surveys.Response) ([]error, error) {
	if b.calls.Add(1) == 1 {
		close(b.entered)
		<-b.release
	} else if b.fail != nil {
		return nil, b.fail
	}
	return b.Store.InsertResponses(ctx, rs)
}

// TestGroupCommitBatches sends 120 concurrent inserts, 20 of them retries
// of another's id and 10 reusing another's response code: the queued ones
// are written in a few batches, each caller gets its own outcome, and
// every distinct response is stored once.
func TestGroupCommitBatches(t *testing.T) {
	st := newStoreFunc(embeddedURI, "gb")(t)
	rec := &batchRecorder{Store: st, entered: make(chan struct{}), release: make(chan struct{})}
	g := surveys.NewGroupCommit(rec, 0, 1)
	ctx := t.Context()
	at := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)

	const n = 120
	rs := make([]*surveys.Response, n)
	for i := range rs {
		rs[i] = groupResponse(i, at)
	}
	for i := 100; i < 120; i++ { // a retry: the same id as response i-100
		rs[i] = groupResponse(i-100, at)
		rs[i].Code = rs[i-100].Code
	}
	for i := 90; i < 100; i++ { // another id but a taken response code
		rs[i].Code = rs[i-90].Code
	}
	// The first insert holds the writer; the rest queue behind it.
	errs := make([]error, n)
	var wg sync.WaitGroup
	wg.Go(func() { errs[0] = g.InsertResponse(ctx, rs[0]) })
	<-rec.entered
	for i := 1; i < n; i++ {
		wg.Go(func() { errs[i] = g.InsertResponse(ctx, rs[i]) })
	}
	time.Sleep(100 * time.Millisecond) // let them queue; fewer queued only means more batches
	close(rec.release)
	wg.Wait()

	if calls := rec.calls.Load(); calls > n/4 {
		t.Errorf("%d inserts took %d batches; want them grouped", n, calls)
	} else {
		t.Logf("%d inserts in %d batches", n, calls)
	}
	// Responses 20..89 are unique. Of the pairs (i, i+100) sharing an id
	// and the triples (i, i+90, i+100) sharing a code, whichever is first
	// in its batch is stored.
	for i := 20; i < 90; i++ {
		if errs[i] != nil {
			t.Errorf("response %d: %v; want stored", i, errs[i])
		}
	}
	for i := range 20 {
		if i < 10 {
			// i, i+90 (same code) and i+100 (same id and code): one stored.
			won := 0
			for _, j := range []int{i, i + 90, i + 100} {
				if errs[j] == nil {
					won++
				} else if !errors.Is(errs[j], surveys.ErrDuplicate) {
					t.Errorf("response %d: %v; want nil or ErrDuplicate", j, errs[j])
				}
			}
			if won != 1 {
				t.Errorf("responses %d, %d, %d share a code: %d stored; want 1", i, i+90, i+100, won)
			}
			continue
		}
		if (errs[i] == nil) == (errs[i+100] == nil) {
			t.Errorf("responses %d and %d share an id: errors %v and %v; want one stored, one ErrDuplicate", i, i+100, errs[i], errs[i+100])
		}
	}
	count := 0
	if err := st.EachResponse(ctx, "group", func(*surveys.Response) error { count++; return nil }); err != nil {
		t.Fatal(err)
	}
	if count != 90 {
		t.Errorf("%d responses stored; want 90 (120 less 20 repeated ids, 10 repeated codes)", count)
	}
}

// TestGroupCommitFailure checks that a failed batch fails every caller in
// it with the batch's error, and that a caller who stops waiting gets
// ErrUnavailable.
func TestGroupCommitFailure(t *testing.T) {
	st := newStoreFunc(embeddedURI, "gf")(t)
	down := fmt.Errorf("insert: %w", surveys.ErrUnavailable)
	rec := &batchRecorder{Store: st, entered: make(chan struct{}), release: make(chan struct{}), fail: down}
	g := surveys.NewGroupCommit(rec, 0, 1)
	at := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)

	var first error
	var wg sync.WaitGroup
	wg.Go(func() { first = g.InsertResponse(t.Context(), groupResponse(0, at)) })
	<-rec.entered
	// A caller whose deadline passes while the writer is busy.
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := g.InsertResponse(ctx, groupResponse(1, at)); !errors.Is(err, surveys.ErrUnavailable) {
		t.Errorf("caller whose deadline passed: %v; want ErrUnavailable", err)
	}
	errs := make([]error, 5)
	for i := range errs {
		wg.Go(func() { errs[i] = g.InsertResponse(t.Context(), groupResponse(2+i, at)) })
	}
	time.Sleep(50 * time.Millisecond)
	close(rec.release)
	wg.Wait()
	if first != nil {
		t.Errorf("first batch: %v; want stored", first)
	}
	for i, err := range errs {
		if !errors.Is(err, surveys.ErrUnavailable) {
			t.Errorf("response %d in a failed batch: %v; want the batch's error", 2+i, err)
		}
	}
}

func groupResponse(n int, at time.Time) *surveys.Response {
	a := surveys.Answers{"sat": n%10 + 1}
	return &surveys.Response{
		ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), Survey: "group", SurveyVersion: 1,
		Code: surveys.NewResponseCode(), Answers: a, Lang: "zh-CN", Channel: "api",
		ReceivedAt: at.Add(time.Duration(n) * time.Millisecond), Digest: surveys.Digest("group", a, "", ""),
	}
}

// TestGroupCommitRetryNotWritten checks that a retry of an id the store
// wrote is answered ErrDuplicate without a write (one duplicate in a
// batch would make FerretDB insert the whole batch one by one), and that
// reading it back needs no find (FerretDB scans for it).
func TestGroupCommitRetryNotWritten(t *testing.T) {
	st := newStoreFunc(embeddedURI, "gr")(t)
	rec := &batchRecorder{Store: st, entered: make(chan struct{}), release: make(chan struct{})}
	close(rec.release)
	g := surveys.NewGroupCommit(rec, 0, 1)
	r := groupResponse(7, time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	if err := g.InsertResponse(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	if err := g.InsertResponse(t.Context(), r); !errors.Is(err, surveys.ErrDuplicate) {
		t.Errorf("retry: %v; want ErrDuplicate", err)
	}
	if calls := rec.calls.Load(); calls != 1 {
		t.Errorf("%d writes for one response and its retry; want 1", calls)
	}
	got, err := g.Response(t.Context(), "group", r.ID)
	if err != nil || got.Digest != r.Digest || got.Code != r.Code {
		t.Errorf("Response of the written id: %+v, %v; want it back", got, err)
	}
	if _, err := g.Response(t.Context(), "other", r.ID); !errors.Is(err, surveys.ErrNotFound) {
		t.Errorf("Response under another survey: %v; want ErrNotFound", err)
	}
	if n := rec.reads.Load(); n != 0 {
		t.Errorf("%d finds for a response this store just wrote; want 0", n)
	}
	if _, err := st.Response(t.Context(), "group", r.ID); err != nil {
		t.Errorf("stored response: %v", err)
	}
}

// TestSerialWritesContract runs the store contracts on a store that sends
// one write at a time, as the embedded database's owner opens it.
func TestSerialWritesContract(t *testing.T) {
	newStore := newStoreFunc(embeddedURI, "sw", SerialWrites())
	open := func(t *testing.T) *Store { return newStore(t).(*Store) }
	storetest.Run(t, func(t *testing.T) surveys.Store { return open(t) })
	storetest.RunDrafts(t, func(t *testing.T) surveys.DraftStore { return open(t) })
	storetest.RunUsers(t, func(t *testing.T) surveys.Accounts { return open(t) })

	// A write that waits past its deadline is told the database is
	// unavailable, and the next write runs.
	s := open(t)
	s.writes <- struct{}{} // a write in progress
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if err := s.InsertResponse(ctx, groupResponse(1, time.Now())); !errors.Is(err, surveys.ErrUnavailable) {
		t.Errorf("write waiting past its deadline: %v; want ErrUnavailable", err)
	}
	<-s.writes
	if err := s.InsertResponse(t.Context(), groupResponse(1, time.Now())); err != nil {
		t.Errorf("write after the one in progress ended: %v", err)
	}
}

// TestGroupCommitDropsAbandoned checks that a response whose caller
// stopped waiting (and was told the database is unavailable) is not
// written when the writer gets to it.
func TestGroupCommitDropsAbandoned(t *testing.T) {
	st := newStoreFunc(embeddedURI, "gd")(t)
	rec := &batchRecorder{Store: st, entered: make(chan struct{}), release: make(chan struct{})}
	g := surveys.NewGroupCommit(rec, 0, 1)
	at := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	wg.Go(func() { _ = g.InsertResponse(t.Context(), groupResponse(0, at)) })
	<-rec.entered
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	gone := groupResponse(1, at)
	if err := g.InsertResponse(ctx, gone); !errors.Is(err, surveys.ErrUnavailable) {
		t.Fatalf("abandoned insert: %v; want ErrUnavailable", err)
	}
	close(rec.release)
	wg.Wait()
	if err := g.InsertResponse(t.Context(), groupResponse(2, at)); err != nil { // the writer has moved past it
		t.Fatal(err)
	}
	if _, err := st.Response(t.Context(), "group", gone.ID); !errors.Is(err, surveys.ErrNotFound) {
		t.Errorf("the abandoned response: %v; want it never written (ErrNotFound)", err)
	}
}

// TestInsertResponsesBadDocument: a response the store cannot encode
// fails alone; the rest of its batch is stored.
func TestInsertResponsesBadDocument(t *testing.T) {
	st := newStoreFunc(embeddedURI, "gx")(t)
	at := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	bad := groupResponse(1, at)
	bad.Answers = surveys.Answers{"sat": 2.5} // a float: not an answer type
	rs := []*surveys.Response{groupResponse(0, at), bad, groupResponse(2, at)}
	errs, err := st.InsertResponses(t.Context(), rs)
	if err != nil {
		t.Fatalf("batch failed as a whole: %v", err)
	}
	if errs[0] != nil || errs[2] != nil || !errors.Is(errs[1], surveys.ErrInvalid) {
		t.Errorf("errs = %v; want only the bad response refused, as invalid", errs)
	}
	for _, i := range []int{0, 2} {
		if _, err := st.Response(t.Context(), "group", rs[i].ID); err != nil {
			t.Errorf("response %d of the batch: %v; want stored", i, err)
		}
	}
}
