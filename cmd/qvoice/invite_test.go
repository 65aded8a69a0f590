package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// TestInvite prints signed invites for a stored survey, verifiable with
// the data directory's secret, which serve uses too.
func TestInvite(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "demo.yaml")
	if err := os.WriteFile(file, demo.Source(), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if code, _, errOut := qvoice(context.Background(), "survey", "import", file, "--data", data); code != exitOK {
		t.Fatalf("import: %s", errOut)
	}
	code, out, errOut := qvoice(context.Background(), "invite", "--survey", demo.Slug, "--src", "2026zlm-sq-001", "--n", "3",
		"--expires", "2099-12-31", "--base-url", "https://survey.example.cn/", "--data", data)
	if code != exitOK {
		t.Fatalf("invite: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("printed %d lines, want 3:\n%s", len(lines), out)
	}
	secret, err := os.ReadFile(filepath.Join(data, "secret"))
	if err != nil {
		t.Fatalf("no secret in the data directory: %v", err)
	}
	if fi, _ := os.Stat(filepath.Join(data, "secret")); fi.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode %v, want 0600", fi.Mode().Perm())
	}
	urlRE := regexp.MustCompile(`^https://survey\.example\.cn/s/quality-month-demo\?t=([A-Za-z0-9_-]{40,80})$`)
	seen := map[string]bool{}
	for _, l := range lines {
		m := urlRE.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("line %q is not an invite URL", l)
		}
		inv, err := surveys.VerifyInvite(bytes.TrimSpace(secret), demo.Slug, m[1], time.Now())
		if err != nil {
			t.Fatalf("invite does not verify with the data directory's secret: %v", err)
		}
		if inv.Src != "2026zlm-sq-001" || inv.Expires.Before(time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)) || seen[inv.ID] {
			t.Errorf("invite %+v: want src 2026zlm-sq-001, expiring after 2099-12-31, a new id", inv)
		}
		seen[inv.ID] = true
	}
	if !strings.Contains(errOut, "not invite_only") {
		t.Errorf("no note that the demo is not invite_only: %q", errOut)
	}
}

func TestInviteErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "demo.yaml")
	if err := os.WriteFile(file, demo.Source(), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if code, _, errOut := qvoice(context.Background(), "survey", "import", file, "--data", data); code != exitOK {
		t.Fatalf("import: %s", errOut)
	}
	short := filepath.Join(dir, "short.secret")
	if err := os.WriteFile(short, []byte("too short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		args      []string
		wantUsage bool
		wantErr   string
	}{
		{"no survey", []string{"--data", data}, true, "--survey"},
		{"zero invites", []string{"--survey", demo.Slug, "--n", "0", "--data", data}, true, "--n"},
		{"src too long", []string{"--survey", demo.Slug, "--src", strings.Repeat("x", 65), "--data", data}, true, "--src"},
		{"relative base URL", []string{"--survey", demo.Slug, "--base-url", "survey.example.cn", "--data", data}, true, "absolute"},
		{"no expiry and no closes_at", []string{"--survey", demo.Slug, "--data", data}, true, "--expires"},
		{"expiry passed", []string{"--survey", demo.Slug, "--expires", "2020-01-01", "--data", data}, true, "passed"},
		{"bad expiry", []string{"--survey", demo.Slug, "--expires", "soon", "--data", data}, true, "--expires"},
		{"unknown survey", []string{"--survey", "no-such", "--expires", "2099-01-01", "--data", data}, false, "not found"},
		{"MongoDB without a secret file", []string{"--survey", demo.Slug, "--mongo-uri", "mongodb://127.0.0.1:1"}, true, "--secret-file"},
		{"secret file too short", []string{"--survey", demo.Slug, "--secret-file", short, "--data", data}, false, "at least 32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := qvoice(context.Background(), append([]string{"invite"}, tc.args...)...)
			wantCode := exitFailure
			if tc.wantUsage {
				wantCode = exitUsage
			}
			if code != wantCode || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, wantCode, tc.wantErr)
			}
			if out != "" {
				t.Errorf("printed invites despite the error: %s", out)
			}
		})
	}
}

func TestServeConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     [2]string
		wantErr string
	}{
		{"MongoDB without a secret file", []string{"--mongo-uri", "mongodb://127.0.0.1:1"}, [2]string{}, "--secret-file"},
		{"rate limit not a number", nil, [2]string{"QVOICE_RATE_LIMIT", "fast"}, "QVOICE_RATE_LIMIT"},
		{"negative rate limit", []string{"--rate-limit", "-1"}, [2]string{}, "--rate-limit"},
		{"burst 0", []string{"--rate-burst", "0"}, [2]string{}, "--rate-burst"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env[0] != "" {
				t.Setenv(tc.env[0], tc.env[1])
			}
			args := append([]string{"serve", "--addr", freeAddr(t), "--data", t.TempDir()}, tc.args...)
			code, _, errOut := qvoice(context.Background(), args...)
			if code != exitUsage || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, exitUsage, tc.wantErr)
			}
		})
	}
}
