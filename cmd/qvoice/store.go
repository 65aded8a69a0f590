package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/embedded"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// storeConfig says where the data lives: the global flags --data,
// --mongo-uri and --db.
type storeConfig struct {
	dataDir  string
	mongoURI string
	dbName   string
}

// openStore opens the configured store. For the embedded database it owns
// the data directory; if another qvoice process owns it, and shared is true,
// it connects to that process's database socket instead.
func openStore(ctx context.Context, sc storeConfig, shared bool, log *slog.Logger) (surveys.Store, func(), error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if sc.mongoURI != "" {
		st, err := mongostore.Open(ctx, sc.mongoURI, sc.dbName)
		if err != nil {
			return nil, nil, err
		}
		return st, func() { _ = st.Close(context.Background()) }, nil
	}
	db, err := embedded.Open(ctx, sc.dataDir, log)
	if errors.Is(err, embedded.ErrLocked) && shared {
		uri, uerr := embedded.RunningURI(sc.dataDir)
		if uerr != nil {
			return nil, nil, fmt.Errorf("%w (and its socket is not reachable: %v)", err, uerr)
		}
		st, err := mongostore.Open(ctx, uri, sc.dbName)
		if err != nil {
			return nil, nil, fmt.Errorf("connect to the running qvoice's database: %w", err)
		}
		return st, func() { _ = st.Close(context.Background()) }, nil
	}
	if err != nil {
		return nil, nil, err
	}
	// This process alone writes the embedded database: one write at a time.
	st, err := mongostore.Open(ctx, db.URI(), sc.dbName, mongostore.SerialWrites())
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	// After Open, which creates the store's collections: every find by
	// _id then searches an index instead of parsing every document.
	if _, err := db.IndexIDs(ctx, sc.dbName); err != nil {
		_ = st.Close(context.Background())
		db.Close()
		return nil, nil, err
	}
	return st, func() {
		_ = st.Close(context.Background())
		db.Close()
	}, nil
}

// definitionOf reads a stored survey's definition.
func definitionOf(ctx context.Context, st surveys.Store, slug string) (*surveys.Definition, error) {
	ss, err := st.Survey(ctx, slug)
	if err != nil {
		return nil, fmt.Errorf("survey %q: %w", slug, err)
	}
	return ss.Definition()
}
