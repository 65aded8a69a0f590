package server

import (
	"context"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"
)

// keyedLocks lets one holder at a time use a key, without keeping a lock
// per key once nobody uses it. Waiting stops with the request, and a key
// takes at most maxKeyUsers holders and waiters: a phone's double tap
// waits for its first copy, but a client cannot pile up goroutines on one
// submission id.
type keyedLocks struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	slot  chan struct{} // holds a value while the key is held
	users int           // holder and waiters; the entry goes when it reaches 0
}

// maxKeyUsers is the holder and the waiters one key may have: far more
// than a phone's double tap and retries, few enough that one id cannot
// hold many goroutines.
const maxKeyUsers = 16

// errKeyBusy is a 429: the key has maxKeyUsers already.
var errKeyBusy = echo.NewHTTPError(http.StatusTooManyRequests, "this submission is already being stored: wait for its answer")

// lock waits for key and returns its unlock; it gives errKeyBusy when the
// key has maxKeyUsers already, and a 503 when ctx ends first (the client
// left: not a server fault).
func (k *keyedLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{slot: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	if l.users >= maxKeyUsers {
		k.mu.Unlock()
		return nil, errKeyBusy
	}
	l.users++
	k.mu.Unlock()
	select {
	case l.slot <- struct{}{}:
	case <-ctx.Done():
		k.leave(key, l)
		return nil, echo.NewHTTPError(http.StatusServiceUnavailable, "the request ended while another copy of this submission was being stored").SetInternal(ctx.Err())
	}
	return func() {
		<-l.slot
		k.leave(key, l)
	}, nil
}

func (k *keyedLocks) leave(key string, l *keyedLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if l.users--; l.users == 0 {
		delete(k.locks, key)
	}
}
