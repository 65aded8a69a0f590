package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
)

func testResponseRoundTrip(t *testing.T, st surveys.Store) {
	a := surveys.Answers{
		"sat":        7,
		"zero":       0,
		"neg":        -3,
		"big":        1 << 40,
		"imp_price":  "na",
		"brands":     []string{"b1", "other_x"},
		"none_multi": []string{},
		"comment":    "好吃 \"quoted\" 'single' </script><script>alert(1)</script> & <b>\n\ttab é 😀 \\ $x.y",
	}
	in := &surveys.Response{
		ID: surveys.NewSubmissionID(), Survey: "food-2026", SurveyVersion: 3, Code: "K7Q2-9XHD",
		Answers: a, Lang: "zh-Hans", Src: "site-1 <x>", Venue: "超市", Channel: "api", IPHash: "3f9a0c1d2e4b5a6978807f6e5d4c3b2a",
		ReceivedAt: time.Date(2026, 3, 14, 17, 26, 53, 123456789, time.FixedZone("CST", 8*3600)),
		Digest:     surveys.Digest("food-2026", a, "site-1 <x>", "超市"),
	}
	before := *in
	insert(t, st, in)
	if diff := cmp.Diff(&before, in); diff != "" {
		t.Errorf("InsertResponse modified its argument (-before +after):\n%s", diff)
	}
	want := stored(in)
	got, err := st.Response(t.Context(), in.Survey, in.ID)
	if err != nil {
		t.Fatalf("Response: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Response mismatch (-want +got):\n%s", diff)
	}
	if loc := got.ReceivedAt.Location(); loc != time.UTC {
		t.Errorf("ReceivedAt location = %v, want UTC", loc)
	}
	each := all(t, st, in.Survey)
	if diff := cmp.Diff([]*surveys.Response{want}, each); diff != "" {
		t.Errorf("EachResponse mismatch (-want +got):\n%s", diff)
	}
}

func testResponseDuplicate(t *testing.T, st surveys.Store) {
	first := newResponse("s", 1, t0)
	insert(t, st, first)
	second := newResponse("s", 1, t0.Add(time.Minute))
	second.Answers = surveys.Answers{"sat": 1}
	second.Digest = surveys.Digest("s", second.Answers, "", "")
	wantErr(t, "second InsertResponse", st.InsertResponse(t.Context(), second), surveys.ErrDuplicate)
	// The same id under another survey is a duplicate too: ids are global.
	other := newResponse("other", 1, t0)
	wantErr(t, "InsertResponse to another survey", st.InsertResponse(t.Context(), other), surveys.ErrDuplicate)

	got, err := st.Response(t.Context(), "s", first.ID)
	if err != nil {
		t.Fatalf("Response: %v", err)
	}
	if diff := cmp.Diff(stored(first), got); diff != "" {
		t.Errorf("stored response changed by the duplicate (-want +got):\n%s", diff)
	}
	if n := len(all(t, st, "s")); n != 1 {
		t.Errorf("EachResponse gave %d responses, want 1", n)
	}
	if n := len(all(t, st, "other")); n != 0 {
		t.Errorf("EachResponse(other) gave %d responses, want 0", n)
	}
}

func testResponseNotFound(t *testing.T, st surveys.Store) {
	r := newResponse("s", 1, t0)
	insert(t, st, r)
	for _, tc := range []struct{ name, slug, id string }{
		{"other survey", "other", r.ID},
		{"missing id", "s", id(2)},
		{"empty id", "s", ""},
	} {
		got, err := st.Response(t.Context(), tc.slug, tc.id)
		wantErr(t, "Response, "+tc.name, err, surveys.ErrNotFound)
		if got != nil {
			t.Errorf("Response, %s = %+v, want nil", tc.name, got)
		}
	}
}

func testEachResponseOrder(t *testing.T, st surveys.Store) {
	plus8 := time.FixedZone("CST", 8*3600)
	// Inserted out of order; a, b interleaved. Ties on ReceivedAt are broken
	// by ID; r4's local clock reads later but it is the earliest instant.
	insert(t, st,
		newResponse("a", 1, t0.Add(2*time.Second)),
		newResponse("b", 7, t0.Add(time.Second)),
		newResponse("a", 3, t0),
		newResponse("a", 2, t0),
		newResponse("b", 6, t0),
		newResponse("a", 0, t0.Add(time.Millisecond)),
		newResponse("a", 4, t0.Add(-time.Hour).In(plus8)),
		newResponse("a", 5, t0.Add(24*time.Hour)),
	)
	for _, tc := range []struct {
		slug string
		want []string
	}{
		{"a", []string{id(4), id(2), id(3), id(0), id(1), id(5)}},
		{"b", []string{id(6), id(7)}},
		{"none", []string{}},
	} {
		got := ids(all(t, st, tc.slug))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("EachResponse(%q) ids (-want +got):\n%s", tc.slug, diff)
		}
	}
}

func testEachResponseStops(t *testing.T, st surveys.Store) {
	for n := range 5 {
		insert(t, st, newResponse("s", n, t0.Add(time.Duration(n)*time.Second)))
	}
	errStop := errors.New("stop here")
	var seen []string
	err := st.EachResponse(t.Context(), "s", func(r *surveys.Response) error {
		seen = append(seen, r.ID)
		if len(seen) == 2 {
			return errStop
		}
		return nil
	})
	wantErr(t, "EachResponse", err, errStop)
	if diff := cmp.Diff([]string{id(0), id(1)}, seen); diff != "" {
		t.Errorf("fn calls (-want +got):\n%s", diff)
	}
}

// testEachResponseMany reads more responses than a typical cursor batch.
func testEachResponseMany(t *testing.T, st surveys.Store) {
	const n = 1200
	rs := make([]*surveys.Response, n)
	for i := range rs {
		// Pairs share a millisecond; their IDs order them.
		rs[i] = newResponse("many", i, t0.Add(time.Duration(i/2)*time.Millisecond))
	}
	insertConcurrently(t, st, 4, rs)
	got := all(t, st, "many")
	if len(got) != n {
		t.Fatalf("EachResponse gave %d responses, want %d", len(got), n)
	}
	for i, r := range got {
		if r.ID != id(i) {
			t.Fatalf("response %d is %s, want %s", i, r.ID, id(i))
		}
	}
	if diff := cmp.Diff(stored(rs[n-1]), got[n-1]); diff != "" {
		t.Errorf("last response (-want +got):\n%s", diff)
	}
}
