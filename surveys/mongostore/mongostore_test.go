package mongostore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/embedded"
	"github.com/qvoice/qvoice/surveys/storetest"
)

// embeddedURI is the FerretDB started once for this test binary.
var embeddedURI string

func TestMain(m *testing.M) { os.Exit(embedded.RunTests(m, &embeddedURI)) }

var dbCounter atomic.Int64

// newStoreFunc returns a storetest constructor opening a fresh database on
// the server at uri, dropped and closed when the test ends.
func newStoreFunc(uri, prefix string, with ...Option) func(t *testing.T) surveys.Store {
	return func(t *testing.T) surveys.Store {
		name := fmt.Sprintf("%s%d", prefix, dbCounter.Add(1))
		s := openStore(t, uri, name, with...)
		t.Cleanup(func() {
			ctx := context.Background()
			if err := s.surveys.Database().Drop(ctx); err != nil {
				t.Errorf("drop database %s: %v", name, err)
			}
			if err := s.Close(ctx); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return s
	}
}

func openStore(t *testing.T, uri, dbName string, with ...Option) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, uri, dbName, with...)
	if err != nil {
		t.Fatalf("Open(%s): %v", dbName, err)
	}
	return s
}

func TestEmbeddedFerretDB(t *testing.T) {
	storetest.Run(t, newStoreFunc(embeddedURI, "t"))
}

// TestMongoDB runs the suite against a real MongoDB, in databases named
// qvoice_test_<random>_<n> that are dropped afterwards.
func TestMongoDB(t *testing.T) {
	uri := os.Getenv("QVOICE_TEST_MONGO_URI")
	if uri == "" {
		t.Skip("QVOICE_TEST_MONGO_URI is not set")
	}
	storetest.Run(t, newStoreFunc(uri, "qvoice_test_"+randomHex()+"_"))
}

func randomHex() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// TestPersistence stops FerretDB and starts it again on the same directory.
func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	sv := &surveys.StoredSurvey{Slug: "p", Source: []byte("slug: p\n"), AddedAt: time.Now()}
	a := surveys.Answers{"sat": 9, "brands": []string{"b2"}, "why": "快"}
	r := &surveys.Response{
		ID: surveys.NewSubmissionID(), Survey: "p", SurveyVersion: 1, Code: surveys.NewResponseCode(),
		Answers: a, Lang: "zh", Channel: "form", ReceivedAt: time.Now(), Digest: surveys.Digest("p", a, "", ""),
	}

	withStore(t, dir, func(s *Store) {
		if err := s.PutSurvey(t.Context(), sv); err != nil {
			t.Fatalf("PutSurvey: %v", err)
		}
		if err := s.InsertResponse(t.Context(), r); err != nil {
			t.Fatalf("InsertResponse: %v", err)
		}
	})
	withStore(t, dir, func(s *Store) {
		gotSv, err := s.Survey(t.Context(), "p")
		if err != nil {
			t.Fatalf("Survey after restart: %v", err)
		}
		wantSv := *sv
		wantSv.AddedAt = storedTime(sv.AddedAt)
		if diff := cmp.Diff(&wantSv, gotSv); diff != "" {
			t.Errorf("Survey after restart (-want +got):\n%s", diff)
		}
		got, err := s.Response(t.Context(), "p", r.ID)
		if err != nil {
			t.Fatalf("Response after restart: %v", err)
		}
		want := *r
		want.ReceivedAt = storedTime(r.ReceivedAt)
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("Response after restart (-want +got):\n%s", diff)
		}
		// The unique _id index survives the restart too.
		if err := s.InsertResponse(t.Context(), r); !errors.Is(err, surveys.ErrDuplicate) {
			t.Errorf("InsertResponse after restart: err = %v, want ErrDuplicate", err)
		}
	})
}

// withStore starts FerretDB on dir, opens the store, calls fn, and closes
// both, the store first.
func withStore(t *testing.T, dir string, fn func(*Store)) {
	t.Helper()
	db, err := embedded.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("embedded.Open: %v", err)
	}
	defer func() {
		if err := db.Close(); err != nil {
			t.Errorf("embedded Close: %v", err)
		}
	}()
	s := openStore(t, db.URI(), "qvoice")
	defer func() {
		if err := s.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	fn(s)
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(t.Context(), embeddedURI, ""); err == nil {
		t.Error("Open with an empty database name succeeded")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if _, err := Open(ctx, "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300", "x"); err == nil {
		t.Error("Open of a closed port succeeded")
	}
}
