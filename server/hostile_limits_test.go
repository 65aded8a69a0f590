package server_test

import (
	"bufio"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// serveReal runs s.Serve, the production http.Server with its timeouts
// and header limit, on a loopback port until the test ends, and returns
// its base URL.
func serveReal(t *testing.T, s *server.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// TestHostileBodySize: past the 64 KB of the respondent routes, every
// other POST (sign-in, sign-out, the dashboard) stops at 256 KB with 413,
// declared or chunked. A declared length over the limit is refused before
// any handler runs. A chunked body is cut off at the limit while it is
// read; where the first reader is a CSRF check (sign-in, the dashboard),
// the cut-off form has no token and the answer is 403 rather than 413:
// refused either way, having read no more than 256 KB.
func TestHostileBodySize(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	c := e.loginAs(t, surveys.RoleAdmin)
	big := url.Values{"_csrf": {"x"}, "pad": {strings.Repeat("x", 300<<10)}}.Encode()
	tests := []struct {
		name, path, ctype string
		chunked           bool
		want              []int
	}{
		{"sign-in", "/login", "application/x-www-form-urlencoded", false, []int{413}},
		{"sign-in, chunked", "/login", "application/x-www-form-urlencoded", true, []int{413, 403}},
		{"sign-out", "/logout", "application/x-www-form-urlencoded", false, []int{413}},
		{"sign-out, chunked", "/logout", "application/x-www-form-urlencoded", true, []int{413, 403}},
		{"dashboard", "/dash/" + demo.Slug, "application/x-www-form-urlencoded", false, []int{413}},
		{"dashboard, chunked", "/dash/" + demo.Slug, "application/x-www-form-urlencoded", true, []int{413, 403}},
		{"form, chunked", "/s/" + demo.Slug, "application/x-www-form-urlencoded", true, []int{413}},
		{"API, JSON of 300 KB", apiPath, "application/json", false, []int{413}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			var r io.Reader = strings.NewReader(big)
			if tc.chunked {
				r = io.MultiReader(r) // no length known: sent chunked
			}
			resp, _ := e.sendReq(c, http.MethodPost, tc.path, r, "Content-Type", tc.ctype)
			ok := false
			for _, w := range tc.want {
				ok = ok || resp.StatusCode == w
			}
			if !ok {
				t.Errorf("%d, want one of %v", resp.StatusCode, tc.want)
			}
		})
	}
	e.t = t
	if resp, _ := e.getWith(c, "/dash/"+demo.Slug); resp.StatusCode != http.StatusOK {
		t.Errorf("the session after the oversized posts: %d", resp.StatusCode)
	}
}

// TestHostileHeaderSize: through the production http.Server, a 2 MB
// header line, a 2 MB URL or ten thousand small headers are refused with
// 431 (or the connection is cut), and the server keeps answering.
func TestHostileHeaderSize(t *testing.T) {
	_, s := newEnvWith(t, server.Config{}, nil)
	base := serveReal(t, s)
	many := http.Header{}
	for i := range 10000 {
		many.Set(fmt.Sprintf("X-Pad-%d", i), strings.Repeat("y", 100))
	}
	tests := []struct {
		name   string
		path   string
		header http.Header
	}{
		{"a 2 MB header line", "/healthz", http.Header{"X-Big": {strings.Repeat("x", 2<<20)}}},
		{"a 2 MB cookie", "/dash", http.Header{"Cookie": {"qvoice_session=" + strings.Repeat("x", 2<<20)}}},
		{"ten thousand headers", "/healthz", many},
		{"a 2 MB URL", "/s/" + demo.Slug + "?src=" + strings.Repeat("x", 2<<20), nil},
	}
	client := &http.Client{Timeout: 30 * time.Second}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, base+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, vs := range tc.header {
				req.Header[k] = vs
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Logf("connection cut: %v", err) // also a refusal
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
				t.Errorf("%d, want 431", resp.StatusCode)
			}
		})
	}
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatalf("the server after oversized headers: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz after oversized headers: %d", resp.StatusCode)
	}
}

// TestHostileServerTimeouts: the http.Server that Serve builds sets every
// timeout (a source check, as the server is not exported), and a
// slowloris client that sends its headers one byte a second is cut off by
// ReadHeaderTimeout (10 s) while the server goes on answering others.
func TestHostileServerTimeouts(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "server.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		fn, ok := n.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "Serve" {
			return true
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if cl, ok := n.(*ast.CompositeLit); ok {
				if sel, ok := cl.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Server" {
					for _, el := range cl.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							set[fmt.Sprint(kv.Key)] = true
						}
					}
				}
			}
			return true
		})
		return false
	})
	for _, field := range []string{"ReadHeaderTimeout", "ReadTimeout", "WriteTimeout", "IdleTimeout"} {
		if !set[field] {
			t.Errorf("Serve's http.Server does not set %s", field)
		}
	}
	if testing.Short() {
		t.Skip("the slowloris client takes 10 s")
	}

	_, s := newEnvWith(t, server.Config{}, nil)
	base := serveReal(t, s)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	closed := make(chan time.Time, 1)
	go func() {
		_, _ = io.Copy(io.Discard, bufio.NewReader(conn)) // until the server closes
		closed <- time.Now()
	}()
	start := time.Now()
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var at time.Time
	checked := false
loop:
	for {
		select {
		case at = <-closed:
			break loop
		case <-tick.C:
			if time.Since(start) > 20*time.Second {
				t.Fatal("a slowloris client is still connected after 20 s")
			}
			if !checked && time.Since(start) > 3*time.Second {
				// Meanwhile the server answers everyone else.
				checked = true
				resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(base + "/healthz")
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Errorf("healthz during a slowloris: %v %v", resp, err)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
			if _, err := conn.Write([]byte("X")); err != nil { // the server has gone
				at = <-closed
				break loop
			}
		}
	}
	if d := at.Sub(start); d < 9*time.Second || d > 15*time.Second {
		t.Errorf("slowloris cut off after %v, want about 10 s (ReadHeaderTimeout)", d.Round(time.Second/10))
	}
}

// TestHostileForwardedFor: the per-address limits cannot be escaped by
// forging X-Forwarded-For (or X-Real-IP). Without a trusted proxy, or when
// the peer is not one, the header is ignored; behind a trusted proxy the
// client is the rightmost untrusted address, so a client that prepends
// forged addresses to the list is still itself. TestRateLimit covers one
// forged address per post on the API directly.
func TestHostileForwardedFor(t *testing.T) {
	limit := server.RateLimit{Rate: 1, Burst: 3, ExpiresIn: time.Minute}
	envs := map[string]*env{}
	for name, proxies := range map[string][]string{
		"direct":        nil,
		"other proxy":   {"10.0.0.0/8"},
		"behind proxy":  {"127.0.0.0/8"},
		"login direct":  nil,
		"login proxied": {"127.0.0.0/8"},
	} {
		envs[name], _ = newEnvWith(t, server.Config{RateLimit: limit, TrustedProxies: proxies}, nil)
	}
	type post struct{ header []string }
	forged := func(n int, header string, f func(i int) string) []post {
		out := make([]post, n)
		for i := range out {
			out[i] = post{[]string{header, f(i)}}
		}
		return out
	}
	tests := []struct {
		name      string
		env       string
		path      string
		posts     []post
		want429   bool
		loginPost bool
	}{
		{"X-Forwarded-For forged per post, form", "direct", "/s/" + demo.Slug, forged(10, "X-Forwarded-For", func(i int) string { return fmt.Sprintf("192.0.2.%d", i+1) }), true, false},
		{"X-Real-IP forged per post", "direct", apiPath, forged(10, "X-Real-IP", func(i int) string { return fmt.Sprintf("192.0.2.%d", i+1) }), true, false},
		{"forged header from a peer that is not the trusted proxy", "other proxy", apiPath, forged(10, "X-Forwarded-For", func(i int) string { return fmt.Sprintf("10.1.2.%d", i+1) }), true, false},
		{"forged addresses prepended behind the proxy", "behind proxy", apiPath, forged(10, "X-Forwarded-For", func(i int) string { return fmt.Sprintf("192.0.2.%d, 203.0.113.50", i+1) }), true, false},
		{"X-Real-IP behind the proxy", "behind proxy", apiPath, forged(10, "X-Real-IP", func(i int) string { return fmt.Sprintf("192.0.2.%d", i+1) }), true, false},
		{"three real clients behind the proxy", "behind proxy", apiPath, forged(3, "X-Forwarded-For", func(i int) string { return fmt.Sprintf("198.51.100.%d", i+1) }), false, false},
		{"sign-in, X-Forwarded-For forged per post", "login direct", "/login", forged(12, "X-Forwarded-For", func(i int) string { return fmt.Sprintf("192.0.2.%d", i+1) }), true, true},
		{"sign-in, forged addresses prepended behind the proxy", "login proxied", "/login", forged(12, "X-Forwarded-For", func(i int) string { return fmt.Sprintf("192.0.2.%d, 203.0.113.60", i+1) }), true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := envs[tc.env]
			e.t = t
			limited := 0
			for _, p := range tc.posts {
				var resp *http.Response
				if tc.loginPost {
					c := newClient()
					_, page := e.getWith(c, "/login")
					v := formValues(t, page, "/login")
					v.Set("name", "nobody")
					v.Set("password", "x")
					resp, _ = e.send(c, http.MethodPost, "/login", v, p.header...)
				} else {
					ctype := "application/json"
					if strings.HasPrefix(tc.path, "/s/") {
						ctype = "application/x-www-form-urlencoded"
					}
					resp, _ = e.do(http.MethodPost, tc.path, ctype, "{}", p.header...)
				}
				if resp.StatusCode == http.StatusTooManyRequests {
					limited++
				}
			}
			if got := limited > 0; got != tc.want429 {
				t.Errorf("%d of %d posts answered 429, want limited = %v", limited, len(tc.posts), tc.want429)
			}
		})
	}
}
