package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
)

func testCodeUnique(t *testing.T, st surveys.Store) {
	first := newResponse("s", 1, t0)
	insert(t, st, first)
	same := newResponse("s", 2, t0)
	same.Code = first.Code
	wantErr(t, "InsertResponse with a stored code", st.InsertResponse(t.Context(), same), surveys.ErrDuplicate)
	// Codes are unique per survey only.
	other := newResponse("other", 3, t0)
	other.Code = first.Code
	insert(t, st, other)
}

func testInsertResponsesBatch(t *testing.T, st surveys.Store) {
	stored1 := newResponse("s", 1, t0)
	insert(t, st, stored1)
	againByID := newResponse("s", 1, t0)
	againByCode := newResponse("s", 4, t0)
	againByCode.Code = stored1.Code
	twinA, twinB := newResponse("s", 5, t0), newResponse("s", 6, t0)
	twinB.Code = twinA.Code
	batch := []*surveys.Response{newResponse("s", 2, t0), againByID, newResponse("s", 3, t0), againByCode, twinA, twinB}
	errs, err := st.InsertResponses(t.Context(), batch)
	if err != nil {
		t.Fatalf("InsertResponses: %v", err)
	}
	if len(errs) != len(batch) {
		t.Fatalf("InsertResponses gave %d errors for %d responses", len(errs), len(batch))
	}
	wantDup := []bool{false, true, false, true, false, true}
	for i, e := range errs {
		if got := errors.Is(e, surveys.ErrDuplicate); got != wantDup[i] || (e != nil && !got) {
			t.Errorf("errs[%d] = %v, want duplicate=%v", i, e, wantDup[i])
		}
	}
	var ids []string
	for _, r := range all(t, st, "s") {
		ids = append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{id(1), id(2), id(3), id(5)}, ids); diff != "" {
		t.Errorf("stored ids (-want +got):\n%s", diff)
	}
	if errs, err := st.InsertResponses(t.Context(), nil); err != nil || len(errs) != 0 {
		t.Errorf("InsertResponses(nil) = %v, %v; want nothing", errs, err)
	}
}

func testScanResponsesFilter(t *testing.T, st surveys.Store) {
	mk := func(n int, at time.Time, province, region, venue string, flagged bool) *surveys.Response {
		r := newResponse("s", n, at)
		r.Answers = surveys.Answers{"province": province, "region_type": region, "sat": 3}
		r.Venue = venue
		r.Weight = float64(n) / 4
		if flagged {
			r.Paradata = &surveys.Paradata{TotalSeconds: 30, TooFast: true}
		}
		r.Digest = surveys.Digest("s", r.Answers, r.Src, r.Venue)
		return r
	}
	day := 24 * time.Hour
	rs := []*surveys.Response{
		mk(1, t0, "11", "urban_core", "community", false),
		mk(2, t0.Add(day), "32", "rural_village", "school", true),
		mk(3, t0.Add(2*day), "32", "urban_rural_fringe", "township", false),
		mk(4, t0.Add(3*day), "44", "rural_village", "township", false),
	}
	insert(t, st, rs...)
	insert(t, st, mk(9, t0, "32", "rural_village", "township", false)) // another survey's below
	other := newResponse("other", 10, t0)
	insert(t, st, other)
	tests := []struct {
		name string
		f    surveys.Filter
		want []int
	}{
		{"everything", surveys.Filter{}, []int{1, 2, 3, 4, 9}},
		{"from", surveys.Filter{From: t0.Add(day)}, []int{2, 3, 4}},
		{"to is exclusive", surveys.Filter{To: t0.Add(2 * day)}, []int{1, 2, 9}},
		{"province", surveys.Filter{Provinces: []string{"32"}}, []int{2, 3, 9}},
		{"region types", surveys.Filter{RegionTypes: []string{"rural_village", "urban_core"}}, []int{1, 2, 4, 9}},
		{"venue and province", surveys.Filter{Venues: []string{"township"}, Provinces: []string{"32"}}, []int{3, 9}},
		{"src", surveys.Filter{Srcs: []string{"nowhere"}}, nil},
		{"exclude flagged", surveys.Filter{ExcludeFlagged: true, Provinces: []string{"32"}}, []int{3, 9}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			err := st.ScanResponses(t.Context(), "s", tc.f, func(r *surveys.Response) error {
				got = append(got, int(r.Weight*4))
				return nil
			})
			if err != nil {
				t.Fatalf("ScanResponses: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("weights×4 of matched responses, in storage order (-want +got):\n%s", diff)
			}
		})
	}
	stop := errors.New("stop")
	n := 0
	err := st.ScanResponses(t.Context(), "s", surveys.Filter{}, func(*surveys.Response) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("ScanResponses with a failing fn = %v after %d calls, want stop after 1", err, n)
	}
}
