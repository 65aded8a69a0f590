package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/qvoice/qvoice/surveys"
)

func newClaim(kind surveys.ClaimKind, key string, n int) *surveys.Claim {
	return &surveys.Claim{Kind: kind, Key: key, Survey: "s", SubmissionID: id(n), At: t0}
}

func claim(t *testing.T, st surveys.Store, c *surveys.Claim) (string, error) {
	t.Helper()
	return st.Claim(t.Context(), c)
}

func testClaimRoundTrip(t *testing.T, st surveys.Store) {
	for _, kind := range []surveys.ClaimKind{surveys.ClaimDevice, surveys.ClaimToken, surveys.ClaimSlot} {
		holder, err := claim(t, st, newClaim(kind, "k-"+string(kind), 1))
		if err != nil || holder != id(1) {
			t.Errorf("Claim(%s) = %q, %v; want %q, nil", kind, holder, err, id(1))
		}
		got, err := st.Claimant(t.Context(), kind, "k-"+string(kind))
		if err != nil || got != id(1) {
			t.Errorf("Claimant(%s) = %q, %v; want %q, nil", kind, got, err, id(1))
		}
	}
	// A place record keeps its Place; ClaimRecord gives the whole claim.
	rec := newClaim(surveys.ClaimSlot, surveys.PlaceKey("s", id(1)), 1)
	rec.Place = 17
	if _, err := claim(t, st, rec); err != nil {
		t.Fatalf("Claim(place record): %v", err)
	}
	got, err := st.ClaimRecord(t.Context(), surveys.ClaimSlot, surveys.PlaceKey("s", id(1)))
	if err != nil || got.SubmissionID != id(1) || got.Place != 17 || got.Key != rec.Key {
		t.Errorf("ClaimRecord(place record) = %+v, %v; want holder %q, place 17", got, err, id(1))
	}
	if _, err := st.ClaimRecord(t.Context(), surveys.ClaimSlot, "missing"); !errors.Is(err, surveys.ErrNotFound) {
		t.Errorf("ClaimRecord(missing) = %v, want ErrNotFound", err)
	}
}

// testClaimDuplicate: a retry of the holder and another submission both
// get ErrDuplicate with the first holder, which stays.
func testClaimDuplicate(t *testing.T, st surveys.Store) {
	const key = "0f3c9a"
	if _, err := claim(t, st, newClaim(surveys.ClaimToken, key, 1)); err != nil {
		t.Fatalf("first Claim: %v", err)
	}
	for _, tc := range []struct {
		name string
		n    int
	}{{"retry by the holder", 1}, {"other submission", 2}} {
		holder, err := claim(t, st, newClaim(surveys.ClaimToken, key, tc.n))
		wantErr(t, "Claim, "+tc.name, err, surveys.ErrDuplicate)
		if holder != id(1) {
			t.Errorf("Claim, %s: holder %q, want %q", tc.name, holder, id(1))
		}
	}
	if got, err := st.Claimant(t.Context(), surveys.ClaimToken, key); err != nil || got != id(1) {
		t.Errorf("Claimant after duplicates = %q, %v; want %q", got, err, id(1))
	}
}

// testClaimKindsSeparate: one key in three kinds is three claims.
func testClaimKindsSeparate(t *testing.T, st surveys.Store) {
	kinds := []surveys.ClaimKind{surveys.ClaimDevice, surveys.ClaimToken, surveys.ClaimSlot}
	for i, kind := range kinds {
		if _, err := claim(t, st, newClaim(kind, "same", i+1)); err != nil {
			t.Errorf("Claim of the same key in kind %s: %v", kind, err)
		}
	}
	for i, kind := range kinds {
		if got, _ := st.Claimant(t.Context(), kind, "same"); got != id(i+1) {
			t.Errorf("%s claimant %q, want %q", kind, got, id(i+1))
		}
	}
}

func testClaimantNotFound(t *testing.T, st surveys.Store) {
	if _, err := claim(t, st, newClaim(surveys.ClaimDevice, "present", 1)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		kind surveys.ClaimKind
		key  string
	}{{"missing key", surveys.ClaimDevice, "absent"}, {"other kind", surveys.ClaimToken, "present"}, {"empty key", surveys.ClaimDevice, ""}} {
		got, err := st.Claimant(t.Context(), tc.kind, tc.key)
		wantErr(t, "Claimant, "+tc.name, err, surveys.ErrNotFound)
		if got != "" {
			t.Errorf("Claimant, %s = %q, want empty", tc.name, got)
		}
	}
}

// testConcurrentClaims races 8 submissions for one invite, as a QR code
// photographed and scanned by several phones at once: one wins, every
// other gets ErrDuplicate naming the winner.
func testConcurrentClaims(t *testing.T, st surveys.Store) {
	const workers = 8
	holders := make([]string, workers)
	errs := make([]error, workers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			<-start
			holders[i], errs[i] = st.Claim(t.Context(), newClaim(surveys.ClaimToken, "raced", i))
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("claims %d and %d both succeeded", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, surveys.ErrDuplicate):
			t.Errorf("claim %d: err = %v, want nil or ErrDuplicate", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no claim succeeded")
	}
	for i, h := range holders {
		if h != id(winner) {
			t.Errorf("claim %d: holder %q, want the winner %q", i, h, id(winner))
		}
	}
}

// testConcurrentSlotClaims races 12 submissions for the 8 places of a
// capped survey, each claiming places from the first up until one is its
// own, as surveys.Submit does from a stale hint: every place has exactly
// one holder, which Claimant names, and 4 submissions get none.
func testConcurrentSlotClaims(t *testing.T, st surveys.Store) {
	const workers, places = 12, 8
	got := make([]int, workers) // the place each worker holds, 0 for none
	errs := make([]error, workers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			<-start
			for k := 1; k <= places; k++ {
				c := newClaim(surveys.ClaimSlot, surveys.SlotKey("s", k), i)
				holder, err := st.Claim(t.Context(), c)
				switch {
				case err == nil && holder == id(i):
					got[i] = k
					return
				case err == nil:
					errs[i] = fmt.Errorf("place %d: holder %q, want %q", k, holder, id(i))
					return
				case !errors.Is(err, surveys.ErrDuplicate) || holder == id(i) || holder == "":
					errs[i] = fmt.Errorf("place %d: holder %q, %v; want another holder and ErrDuplicate", k, holder, err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	holders := map[int]int{}
	for i, k := range got {
		if k == 0 {
			continue
		}
		if _, dup := holders[k]; dup {
			t.Errorf("place %d held by workers %d and %d", k, holders[k], i)
		}
		holders[k] = i
		if h, err := st.Claimant(t.Context(), surveys.ClaimSlot, surveys.SlotKey("s", k)); err != nil || h != id(i) {
			t.Errorf("Claimant(place %d) = %q, %v; want %q", k, h, err, id(i))
		}
	}
	if len(holders) != places {
		t.Errorf("%d places held, want all %d", len(holders), places)
	}
}
