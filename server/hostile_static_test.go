package server_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/server"
)

// rawGet sends target as the request line's target, byte for byte (no
// client cleans or re-escapes it), and returns the status and body.
func rawGet(t *testing.T, e *env, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: qvoice.test\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %q: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHostileStaticTraversal: /static/HASH/NAME serves only the embedded
// files of server/static, looked up by name in a table (with ~ standing
// for / in a name), never a path on disk: dot segments, encoded and
// double-encoded dots and slashes, backslashes, absolute paths, ~ turned
// into .. or /, and NUL bytes are 404 or 400, and no answer holds a file
// from outside server/static (a Go source, a template, /etc/passwd).
func TestHostileStaticTraversal(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	dash, err := os.ReadFile("static/dash.js")
	if err != nil {
		t.Fatal(err)
	}
	// The control: a real file, under any hash, as a name with ~.
	if status, b := rawGet(t, e, "/static/0123456789ab/dash.js"); status != http.StatusOK || b != string(dash) {
		t.Fatalf("GET dash.js: %d, want 200 with server/static/dash.js", status)
	}
	if _, err := os.Stat("static/vendor/echarts.min.js"); err == nil {
		if status, _ := rawGet(t, e, "/static/0123456789ab/vendor~echarts.min.js"); status != http.StatusOK {
			t.Errorf("GET vendor~echarts.min.js: %d, want 200", status)
		}
	}
	targets := []string{
		"/static/x/../server.go",
		"/static/x/../../go.mod",
		"/static/../../server.go",
		"/static/x/..%2fserver.go",
		"/static/x/..%2F..%2Fgo.mod",
		"/static/x/%2e%2e%2fserver.go",
		"/static/x/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
		"/static/x/%252e%252e%252fserver.go",
		"/static/x/..~server.go",
		"/static/x/..~..~go.mod",
		"/static/x/~etc~passwd",
		"/static/x/~~etc~passwd",
		"/static/x/.~..~server.go",
		"/static/x/vendor~..~..~server.go",
		"/static/x/vendor~..~dash.js~..~..~server.go",
		"/static/x/..~templates~login.html",
		"/static/x/templates~login.html",
		"/static/x/%2fetc%2fpasswd",
		"/static/x//etc/passwd",
		"/static/x/..%5c..%5cserver.go",
		"/static/x/..\\..\\server.go",
		"/static/x/C:%5cWindows%5cwin.ini",
		"/static/x/dash.js%00.png",
		"/static/x/dash.js%00",
		"/static/x/server.go",
		"/static/x/view.go",
		"/static/x/.",
		"/static/x/..",
		"/static/x/~",
		"/static/x/dash.js/../../server.go",
		"/static/%2e%2e/%2e%2e%2fserver.go",
		"/static/x/file:%2f%2f%2fetc%2fpasswd",
		"http://qvoice.test/static/x/..%2f..%2fserver.go",
	}
	leaks := []string{"package server", "root:x:0:0", "module github.com/qvoice", "{{", "[fonts]"}
	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			status, b := rawGet(t, e, target)
			if status != http.StatusNotFound && status != http.StatusBadRequest {
				t.Errorf("%d, want 404 or 400", status)
			}
			for _, leak := range leaks {
				if strings.Contains(b, leak) {
					t.Errorf("the answer holds %q: %.200s", leak, b)
				}
			}
		})
	}
	// A raw NUL or control byte in the request line never reaches a file.
	for _, target := range []string{"/static/x/dash.js\x00.png", "/static/x/..\x00/server.go", "/static/x/dash.js\r"} {
		status, b := rawGet(t, e, target)
		if status != http.StatusBadRequest && status != http.StatusNotFound || strings.Contains(b, "package server") {
			t.Errorf("GET %q: %d, want 400 or 404", target, status)
		}
	}
}
