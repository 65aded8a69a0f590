package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
)

// testResponsesSince checks what servers sharing a database catch up
// with: the responses of one survey received at or after a time (to the
// millisecond, inclusive), by ReceivedAt then ID, whatever the insertion
// order; the zero time gives them all; fn's error stops it.
func testResponsesSince(t *testing.T, st surveys.Store) {
	ms := time.Millisecond
	rs := []*surveys.Response{
		newResponse("s", 5, t0.Add(3*time.Second)),
		newResponse("s", 1, t0),
		newResponse("s", 4, t0.Add(2*time.Second+400*time.Microsecond)), // stored as t0+2s
		newResponse("s", 3, t0.Add(2*time.Second)),
		newResponse("s", 2, t0.Add(time.Second)),
		newResponse("other", 6, t0.Add(5*time.Second)),
	}
	insert(t, st, rs...)
	since := func(at time.Time) []string {
		t.Helper()
		var got []string
		err := st.ResponsesSince(t.Context(), "s", at, func(r *surveys.Response) error {
			if r.Survey != "s" {
				t.Errorf("ResponsesSince(s) gave a response of survey %q", r.Survey)
			}
			got = append(got, r.ID)
			return nil
		})
		if err != nil {
			t.Fatalf("ResponsesSince(%v): %v", at, err)
		}
		return got
	}
	for _, tc := range []struct {
		at   time.Time
		want []string
	}{
		{time.Time{}, []string{id(1), id(2), id(3), id(4), id(5)}},
		{t0.Add(-time.Hour), []string{id(1), id(2), id(3), id(4), id(5)}},
		{t0.Add(2 * time.Second), []string{id(3), id(4), id(5)}},
		{t0.Add(2*time.Second + 500*time.Microsecond), []string{id(3), id(4), id(5)}}, // same millisecond
		{t0.Add(2*time.Second + ms), []string{id(5)}},
		{t0.Add(time.Hour), nil},
	} {
		if diff := cmp.Diff(tc.want, since(tc.at)); diff != "" {
			t.Errorf("ResponsesSince(t0%+v) ids (-want +got):\n%s", tc.at.Sub(t0), diff)
		}
	}
	errStop := errors.New("stop here")
	var first *surveys.Response
	err := st.ResponsesSince(t.Context(), "s", t0.Add(time.Second), func(r *surveys.Response) error {
		first = r
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Errorf("ResponsesSince with fn failing: err = %v, want %v", err, errStop)
	}
	if first == nil {
		t.Fatal("ResponsesSince called fn for no response")
	}
	if diff := cmp.Diff(stored(rs[4]), first); diff != "" {
		t.Errorf("ResponsesSince response (-want +got):\n%s", diff)
	}
}
