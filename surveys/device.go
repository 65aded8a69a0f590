package surveys

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// keyed is HMAC-SHA256(secret, label ‖ 0 ‖ part ‖ 0 ‖ …), hex-encoded. The
// label separates uses of the one server secret.
func keyed(secret []byte, label string, parts ...string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(label))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return hex.EncodeToString(m.Sum(nil))
}

// DeviceKey is the key under which a device's response to a survey is
// claimed: a keyed hash of the survey slug and the device id from the
// server's cookie. It differs per survey and cannot be linked back to the
// cookie without the secret.
func DeviceKey(secret []byte, slug, deviceID string) string {
	return keyed(secret, "qvoice device", slug, deviceID)
}

// IPHash is a pseudonym of a client address and User-Agent for one
// survey, stored with a response as a soft duplicate flag (several answers
// from one shared Wi-Fi are normal and are never refused). The salt is
// derived from the secret and the slug, so hashes differ between surveys
// and cannot be reversed by trying all addresses without the secret. It is
// still personal information under PIPL Art. 73 (de-identified, not
// anonymous) and is deleted with the response. The raw address is never
// stored.
func IPHash(secret []byte, slug, ip, userAgent string) string {
	if ip == "" {
		return ""
	}
	salt := keyed(secret, "qvoice ip salt", slug)
	return keyed([]byte(salt), "qvoice ip", ip, userAgent)[:32]
}

// maxDeviceHops bounds the chain of device claims left by responses that
// were claimed but never stored.
const maxDeviceHops = 8

// claimDevice claims the one response of sub's device to survey d for r.
// A retry of the same submission finds its own claim and goes on. If the
// claim belongs to another submission whose response is stored, the device
// has answered: ErrAlreadyResponded. If that response was never stored (the
// insert failed after the claim, and the respondent started a fresh form),
// the device is not locked out: the next claim goes to a key derived from
// the orphaned one, so the limit still holds for the response that follows.
// Two submissions racing from one device may both pass while neither is
// stored yet; the device limit is a best effort, never a lock.
func claimDevice(ctx context.Context, st Store, d *Definition, sub Submission, r *Response) error {
	if !d.OnePerDevice || sub.DeviceID == "" {
		return nil
	}
	key := DeviceKey(sub.Secret, d.Slug, sub.DeviceID)
	for range maxDeviceHops {
		holder, err := st.Claim(ctx, &Claim{Kind: ClaimDevice, Key: key, Survey: d.Slug, SubmissionID: r.ID, At: r.ReceivedAt})
		switch {
		case err == nil, errors.Is(err, ErrDuplicate) && holder == r.ID:
			return nil
		case !errors.Is(err, ErrDuplicate):
			return fmt.Errorf("claim device: %w", err)
		}
		_, err = st.Response(ctx, d.Slug, holder)
		switch {
		case err == nil:
			return fmt.Errorf("survey %q: %w", d.Slug, ErrAlreadyResponded)
		case !errors.Is(err, ErrNotFound):
			return fmt.Errorf("read the device's earlier response: %w", err)
		}
		key = keyed(sub.Secret, "qvoice device next", key, holder)
	}
	return fmt.Errorf("survey %q: %w", d.Slug, ErrAlreadyResponded)
}

// DeviceAnswered reports whether the device has a stored response to d
// other than submission sid ("" on a fresh form), following the claims as
// claimDevice does. The form asks on its first page, so that a respondent
// who already answered is told before filling anything in; Submit decides.
func DeviceAnswered(ctx context.Context, st Store, d *Definition, secret []byte, deviceID, sid string) (bool, error) {
	if !d.OnePerDevice || deviceID == "" {
		return false, nil
	}
	key := DeviceKey(secret, d.Slug, deviceID)
	for range maxDeviceHops {
		holder, err := st.Claimant(ctx, ClaimDevice, key)
		switch {
		case errors.Is(err, ErrNotFound):
			return false, nil
		case err != nil:
			return false, fmt.Errorf("read device claim: %w", err)
		case holder == sid:
			return false, nil
		}
		_, err = st.Response(ctx, d.Slug, holder)
		switch {
		case err == nil:
			return true, nil
		case !errors.Is(err, ErrNotFound):
			return false, fmt.Errorf("read the device's earlier response: %w", err)
		}
		key = keyed(secret, "qvoice device next", key, holder)
	}
	return true, nil
}
