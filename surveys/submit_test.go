package surveys_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

func sid(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// attempt is one call of Submit in a scenario.
type attempt struct {
	name        string
	id          int
	edit        func(*surveys.Submission) // changes the base submission
	now         time.Time                 // zero: inviteT0
	failInserts int                       // InsertResponse calls to fail first
	want        error                     // nil: accepted
	wantDup     bool                      // accepted as a retry of a stored response
}

func TestSubmitIntegrity(t *testing.T) {
	later := inviteT0.Add(48 * time.Hour)
	token := surveys.NewInvite(secret, "quality-month-demo", "venue-7", inviteT0.Add(24*time.Hour))
	withToken := func(s *surveys.Submission) { s.Token = token }
	device := func(id string) func(*surveys.Submission) { return func(s *surveys.Submission) { s.DeviceID = id } }
	changed := func(s *surveys.Submission) { s.Answers["food_overall_sat"] = "2" }
	tests := []struct {
		name     string
		def      func(*surveys.Definition)
		attempts []attempt
	}{
		{"closes", func(d *surveys.Definition) { d.ClosesAt = "2026-09-10T12:00:00+08:00" }, []attempt{
			{name: "before closing", id: 1},
			{name: "new one after closing", id: 2, now: later, want: surveys.ErrClosed},
			{name: "retry after closing", id: 1, now: later, wantDup: true},
			{name: "changed retry after closing", id: 1, now: later, edit: changed, want: surveys.ErrClosed},
			{name: "invalid answers after closing", id: 3, now: later, edit: func(s *surveys.Submission) { s.Answers["food_overall_sat"] = "99" }, want: surveys.ErrClosed},
		}},
		{"not yet open", func(d *surveys.Definition) { d.OpensAt = "2026-09-11" }, []attempt{
			{name: "before opening", id: 1, want: surveys.ErrClosed},
			{name: "after opening", id: 1, now: later},
		}},
		{"full", func(d *surveys.Definition) { d.MaxResponses = 1 }, []attempt{
			{name: "first", id: 1},
			{name: "second", id: 2, edit: func(s *surveys.Submission) { s.SlotHint = 2 }, want: surveys.ErrClosed},
			{name: "retry of the first", id: 1, edit: func(s *surveys.Submission) { s.SlotHint = 2 }, wantDup: true},
		}},
		{"invite only", func(d *surveys.Definition) { d.InviteOnly = true }, []attempt{
			{name: "no token", id: 1, want: surveys.ErrTokenRequired},
			{name: "forged token", id: 1, edit: func(s *surveys.Submission) { s.Token = token[:len(token)-2] + "AA" }, want: surveys.ErrTokenForged},
			{name: "valid token", id: 1, edit: withToken},
			{name: "retry with the token", id: 1, edit: withToken, wantDup: true},
			{name: "token reused by another submission", id: 2, edit: withToken, want: surveys.ErrTokenUsed},
			{name: "retry after the token expired", id: 1, edit: withToken, now: later, wantDup: true},
			{name: "expired token, new submission", id: 3, edit: withToken, now: later, want: surveys.ErrTokenExpired},
		}},
		{"token claimed, insert failed", func(d *surveys.Definition) { d.InviteOnly = true }, []attempt{
			{name: "database fails after the claim", id: 1, edit: withToken, failInserts: 1, want: errInjected},
			{name: "retry with the same id", id: 1, edit: withToken},
			{name: "another id", id: 2, edit: withToken, want: surveys.ErrTokenUsed},
		}},
		{"one per device", func(d *surveys.Definition) { d.OnePerDevice = true }, []attempt{
			{name: "first from device A", id: 1, edit: device("A")},
			{name: "identical retry from device A", id: 1, edit: device("A"), wantDup: true},
			{name: "second from device A", id: 2, edit: device("A"), want: surveys.ErrAlreadyResponded},
			{name: "changed retry from device A", id: 1, edit: func(s *surveys.Submission) { device("A")(s); changed(s) }, want: surveys.ErrConflict},
			{name: "from device B", id: 3, edit: device("B")},
			{name: "without a device id", id: 4},
		}},
		{"device claimed, insert failed, fresh form", func(d *surveys.Definition) { d.OnePerDevice = true }, []attempt{
			{name: "database fails after the claim", id: 1, edit: device("A"), failInserts: 1, want: errInjected},
			{name: "fresh form from the device", id: 2, edit: device("A")},
			{name: "third form from the device", id: 3, edit: device("A"), want: surveys.ErrAlreadyResponded},
			{name: "retry of the second", id: 2, edit: device("A"), wantDup: true},
		}},
		{"devices not limited", nil, []attempt{
			{name: "first from device A", id: 1, edit: device("A")},
			{name: "second from device A", id: 2, edit: device("A")},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := demoDefinition(t)
			if tc.def != nil {
				tc.def(d)
			}
			st := newMemStore()
			for _, a := range tc.attempts {
				sub := surveys.Submission{ID: sid(a.id), Answers: formSubmission(), Channel: "api", Secret: secret, IPHash: "h"}
				if a.edit != nil {
					a.edit(&sub)
				}
				now := a.now
				if now.IsZero() {
					now = inviteT0
				}
				st.failInserts = a.failInserts
				rec, err := surveys.Submit(context.Background(), st, d, sub, now)
				switch {
				case a.want != nil && !errors.Is(err, a.want):
					t.Fatalf("%s: err = %v, want %v", a.name, err, a.want)
				case a.want == nil && err != nil:
					t.Fatalf("%s: err = %v, want accepted", a.name, err)
				case a.want == nil && rec.Duplicate != a.wantDup:
					t.Fatalf("%s: Duplicate = %v, want %v", a.name, rec.Duplicate, a.wantDup)
				}
			}
		})
	}
}

func TestSubmitStoresInviteSrcAndIPHash(t *testing.T) {
	d := demoDefinition(t)
	st := newMemStore()
	tok := surveys.NewInvite(secret, d.Slug, "venue-7", inviteT0.Add(time.Hour))
	sub := surveys.Submission{ID: sid(1), Answers: formSubmission(), Src: "typed-in", Venue: "market",
		Token: tok, IPHash: "0a1b2c", Secret: secret}
	rec, err := surveys.Submit(context.Background(), st, d, sub, inviteT0)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := st.Response(context.Background(), d.Slug, rec.ID)
	if r.Src != "venue-7" || r.Venue != "market" || r.IPHash != "0a1b2c" {
		t.Errorf("stored src %q, venue %q, ip_hash %q; want the invite's src venue-7, market, 0a1b2c", r.Src, r.Venue, r.IPHash)
	}
	if r.Digest != surveys.Digest(d.Slug, r.Answers, "venue-7", "market") {
		t.Error("digest does not cover the invite's src")
	}
}

// A refused submission stores nothing: no response, and no claim that
// would block a corrected retry.
func TestSubmitRefusedStoresNothing(t *testing.T) {
	d := demoDefinition(t)
	d.InviteOnly, d.OnePerDevice = true, true
	st := newMemStore()
	tok := surveys.NewInvite(secret, d.Slug, "", inviteT0.Add(time.Hour))
	bad := formSubmission()
	delete(bad, "age_band")
	sub := surveys.Submission{ID: sid(1), Answers: bad, Token: tok, DeviceID: "A", Secret: secret}
	if _, err := surveys.Submit(context.Background(), st, d, sub, inviteT0); !errors.Is(err, surveys.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	if len(st.claims) != 0 || len(st.responses) != 0 {
		t.Fatalf("after a refused submission the store holds %d claims and %d responses, want none", len(st.claims), len(st.responses))
	}
	sub.ID, sub.Answers = sid(2), formSubmission()
	if _, err := surveys.Submit(context.Background(), st, d, sub, inviteT0); err != nil {
		t.Fatalf("corrected submission under a fresh id: %v", err)
	}
}

func TestDeviceAnswered(t *testing.T) {
	d := demoDefinition(t)
	d.OnePerDevice = true
	st := newMemStore()
	ctx := context.Background()
	answered := func(sid string) bool {
		t.Helper()
		ok, err := surveys.DeviceAnswered(ctx, st, d, secret, "A", sid)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	submit := func(n, fail int) {
		st.failInserts = fail
		_, _ = surveys.Submit(ctx, st, d, surveys.Submission{ID: sid(n), Answers: formSubmission(), DeviceID: "A", Secret: secret}, inviteT0)
	}
	if answered("") {
		t.Error("a new device has answered")
	}
	submit(1, 1) // claimed, not stored
	if answered("") {
		t.Error("a device whose only claim was never stored has answered")
	}
	submit(2, 0)
	if !answered("") || !answered(sid(3)) {
		t.Error("a device with a stored response has not answered")
	}
	if answered(sid(2)) {
		t.Error("the stored submission's own form is told it has answered")
	}
	if ok, _ := surveys.DeviceAnswered(ctx, st, demoDefinition(t), secret, "A", ""); ok {
		t.Error("a survey without one_per_device reports the device")
	}
}
