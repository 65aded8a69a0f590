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
	StateStore
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
	// same id, or of the same response code within the survey, gives
	// ErrDuplicate and leaves the first untouched.
	InsertResponse(ctx context.Context, r *Response) error
	// InsertResponses stores a batch the way InsertResponse stores one,
	// unordered: errs[i] is nil, wraps ErrDuplicate, or says why rs[i]
	// alone was not stored, and err reports a failure of the whole batch
	// (nothing can be said of which responses were stored; inserting the
	// batch again is safe).
	InsertResponses(ctx context.Context, rs []*Response) (errs []error, err error)
	// Response returns one response of a survey, or ErrNotFound.
	Response(ctx context.Context, slug, id string) (*Response, error)
	// EachResponse calls fn for every response of a survey, oldest first
	// (by ReceivedAt, then ID), streaming; it stops at fn's first error.
	EachResponse(ctx context.Context, slug string, fn func(*Response) error) error
	// ScanResponses calls fn for every response of a survey that f
	// matches, in storage order (insertion order on the embedded database),
	// streaming in constant memory however many there are: unlike
	// EachResponse it asks the database for no sort, which FerretDB would
	// do in memory. It stops at fn's first error.
	ScanResponses(ctx context.Context, slug string, f Filter, fn func(*Response) error) error
	// ResponsesSince calls fn for every response of a survey received at
	// or after since (to the millisecond; the zero time means all), in
	// (ReceivedAt, ID) order, streaming; it stops at fn's first error.
	// Servers sharing a database catch up on each other's responses with
	// it. MongoDB answers from the (survey, received_at, _id) index;
	// FerretDB scans the whole collection and sorts in memory.
	ResponsesSince(ctx context.Context, slug string, since time.Time, fn func(*Response) error) error
	// Claim stores c once, keyed by its Kind and Key, and returns
	// c.SubmissionID. If the key was claimed before, it returns the earlier
	// claim's submission id (c.SubmissionID again when a submission is
	// retried) and an error wrapping ErrDuplicate, and leaves the stored
	// claim untouched. Concurrent claims of one key have one winner.
	Claim(ctx context.Context, c *Claim) (holder string, err error)
	// Claimant returns the submission id holding a key, or ErrNotFound.
	Claimant(ctx context.Context, kind ClaimKind, key string) (string, error)
	// ClaimRecord returns the claim stored under a key, Place included,
	// or ErrNotFound.
	ClaimRecord(ctx context.Context, kind ClaimKind, key string) (*Claim, error)
	// Close releases the connection.
	Close(ctx context.Context) error
}

// ClaimKind names a space of single-use keys.
type ClaimKind string

// Claim kinds.
const (
	// ClaimDevice keys are DeviceKey values: one response per device and
	// survey, for definitions with one_per_device.
	ClaimDevice ClaimKind = "device"
	// ClaimToken keys are Invite ids: one response per invite token.
	ClaimToken ClaimKind = "token"
	// ClaimSlot keys are the places of a survey with max_responses,
	// SlotKey(slug, 1) to SlotKey(slug, max): a response to a capped
	// survey holds one, so servers sharing a database stop at the cap
	// together. TicketKey(slug, id) marks a submission that went for a
	// place, so that its retry can tell whether it was stored, and
	// PlaceKey(slug, id) records (in Place) which place it took, so that
	// its retry takes the same one back in one read.
	ClaimSlot ClaimKind = "slot"
)

// Claim records that a submission used up a single-use key. Claims are
// inserted once and never updated, like responses: with no transactions
// (FerretDB has none) an insert keyed by the key is the only check-and-set
// that cannot lose a race.
type Claim struct {
	Kind         ClaimKind
	Key          string
	Survey       string
	SubmissionID string
	At           time.Time
	// Place is the place a PlaceKey record names; 0 for other claims.
	Place int
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
