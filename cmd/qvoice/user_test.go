package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// writePassword writes a password file and returns its path.
func writePassword(t *testing.T, dir, name, pw string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUserCommands walks an account through add, list, passwd, disable
// and the audit log, with the exit codes of every kind of mistake.
func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	good := writePassword(t, dir, "good", "correct horse battery")
	other := writePassword(t, dir, "other", "another good passphrase")
	short := writePassword(t, dir, "short", "short")
	same := writePassword(t, dir, "same", "Zhang.Wei.Jiangsu")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"add a regulator", []string{"user", "add", "zhang.wei", "--role", "regulator", "--province", "44,32", "--password-file", good},
			exitOK, "added user zhang.wei (regulator, provinces 32, 44)"},
		{"add an admin", []string{"user", "add", "admin", "--role", "admin", "--password-file", good}, exitOK, "added user admin (admin)"},
		{"name taken", []string{"user", "add", "zhang.wei", "--role", "admin", "--password-file", good}, exitFailure, "already exists"},
		{"bad role", []string{"user", "add", "li", "--role", "root", "--password-file", good}, exitUsage, "admin, regulator or researcher"},
		{"no role", []string{"user", "add", "li", "--password-file", good}, exitUsage, "--role is required"},
		{"bad province", []string{"user", "add", "li", "--role", "regulator", "--province", "320000", "--password-file", good}, exitUsage, "two-digit"},
		{"bad name", []string{"user", "add", "=cmd()", "--role", "regulator", "--password-file", good}, exitUsage, ""},
		{"markup in a name", []string{"user", "add", "<script>", "--role", "regulator", "--password-file", good}, exitUsage, "letters, digits"},
		{"weak password", []string{"user", "add", "li", "--role", "researcher", "--password-file", short}, exitDataInvalid, "at least 10 characters"},
		{"password is the name", []string{"user", "add", "zhang.wei.jiangsu", "--role", "researcher", "--password-file", same}, exitDataInvalid, "must not be the user name"},
		{"missing password file", []string{"user", "add", "li", "--role", "researcher", "--password-file", filepath.Join(dir, "nope")}, exitFailure, "nope"},
		{"passwd", []string{"user", "passwd", "zhang.wei", "--password-file", other}, exitOK, "password of zhang.wei changed"},
		{"passwd, weak", []string{"user", "passwd", "zhang.wei", "--password-file", short}, exitDataInvalid, "at least 10"},
		{"passwd of nobody", []string{"user", "passwd", "nobody", "--password-file", other}, exitFailure, "not found"},
		{"disable", []string{"user", "disable", "zhang.wei"}, exitOK, "disabled user zhang.wei"},
		{"disable nobody", []string{"user", "disable", "nobody"}, exitFailure, "not found"},
		{"audit with a bad --since", []string{"user", "audit", "--since", "-1h"}, exitUsage, "positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := qvoice(t.Context(), append(tc.args, "--data", data)...)
			if code != tc.wantCode || !strings.Contains(out+errOut, tc.wantOut) {
				t.Errorf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, tc.wantCode, tc.wantOut, out, errOut)
			}
		})
	}

	t.Run("list", func(t *testing.T) {
		out := mustRun(t, exitOK, "user", "list", "--data", data, "--format", "json")
		var items []userItem
		if err := json.Unmarshal([]byte(out), &items); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		got := make([]string, len(items))
		for i, it := range items {
			got[i] = it.Name + " " + it.Role + " " + strings.Join(it.Provinces, ",") + " " + yesNoCode(it.Disabled)
		}
		if diff := cmp.Diff([]string{"admin admin  false", "zhang.wei regulator 32,44 true"}, got); diff != "" {
			t.Errorf("user list (-want +got):\n%s", diff)
		}
		if strings.Contains(out, "argon2") {
			t.Error("user list prints password hashes")
		}
		csv := mustRun(t, exitOK, "user", "list", "--data", data, "--format", "csv")
		if !strings.HasPrefix(csv, "name,role,provinces,disabled,created_at,updated_at\nadmin,admin,,false,") {
			t.Errorf("CSV:\n%s", csv)
		}
		zh := mustRun(t, exitOK, "user", "list", "--data", data, "--lang", "zh-CN")
		for _, w := range []string{"用户名", "角色", "省份", "管理员", "监管人员", "32, 44", "已停用", "全部"} {
			if !strings.Contains(zh, w) {
				t.Errorf("Chinese table lacks %q:\n%s", w, zh)
			}
		}
	})

	t.Run("audit", func(t *testing.T) {
		out := mustRun(t, exitOK, "user", "audit", "--data", data, "--format", "json")
		var items []auditItem
		if err := json.Unmarshal([]byte(out), &items); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.User+" "+it.Action)
		}
		want := []string{"zhang.wei user_added", "admin user_added", "zhang.wei password_changed", "zhang.wei user_disabled"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("audit (-want +got):\n%s", diff)
		}
		table := mustRun(t, exitOK, "user", "audit", "--data", data)
		if !strings.Contains(table, "user_disabled") || !strings.Contains(table, "role regulator, provinces 32,44") {
			t.Errorf("audit table:\n%s", table)
		}
	})
}

// TestNewPassword reads a password the ways user add and passwd do when
// standard input is not a terminal.
func TestNewPassword(t *testing.T) {
	a := newApp(io.Discard, io.Discard, noLocale)
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	if err := os.WriteFile(file, []byte("from the file 1\r\nsecond line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in, file, want string
		wantErr              error
	}{
		{"one line of standard input", "  spaces kept  \nignored\n", "", "  spaces kept  ", nil},
		{"no final newline", "no newline at the end", "", "no newline at the end", nil},
		{"file, first line, CRLF", "", file, "from the file 1", nil},
		{"empty input", "", "", "", errUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := a.newPassword(strings.NewReader(tc.in), tc.file, "x")
			if got != tc.want || (err == nil) != (tc.wantErr == nil) || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Errorf("newPassword = %q, %v; want %q, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer that a running server and a test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var demoAdminRE = regexp.MustCompile(`demo admin account: admin / (\S+) \(shown once; change it with qvoice user passwd admin\)`)

// TestServeDemoAdmin: serve --demo creates no known password: it prints a
// generated admin's random password once, which signs in to the
// dashboard; a second start prints nothing.
func TestServeDemoAdmin(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	serveOnce := func(check func(base, stderr string)) string {
		addr := freeAddr(t)
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		done := make(chan int, 1)
		var errOut syncBuffer
		go func() {
			done <- run(ctx, []string{"serve", "--demo", "--demo-responses", "0", "--addr", addr, "--data", data}, io.Discard, &errOut)
		}()
		waitHealthy(t, "http://"+addr, done, nil)
		check("http://"+addr, errOut.String())
		stop()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop")
		}
		return errOut.String()
	}
	first := serveOnce(func(base, stderr string) {
		m := demoAdminRE.FindAllStringSubmatch(stderr, -1)
		if len(m) != 1 {
			t.Fatalf("stderr has %d demo admin lines, want 1:\n%s", len(m), stderr)
		}
		if pw := m[0][1]; len(pw) < 20 {
			t.Errorf("demo password %q is short", pw)
		}
		if code := signIn(t, base, "admin", m[0][1]); code != http.StatusOK {
			t.Errorf("dashboard with the printed password: %d", code)
		}
		if code := signIn(t, base, "admin", "admin"); code != http.StatusUnauthorized {
			t.Errorf("sign-in as admin/admin: %d, want 401", code)
		}
	})
	second := serveOnce(func(string, string) {})
	if strings.Contains(second, "demo admin account") {
		t.Errorf("the second serve --demo prints a password again:\n%s", second)
	}
	if pw := demoAdminRE.FindStringSubmatch(first)[1]; strings.Contains(second, pw) {
		t.Error("the password appears again")
	}
	out := mustRun(t, exitOK, "user", "list", "--data", data, "--format", "csv")
	if strings.Count(out, "\n") != 2 || !strings.Contains(out, "\nadmin,admin,,false,") {
		t.Errorf("accounts after two demo starts:\n%s", out)
	}
}

var csrfRE = regexp.MustCompile(`<form method="post" action="/login"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)">`)

// signIn signs in through the sign-in page and returns the status of the
// demo dashboard then (the sign-in's own status if it failed).
func signIn(t *testing.T, base, name, password string) int {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRE.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no sign-in form:\n%s", page)
	}
	resp, err = c.PostForm(base+"/login", url.Values{"_csrf": {string(m[1])}, "name": {name}, "password": {password},
		"next": {"/dash/" + demo.Slug}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return resp.StatusCode
	}
	resp, err = c.Get(base + resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestDemoAdminKeepsAnExistingAdmin: a store that has an enabled admin
// gets no generated one.
func TestDemoAdminKeepsAnExistingAdmin(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mustRun(t, exitOK, "user", "add", "chief", "--role", "admin", "--password-file", writePassword(t, dir, "pw", "correct horse battery"), "--data", data)
	a := newApp(io.Discard, io.Discard, noLocale)
	a.db = storeConfig{dataDir: data, dbName: "qvoice"}
	st, closeStore, err := a.openStore(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	var out bytes.Buffer
	if err := ensureDemoAdmin(t.Context(), st, &out); err != nil || out.Len() > 0 {
		t.Errorf("ensureDemoAdmin = %v, printed %q; want nothing", err, out.String())
	}
	users, _ := st.(surveys.Accounts).Users(t.Context())
	if len(users) != 1 {
		t.Errorf("%d accounts, want the one admin", len(users))
	}
}
