package surveys

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Submission is what a respondent's client sends: the submission id chosen
// when the form was served, raw answers, and the hidden QR fields.
type Submission struct {
	ID      string
	Answers map[string]any
	Lang    string
	Src     string
	Venue   string
	Channel string // "form" or "api"
	// Paradata of the form (timings, straight-lining), stored with the
	// response; it is not part of the digest.
	Paradata *Paradata
}

// Receipt tells the respondent their answers are stored.
type Receipt struct {
	ID        string
	Code      string
	Duplicate bool // true when this id was already stored with the same answers
	Response  *Response
}

// maxHiddenLen bounds src and venue from the QR URL.
const maxHiddenLen = 64

// Submit validates sub against d and stores it once. It is the single insert
// path of the phone form and the JSON intake. A resubmission of the same id
// with the same answers returns the stored receipt with Duplicate set; with
// different answers it returns ErrConflict.
func Submit(ctx context.Context, st Store, d *Definition, sub Submission, now time.Time) (Receipt, error) {
	sub.ID = strings.ToLower(sub.ID) // one UUID, one response, whatever the letter case
	if !ValidSubmissionID(sub.ID) {
		return Receipt{}, FieldErrors{{Field: "id", Key: "bad_submission_id"}}
	}
	if len(sub.Src) > maxHiddenLen {
		return Receipt{}, FieldErrors{{Field: "src", Key: KeyTooLong, Args: []any{maxHiddenLen}}}
	}
	if len(sub.Venue) > maxHiddenLen {
		return Receipt{}, FieldErrors{{Field: "venue", Key: KeyTooLong, Args: []any{maxHiddenLen}}}
	}
	answers, err := ParseAnswers(d, sub.Answers)
	if err != nil {
		return Receipt{}, err
	}
	r := &Response{
		ID: sub.ID, Survey: d.Slug, SurveyVersion: d.Version, Code: NewResponseCode(),
		Answers: answers, Lang: sub.Lang, Src: sub.Src, Venue: sub.Venue, Channel: sub.Channel,
		ReceivedAt: now.UTC().Truncate(time.Millisecond), Digest: Digest(d.Slug, answers, sub.Src, sub.Venue),
		Paradata: sub.Paradata,
	}
	err = st.InsertResponse(ctx, r)
	if err == nil {
		return Receipt{ID: r.ID, Code: r.Code, Response: r}, nil
	}
	if !errors.Is(err, ErrDuplicate) {
		return Receipt{}, fmt.Errorf("store response: %w", err)
	}
	prev, err := st.Response(ctx, d.Slug, sub.ID)
	if errors.Is(err, ErrNotFound) {
		// The id is taken by another survey's response.
		return Receipt{}, fmt.Errorf("submission %s: %w", sub.ID, ErrConflict)
	}
	if err != nil {
		return Receipt{}, fmt.Errorf("read stored response: %w", err)
	}
	if prev.Digest != r.Digest {
		return Receipt{}, fmt.Errorf("submission %s: %w", sub.ID, ErrConflict)
	}
	return Receipt{ID: prev.ID, Code: prev.Code, Duplicate: true, Response: prev}, nil
}
