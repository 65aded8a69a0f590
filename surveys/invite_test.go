package surveys_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

var (
	secret   = []byte("0123456789abcdef0123456789abcdef")
	inviteT0 = time.Date(2026, 9, 10, 9, 0, 0, 0, surveys.ChinaTime)
)

func TestInviteRoundTrip(t *testing.T) {
	expires := time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC)
	tok := surveys.NewInvite(secret, "food-2026", "2026zlm-sq-001", expires)
	if len(tok) > 80 {
		t.Errorf("token is %d characters, want at most 80 (it goes into a QR code)", len(tok))
	}
	if strings.ContainsAny(tok, "+/=") {
		t.Errorf("token %q is not URL-safe", tok)
	}
	inv, err := surveys.VerifyInvite(secret, "food-2026", tok, inviteT0)
	if err != nil {
		t.Fatalf("VerifyInvite: %v", err)
	}
	if inv.Survey != "food-2026" || inv.Src != "2026zlm-sq-001" || !inv.Expires.Equal(expires) || len(inv.ID) != 16 {
		t.Errorf("invite %+v", inv)
	}
	other := surveys.NewInvite(secret, "food-2026", "2026zlm-sq-001", expires)
	inv2, _ := surveys.VerifyInvite(secret, "food-2026", other, inviteT0)
	if inv2.ID == inv.ID {
		t.Errorf("two invites share the id %s", inv.ID)
	}
}

func TestVerifyInviteRefuses(t *testing.T) {
	expires := inviteT0.Add(24 * time.Hour)
	good := surveys.NewInvite(secret, "food-2026", "sq-1", expires)
	raw, _ := base64.RawURLEncoding.DecodeString(good)
	flip := func(i int) string {
		b := append([]byte(nil), raw...)
		b[i] ^= 1
		return base64.RawURLEncoding.EncodeToString(b)
	}
	tests := []struct {
		name  string
		token string
		slug  string
		now   time.Time
		want  error
	}{
		{"another survey", good, "drugs-2026", inviteT0, surveys.ErrTokenForged},
		{"another secret", surveys.NewInvite([]byte("another secret of the same size!"), "food-2026", "sq-1", expires), "food-2026", inviteT0, surveys.ErrTokenForged},
		{"src changed", flip(len(raw) - 17), "food-2026", inviteT0, surveys.ErrTokenForged},
		{"expiry changed", flip(12), "food-2026", inviteT0, surveys.ErrTokenForged},
		{"MAC changed", flip(len(raw) - 1), "food-2026", inviteT0, surveys.ErrTokenForged},
		{"truncated", good[:20], "food-2026", inviteT0, surveys.ErrTokenForged},
		{"not base64", "not a token!", "food-2026", inviteT0, surveys.ErrTokenForged},
		{"empty", "", "food-2026", inviteT0, surveys.ErrTokenForged},
		{"at the expiry", good, "food-2026", expires, surveys.ErrTokenExpired},
		{"after the expiry", good, "food-2026", expires.Add(time.Hour), surveys.ErrTokenExpired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := surveys.VerifyInvite(secret, tc.slug, tc.token, tc.now)
			if !errors.Is(err, tc.want) {
				t.Errorf("VerifyInvite = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDeviceKeyAndIPHash(t *testing.T) {
	k := surveys.DeviceKey(secret, "a", "dev1")
	if k == surveys.DeviceKey(secret, "b", "dev1") || k == surveys.DeviceKey(secret, "a", "dev2") ||
		k == surveys.DeviceKey([]byte("other"), "a", "dev1") {
		t.Error("DeviceKey does not depend on every input")
	}
	h := surveys.IPHash(secret, "a", "203.0.113.7", "Mozilla/5.0 WeChat")
	for _, other := range []string{
		surveys.IPHash(secret, "b", "203.0.113.7", "Mozilla/5.0 WeChat"),
		surveys.IPHash(secret, "a", "203.0.113.8", "Mozilla/5.0 WeChat"),
		surveys.IPHash(secret, "a", "203.0.113.7", "Mozilla/5.0"),
	} {
		if other == h {
			t.Error("IPHash does not depend on every input")
		}
	}
	if h != surveys.IPHash(secret, "a", "203.0.113.7", "Mozilla/5.0 WeChat") {
		t.Error("IPHash is not deterministic")
	}
	if strings.Contains(h, "203") || len(h) != 32 {
		t.Errorf("IPHash = %q, want 32 hex digits", h)
	}
	if got := surveys.IPHash(secret, "a", "", "ua"); got != "" {
		t.Errorf("IPHash without an address = %q, want empty", got)
	}
}
