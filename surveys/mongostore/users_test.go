package mongostore

import (
	"os"
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
