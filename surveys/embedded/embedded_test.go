package embedded

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func open(t *testing.T, dir string) *DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatalf("Open(%q): %v", dir, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dialURI connects to the host of a mongodb:// URI (TCP or Unix socket).
// net/url rejects the escaped slashes of a socket path in the host, so the
// host is cut out by hand.
func dialURI(t *testing.T, uri string) {
	t.Helper()
	rest, ok := strings.CutPrefix(uri, "mongodb://")
	host, _, _ := strings.Cut(rest, "/")
	host, err := url.PathUnescape(host)
	if !ok || err != nil || host == "" {
		t.Fatalf("URI %q: want mongodb://HOST/ (%v)", uri, err)
	}
	network := "tcp"
	if strings.HasPrefix(host, "/") {
		network = "unix"
	}
	c, err := net.DialTimeout(network, host, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s %s: %v", network, host, err)
	}
	c.Close()
}

func TestOpenLockedInSameProcess(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	if !strings.HasPrefix(db.URI(), "mongodb://") {
		t.Errorf("URI() = %q, want a mongodb:// URI", db.URI())
	}
	dialURI(t, db.URI())

	_, err := Open(context.Background(), dir, nil)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "another qvoice process") || !strings.Contains(msg, dir) {
		t.Errorf("second Open: message %q should name another qvoice process and %s", msg, dir)
	}
	// The failed Open must not have released the first lock or stopped
	// the first FerretDB.
	dialURI(t, db.URI())
	if _, err := Open(context.Background(), dir, nil); !errors.Is(err, ErrLocked) {
		t.Fatalf("third Open: err = %v, want ErrLocked", err)
	}

	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	again := open(t, dir)
	dialURI(t, again.URI())
}

// TestOpenLockedAcrossProcesses runs this test binary again as a child
// that tries to open the directory this process holds.
func TestOpenLockedAcrossProcesses(t *testing.T) {
	if dir := os.Getenv("QVOICE_EMBEDDED_CHILD_DIR"); dir != "" {
		_, err := Open(context.Background(), dir, nil)
		fmt.Printf("child: locked=%v err=%v\n", errors.Is(err, ErrLocked), err)
		return
	}
	dir := t.TempDir()
	open(t, dir)
	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenLockedAcrossProcesses$", "-test.count=1")
	cmd.Env = append(os.Environ(), "QVOICE_EMBEDDED_CHILD_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	want := fmt.Sprintf("child: locked=true err=embedded: data directory is locked: another qvoice process (pid %d) is using %s", os.Getpid(), dir)
	if !strings.Contains(string(out), want) {
		t.Errorf("child output:\n%s\nwant a line starting %q", out, want)
	}
}

func TestOpenLongPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("d", 60), strings.Repeat("e", 60))
	db := open(t, dir)
	if strings.Contains(db.URI(), "eeee") {
		t.Errorf("URI() = %q: socket should not be in the long data directory", db.URI())
	}
	dialURI(t, db.URI())
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if db.tmp != "" {
		t.Errorf("socket directory %s not removed", db.tmp)
	}
}

func TestOpenPathWithSpace(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "my data"))
	dialURI(t, db.URI())
}

func TestOpenCreatesPrivateDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "data")
	open(t, dir)
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("data directory mode = %v, want 0700", perm)
	}
}

func TestOpenRejectsURIMetacharacters(t *testing.T) {
	for _, name := range []string{"a?b", "a#b", "a%20b"} {
		_, err := Open(context.Background(), filepath.Join(t.TempDir(), name), nil)
		if err == nil {
			t.Errorf("Open(%q) succeeded, want an error", name)
		}
	}
}

func TestOpenRemovesStaleSocket(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fdb.sock"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := open(t, dir)
	dialURI(t, db.URI())
}

func TestRunningURI(t *testing.T) {
	dir := t.TempDir()
	if _, err := RunningURI(dir); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("before Open: %v, want ErrNotRunning", err)
	}
	db := open(t, dir)
	uri, err := RunningURI(dir)
	if err != nil {
		t.Fatal(err)
	}
	if uri != db.URI() {
		t.Errorf("RunningURI = %q, want %q", uri, db.URI())
	}
	dialURI(t, uri)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := RunningURI(dir); !errors.Is(err, ErrNotRunning) {
		t.Errorf("after Close: %v, want ErrNotRunning", err)
	}
}
