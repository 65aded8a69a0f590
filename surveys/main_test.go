package surveys_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/qvoice/qvoice/surveys/embedded"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// dbURI is the embedded FerretDB started once for this test binary, for
// the tests that need a real database (concurrent claims); the others use
// memStore.
var dbURI string

func TestMain(m *testing.M) { os.Exit(embedded.RunTests(m, &dbURI)) }

var dbSeq atomic.Int64

// newDBStore opens a fresh database on the embedded FerretDB, closed when
// the test ends (the directory goes with the test binary).
func newDBStore(t *testing.T) *mongostore.Store {
	t.Helper()
	name := fmt.Sprintf("surveys%d", dbSeq.Add(1))
	st, err := mongostore.Open(t.Context(), dbURI, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	return st
}
