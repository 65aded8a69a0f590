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
// holder lets go; waiting stops with the context; a fourth user of one
// key is refused with 429; other keys are independent; nothing is kept
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

	got := make(chan func(), 1)
	go func() {
		u, err := k.lock(ctx, "a")
		if err != nil {
			t.Error(err)
		}
		got <- u
	}()
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := k.lock(short, "a"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting past the deadline: %v, want DeadlineExceeded", err)
	}
	// Holder and the waiter above, plus one more waiter: the fourth is refused.
	waiter2 := make(chan func(), 1)
	go func() {
		u, err := k.lock(ctx, "a")
		if err != nil {
			t.Error(err)
		}
		waiter2 <- u
	}()
	deadline := time.Now().Add(5 * time.Second)
	for k.users("a") < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	var he *echo.HTTPError
	if _, err := k.lock(ctx, "a"); !errors.As(err, &he) || he.Code != http.StatusTooManyRequests {
		t.Errorf("a fourth user of one key: %v, want 429", err)
	}
	select {
	case <-got:
		t.Fatal("the waiter got the key while it was held")
	case <-waiter2:
		t.Fatal("the second waiter got the key while it was held")
	default:
	}
	unlock()
	(<-anyOf(got, waiter2))()
	(<-anyOf(got, waiter2))()
	if n := k.users("a"); n != 0 || len(k.locks) != 0 {
		t.Errorf("after every unlock: %d users of a, %d keys kept; want none", n, len(k.locks))
	}
}

// anyOf returns whichever of a and b delivers first.
func anyOf(a, b chan func()) chan func() {
	out := make(chan func(), 1)
	go func() {
		select {
		case f := <-a:
			out <- f
		case f := <-b:
			out <- f
		}
	}()
	return out
}

func (k *keyedLocks) users(key string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	if l := k.locks[key]; l != nil {
		return l.users
	}
	return 0
}
