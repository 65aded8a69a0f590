package surveys

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// GroupCommit is a Store whose InsertResponse lets concurrent calls share
// one InsertResponses: while a batch is being written, the responses that
// arrive wait, and the next batch takes all of them (up to MaxBatch). It
// is the group commit of databases, done in front of the driver.
//
// Why: on the embedded FerretDB every insert is its own SQLite
// transaction, and its commit is the largest part of an insert's cost;
// FerretDB also runs concurrent inserts on separate SQLite connections
// that wait for the write lock by sleeping and retrying, so under load the
// inserts of a campaign's burst do not queue, they collide (seconds of tail
// latency). An InsertMany of up to 100 documents is one transaction there,
// so a batch of k responses costs about one commit instead of k, and one
// writer never collides with itself. On MongoDB a batch is one round trip
// and one majority acknowledgement instead of k.
//
// Nothing is acknowledged early: InsertResponse returns only when the
// batch holding r was written (or failed), with r's own outcome — nil,
// ErrDuplicate for an id or code stored before (or earlier in the batch),
// or the batch's error, which says nothing of which responses were stored,
// exactly as for a single insert that times out; a retry with the same id
// settles it. A caller whose context ends while its response waits gets
// ErrUnavailable; the response may still be written by its batch.
//
// A batch waits for nothing but the batch before it: at low load every
// batch holds one response and costs what a plain insert costs.
//
// One duplicate makes FerretDB roll the batch back and insert its
// documents one transaction each, which would undo the grouping whenever
// a phone retries or double-taps. So a batch never holds an id twice or
// an id being written: that copy waits for the first one's outcome. And
// an id this store wrote recently (responses are never deleted) gets
// ErrDuplicate without a write, as the database would have answered.
//
// Response answers those recent ids from memory too: a retry reads the
// stored response to compare answers, and that find is a round trip (on
// FerretDB without embedded.DB.IndexIDs, a scan of every stored document,
// which took three quarters of the CPU under a burst of retries).
type GroupCommit struct {
	Store
	maxBatch, maxWriters int

	mu      sync.Mutex
	queue   []*queuedInsert
	writers int // goroutines writing batches now
	// inflight holds the ids of the batches being written; recent the
	// last len(ring) responses written by id, ring their ids in order,
	// next the slot to overwrite.
	inflight map[string]struct{}
	recent   map[string]*Response
	ring     []string
	next     int
}

// recentResponses is how many written responses GroupCommit remembers:
// phones retry within seconds or minutes, and 4,096 demo responses take
// about 10 MB.
const recentResponses = 1 << 12

type queuedInsert struct {
	ctx  context.Context // the caller's: once it ends, the response is not written
	r    *Response
	done chan error // buffered: the writer never blocks on a gone caller
}

// DefaultGroupCommitBatch is the largest batch: FerretDB writes up to 100
// documents of an insert in one statement of one transaction.
const DefaultGroupCommitBatch = 100

// NewGroupCommit returns st with grouped response inserts, at most
// maxBatch responses a batch (DefaultGroupCommitBatch if < 1) and at most
// writers batches written at once (1 if < 1: right for the embedded
// database, whose writes are serial anyway; a MongoDB replica set gains
// from a few).
func NewGroupCommit(st Store, maxBatch, writers int) *GroupCommit {
	if maxBatch < 1 {
		maxBatch = DefaultGroupCommitBatch
	}
	return &GroupCommit{Store: st, maxBatch: maxBatch, maxWriters: max(writers, 1),
		inflight: map[string]struct{}{}, recent: make(map[string]*Response, recentResponses), ring: make([]string, recentResponses)}
}

// duplicateOf is the error the store gives for a stored id.
func duplicateOf(r *Response) error {
	return fmt.Errorf("response to survey %q: %w", r.Survey, ErrDuplicate)
}

// InsertResponse stores r in the next batch and returns r's outcome; see
// the type's doc comment.
func (g *GroupCommit) InsertResponse(ctx context.Context, r *Response) error {
	q := &queuedInsert{ctx: ctx, r: r, done: make(chan error, 1)}
	g.mu.Lock()
	if _, ok := g.recent[r.ID]; ok {
		g.mu.Unlock()
		return duplicateOf(r)
	}
	g.queue = append(g.queue, q)
	if g.writers < g.maxWriters {
		// No writer is free to pick this up: start one. It lives while the
		// queue is non-empty, so an idle store holds no goroutine.
		g.writers++
		go g.drain()
	}
	g.mu.Unlock()
	select {
	case err := <-q.done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("%w: waiting for the response's batch: %w", ErrUnavailable, ctx.Err())
	}
}

// drain writes batches until nothing in the queue can be written.
func (g *GroupCommit) drain() {
	for {
		g.mu.Lock()
		batch := g.take()
		if len(batch) == 0 {
			// Empty, or every queued id waits for a batch in flight, whose
			// writer takes them when it is done.
			g.writers--
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		g.write(batch)
	}
}

// take removes the next batch from the queue, g.mu held. A response
// whose caller stopped waiting is dropped: it was told the database is
// unavailable, and writing it late (after an outage, with an old
// received_at) would store what nobody was told is stored, behind other
// servers' catch-up. An id that was written answers ErrDuplicate at once;
// an id already in this batch or in one being written stays queued until
// that write's outcome is known (a double tap: if the first copy's write
// fails, the second is written).
func (g *GroupCommit) take() []*queuedInsert {
	var batch, keep []*queuedInsert
	for _, q := range g.queue {
		id := q.r.ID
		switch {
		case q.ctx.Err() != nil:
			// Dropped; its caller returns on ctx.Done.
		case g.recent[id] != nil:
			q.done <- duplicateOf(q.r)
		case len(batch) < g.maxBatch && !has(g.inflight, id):
			batch = append(batch, q)
			g.inflight[id] = struct{}{}
		default:
			keep = append(keep, q)
		}
	}
	g.queue = keep
	return batch
}

func has(set map[string]struct{}, id string) bool {
	_, ok := set[id]
	return ok
}

// Response answers a response this store wrote recently from memory, and
// asks the store for any other.
func (g *GroupCommit) Response(ctx context.Context, slug, id string) (*Response, error) {
	g.mu.Lock()
	r := g.recent[id]
	g.mu.Unlock()
	switch {
	case r == nil:
		return g.Store.Response(ctx, slug, id)
	case r.Survey != slug:
		return nil, fmt.Errorf("response to survey %q: %w", slug, ErrNotFound)
	}
	return r, nil
}

// write inserts one batch and hands each caller its outcome. The batch is
// written under its own context, not a caller's (one caller that gives up
// must not cancel the others), with the latest of its callers' deadlines,
// at most writeTimeout: past that nobody waits for it. A panic in the
// store fails the batch rather than the process.
func (g *GroupCommit) write(batch []*queuedInsert) {
	deadline := time.Now().Add(writeTimeout)
	latest := time.Time{}
	for _, q := range batch {
		d, ok := q.ctx.Deadline()
		if !ok {
			latest = deadline
			break
		}
		latest = later(latest, d)
	}
	ctx, cancel := context.WithDeadline(context.Background(), earlier(latest, deadline))
	defer cancel()
	rs := make([]*Response, len(batch))
	for i, q := range batch {
		rs[i] = q.r
	}
	errs, err := g.insert(ctx, rs)
	g.settle(rs, errs, err)
	for i, q := range batch {
		switch {
		case err != nil:
			q.done <- err
		case i < len(errs):
			q.done <- errs[i]
		default:
			q.done <- nil
		}
	}
}

// insert is the store's InsertResponses, with a panic turned into the
// batch's error.
func (g *GroupCommit) insert(ctx context.Context, rs []*Response) (errs []error, err error) {
	defer func() {
		if p := recover(); p != nil {
			errs, err = nil, fmt.Errorf("insert %d responses: panic: %v", len(rs), p)
		}
	}()
	return g.Store.InsertResponses(ctx, rs)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// settle takes the ids of rs off inflight and adds those written (the
// batch did not fail, errs[i] nil) to recent.
func (g *GroupCommit) settle(rs []*Response, errs []error, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, r := range rs {
		delete(g.inflight, r.ID)
		if err != nil || (i < len(errs) && errs[i] != nil) {
			continue
		}
		if old := g.ring[g.next]; old != "" {
			delete(g.recent, old)
		}
		g.ring[g.next] = r.ID
		stored := *r // as the store gives it back: to the millisecond, in UTC
		stored.ReceivedAt = r.ReceivedAt.Truncate(time.Millisecond).UTC()
		g.recent[r.ID] = &stored
		g.next = (g.next + 1) % len(g.ring)
	}
}
