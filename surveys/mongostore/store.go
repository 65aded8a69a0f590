package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"

	"github.com/qvoice/qvoice/surveys"
)

// Store is a surveys.Store over one MongoDB database.
type Store struct {
	client    *mongo.Client
	surveys   *mongo.Collection
	responses *mongo.Collection
	writes    chan struct{} // one slot with SerialWrites, else nil
}

var _ surveys.Store = (*Store)(nil)

// Open connects to the MongoDB (or FerretDB) server at uri, checks that it
// answers, and creates the collections and indexes of database dbName if
// they are missing. with are options such as SerialWrites.
func Open(ctx context.Context, uri, dbName string, with ...Option) (*Store, error) {
	if dbName == "" {
		return nil, errors.New("mongostore: empty database name")
	}
	// The URI is left out of errors: it may carry a password.
	opts := options.Client().ApplyURI(uri).SetAppName("qvoice")
	if opts.WriteConcern == nil {
		// A response acknowledged to a phone must survive the primary's
		// failure: majority unless the URI says otherwise (w=...).
		// FerretDB accepts and ignores it.
		opts.SetWriteConcern(writeconcern.Majority())
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("mongostore: connect: %w", err)
	}
	db := client.Database(dbName)
	s := &Store{client: client, surveys: db.Collection("surveys"), responses: db.Collection("responses")}
	for _, o := range with {
		o(s)
	}
	if err := s.Ping(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.createCollections(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.createIndexes(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	return s, nil
}

// collectionNames are the collections a Store writes.
func collectionNames() []string {
	names := []string{"surveys", "responses", "drafts", "survey_states", "users", "audit", "sessions"}
	for _, c := range claimCollections {
		names = append(names, c)
	}
	return names
}

// createCollections creates the store's collections if they are missing,
// so that they all exist from the start: the embedded database's _id
// indexes (embedded.DB.IndexIDs) are made for the collections that exist.
func (s *Store) createCollections(ctx context.Context) error {
	db := s.responses.Database()
	for _, name := range collectionNames() {
		err := db.CreateCollection(ctx, name)
		var ce mongo.CommandError
		if errors.As(err, &ce) && ce.Code == namespaceExists {
			continue
		}
		if err != nil {
			return fmt.Errorf("mongostore: create collection %s: %w", name, unavailable(err))
		}
	}
	return nil
}

// namespaceExists is the server's error code for creating a collection
// that exists (MongoDB and FerretDB alike).
const namespaceExists = 48

// createIndexes creates the responses indexes: the one used by
// EachResponse and by catching up on other servers' responses, and the
// unique response code. Creating an existing index with
// the same keys is a no-op.
func (s *Store) createIndexes(ctx context.Context) error {
	for _, m := range []mongo.IndexModel{{
		Keys: bson.D{{Key: "survey", Value: 1}, {Key: "received_at", Value: 1}, {Key: "_id", Value: 1}},
	}, {
		// The response code is what a respondent quotes and what an
		// imported file is keyed by: unique per survey, so re-importing an
		// export into the store it came from adds nothing.
		Keys:    bson.D{{Key: "survey", Value: 1}, {Key: "code", Value: 1}},
		Options: options.Index().SetUnique(true),
	}} {
		if _, err := s.responses.Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("mongostore: create responses index: %w", err)
		}
	}
	return nil
}

// Ping answers nil when the server answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("mongostore: ping: %w", err)
	}
	return nil
}

// Close disconnects, waiting for operations in progress until ctx ends.
func (s *Store) Close(ctx context.Context) error {
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("mongostore: disconnect: %w", err)
	}
	return nil
}

// storedTime is t as a BSON datetime keeps it: milliseconds, UTC.
func storedTime(t time.Time) time.Time { return t.Truncate(time.Millisecond).UTC() }
