package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/embedded"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// storeConfig says where the data lives.
type storeConfig struct {
	dataDir  string
	mongoURI string
	dbName   string
}

// env returns the environment variable, or def when unset.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func (sc *storeConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&sc.dataDir, "data", env("QVOICE_DATA", "./qvoice-data"), "data directory of the embedded database")
	fs.StringVar(&sc.mongoURI, "mongo-uri", env("QVOICE_MONGO_URI", ""), "MongoDB URI; empty: embedded FerretDB in --data")
	fs.StringVar(&sc.dbName, "db", env("QVOICE_DB", "qvoice"), "database name")
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
	st, err := mongostore.Open(ctx, db.URI(), sc.dbName)
	if err != nil {
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
