package surveys

import (
	"context"
	"time"
)

// Draft is a survey in progress, kept on the server under the submission id
// so that a reload, a lost connection or the phone's Back button loses no
// answer. It holds the raw form values, as typed, because a draft may be
// incomplete or invalid. It expires; it is deleted when the response is
// stored; nothing is kept for a respondent who declines consent.
type Draft struct {
	ID        string              // the submission id
	Survey    string              // slug
	Values    map[string][]string // raw answers by field id
	Lang      string
	Src       string
	Venue     string
	Token     string           // invite token from the QR URL, if any
	Elder     bool             // large-text mode: one question per screen
	PageMs    map[string]int64 // milliseconds spent on each page, by page key
	Started   time.Time
	Updated   time.Time
	ExpiresAt time.Time
}

// DraftStore keeps drafts. Unlike responses, a draft is replaced as the
// respondent moves on; only that respondent's browser writes it, so the
// last write wins and no counter is involved.
type DraftStore interface {
	// PutDraft inserts or replaces the draft with d.ID.
	PutDraft(ctx context.Context, d *Draft) error
	// Draft returns the draft of a survey with the id, or ErrNotFound (also
	// when it has expired at now).
	Draft(ctx context.Context, survey, id string, now time.Time) (*Draft, error)
	// DeleteDraft removes a draft; a missing one is not an error.
	DeleteDraft(ctx context.Context, id string) error
	// PurgeDrafts removes every draft that expired before t and says how
	// many.
	PurgeDrafts(ctx context.Context, t time.Time) (int, error)
}
