package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// ErrLocked means another process, or another Open in this process, is
// using the data directory.
var ErrLocked = errors.New("data directory is locked")

// maxSocketPath keeps the Unix socket path under the sun_path limit
// (108 bytes on Linux, 104 on the BSDs and macOS, including the final NUL).
const maxSocketPath = 100

// DB is a running embedded FerretDB holding the lock on its data directory.
type DB struct {
	dir    string
	uri    string
	lock   *os.File
	cancel context.CancelFunc
	done   chan struct{} // closed when FerretDB's Run returns
	tmp    string        // private socket directory to remove, if any
	tcp    string        // TCP address to listen on as well (OpenTCP), or ""

	closeOnce sync.Once
	closeErr  error
}

// Open locks dir (creating it with mode 0700) and starts FerretDB on it.
// It returns an error wrapping ErrLocked when the directory is in use.
// FerretDB's logs go to logger; a nil logger discards them. At Debug level
// FerretDB logs every request with its documents, answers included, so give
// it a logger at Info or above (Info logs each connection; Warn logs each
// failed command, including the endSessions it does not implement, which the
// driver sends on Disconnect). ctx bounds the start-up only: FerretDB runs
// until Close.
func Open(ctx context.Context, dir string, logger *slog.Logger) (*DB, error) {
	return openDB(ctx, dir, "", logger)
}

func openDB(ctx context.Context, dir, tcp string, logger *slog.Logger) (*DB, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("embedded: data directory %q: %w", dir, err)
	}
	// FerretDB passes the directory to SQLite as a file: URI without
	// escaping it, so these characters would change its meaning.
	if strings.ContainsAny(abs, "?#%") {
		return nil, fmt.Errorf("embedded: data directory %q: must not contain '?', '#' or '%%'", abs)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("embedded: create data directory: %w", err)
	}
	lock, err := lockDir(abs)
	if err != nil {
		return nil, err
	}
	db := &DB{dir: abs, lock: lock, done: make(chan struct{}), tcp: tcp}
	if err := db.start(ctx, logger); err != nil {
		db.removeSocketDir()
		_ = unlockDir(lock)
		return nil, err
	}
	return db, nil
}

// start runs FerretDB in a goroutine and waits until it accepts connections.
func (db *DB) start(ctx context.Context, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	lc, err := db.listener()
	if err != nil {
		return err
	}
	if db.tcp != "" {
		lc.TCP = db.tcp // MongoDBURI then names the TCP address
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  lc,
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + db.dir + "/",
	})
	if err != nil {
		return fmt.Errorf("embedded: start FerretDB in %s: %w", db.dir, err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	db.cancel = cancel
	go func() {
		defer close(db.done)
		_ = f.Run(runCtx) // always nil; returns when runCtx is cancelled
	}()
	db.uri = f.MongoDBURI()
	if err := waitReady(ctx, lc); err != nil {
		cancel()
		<-db.done
		return fmt.Errorf("embedded: FerretDB in %s does not answer: %w", db.dir, err)
	}
	// Other qvoice commands (analyze, survey import) find the running
	// database through this file instead of opening the directory.
	if err := os.WriteFile(filepath.Join(db.dir, endpointFile), []byte(db.uri), 0o600); err != nil {
		cancel()
		<-db.done
		return fmt.Errorf("embedded: write endpoint: %w", err)
	}
	return nil
}

// listener picks where FerretDB listens: a Unix socket in the data
// directory; if that path is too long, one in a private temporary
// directory; and only if that is too long as well, TCP on 127.0.0.1 (which
// any local user can reach).
func (db *DB) listener() (ferretdb.ListenerConfig, error) {
	sock := filepath.Join(db.dir, "fdb.sock")
	if len(sock) > maxSocketPath {
		tmp, err := os.MkdirTemp("", "qvoice-")
		if err != nil {
			return ferretdb.ListenerConfig{}, fmt.Errorf("embedded: socket directory: %w", err)
		}
		db.tmp = tmp
		sock = filepath.Join(tmp, "fdb.sock")
		if len(sock) > maxSocketPath {
			db.removeSocketDir()
			return ferretdb.ListenerConfig{TCP: "127.0.0.1:0"}, nil
		}
	}
	// A socket left by a process that died still exists and would make
	// listening fail; holding the lock makes it ours to remove.
	if err := os.Remove(sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return ferretdb.ListenerConfig{}, fmt.Errorf("embedded: remove stale socket: %w", err)
	}
	return ferretdb.ListenerConfig{Unix: sock}, nil
}

// waitReady dials the listener until a connection succeeds.
func waitReady(ctx context.Context, lc ferretdb.ListenerConfig) error {
	network, addr := "unix", lc.Unix
	if addr == "" {
		return nil // TCP: bound by ferretdb.New, MongoDBURI has the port
	}
	var d net.Dialer
	for delay := time.Millisecond; ; delay *= 2 {
		c, err := d.DialContext(ctx, network, addr)
		if err == nil {
			return c.Close()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %w)", ctx.Err(), err)
		case <-time.After(min(delay, 100*time.Millisecond)):
		}
	}
}

// URI returns the MongoDB connection string of the running FerretDB.
func (db *DB) URI() string { return db.uri }

// Dir returns the absolute path of the data directory.
func (db *DB) Dir() string { return db.dir }

// Close stops FerretDB, waiting for it to close its connections and SQLite
// files, then releases the lock. Calling Close again returns the first
// result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		_ = os.Remove(filepath.Join(db.dir, endpointFile))
		db.cancel()
		<-db.done
		db.removeSocketDir()
		db.closeErr = unlockDir(db.lock)
	})
	return db.closeErr
}

func (db *DB) removeSocketDir() {
	if db.tmp != "" {
		_ = os.RemoveAll(db.tmp)
		db.tmp = ""
	}
}
