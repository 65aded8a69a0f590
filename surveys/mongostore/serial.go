package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Option configures a Store at Open.
type Option func(*Store)

// SerialWrites makes the Store send its writes one at a time, in the
// order they arrive; reads are not held back. Give it for the embedded
// database, which this process alone writes: SQLite admits one writer,
// and FerretDB lets concurrent writers find the lock taken and sleep in
// SQLite's busy handler (1, 2, 5, 10 … 100 ms) before trying again, so
// under a burst the lock stands idle while writers sleep and a page post
// takes seconds. Waiting in Go instead, each writer starts the moment the
// one before it ends. A MongoDB server takes concurrent writes: leave it
// out there.
func SerialWrites() Option {
	return func(s *Store) { s.writes = make(chan struct{}, 1) }
}

// serial runs the write fn, after the writes before it when the store
// has SerialWrites. A context that ends while it waits gives
// surveys.ErrUnavailable, as a database that does not answer would.
func (s *Store) serial(ctx context.Context, fn func() error) error {
	if s.writes == nil {
		return fn()
	}
	select {
	case s.writes <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("mongostore: waiting to write: %w", unavailable(ctx.Err()))
	}
	defer func() { <-s.writes }()
	return fn()
}

// insertOne inserts doc into coll, as serial runs a write.
func (s *Store) insertOne(ctx context.Context, coll *mongo.Collection, doc any) error {
	return s.serial(ctx, func() error { _, err := coll.InsertOne(ctx, doc); return err })
}
