package mongostore

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/storetest"
)

// newAccountsFunc is newStoreFunc for the accounts suite.
func newAccountsFunc(uri, prefix string) func(t *testing.T) surveys.Accounts {
	newStore := newStoreFunc(uri, prefix)
	return func(t *testing.T) surveys.Accounts { return newStore(t).(*Store) }
}

func TestUsersEmbeddedFerretDB(t *testing.T) {
	storetest.RunUsers(t, newAccountsFunc(embeddedURI, "u"))
}

// TestUsersMongoDB runs the accounts suite against a real MongoDB when
// QVOICE_TEST_MONGO_URI is set.
func TestUsersMongoDB(t *testing.T) {
	uri := os.Getenv("QVOICE_TEST_MONGO_URI")
	if uri == "" {
		t.Skip("QVOICE_TEST_MONGO_URI is not set")
	}
	storetest.RunUsers(t, newAccountsFunc(uri, "qvoice_test_users_"+randomHex()+"_"))
}

// TestUpdateUserRaceSerialWrites: on the embedded database, whose owner
// opens it with SerialWrites, changes racing from one reading of an
// account are refused but one (FerretDB's filtered replace is a find
// then a write; run one at a time, the second finds the new version).
func TestUpdateUserRaceSerialWrites(t *testing.T) {
	ctx := t.Context()
	s := newStoreFunc(embeddedURI, "ur", SerialWrites())(t).(*Store)
	if err := s.PutUser(ctx, &surveys.User{Name: "a", Role: surveys.RoleRegulator, PasswordHash: "$argon2id$x"}); err != nil {
		t.Fatal(err)
	}
	base, err := s.User(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	const workers = 8
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		u := *base
		u.Provinces = []string{fmt.Sprintf("%02d", 11+i)}
		wg.Go(func() { errs[i] = s.UpdateUser(ctx, &u) })
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, surveys.ErrConflict):
			t.Errorf("racing UpdateUser: %v, want nil or ErrConflict", err)
		}
	}
	if won != 1 {
		t.Errorf("%d racing UpdateUser calls from one reading won, want 1", won)
	}
}
