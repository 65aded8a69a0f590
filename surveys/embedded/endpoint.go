package embedded

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// endpointFile holds the MongoDB URI of the FerretDB that owns the
// directory, while it runs.
const endpointFile = "endpoint"

// ErrNotRunning means no process serves the data directory.
var ErrNotRunning = errors.New("no running qvoice serves this data directory")

// RunningURI returns the MongoDB URI of the FerretDB that another process
// runs on dir, so short-lived commands can work beside a running server
// without opening the SQLite files a second time. It checks that the
// endpoint answers.
func RunningURI(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(abs, endpointFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("embedded: %s: %w", abs, ErrNotRunning)
	}
	if err != nil {
		return "", fmt.Errorf("embedded: read endpoint: %w", err)
	}
	uri := strings.TrimSpace(string(b))
	network, addr, err := dialTarget(uri)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return "", fmt.Errorf("embedded: %s: %w (%v)", abs, ErrNotRunning, err)
	}
	_ = c.Close()
	return uri, nil
}

// dialTarget extracts where a FerretDB URI points: "mongodb://%2Fpath%2Ffdb.sock/"
// is a Unix socket (net/url rejects an escaped host, so it is cut by hand),
// "mongodb://127.0.0.1:PORT/" is TCP.
func dialTarget(uri string) (network, addr string, err error) {
	host, ok := strings.CutPrefix(uri, "mongodb://")
	if !ok {
		return "", "", fmt.Errorf("embedded: unexpected endpoint %q", uri)
	}
	host, _, _ = strings.Cut(host, "/")
	host, _, _ = strings.Cut(host, "?")
	if strings.HasPrefix(host, "%2F") || strings.HasPrefix(host, "%2f") {
		p, err := url.PathUnescape(host)
		if err != nil {
			return "", "", fmt.Errorf("embedded: endpoint %q: %w", uri, err)
		}
		return "unix", p, nil
	}
	return "tcp", host, nil
}
