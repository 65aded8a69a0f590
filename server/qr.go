package server

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	qr "github.com/piglig/go-qr"

	"github.com/qvoice/qvoice/surveys"
)

// ErrBadQRLink reports a QR link parameter that cannot be used.
var ErrBadQRLink = errors.New("bad QR link")

// maxSrcLen bounds src, as surveys.Submit does.
const maxSrcLen = 64

// QRLink is what a survey's QR code points at: Base (scheme and host, e.g.
// https://survey.example.gov.cn, optionally with a path prefix) + /s/Slug,
// with the hidden fields src and venue and an optional form language.
type QRLink struct {
	Base, Slug, Src, Venue, Lang string
}

// URL returns the link's absolute form URL. src is at most 64 characters
// of A–Z a–z 0–9 . _ -; venue is empty or one of community, school,
// township, online, other; either may be empty. Errors wrap ErrBadQRLink.
func (l QRLink) URL() (string, error) {
	u, err := url.Parse(l.Base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: base URL %q: want http(s)://host[/prefix]", ErrBadQRLink, l.Base)
	}
	if l.Slug == "" || strings.ContainsAny(l.Slug, "/?#") {
		return "", fmt.Errorf("%w: survey slug %q", ErrBadQRLink, l.Slug)
	}
	if len(l.Src) > maxSrcLen || strings.IndexFunc(l.Src, notSrcRune) >= 0 {
		return "", fmt.Errorf("%w: src %q: at most %d characters of A-Z a-z 0-9 . _ -", ErrBadQRLink, l.Src, maxSrcLen)
	}
	if l.Venue != "" && !slices.Contains(surveys.Venues, l.Venue) {
		return "", fmt.Errorf("%w: venue %q: want one of %s", ErrBadQRLink, l.Venue, strings.Join(surveys.Venues, ", "))
	}
	if len(l.Lang) > 16 || strings.IndexFunc(l.Lang, notLangRune) >= 0 {
		return "", fmt.Errorf("%w: lang %q", ErrBadQRLink, l.Lang)
	}
	q := url.Values{}
	for k, v := range map[string]string{"src": l.Src, "venue": l.Venue, "lang": l.Lang} {
		if v != "" {
			q.Set(k, v)
		}
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/s/" + l.Slug
	u.RawPath, u.RawQuery = "", q.Encode()
	return u.String(), nil
}

func notSrcRune(r rune) bool {
	return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-')
}

func notLangRune(r rune) bool {
	return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-')
}

// QRImage returns the QR code of url (error correction M, raised to Q or H
// where the symbol stays the same size), scale pixels per module, with a quiet
// zone of 4 modules, black on white.
func QRImage(url string, scale int) (image.Image, error) {
	if scale < 1 {
		return nil, fmt.Errorf("QR scale %d: want at least 1 pixel per module", scale)
	}
	code, err := qr.EncodeText(url, qr.Medium)
	if err != nil {
		return nil, fmt.Errorf("QR code of %q: %w", url, err)
	}
	side := (code.Size() + 2*quietZone) * scale
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	drawQR(img, code, image.Pt(0, 0), scale)
	return img, nil
}

// drawQR draws code's dark modules at scale pixels each, with its quiet
// zone's top-left corner at at; the quiet zone is left as it is (white).
func drawQR(dst draw.Image, code *qr.QrCode, at image.Point, scale int) {
	for y := 0; y < code.Size(); y++ {
		for x := 0; x < code.Size(); x++ {
			if code.Module(x, y) {
				r := image.Rect(x+quietZone, y+quietZone, x+quietZone+1, y+quietZone+1)
				r = image.Rectangle{r.Min.Mul(scale), r.Max.Mul(scale)}.Add(at)
				draw.Draw(dst, r, image.Black, image.Point{}, draw.Src)
			}
		}
	}
}

// SurveyPoster draws the QR poster of survey d for link (whose Slug it
// sets): the title in link.Lang (default: the survey's first language)
// over the English title (or, for an English poster, the first language's),
// and src and venue as the caption. A Lang the survey lacks wraps
// ErrBadQRLink.
func SurveyPoster(d *surveys.Definition, link QRLink, opts PosterOptions) (*image.RGBA, error) {
	link.Slug = d.Slug
	primary := link.Lang
	if primary == "" && len(d.Languages) > 0 {
		primary = d.Languages[0]
	}
	if link.Lang != "" && !slices.Contains(d.Languages, link.Lang) {
		return nil, fmt.Errorf("%w: lang %q: the survey has %s", ErrBadQRLink, link.Lang, strings.Join(d.Languages, ", "))
	}
	u, err := link.URL()
	if err != nil {
		return nil, err
	}
	second := "en"
	if primary == "en" && len(d.Languages) > 0 {
		second = d.Languages[0]
	}
	title, subtitle := d.Title.In(primary, ""), d.Title[second]
	if subtitle == title {
		subtitle = ""
	}
	if opts.Caption == "" {
		opts.Caption = caption(link)
	}
	return Poster(title, subtitle, u, opts)
}

// caption is the poster's foot line: which site and venue it was printed for.
func caption(l QRLink) string {
	var parts []string
	if l.Src != "" {
		parts = append(parts, "src "+l.Src)
	}
	if l.Venue != "" {
		parts = append(parts, "venue "+l.Venue)
	}
	return strings.Join(parts, " · ")
}

// surveyQR answers GET /s/:slug/qr.png?src=…&venue=…&lang=… with a printable
// poster (PNG) holding the QR code of the survey's form URL on this host.
func (s *Server) surveyQR(c echo.Context) error {
	d, err := s.definition(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	link := QRLink{
		// The configured public address, when set: c.Scheme() believes any
		// client's X-Forwarded-Proto, and posters are cached publicly.
		Base:  cmp.Or(s.cfg.PublicURL, c.Scheme()+"://"+c.Request().Host),
		Src:   c.QueryParam("src"),
		Venue: c.QueryParam("venue"),
		Lang:  c.QueryParam("lang"),
	}
	img, err := SurveyPoster(d, link, PosterOptions{})
	if errors.Is(err, ErrBadQRLink) {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error()).SetInternal(err)
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := EncodePNG(&buf, img); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=3600")
	name := d.Slug
	if link.Src != "" {
		name += "-" + link.Src
	}
	h.Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", "qr-"+name+".png"))
	return c.Blob(http.StatusOK, "image/png", buf.Bytes())
}
