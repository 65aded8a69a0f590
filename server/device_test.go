package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys/demo"
)

// TestOnePerDevice: with one_per_device, a second submission with the same
// signed cookie is refused (409), an identical retry is not (200), and
// another device, or a forged cookie, answers (201).
func TestOnePerDevice(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil, variant("one-device", "one_per_device: true\n"))
	path := apiPathOf("one-device")
	id1, id2, id3, id4 := "6f1d2c3b-4a5e-4f60-8a71-b2c3d4e5f601", "6f1d2c3b-4a5e-4f60-8a71-b2c3d4e5f602",
		"6f1d2c3b-4a5e-4f60-8a71-b2c3d4e5f603", "6f1d2c3b-4a5e-4f60-8a71-b2c3d4e5f604"
	u, _ := url.Parse(e.srv.URL)
	var cookie *http.Cookie
	runAPICases(t, e, []apiCase{
		{name: "first from this phone", path: path, body: body(id1, validAnswers()), wantStatus: http.StatusCreated},
		{name: "identical retry with the cookie", path: path, body: body(id1, validAnswers()), wantStatus: http.StatusOK,
			wantText: "already_received"},
		{name: "second submission with the cookie", path: path, body: body(id2, validAnswers()), header: []string{"Accept-Language", "en"},
			wantStatus: http.StatusConflict, wantText: "This device already answered this survey"},
	})
	cookie = jarCookie(e, u, "qv_dev")
	e.http.Jar.SetCookies(u, []*http.Cookie{{Name: "qv_dev", Value: "", MaxAge: -1, Path: "/"}})
	runAPICases(t, e, []apiCase{
		{name: "another device", path: path, body: body(id3, validAnswers()), wantStatus: http.StatusCreated},
	})
	e.http.Jar.SetCookies(u, []*http.Cookie{{Name: "qv_dev", Value: forge(cookie), Path: "/"}})
	runAPICases(t, e, []apiCase{
		{name: "forged cookie is replaced", path: path, body: body(id4, validAnswers()), wantStatus: http.StatusCreated},
	})
	if c := jarCookie(e, u, "qv_dev"); c.Value == forge(cookie) || c.Value == cookie.Value {
		t.Errorf("the forged cookie was kept")
	}
	if n := e.countOf("one-device"); n != 3 {
		t.Errorf("survey holds %d responses, want 3", n)
	}
	// The first phone learns on the form's first page that it answered.
	e.http.Jar.SetCookies(u, []*http.Cookie{cookie})
	runPageCases(t, e, []pageCase{
		{"form's first page on the phone that answered", "/s/one-device/admit", nil, http.StatusConflict,
			[]string{"已经填写过", "这台手机已经填写过这份问卷", "12315"}},
		{"the same form continuing", "/s/one-device/admit?sid=" + id1, nil, http.StatusOK, []string{"admitted"}},
	})
}

// jarCookie is the client's cookie name for u.
func jarCookie(e *env, u *url.URL, name string) *http.Cookie {
	for _, c := range e.http.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	e.t.Fatalf("no %s cookie", name)
	return nil
}

// forge keeps a cookie's device id and changes its signature.
func forge(c *http.Cookie) string {
	id, sig, _ := strings.Cut(c.Value, ".")
	return "x" + id[1:] + "." + sig
}

func TestDeviceCookie(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil, variant("one-device", "one_per_device: true\n"))
	tests := []struct {
		name       string
		slug       string
		header     []string
		wantCookie bool
		wantSecure bool
	}{
		{"survey without a device limit sets no cookie", demo.Slug, nil, false, false},
		{"one_per_device sets the cookie", "one-device", nil, true, false},
		{"behind HTTPS the cookie is Secure", "one-device", []string{"X-Forwarded-Proto", "https"}, true, true},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			id := "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c0" + string(rune('0'+i))
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+apiPathOf(tc.slug), strings.NewReader(body(id, validAnswers())))
			req.Header.Set("Content-Type", "application/json")
			for j := 0; j+1 < len(tc.header); j += 2 {
				req.Header.Set(tc.header[j], tc.header[j+1])
			}
			resp, err := http.DefaultClient.Do(req) // no jar: a new device every time
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("status %d, want 201", resp.StatusCode)
			}
			set := resp.Header.Get("Set-Cookie")
			if !tc.wantCookie {
				if set != "" {
					t.Errorf("Set-Cookie %q, want none", set)
				}
				return
			}
			if !regexp.MustCompile(`^qv_dev=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}; Path=/; Max-Age=31536000; HttpOnly; `).MatchString(set) ||
				!strings.Contains(set, "SameSite=Lax") || strings.Contains(set, "Secure") != tc.wantSecure {
				t.Errorf("Set-Cookie %q, want a signed qv_dev, one year, HttpOnly, SameSite=Lax, Secure %v", set, tc.wantSecure)
			}
		})
	}
}

// TestIPHashStored: the response keeps a salted hash of the address and
// User-Agent, never the address.
func TestIPHashStored(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil)
	id := "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
	resp, b := e.postJSON(apiPath, body(id, validAnswers()))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	r, err := e.store.Response(context.Background(), demo.Slug, id)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(r.IPHash) {
		t.Errorf("stored ip_hash %q, want 32 hex digits", r.IPHash)
	}
	if strings.Contains(r.IPHash, "127.0.0.1") {
		t.Errorf("stored ip_hash %q contains the address", r.IPHash)
	}
}
