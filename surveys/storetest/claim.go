package storetest

import (
	"errors"
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
	for _, kind := range []surveys.ClaimKind{surveys.ClaimDevice, surveys.ClaimToken} {
		holder, err := claim(t, st, newClaim(kind, "k-"+string(kind), 1))
		if err != nil || holder != id(1) {
			t.Errorf("Claim(%s) = %q, %v; want %q, nil", kind, holder, err, id(1))
		}
		got, err := st.Claimant(t.Context(), kind, "k-"+string(kind))
		if err != nil || got != id(1) {
			t.Errorf("Claimant(%s) = %q, %v; want %q, nil", kind, got, err, id(1))
		}
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

// testClaimKindsSeparate: one key in two kinds is two claims.
func testClaimKindsSeparate(t *testing.T, st surveys.Store) {
	if _, err := claim(t, st, newClaim(surveys.ClaimDevice, "same", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := claim(t, st, newClaim(surveys.ClaimToken, "same", 2)); err != nil {
		t.Errorf("Claim of the same key in another kind: %v", err)
	}
	if got, _ := st.Claimant(t.Context(), surveys.ClaimDevice, "same"); got != id(1) {
		t.Errorf("device claimant %q, want %q", got, id(1))
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
