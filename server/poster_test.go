package server

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	qr "github.com/piglig/go-qr"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

const testURL = "https://survey.example.gov.cn/s/quality-month-demo?src=2026zlm-sq-001&venue=community"

// goFontFile writes the Go regular font, which has no Chinese glyphs, to a
// file: passing it as FontPath forces the Latin-only fallback everywhere.
func goFontFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "goregular.ttf")
	if err := os.WriteFile(p, goregular.TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// fontCases are the font set-ups a poster is tested with: the Go-font
// fallback always, and each Chinese system font this machine has.
func fontCases(t *testing.T) map[string]PosterOptions {
	cases := map[string]PosterOptions{"go-font fallback": {FontPath: goFontFile(t)}}
	for _, p := range cjkFontPaths {
		if _, err := CJKFont(p); err == nil {
			cases["CJK "+filepath.Base(p)] = PosterOptions{FontPath: p}
		}
	}
	if len(cases) == 1 {
		t.Log("no Chinese system font: CJK path not tested")
	}
	return cases
}

func TestPosterQRDecodes(t *testing.T) {
	for name, opts := range fontCases(t) {
		t.Run(name, func(t *testing.T) {
			opts.Caption = "src 2026zlm-sq-001 · venue community"
			img, place, err := drawPoster("消费品质量 消费者需求调查（示例）", "Consumer product quality survey (demo)", testURL, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds(); got != image.Rect(0, 0, 1240, 1754) {
				t.Errorf("poster bounds %v, want 1240×1754", got)
			}
			checkModules(t, img, place, testURL)
			// An independent reader, from the pixels alone.
			got, err := qr.Decode(img)
			if err != nil {
				t.Fatalf("decode the poster's QR code: %v", err)
			}
			if got != testURL {
				t.Errorf("poster QR decodes to %q, want %q", got, testURL)
			}
			zbarCheck(t, img, testURL)
		})
	}
}

// checkModules compares every module of the drawn code, and its 4-module
// quiet zone, with the library's matrix: the drawing is faithful.
func checkModules(t *testing.T, img *image.RGBA, place qrPlace, url string) {
	t.Helper()
	code, err := qr.EncodeText(url, qr.Medium)
	if err != nil {
		t.Fatal(err)
	}
	if place.scale < 8 {
		t.Errorf("%d px per module, want at least 8 for a phone at arm's length", place.scale)
	}
	n, bad := code.Size(), 0
	for my := -quietZone; my < n+quietZone; my++ {
		for mx := -quietZone; mx < n+quietZone; mx++ {
			for _, d := range [][2]int{{0, 0}, {place.scale - 1, place.scale - 1}} { // both corners of the module
				px := place.at.X + (mx+quietZone)*place.scale + d[0]
				py := place.at.Y + (my+quietZone)*place.scale + d[1]
				dark := img.RGBAAt(px, py).R < 128
				if dark != code.Module(mx, my) && bad < 5 {
					t.Errorf("module (%d,%d) at pixel (%d,%d): dark %v, want %v", mx, my, px, py, dark, !dark)
					bad++
				}
			}
		}
	}
}

// zbarCheck decodes with ZBar's zbarimg, a third QR reader, where installed.
func zbarCheck(t *testing.T, img image.Image, want string) {
	t.Helper()
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		return
	}
	p := filepath.Join(t.TempDir(), "poster.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(zbar, "--quiet", "--raw", p).Output()
	if got := strings.TrimSpace(string(out)); err != nil || got != want {
		t.Errorf("zbarimg: %q (%v), want %q", got, err, want)
	}
}

// TestPosterFallbackFont: without a Chinese font the Chinese title is left
// out and the English title takes its place, exactly as if the Chinese
// title had not been given.
func TestPosterFallbackFont(t *testing.T) {
	opts := PosterOptions{FontPath: goFontFile(t), Caption: "venue school"}
	if _, err := CJKFont(opts.FontPath); !errors.Is(err, ErrNoCJKFont) {
		t.Errorf("CJKFont(Go font) = %v, want ErrNoCJKFont", err)
	}
	both, err := Poster("消费品质量调查", "Consumer survey", testURL, opts)
	if err != nil {
		t.Fatal(err)
	}
	english, err := Poster("Consumer survey", "", testURL, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(both.Pix, english.Pix) {
		t.Error("fallback poster differs from the English-only poster")
	}
	if ink(both, image.Rect(0, 0, 1240, 200)) == 0 {
		t.Error("no title drawn at the top of the fallback poster")
	}
	if _, err := Poster("t", "s", testURL, PosterOptions{FontPath: filepath.Join(t.TempDir(), "missing.ttf")}); err == nil {
		t.Error("Poster with a missing FontPath: no error")
	}
}

// ink counts the dark pixels of img in r.
func ink(img *image.RGBA, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y).R < 128 {
				n++
			}
		}
	}
	return n
}

func TestPosterQRImage(t *testing.T) {
	code, err := qr.EncodeText(testURL, qr.Medium)
	if err != nil {
		t.Fatal(err)
	}
	img, err := QRImage(testURL, 1)
	if err != nil {
		t.Fatal(err)
	}
	n := code.Size() + 2*quietZone
	if got := img.Bounds(); got != image.Rect(0, 0, n, n) {
		t.Fatalf("bounds %v, want %d×%d modules with the quiet zone", got, n, n)
	}
	for y := range n {
		for x := range n {
			r, _, _, _ := img.At(x, y).RGBA()
			if dark := r < 0x8000; dark != code.Module(x-quietZone, y-quietZone) {
				t.Fatalf("module (%d,%d): dark %v", x-quietZone, y-quietZone, dark)
			}
		}
	}
	if _, err := QRImage(testURL, 0); err == nil {
		t.Error("QRImage scale 0: no error")
	}
}

func TestPosterQRLink(t *testing.T) {
	base := QRLink{Base: "https://survey.example.gov.cn", Slug: "quality-month-demo"}
	with := func(f func(*QRLink)) QRLink { l := base; f(&l); return l }
	ok := []struct {
		name string
		link QRLink
		want string
	}{
		{"plain", base, "https://survey.example.gov.cn/s/quality-month-demo"},
		{"src and venue", with(func(l *QRLink) { l.Src, l.Venue = "2026zlm-sq-001", "community" }), testURL},
		{"prefix and lang", with(func(l *QRLink) { l.Base, l.Lang, l.Venue = "http://10.0.0.5:8080/qv/", "en", "other" }),
			"http://10.0.0.5:8080/qv/s/quality-month-demo?lang=en&venue=other"},
		{"64-char src", with(func(l *QRLink) { l.Src = strings.Repeat("a._-9", 12) + "abcd" }),
			"https://survey.example.gov.cn/s/quality-month-demo?src=" + strings.Repeat("a._-9", 12) + "abcd"},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.link.URL()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("URL (-want +got):\n%s", diff)
			}
		})
	}
	bad := map[string]QRLink{
		"unknown venue":  with(func(l *QRLink) { l.Venue = "bogus" }),
		"venue case":     with(func(l *QRLink) { l.Venue = "School" }),
		"65-char src":    with(func(l *QRLink) { l.Src = strings.Repeat("a", 65) }),
		"src with space": with(func(l *QRLink) { l.Src = "a b" }),
		"src with &":     with(func(l *QRLink) { l.Src = "a&venue=school" }),
		"Chinese src":    with(func(l *QRLink) { l.Src = "社区1" }),
		"ftp base":       with(func(l *QRLink) { l.Base = "ftp://example.cn" }),
		"no scheme":      with(func(l *QRLink) { l.Base = "survey.example.gov.cn" }),
		"base query":     with(func(l *QRLink) { l.Base = "https://example.cn/?a=1" }),
		"bad lang":       with(func(l *QRLink) { l.Lang = "en<script>" }),
		"slug with /":    with(func(l *QRLink) { l.Slug = "a/b" }),
	}
	for name, l := range bad {
		t.Run(name, func(t *testing.T) {
			if u, err := l.URL(); !errors.Is(err, ErrBadQRLink) {
				t.Errorf("URL() = %q, %v; want an ErrBadQRLink", u, err)
			}
		})
	}
}

func TestPosterSurvey(t *testing.T) {
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		t.Fatal(err)
	}
	opts := PosterOptions{FontPath: goFontFile(t)}
	link := QRLink{Base: "https://survey.example.gov.cn", Src: "2026zlm-sq-001", Venue: "community", Lang: "en"}
	img, err := SurveyPoster(d, link, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := qr.Decode(img); err != nil || got != strings.Replace(testURL, "?", "?lang=en&", 1) {
		t.Errorf("decoded %q (%v), want the English form URL", got, err)
	}
	link.Lang = "fr"
	if _, err := SurveyPoster(d, link, opts); !errors.Is(err, ErrBadQRLink) {
		t.Errorf("lang fr: %v, want ErrBadQRLink", err)
	}
	link.Lang, link.Venue = "", "market"
	if _, err := SurveyPoster(d, link, opts); !errors.Is(err, ErrBadQRLink) {
		t.Errorf("venue market: %v, want ErrBadQRLink", err)
	}
}

func TestPosterEncodePNG(t *testing.T) {
	img, err := Poster("Survey", "", testURL, PosterOptions{FontPath: goFontFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := EncodePNG(&buf, img); err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := back.(*image.Gray); !ok {
		t.Errorf("poster PNG decodes to %T, want *image.Gray (a black-and-white poster)", back)
	}
	if got, err := qr.Decode(back); err != nil || got != testURL {
		t.Errorf("PNG round trip decodes to %q (%v)", got, err)
	}
}

func TestPosterWrap(t *testing.T) {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 20, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"https://h.cn", "/s", "/x", "?src=a", "&venue=b"}, pieces("https://h.cn/s/x?src=a&venue=b")); diff != "" {
		t.Errorf("URL pieces (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"扫", "码", "调", "查，", "Scan", " to"}, pieces("扫码调查，Scan to")); diff != "" {
		t.Errorf("mixed pieces (-want +got):\n%s", diff)
	}
	width := font.MeasureString(face, "consumer needs")
	got := wrap(face, "Consumer product quality - consumer needs survey (demo)", width, 0)
	for _, l := range got {
		if font.MeasureString(face, l) > width || strings.HasPrefix(l, " ") || strings.HasSuffix(l, " ") {
			t.Errorf("line %q: too wide or untrimmed", l)
		}
	}
	if strings.Join(got, " ") != "Consumer product quality - consumer needs survey (demo)" {
		t.Errorf("wrap lost words: %q", got)
	}
	short := wrap(face, strings.Repeat("word ", 40), fixed.I(100), 2)
	if len(short) != 2 || !strings.HasSuffix(short[1], "…") {
		t.Errorf("maxLines 2: %q, want 2 lines, the last ending in …", short)
	}
}
