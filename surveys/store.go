package surveys

import (
	"context"
	"time"
)

// Store keeps survey definitions and responses. Every method takes a
// context first. Implementations wrap ErrNotFound and ErrDuplicate with %w
// and must pass the contract suite in surveys/storetest.
//
// Responses are append-only: there is no update. Counters and statistics are
// derived from the responses in Go, never kept in the database (embedded
// FerretDB loses concurrent $inc updates).
type Store interface {
	// Ping answers nil when the database answers.
	Ping(ctx context.Context) error
	// PutSurvey stores a definition's source under its slug. A slug that is
	// already stored gives ErrDuplicate.
	PutSurvey(ctx context.Context, s *StoredSurvey) error
	// Survey returns the stored definition, or ErrNotFound.
	Survey(ctx context.Context, slug string) (*StoredSurvey, error)
	// Surveys lists the stored definitions, by slug.
	Surveys(ctx context.Context) ([]*StoredSurvey, error)
	// InsertResponse stores r once, keyed by r.ID. A second insert of the
	// same id gives ErrDuplicate and leaves the first untouched.
	InsertResponse(ctx context.Context, r *Response) error
	// Response returns one response of a survey, or ErrNotFound.
	Response(ctx context.Context, slug, id string) (*Response, error)
	// EachResponse calls fn for every response of a survey, oldest first
	// (by ReceivedAt, then ID), streaming; it stops at fn's first error.
	EachResponse(ctx context.Context, slug string, fn func(*Response) error) error
	// Close releases the connection.
	Close(ctx context.Context) error
}

// StoredSurvey is a definition as stored: its YAML source, parsed again on
// load so the same validation always applies.
type StoredSurvey struct {
	Slug    string
	Source  []byte
	AddedAt time.Time
}

// Definition parses the stored source.
func (s *StoredSurvey) Definition() (*Definition, error) { return Parse(s.Source) }
