package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// A submission to a capped survey claims a place before its insert; when
// the insert fails, its retry must get that place back, not a "full"
// page, whether or not the response was in fact stored. Found in review:
// the server's count had moved past the place and refused the retry.

// TestCapRetryAfterFailedInsert: the API, a cap of 1, the insert fails
// (500); the retry is stored (201) and another respondent gets 410.
func TestCapRetryAfterFailedInsert(t *testing.T) {
	flaky := &flakyStore{}
	e, _ := newEnvWith(t, server.Config{Now: fixedClock}, func(st *mongostore.Store) surveys.Store {
		flaky.Store = st
		return flaky
	}, variant("capped1", "max_responses: 1\n"))
	path := apiPathOf("capped1")
	id1, id2 := "2b3c4d5e-6f70-4a81-9c2d-3e4f5a6b7c01", "2b3c4d5e-6f70-4a81-9c2d-3e4f5a6b7c02"
	flaky.fail.Store(1)
	runAPICases(t, e, []apiCase{
		{name: "insert fails after the place is claimed", path: path, body: bodyWith(id1, validAnswers(), ""), wantStatus: http.StatusInternalServerError},
		{name: "retry of the same submission", path: path, body: bodyWith(id1, validAnswers(), ""), wantStatus: http.StatusCreated},
		{name: "identical retry", path: path, body: bodyWith(id1, validAnswers(), ""), wantStatus: http.StatusOK},
		{name: "another respondent", path: path, body: bodyWith(id2, validAnswers(), ""), wantStatus: http.StatusGone},
	})
	if n := e.countOf("capped1"); n != 1 {
		t.Errorf("survey holds %d responses, want 1", n)
	}
}

// ackLostStore stores a batch, then reports it unavailable once: a lost
// acknowledgement (a write-concern timeout, a connection cut after the
// commit).
type ackLostStore struct {
	*mongostore.Store
	lose atomic.Bool
}

func (f *ackLostStore) InsertResponses(ctx context.Context, rs []*surveys.Response) ([]error, error) {
	errs, err := f.Store.InsertResponses(ctx, rs)
	if f.lose.CompareAndSwap(true, false) {
		return nil, fmt.Errorf("insert: %w: injected after the write", surveys.ErrUnavailable)
	}
	return errs, err
}

// cappedEnvOn starts the server on st with the demo survey capped at 1.
func cappedEnvOn(t *testing.T, st surveys.Store) *env {
	t.Helper()
	return newEnvOnSource(t, st, append(append([]byte{}, demo.Source()...), "\nmax_responses: 1\n"...))
}

var capDBs atomic.Int64

func openCapStore(t *testing.T) *mongostore.Store {
	t.Helper()
	ms, err := mongostore.Open(context.Background(), dbURI, fmt.Sprintf("capretry%d", capDBs.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ms.Close(context.Background()) })
	return ms
}

// TestCapKeptPageRetry: the phone form, a cap of 1; the submit meets an
// unavailable database (503, the page kept), and pressing Submit again
// reaches the thanks page with one response stored — when nothing was
// stored, and when the response was stored but its acknowledgement lost.
func TestCapKeptPageRetry(t *testing.T) {
	tests := []struct {
		name  string
		store func(t *testing.T) (surveys.Store, func())
	}{
		{"nothing stored", func(t *testing.T) (surveys.Store, func()) {
			st := &faultyStore{Store: openCapStore(t)}
			return st, func() { st.failures.Store(1) }
		}},
		{"stored, acknowledgement lost", func(t *testing.T) (surveys.Store, func()) {
			st := &ackLostStore{Store: openCapStore(t)}
			return st, func() { st.lose.Store(true) }
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, fault := tc.store(t)
			e := cappedEnvOn(t, st)
			answers := formAnswers()
			w := walkToPage(e, "s:s_demographics", answers)
			sent := pageForm(w, answers, "submit")
			fault()
			resp, page := e.postForm("/s/"+demo.Slug, sent)
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("first press: %d, want 503 with the page kept:\n%s", resp.StatusCode, excerpt(page))
			}
			resp, page = e.postForm("/s/"+demo.Slug, filledIn(t, page, "submit"))
			if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/thanks?") {
				t.Errorf("pressed again: %d %s, want 303 to the thanks page:\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(page))
			}
			if n := e.count(); n != 1 {
				t.Errorf("%d responses stored, want 1", n)
			}
		})
	}
}
