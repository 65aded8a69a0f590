package surveys

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Invite is a verified invitation: a signed, single-use token printed as a
// QR code and handed to one respondent at a venue.
type Invite struct {
	ID      string    // random; the key of its single use
	Survey  string    // the slug it was signed for
	Src     string    // activity or site code, stored as the response's src
	Expires time.Time // the token is refused from this instant on
}

// Token layout, before base64url (no padding):
//
//	id (12 random bytes) ‖ expiry (varint Unix seconds) ‖ src ‖ MAC (16 bytes)
//
// MAC is HMAC-SHA256 truncated to 128 bits over a label, the survey slug
// and everything before it. The slug is signed but not carried (it is in
// the URL), which keeps the QR code small: about 60 characters.
const (
	inviteIDLen  = 12
	inviteMACLen = 16
)

// NewInvite returns a signed single-use invite token for survey slug,
// valid until expires, carrying src (at most 64 bytes). It panics on an
// empty secret or a longer src: both are programming errors.
func NewInvite(secret []byte, slug, src string, expires time.Time) string {
	if len(secret) == 0 || len(src) > maxHiddenLen {
		panic("surveys.NewInvite: empty secret or src longer than 64 bytes")
	}
	b := make([]byte, inviteIDLen, inviteIDLen+binary.MaxVarintLen64+len(src)+inviteMACLen)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b = binary.AppendVarint(b, expires.Unix())
	b = append(b, src...)
	b = append(b, inviteMAC(secret, slug, b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func inviteMAC(secret []byte, slug string, payload []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("qvoice invite v1\x00" + slug + "\x00"))
	m.Write(payload)
	return m.Sum(nil)[:inviteMACLen]
}

// VerifyInvite checks a token against the secret and survey slug. A token
// that does not decode, or was signed by another secret or for another
// survey, gives ErrTokenForged; a genuine one past its expiry gives the
// Invite and ErrTokenExpired. Whether it was used is the store's to say.
func VerifyInvite(secret []byte, slug, token string, now time.Time) (Invite, error) {
	forged := fmt.Errorf("invite to survey %q: %w", slug, ErrTokenForged)
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < inviteIDLen+1+inviteMACLen {
		return Invite{}, forged
	}
	payload, mac := b[:len(b)-inviteMACLen], b[len(b)-inviteMACLen:]
	if !hmac.Equal(mac, inviteMAC(secret, slug, payload)) {
		return Invite{}, forged
	}
	exp, n := binary.Varint(payload[inviteIDLen:])
	if n <= 0 {
		return Invite{}, forged
	}
	inv := Invite{
		ID:      base64.RawURLEncoding.EncodeToString(payload[:inviteIDLen]),
		Survey:  slug,
		Src:     string(payload[inviteIDLen+n:]),
		Expires: time.Unix(exp, 0).UTC(),
	}
	if !now.Before(inv.Expires) {
		return inv, fmt.Errorf("invite to survey %q: %w", slug, ErrTokenExpired)
	}
	return inv, nil
}

// invite verifies sub's token for d: nil without a token when d is not
// invite-only. An expired token returns the invite and ErrTokenExpired,
// so that a retry of a response stored before the expiry is still
// recognised.
func (sub Submission) invite(d *Definition, now time.Time) (*Invite, error) {
	if sub.Token == "" {
		if d.InviteOnly {
			return nil, fmt.Errorf("survey %q: %w", d.Slug, ErrTokenRequired)
		}
		return nil, nil
	}
	if len(sub.Secret) == 0 {
		return nil, errors.New("submit: no secret to verify the invite token")
	}
	inv, err := VerifyInvite(sub.Secret, d.Slug, sub.Token, now)
	if err != nil && !errors.Is(err, ErrTokenExpired) {
		return nil, err
	}
	return &inv, err
}

// claimInvite uses up an invite for r, before r is stored: a claim keyed by
// the invite id holds r's submission id. A retry of the same submission
// finds its own claim and goes on; any other submission gets ErrTokenUsed,
// so a reused QR code never adds a second response. If the response insert
// fails after the claim, a retry with the same submission id still
// succeeds; a fresh form with the same token does not (single use is
// strict: the organizer hands out another code).
func claimInvite(ctx context.Context, st Store, inv *Invite, r *Response) error {
	if inv == nil {
		return nil
	}
	holder, err := st.Claim(ctx, &Claim{Kind: ClaimToken, Key: inv.ID, Survey: r.Survey, SubmissionID: r.ID, At: r.ReceivedAt})
	switch {
	case err == nil, errors.Is(err, ErrDuplicate) && holder == r.ID:
		return nil
	case errors.Is(err, ErrDuplicate):
		return fmt.Errorf("invite to survey %q: %w", r.Survey, ErrTokenUsed)
	}
	return fmt.Errorf("claim invite: %w", err)
}
