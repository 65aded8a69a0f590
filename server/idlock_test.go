package server

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// TestKeyedLocks: one holder per key; a waiter gets the key when the
// holder lets go; waiting stops with the context; a user beyond
// maxKeyUsers is refused with 429; other keys are independent; nothing is kept
// once a key is free.
func TestKeyedLocks(t *testing.T) {
	var k keyedLocks
	ctx := t.Context()
	unlock, err := k.lock(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if u, err := k.lock(ctx, "b"); err != nil {
		t.Fatalf("another key while a is held: %v", err)
	} else {
		u()
	}

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	var he *echo.HTTPError
	if _, err := k.lock(short, "a"); !errors.As(err, &he) || he.Code != http.StatusServiceUnavailable || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting past the deadline: %v, want 503 wrapping DeadlineExceeded", err)
	}
	// The holder and maxKeyUsers-1 waiters; one more is refused.
	got := make(chan func(), maxKeyUsers)
	for range maxKeyUsers - 1 {
		go func() {
			u, err := k.lock(ctx, "a")
			if err != nil {
				t.Error(err)
			}
			got <- u
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for k.users("a") < maxKeyUsers && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if _, err := k.lock(ctx, "a"); !errors.Is(err, errKeyBusy) || !errors.As(err, &he) || he.Code != http.StatusTooManyRequests {
		t.Errorf("user %d of one key: %v, want 429", maxKeyUsers+1, err)
	}
	select {
	case <-got:
		t.Fatal("a waiter got the key while it was held")
	default:
	}
	unlock()
	for range maxKeyUsers - 1 {
		(<-got)() // one at a time: each lets the next in
	}
	if n := k.users("a"); n != 0 || len(k.locks) != 0 {
		t.Errorf("after every unlock: %d users of a, %d keys kept; want none", n, len(k.locks))
	}
}

func (k *keyedLocks) users(key string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	if l := k.locks[key]; l != nil {
		return l.users
	}
	return 0
}
