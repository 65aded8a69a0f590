package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
)

// Run runs the contract suite, one subtest per property, each on a store
// returned by newStore. newStore must return an empty store and close it
// with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) surveys.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st surveys.Store)
	}{
		{"Ping", testPing},
		{"SurveyRoundTrip", testSurveyRoundTrip},
		{"SurveyDuplicate", testSurveyDuplicate},
		{"SurveyNotFound", testSurveyNotFound},
		{"SurveysSortedBySlug", testSurveysSorted},
		{"ResponseRoundTrip", testResponseRoundTrip},
		{"ResponseDuplicate", testResponseDuplicate},
		{"ResponseNotFound", testResponseNotFound},
		{"EachResponseOrderAndIsolation", testEachResponseOrder},
		{"EachResponseStopsAtError", testEachResponseStops},
		{"EachResponseManyBatches", testEachResponseMany},
		{"ResponseCodeUniquePerSurvey", testCodeUnique},
		{"InsertResponsesBatch", testInsertResponsesBatch},
		{"ScanResponsesFilter", testScanResponsesFilter},
		{"ResponsesSince", testResponsesSince},
		{"SurveyState", testSurveyState},
		{"ConcurrentInserts", testConcurrentInserts},
		{"ConcurrentSameID", testConcurrentSameID},
		{"ClaimRoundTrip", testClaimRoundTrip},
		{"ClaimDuplicate", testClaimDuplicate},
		{"ClaimKindsSeparate", testClaimKindsSeparate},
		{"ClaimantNotFound", testClaimantNotFound},
		{"ConcurrentClaims", testConcurrentClaims},
		{"ConcurrentSlotClaims", testConcurrentSlotClaims},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// t0 is the base time of the test responses.
var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// id returns the n-th test submission id; ids sort as their n.
func id(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// newResponse returns a valid response n to survey slug, received at at.
func newResponse(slug string, n int, at time.Time) *surveys.Response {
	a := surveys.Answers{"sat": n%10 + 1, "imp_price": "na", "brands": []string{"b1", "b3"}}
	return &surveys.Response{
		ID: id(n), Survey: slug, SurveyVersion: 2, Code: surveys.NewResponseCode(),
		Answers: a, Lang: "zh", Src: "store-17", Venue: "market", Channel: "form",
		ReceivedAt: at, Digest: surveys.Digest(slug, a, "store-17", "market"),
	}
}

// stored returns r as a store gives it back: ReceivedAt to the millisecond.
func stored(r *surveys.Response) *surveys.Response {
	c := *r
	c.ReceivedAt = r.ReceivedAt.Truncate(time.Millisecond).UTC()
	return &c
}

func insert(t *testing.T, st surveys.Store, rs ...*surveys.Response) {
	t.Helper()
	for _, r := range rs {
		if err := st.InsertResponse(t.Context(), r); err != nil {
			t.Fatalf("InsertResponse(%s): %v", r.ID, err)
		}
	}
}

// all reads every response of slug with EachResponse.
func all(t *testing.T, st surveys.Store, slug string) []*surveys.Response {
	t.Helper()
	var out []*surveys.Response
	err := st.EachResponse(t.Context(), slug, func(r *surveys.Response) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatalf("EachResponse(%q): %v", slug, err)
	}
	return out
}

func ids(rs []*surveys.Response) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

func testPing(t *testing.T, st surveys.Store) {
	if err := st.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testSurveyRoundTrip(t *testing.T, st surveys.Store) {
	in := &surveys.StoredSurvey{
		Slug:    "food-2026",
		Source:  []byte("slug: food-2026\ntitle: {zh: \"食品满意度\", en: 'Food \"quality\" </script>'}\n"),
		AddedAt: time.Date(2026, 3, 1, 8, 0, 0, 123456789, time.FixedZone("CST", 8*3600)),
	}
	if err := st.PutSurvey(t.Context(), in); err != nil {
		t.Fatalf("PutSurvey: %v", err)
	}
	got, err := st.Survey(t.Context(), in.Slug)
	if err != nil {
		t.Fatalf("Survey: %v", err)
	}
	want := &surveys.StoredSurvey{Slug: in.Slug, Source: in.Source, AddedAt: in.AddedAt.Truncate(time.Millisecond)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Survey mismatch (-want +got):\n%s", diff)
	}
	if loc := got.AddedAt.Location(); loc != time.UTC {
		t.Errorf("AddedAt location = %v, want UTC", loc)
	}
}

func testSurveyDuplicate(t *testing.T, st surveys.Store) {
	first := &surveys.StoredSurvey{Slug: "dup", Source: []byte("first"), AddedAt: t0}
	if err := st.PutSurvey(t.Context(), first); err != nil {
		t.Fatalf("PutSurvey: %v", err)
	}
	second := &surveys.StoredSurvey{Slug: "dup", Source: []byte("second"), AddedAt: t0.Add(time.Hour)}
	wantErr(t, "second PutSurvey", st.PutSurvey(t.Context(), second), surveys.ErrDuplicate)
	got, err := st.Survey(t.Context(), "dup")
	if err != nil {
		t.Fatalf("Survey: %v", err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("stored survey changed by the duplicate (-want +got):\n%s", diff)
	}
}

func testSurveyNotFound(t *testing.T, st surveys.Store) {
	got, err := st.Survey(t.Context(), "missing")
	wantErr(t, "Survey(missing)", err, surveys.ErrNotFound)
	if got != nil {
		t.Errorf("Survey(missing) = %+v, want nil", got)
	}
}

func testSurveysSorted(t *testing.T, st surveys.Store) {
	got, err := st.Surveys(t.Context())
	if err != nil {
		t.Fatalf("Surveys on an empty store: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("Surveys on an empty store = %d surveys, want 0", len(got))
	}
	for _, slug := range []string{"b-survey", "a-survey", "c-1"} {
		s := &surveys.StoredSurvey{Slug: slug, Source: []byte("slug: " + slug), AddedAt: t0}
		if err := st.PutSurvey(t.Context(), s); err != nil {
			t.Fatalf("PutSurvey(%s): %v", slug, err)
		}
	}
	got, err = st.Surveys(t.Context())
	if err != nil {
		t.Fatalf("Surveys: %v", err)
	}
	var slugs []string
	for _, s := range got {
		slugs = append(slugs, s.Slug)
	}
	if diff := cmp.Diff([]string{"a-survey", "b-survey", "c-1"}, slugs); diff != "" {
		t.Errorf("Surveys slugs (-want +got):\n%s", diff)
	}
	if len(got) > 0 && string(got[0].Source) != "slug: a-survey" {
		t.Errorf("Surveys()[0].Source = %q, want %q", got[0].Source, "slug: a-survey")
	}
}
