package server_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/qvoice/qvoice/surveys/demo"
)

// Budgets of issue 4 ("Weight and speed"), in bytes on the wire with gzip.
const (
	firstScreenBudget = 30_000  // first page: HTML + CSS
	surveyBudget      = 150_000 // every page's HTML, each asset once
	formScriptBudget  = 20_000  // progressive enhancement only
)

// twoCategoryAnswers is formAnswers rating food and drugs, the longest
// walk a respondent may take (max_categories_per_respondent is 2).
func twoCategoryAnswers() url.Values {
	v := formAnswers()
	v["rate_categories"] = []string{"food", "drugs"}
	for i, ind := range []string{"efficacy", "safety", "instructions", "labeling", "authenticity", "price_value", "access"} {
		v.Set("drugs_imp_"+ind, strconv.Itoa(5-i%3))
		v.Set("drugs_sat_"+ind, strconv.Itoa(2+i%3))
	}
	v.Set("drugs_sat_access", "na")
	v.Set("drugs_overall_sat", "6")
	v.Set("drugs_recommend", "8")
	v["food_channel"] = []string{"supermarket", "wet_market"}
	v.Set("complaint_text", "鸡蛋不新鲜")
	return v
}

// walkPages answers the form from GET /s/SLUG+query to the thank-you page,
// as a browser would, and calls visit with the path a browser GETs for
// every page (the first page, each /r/ page, the thank-you page) and the
// page as received. It returns the response code.
func walkPages(e *env, query string, answers url.Values, visit func(path, page string)) string {
	e.t.Helper()
	w := e.startForm(query)
	visit("/s/"+demo.Slug+query, w.page)
	for range 100 {
		nav := "next"
		if strings.Contains(w.page, `value="submit"`) {
			nav = "submit"
		}
		w.post(answers, nav)
		if w.resp.StatusCode == http.StatusSeeOther {
			loc := w.resp.Header.Get("Location")
			u, err := url.Parse(loc)
			if err != nil || !strings.HasSuffix(u.Path, "/thanks") {
				e.t.Fatalf("redirect to %q", loc)
			}
			resp, page := e.get(loc)
			if resp.StatusCode != http.StatusOK {
				e.t.Fatalf("GET %s: %d", loc, resp.StatusCode)
			}
			visit(loc, page)
			return u.Query().Get("code")
		}
		if w.resp.StatusCode != http.StatusOK {
			e.t.Fatalf("page answered %d:\n%s", w.resp.StatusCode, w.page)
		}
		visit(w.resp.Header.Get("X-From"), w.page)
	}
	e.t.Fatal("the survey never ended")
	return ""
}

// onWire is one response as a phone receives it.
type onWire struct {
	resp  *http.Response
	bytes int    // body bytes on the wire (gzip when the server compressed)
	body  string // decoded body
}

// getGzip GETs path as a browser does, with Accept-Encoding: gzip. Because
// the header is set explicitly, net/http's Transport does not decompress
// the body behind our back, so its length is what the phone downloads.
func (e *env) getGzip(path string) onWire {
	e.t.Helper()
	resp, raw := e.get(path, "Accept-Encoding", "gzip")
	if resp.Uncompressed {
		e.t.Fatalf("GET %s: the client decompressed the body; cannot measure the wire size", path)
	}
	w := onWire{resp: resp, bytes: len(raw), body: raw}
	if resp.ContentLength >= 0 && int(resp.ContentLength) != len(raw) {
		e.t.Errorf("GET %s: Content-Length %d but %d bytes read", path, resp.ContentLength, len(raw))
	}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(strings.NewReader(raw))
		if err != nil {
			e.t.Fatalf("GET %s: %v", path, err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			e.t.Fatalf("GET %s: %v", path, err)
		}
		w.body = string(b)
	}
	return w
}

// urlAttrs are the attributes that make a browser fetch or navigate.
var urlAttrs = map[string]bool{"src": true, "href": true, "action": true, "formaction": true, "srcset": true,
	"poster": true, "data": true, "manifest": true, "background": true, "cite": true, "ping": true}

// pageRefs lists the URL attributes of page (tag.attr=value) and the
// script elements it holds.
func pageRefs(t *testing.T, page string) (refs [][3]string, scripts []*html.Node) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	eachElement(doc, func(n *html.Node) {
		if n.Data == "script" {
			scripts = append(scripts, n)
		}
		for _, a := range n.Attr {
			if urlAttrs[a.Key] {
				refs = append(refs, [3]string{n.Data, a.Key, a.Val})
			}
		}
	})
	return refs, scripts
}

// otherOrigin reports whether a URL reference leaves this server: an
// absolute URL with a scheme or a protocol-relative one.
func otherOrigin(ref string) bool {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "//") || strings.HasPrefix(ref, `\\`) || strings.HasPrefix(ref, `/\`) {
		return true
	}
	u, err := url.Parse(ref)
	return err != nil || u.Scheme != "" || u.Host != ""
}

var (
	hashedAssetRE = regexp.MustCompile(`^/static/([0-9a-f]{12})/([A-Za-z0-9._~-]+)$`)
	cssURLRE      = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)`)
)

// TestPageWeight walks the demo survey rating two categories and measures
// what a phone downloads: every page's HTML and each stylesheet or script
// once (content-hashed URLs are cached immutable), gzip on the wire.
func TestPageWeight(t *testing.T) {
	for ref, want := range map[string]bool{"/static/0123456789ab/qvoice.css": false, "/s/x?lang=en": false, "#top": false,
		"https://cdn.example.com/a.css": true, "http://x/": true, "//cdn.example.com/a.js": true, `\\evil.example/x`: true} {
		if got := otherOrigin(ref); got != want {
			t.Errorf("otherOrigin(%q) = %v, want %v", ref, got, want)
		}
	}
	for _, mode := range []struct{ name, query string }{{"standard", ""}, {"large text", "?big=1"}} {
		t.Run(mode.name, func(t *testing.T) {
			e := newEnv(t)
			assets := map[string]onWire{} // by URL
			type measured struct {
				key       string
				html, raw int
			}
			var pages []measured
			firstCSS := 0
			code := walkPages(e, mode.query, twoCategoryAnswers(), func(path, _ string) {
				w := e.getGzip(path)
				if w.resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: %d", path, w.resp.StatusCode)
				}
				if ce := w.resp.Header.Get("Content-Encoding"); ce != "gzip" {
					t.Errorf("GET %s: Content-Encoding %q, want gzip", path, ce)
				}
				key := path
				if strings.Contains(w.body, `name="_page"`) {
					key = hiddenValues(t, w.body).Get("_page")
				} else if strings.Contains(path, "/thanks") {
					key = "thanks"
				}
				pages = append(pages, measured{key: key, html: w.bytes, raw: len(w.body)})
				refs, scripts := pageRefs(t, w.body)
				if len(scripts) > 0 {
					t.Errorf("%s: %d <script> elements; the form must work without JavaScript", key, len(scripts))
				}
				css := 0
				for _, r := range refs {
					if otherOrigin(r[2]) {
						t.Errorf("%s: <%s %s=%q> points to another origin", key, r[0], r[1], r[2])
						continue
					}
					if !strings.HasPrefix(r[2], "/static/") {
						continue
					}
					m := hashedAssetRE.FindStringSubmatch(r[2])
					if m == nil {
						t.Errorf("%s: asset URL %q carries no content hash (/static/HASH/NAME)", key, r[2])
						continue
					}
					a, seen := assets[r[2]]
					if !seen {
						a = e.getGzip(r[2])
						assets[r[2]] = a
						checkAsset(t, r[2], m[1], a)
					}
					if strings.HasSuffix(r[2], ".css") {
						css += a.bytes
					}
					if strings.HasSuffix(r[2], ".js") && a.bytes > formScriptBudget {
						t.Errorf("%s: script %s is %d bytes gzip, over the %d-byte budget", key, r[2], a.bytes, formScriptBudget)
					}
				}
				if len(pages) == 1 {
					firstCSS = css
				}
			})
			if code == "" {
				t.Fatal("no response code")
			}

			total, assetBytes := 0, 0
			for _, p := range pages {
				total += p.html
				t.Logf("page %-28s %6d B gzip (%6d B raw)", p.key, p.html, p.raw)
			}
			for u, a := range assets {
				assetBytes += a.bytes
				t.Logf("asset %-40s %6d B gzip (%6d B raw)", u, a.bytes, len(a.body))
			}
			total += assetBytes
			first := pages[0].html + firstCSS
			t.Logf("%s: first screen %d B (HTML %d + CSS %d), budget %d", mode.name, first, pages[0].html, firstCSS, firstScreenBudget)
			t.Logf("%s: whole survey %d pages, %d B (HTML %d + assets %d), budget %d",
				mode.name, len(pages), total, total-assetBytes, assetBytes, surveyBudget)
			if firstCSS == 0 {
				t.Errorf("the first page references no stylesheet")
			}
			if first > firstScreenBudget {
				t.Errorf("first screen is %d bytes gzip, over the %d-byte budget", first, firstScreenBudget)
			}
			if total > surveyBudget {
				t.Errorf("the whole survey is %d bytes gzip, over the %d-byte budget", total, surveyBudget)
			}
		})
	}
}

// checkAsset checks a static file is served under its content hash,
// cached for good, and fetches nothing from elsewhere (no web fonts).
func checkAsset(t *testing.T, u, hash string, a onWire) {
	t.Helper()
	if a.resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d", u, a.resp.StatusCode)
		return
	}
	sum := sha256.Sum256([]byte(a.body))
	if got := hex.EncodeToString(sum[:])[:len(hash)]; got != hash {
		t.Errorf("%s: URL hash %s, but the content hashes to %s", u, hash, got)
	}
	if cc := a.resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("%s: Cache-Control %q, want immutable", u, cc)
	}
	if !strings.HasSuffix(u, ".css") {
		return
	}
	if bytes.Contains(bytes.ToLower([]byte(a.body)), []byte("@font-face")) {
		t.Errorf("%s declares a web font (@font-face)", u)
	}
	for _, m := range cssURLRE.FindAllStringSubmatch(a.body, -1) {
		ref := m[1] + m[2]
		if !strings.HasPrefix(ref, "data:") && otherOrigin(ref) {
			t.Errorf("%s loads %q from another origin", u, ref)
		}
	}
}
