package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"
)

// minSecretLen is the shortest secret accepted: 32 bytes, as HMAC-SHA256
// keys should be.
const minSecretLen = 32

// registerSecret adds --secret-file.
func registerSecret(fs *pflag.FlagSet, path *string) {
	fs.StringVar(path, "secret-file", "",
		"`file` holding the server secret (signs device cookies and invites); default DATA/secret, generated, for the embedded database")
}

// loadSecret reads the server secret from path. Without a path the
// embedded database keeps it in DATA/secret, generated on first use (32
// random bytes, hex, mode 0600). With --mongo-uri a path is required:
// every server sharing the database must sign with the same secret, and
// a per-machine default would silently differ.
func loadSecret(path string, sc storeConfig) ([]byte, error) {
	if path == "" {
		if sc.mongoURI != "" {
			return nil, usagef("--mongo-uri needs --secret-file (or QVOICE_SECRET_FILE): every server sharing the database must use the same secret; create one with: head -c 32 /dev/urandom | xxd -p -c 64 > qvoice.secret")
		}
		return dataDirSecret(sc.dataDir)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the secret: %w", err)
	}
	return checkSecret(path, b)
}

func checkSecret(path string, b []byte) ([]byte, error) {
	b = bytes.TrimSpace(b)
	if len(b) < minSecretLen {
		return nil, fmt.Errorf("secret file %s holds %d bytes, want at least %d", path, len(b), minSecretLen)
	}
	return b, nil
}

// dataDirSecret reads DIR/secret, creating it if it does not exist. The
// secret is written to a temporary file and linked into place, so a
// process starting at the same moment reads either no file or a whole one.
func dataDirSecret(dir string) ([]byte, error) {
	path := filepath.Join(dir, "secret")
	b, err := os.ReadFile(path)
	if err == nil {
		return checkSecret(path, b)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read the secret: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the data directory: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := []byte(hex.EncodeToString(raw))
	tmp, err := os.CreateTemp(dir, ".secret-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("create the secret: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(append(secret, '\n'))
	if err := errors.Join(werr, tmp.Close()); err != nil {
		return nil, fmt.Errorf("write the secret: %w", err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return dataDirSecret(dir) // another process was first
	} else if err != nil {
		return nil, fmt.Errorf("create the secret: %w", err)
	}
	return secret, nil
}
