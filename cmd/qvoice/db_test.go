package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// TestDBServe runs qvoice db serve on a free port and lists the surveys
// through it with --mongo-uri, as a second machine's serve would reach it;
// the other commands still find it from --data; SIGINT (ctx) stops it.
func TestDBServe(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	st, closeStore, err := openStore(ctx, storeConfig{dataDir: data, dbName: "qvoice"}, false, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutSurvey(ctx, &surveys.StoredSurvey{Slug: demo.Slug, Source: demo.Source(), AddedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	closeStore()

	addr := freeAddr(t)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(runCtx, []string{"db", "serve", "--data", data, "--addr", addr}, &out, &errOut) }()
	uri := "mongodb://" + addr + "/"
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(out.String(), uri); {
		select {
		case code := <-done:
			t.Fatalf("db serve exited with %d: %s", code, errOut.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("db serve printed no %s in 60 s; stderr: %s", uri, errOut.String())
		}
	}

	for _, args := range [][]string{
		{"survey", "list", "--mongo-uri", uri, "--lang", "en"},
		{"survey", "list", "--data", data, "--lang", "en"}, // through the endpoint file, beside it
	} {
		code, got, gotErr := runEnv(nil, args...)
		if code != exitOK || !strings.Contains(got, demo.Slug) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, got, gotErr)
		}
	}
	// The data directory is locked, as by serve.
	if code, _, gotErr := runEnv(nil, "db", "serve", "--data", data, "--addr", freeAddr(t)); code == exitOK || !strings.Contains(gotErr, "locked") {
		t.Errorf("a second db serve on the directory: exit %d, stderr %q", code, gotErr)
	}

	stop()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("db serve exited with %d after SIGINT: %s", code, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("db serve did not stop")
	}
	// The lock is released: the directory opens again.
	if _, closeStore, err := openStore(ctx, storeConfig{dataDir: data, dbName: "qvoice"}, false, slog.New(slog.DiscardHandler)); err != nil {
		t.Errorf("open after db serve stopped: %v", err)
	} else {
		closeStore()
	}
}

// TestDBServeRefuses: no authentication, so no address other machines
// reach without --allow-remote; and it serves the embedded database only.
func TestDBServeRefuses(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"db", "serve", "--data", data, "--addr", "0.0.0.0:0"}, "--allow-remote"},
		{[]string{"db", "serve", "--data", data, "--addr", ":27017"}, "--allow-remote"},
		{[]string{"db", "serve", "--data", data, "--addr", "192.168.1.5:27017"}, "--allow-remote"},
		{[]string{"db", "serve", "--data", data, "--addr", "nonsense"}, "--addr"},
		{[]string{"db", "serve", "--mongo-uri", "mongodb://127.0.0.1:1/"}, "--mongo-uri"},
	} {
		code, _, errOut := runEnv(nil, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d mentioning %s", strings.Join(tc.args, " "), code, errOut, exitUsage, tc.want)
		}
	}
}
