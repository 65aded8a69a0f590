package surveys

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Submission is what a respondent's client sends: the submission id chosen
// when the form was served, raw answers, and the hidden QR fields; and what
// the server adds about the client.
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

	// Token is the invite token from the QR URL (?t=) or the API body. It
	// is required when the definition is invite_only, and verified and
	// used up whenever present. A token's signed src replaces Src.
	Token string
	// DeviceID is the browser's id from the server's signed cookie. With
	// one_per_device a device answers once; empty means no device limit.
	DeviceID string
	// IPHash is IPHash(client address, User-Agent), stored with the
	// response as a soft duplicate flag; the address itself never is.
	IPHash string
	// SlotHint is the place to try first in a survey with max_responses
	// (see SlotKey): the server keeps, in memory, the next place it does
	// not know to be taken. Any hint keeps the cap, since places are
	// claimed in the database; a good one saves searching. Places below 1
	// mean 1, and a hint above the cap means the survey is full. Places
	// below the first hint a server gives are never searched: it starts
	// above the responses stored when it first served the survey.
	SlotHint int
	// Secret is the server secret that verifies Token and keys DeviceID.
	// It never comes from the client.
	Secret []byte
}

// Receipt tells the respondent their answers are stored.
type Receipt struct {
	ID        string
	Code      string
	Duplicate bool // true when this id was already stored with the same answers
	Response  *Response
	// Slot is the place this submission claimed in a survey with
	// max_responses, 0 if it claimed none (no cap, or a retry of a stored
	// response). It is set even when the insert then failed: the place is
	// used up either way, and the server's next hint goes past it.
	Slot int
}

// maxHiddenLen bounds src and venue from the QR URL.
const maxHiddenLen = 64

// writeTimeout bounds the claims and the insert of one submission, which
// run on even if the client hangs up: stopping between a claim and the
// response would leave a used token with nothing stored.
const writeTimeout = 30 * time.Second

// Submit validates sub against d and stores it once. It is the single insert
// path of the phone form and the JSON intake. A resubmission of the same id
// with the same answers returns the stored receipt with Duplicate set, even
// after the survey closed or the token expired; with different answers it
// returns ErrConflict.
//
// The checks, in order: the submission id and hidden fields (FieldErrors);
// the invite token (ErrTokenRequired, ErrTokenForged, ErrTokenExpired); the
// dates and the hint's side of the cap (a *ClosedError); the answers
// (FieldErrors, ErrDeclined); then the device (ErrAlreadyResponded), the
// token's single use (ErrTokenUsed) and, with max_responses, a place under
// the cap (a *ClosedError with Reason Full when none is left; see
// SlotKey), each claimed before the response is inserted, so that a
// refused submission stores nothing and a retried one passes again. The
// place comes last, so a refusal does not use one up; a device or token
// claimed by a submission that then finds the survey full stays used.
func Submit(ctx context.Context, st Store, d *Definition, sub Submission, now time.Time) (Receipt, error) {
	sub.ID = strings.ToLower(sub.ID) // one UUID, one response, whatever the letter case
	if err := sub.checkHidden(); err != nil {
		return Receipt{}, err
	}
	inv, gate := sub.invite(d, now)
	if gate != nil && !errors.Is(gate, ErrTokenExpired) {
		return Receipt{}, gate
	}
	if inv != nil && inv.Src != "" {
		sub.Src = inv.Src
	}
	if gate == nil {
		gate = d.Accepts(now, max(sub.SlotHint, 1)-1)
	}
	answers, err := ParseAnswers(d, sub.Answers)
	switch {
	case gate != nil && err != nil:
		return Receipt{}, gate
	case err != nil:
		return Receipt{}, err
	}
	r := &Response{
		ID: sub.ID, Survey: d.Slug, SurveyVersion: d.Version, Code: NewResponseCode(),
		Answers: answers, Lang: sub.Lang, Src: sub.Src, Venue: sub.Venue, Channel: sub.Channel, IPHash: sub.IPHash,
		ReceivedAt: now.UTC().Truncate(time.Millisecond), Digest: Digest(d.Slug, answers, sub.Src, sub.Venue),
		Paradata: sub.Paradata,
	}
	held := 0 // the place a retry refused as full by its hint already holds
	if gate != nil {
		rec, err := retryOf(ctx, st, r, gate)
		var closed *ClosedError
		if !errors.As(err, &closed) || closed.Reason != Full {
			return rec, err
		}
		if held, err = resumeSlot(ctx, st, d, r.ID, sub.SlotHint); err != nil || held == 0 {
			return Receipt{}, cmp.Or(err, gate)
		}
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	if err := claimDevice(ctx, st, d, sub, r); err != nil {
		return Receipt{}, err
	}
	if err := claimInvite(ctx, st, inv, r); err != nil {
		return Receipt{}, err
	}
	slot := held
	if slot == 0 {
		slot, err = takeSlot(ctx, st, d, r, sub.SlotHint)
	}
	var closed *ClosedError
	switch {
	case errors.As(err, &closed):
		// Full: a response stored before tickets existed may be retried.
		return retryOf(ctx, st, r, err)
	case err != nil:
		return Receipt{}, err
	}
	rec, err := insert(ctx, st, r)
	rec.Slot = slot
	return rec, err
}

func (sub Submission) checkHidden() error {
	if !ValidSubmissionID(sub.ID) {
		return FieldErrors{{Field: "id", Key: "bad_submission_id"}}
	}
	if len(sub.Src) > maxHiddenLen {
		return FieldErrors{{Field: "src", Key: KeyTooLong, Args: []any{maxHiddenLen}}}
	}
	if len(sub.Venue) > maxHiddenLen {
		return FieldErrors{{Field: "venue", Key: KeyTooLong, Args: []any{maxHiddenLen}}}
	}
	return nil
}

// insert stores r; a stored id is a retry (same digest) or ErrConflict.
func insert(ctx context.Context, st Store, r *Response) (Receipt, error) {
	err := st.InsertResponse(ctx, r)
	if err == nil {
		return Receipt{ID: r.ID, Code: r.Code, Response: r}, nil
	}
	if !errors.Is(err, ErrDuplicate) {
		return Receipt{}, fmt.Errorf("store response: %w", err)
	}
	prev, err := st.Response(ctx, r.Survey, r.ID)
	if errors.Is(err, ErrNotFound) {
		// The id is taken by another survey's response.
		return Receipt{}, fmt.Errorf("submission %s: %w", r.ID, ErrConflict)
	}
	if err != nil {
		return Receipt{}, fmt.Errorf("read stored response: %w", err)
	}
	if prev.Digest != r.Digest {
		return Receipt{}, fmt.Errorf("submission %s: %w", r.ID, ErrConflict)
	}
	return Receipt{ID: prev.ID, Code: prev.Code, Duplicate: true, Response: prev}, nil
}

// retryOf answers a submission that gate refuses (the survey closed or is
// full, the token expired): if the same id is stored with the same
// answers, it is a retry of a response accepted before, and gets its
// receipt; otherwise gate stands.
func retryOf(ctx context.Context, st Store, r *Response, gate error) (Receipt, error) {
	prev, err := st.Response(ctx, r.Survey, r.ID)
	switch {
	case err == nil && prev.Digest == r.Digest:
		return Receipt{ID: prev.ID, Code: prev.Code, Duplicate: true, Response: prev}, nil
	case err != nil && !errors.Is(err, ErrNotFound):
		return Receipt{}, fmt.Errorf("read stored response: %w", err)
	}
	return Receipt{}, gate
}
