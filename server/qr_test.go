package server_test

import (
	"bytes"
	"image/png"
	"net/http"
	"strings"
	"testing"

	qr "github.com/piglig/go-qr"
)

func TestSurveyQRPoster(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/s/quality-month-demo/qr.png?src=2026zlm-sq-001&venue=community")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200; body %.200q", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Content-Type"); got != "image/png" {
		t.Errorf("Content-Type %q, want image/png", got)
	}
	img, err := png.Decode(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1240 || b.Dy() != 1754 {
		t.Errorf("poster %v, want 1240×1754", b)
	}
	// The QR code points at this server's form, with the hidden fields.
	want := e.srv.URL + "/s/quality-month-demo?src=2026zlm-sq-001&venue=community"
	if got, err := qr.Decode(img); err != nil || got != want {
		t.Errorf("QR code decodes to %q (%v), want %q", got, err, want)
	}
	for _, tc := range []struct{ name, query, wantMsg string }{
		{"unknown venue", "?src=a&venue=bogus", "venue"},
		{"src with a space", "?src=a%20b&venue=school", "src"},
		{"src too long", "?venue=school&src=" + strings.Repeat("x", 65), "src"},
		{"language the survey lacks", "?venue=school&lang=fr", "lang"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.get("/s/quality-month-demo/qr.png" + tc.query)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400", resp.StatusCode)
			}
			if !strings.Contains(body, tc.wantMsg) {
				t.Errorf("body does not name %q: %.300q", tc.wantMsg, body)
			}
		})
	}
	if resp, _ := e.get("/s/no-such-survey/qr.png?venue=school"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown survey: status %d, want 404", resp.StatusCode)
	}
}
