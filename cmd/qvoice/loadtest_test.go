package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"
)

// startLoadServe serves the demo survey (no generated responses, no rate
// limit) in-process on a fresh data directory and returns its base URL
// and data directory; the server stops when tb ends.
func startLoadServe(tb testing.TB) (base, data string) {
	tb.Helper()
	data = filepath.Join(tb.TempDir(), "data")
	addr := freeAddr(tb)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var serveErr syncBuffer
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--demo-responses", "0", "--rate-limit", "0", "--addr", addr,
			"--data", data, "--log-format", "json"}, &bytes.Buffer{}, &serveErr)
	}()
	tb.Cleanup(func() {
		stop()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			tb.Error("serve did not stop")
		}
	})
	base = "http://" + addr
	waitHealthy(tb, base, done, &serveErr)
	return base, data
}

// TestLoadtest runs the command for about two seconds against an
// in-process server: every acknowledged submission is stored exactly once.
func TestLoadtest(t *testing.T) {
	base, data := startLoadServe(t)
	code, out, errOut := qvoice(context.Background(), "loadtest", "--url", base, "--data", data,
		"--clients", "10", "--duration", "2s", "--seed", "7", "--format", "json")
	if code != exitOK {
		t.Fatalf("loadtest: exit %d\n%s%s", code, out, errOut)
	}
	var rep loadReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if rep.Acknowledged == 0 || rep.Stored != rep.Acknowledged || rep.Missing != 0 || rep.Duplicated != 0 || rep.CreatedTwice != 0 {
		t.Errorf("acknowledged %d, stored %d, missing %d, stored twice %d, 201 twice %d; want all acknowledged stored once",
			rep.Acknowledged, rep.Stored, rep.Missing, rep.Duplicated, rep.CreatedTwice)
	}
	if rep.Created != rep.Acknowledged {
		t.Errorf("%d answered 201 for %d acknowledged submissions; want one each", rep.Created, rep.Acknowledged)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("errors: %v", rep.Errors)
	}
	if rep.Post.N == 0 || rep.Post.P50 <= 0 || rep.Post.P99 < rep.Post.P50 {
		t.Errorf("post latency %+v", rep.Post)
	}

	// The same seed again: every submission is a retry, answered 200.
	code, out, errOut = qvoice(context.Background(), "loadtest", "--url", base, "--data", data,
		"--clients", "2", "--requests", "20", "--seed", "7")
	if code != exitOK {
		t.Fatalf("table output: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"submissions/s", "post p99 ms", "acknowledged submissions", "stored twice"} {
		if !bytes.Contains([]byte(out), []byte(want)) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// TestLoadtestViaForm walks 60 phones through the phone form page by
// page (some abandon, retry the last page or double-tap it): every
// thanked submission is stored exactly once, and none stored twice.
func TestLoadtestViaForm(t *testing.T) {
	base, data := startLoadServe(t)
	code, out, errOut := qvoice(context.Background(), "loadtest", "--url", base, "--data", data, "--via", "form",
		"--clients", "6", "--requests", "60", "--duration", "2m", "--seed", "11", "--format", "json")
	if code != exitOK {
		t.Fatalf("loadtest --via form: exit %d\n%s%s", code, out, errOut)
	}
	var rep loadReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("errors: %v", rep.Errors)
	}
	if rep.Phones != 60 || rep.Acknowledged != rep.Phones-rep.Abandoned {
		t.Errorf("%d phones, %d abandoned, %d acknowledged; want every phone that did not abandon thanked", rep.Phones, rep.Abandoned, rep.Acknowledged)
	}
	if rep.Stored != rep.Acknowledged || rep.Missing != 0 || rep.Duplicated != 0 {
		t.Errorf("acknowledged %d, stored %d, missing %d, stored twice %d", rep.Acknowledged, rep.Stored, rep.Missing, rep.Duplicated)
	}
	// Several pages a phone: the demo asks consent, the categories, one
	// page per chosen category and the closing questions.
	if rep.Posts < 4*rep.Acknowledged || rep.Form.N < rep.Posts-rep.Acknowledged {
		t.Errorf("%d page posts and %d page loads for %d submissions; want a walk through the pages", rep.Posts, rep.Form.N, rep.Acknowledged)
	}
	if rep.Via != "form" {
		t.Errorf("via = %q", rep.Via)
	}
}

func TestLoadtestRefusesOtherHosts(t *testing.T) {
	for _, u := range []string{"http://10.0.0.1:8080", "http://example.com", "http://127.0.0.1.example.com:80",
		"ftp://127.0.0.1", "127.0.0.1:8080"} {
		code, _, errOut := qvoice(context.Background(), "loadtest", "--url", u, "--data", t.TempDir())
		if code != exitUsage {
			t.Errorf("--url %s: exit %d, want %d: %s", u, code, exitUsage, errOut)
		}
	}
	for _, args := range [][]string{{"--via", "sms"}, {"--clients", "0"}, {"--clients", "2001"}, {"--duration", "11m"}, {"--requests", "-1"}} {
		code, _, errOut := qvoice(context.Background(), append([]string{"loadtest", "--url", "http://127.0.0.1:1", "--data", t.TempDir()}, args...)...)
		if code != exitUsage || errOut == "" {
			t.Errorf("%v: exit %d, want %d with a message: %s", args, code, exitUsage, errOut)
		}
	}
	for _, u := range []string{"http://127.0.0.1:1", "http://127.9.9.9:1", "http://[::1]:1", "http://localhost:1"} {
		if _, err := loopbackBase(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}
