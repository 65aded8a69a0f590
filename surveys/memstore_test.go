package surveys_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// memStore is a surveys.Store in memory for the domain's tests; the real
// backends pass the contract suite in surveys/storetest. failInserts makes
// the next InsertResponse calls fail, as a lost database connection would.
type memStore struct {
	mu          sync.Mutex
	responses   map[string]*surveys.Response
	claims      map[string]surveys.Claim // by kind/key
	failInserts int
}

var _ surveys.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{responses: map[string]*surveys.Response{}, claims: map[string]surveys.Claim{}}
}

var errInjected = errors.New("injected failure")

func (m *memStore) Ping(context.Context) error                               { return nil }
func (m *memStore) Close(context.Context) error                              { return nil }
func (m *memStore) PutSurvey(context.Context, *surveys.StoredSurvey) error   { return nil }
func (m *memStore) Surveys(context.Context) ([]*surveys.StoredSurvey, error) { return nil, nil }
func (m *memStore) Survey(context.Context, string) (*surveys.StoredSurvey, error) {
	return nil, surveys.ErrNotFound
}

func (m *memStore) InsertResponse(_ context.Context, r *surveys.Response) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failInserts > 0 {
		m.failInserts--
		return errInjected
	}
	if m.responses[r.ID] != nil {
		return surveys.ErrDuplicate
	}
	c := *r
	m.responses[r.ID] = &c
	return nil
}

func (m *memStore) PutSurveyState(context.Context, *surveys.SurveyState) error { return nil }
func (m *memStore) SurveyState(context.Context, string) (*surveys.SurveyState, error) {
	return nil, surveys.ErrNotFound
}

func (m *memStore) InsertResponses(ctx context.Context, rs []*surveys.Response) ([]error, error) {
	errs := make([]error, len(rs))
	for i, r := range rs {
		errs[i] = m.InsertResponse(ctx, r)
	}
	return errs, nil
}

func (m *memStore) ScanResponses(ctx context.Context, slug string, f surveys.Filter, fn func(*surveys.Response) error) error {
	return m.EachResponse(ctx, slug, func(r *surveys.Response) error {
		if !f.Match(r) {
			return nil
		}
		return fn(r)
	})
}

func (m *memStore) Response(_ context.Context, slug, id string) (*surveys.Response, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.responses[id]
	if r == nil || r.Survey != slug {
		return nil, surveys.ErrNotFound
	}
	c := *r
	return &c, nil
}

func (m *memStore) EachResponse(_ context.Context, slug string, fn func(*surveys.Response) error) error {
	for _, r := range m.all() {
		if r.Survey == slug {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *memStore) ResponsesSince(ctx context.Context, slug string, since time.Time, fn func(*surveys.Response) error) error {
	var out []*surveys.Response
	for _, r := range m.all() {
		if r.Survey == slug && !r.ReceivedAt.Truncate(time.Millisecond).Before(since.Truncate(time.Millisecond)) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *surveys.Response) int {
		return cmp.Or(a.ReceivedAt.Compare(b.ReceivedAt), cmp.Compare(a.ID, b.ID))
	})
	for _, r := range out {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) all() []*surveys.Response {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*surveys.Response
	for _, r := range m.responses {
		out = append(out, r)
	}
	return out
}

func (m *memStore) Claim(_ context.Context, c *surveys.Claim) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := string(c.Kind) + "/" + c.Key
	if h, ok := m.claims[k]; ok {
		return h.SubmissionID, fmt.Errorf("claim: %w", surveys.ErrDuplicate)
	}
	m.claims[k] = *c
	return c.SubmissionID, nil
}

func (m *memStore) ClaimRecord(_ context.Context, kind surveys.ClaimKind, key string) (*surveys.Claim, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.claims[string(kind)+"/"+key]
	if !ok {
		return nil, surveys.ErrNotFound
	}
	return &surveys.Claim{Kind: kind, Key: key, SubmissionID: c.SubmissionID, Place: c.Place}, nil
}

func (m *memStore) Claimant(ctx context.Context, kind surveys.ClaimKind, key string) (string, error) {
	c, err := m.ClaimRecord(ctx, kind, key)
	if err != nil {
		return "", err
	}
	return c.SubmissionID, nil
}
