package server

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	qr "github.com/piglig/go-qr"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Poster size: A5 portrait (148 × 210 mm) at 150 dpi.
const (
	posterWidth  = 1240
	posterHeight = 1754
	posterMargin = 90
	quietZone    = 4 // modules of white around the symbol (ISO/IEC 18004)
)

// PosterOptions tunes Poster. The zero value uses the first Chinese system
// font found (see CJKFont).
type PosterOptions struct {
	// FontPath names a TrueType or OpenType font or collection (.ttf, .otf,
	// .ttc) with Chinese glyphs. Empty: the first of the usual system fonts
	// that exists.
	FontPath string
	// Caption is a small line at the foot, e.g. "src 2026zlm-sq-001 · venue community".
	Caption string
}

// ErrNoCJKFont reports that no font with Chinese glyphs was found.
var ErrNoCJKFont = errors.New("no font with Chinese glyphs found (install fonts-noto-cjk or name a font file)")

// cjkFontPaths are where Linux distributions, macOS and Windows keep a
// Chinese font, most preferred first.
var cjkFontPaths = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", // Debian, Ubuntu: fonts-noto-cjk
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",      // Arch, Alpine
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/System/Library/Fonts/STHeiti Medium.ttc",
	`C:\Windows\Fonts\msyh.ttc`,
}

// Poster draws a printable A5 poster, 1240 × 1754 pixels (150 dpi): title
// and subtitle (the survey's title in two languages), "扫码参加调查 · Scan to
// take part", a large QR code of url, url written out so that it can be
// typed, the anonymity promise and opts.Caption.
//
// Chinese text needs a system font (opts.FontPath, or see CJKFont); what it
// lacks (Latin letters, in a fallback font) is drawn with the Go fonts, as
// is url (Go Mono, so that 0 and O, 1 and l differ). Without a Chinese font
// every line with characters the Go fonts lack (the Chinese title, the
// Chinese halves of the fixed lines) is left out, the English title takes
// the top, and the poster is in English only.
func Poster(title, subtitle, url string, opts PosterOptions) (*image.RGBA, error) {
	img, _, err := drawPoster(title, subtitle, url, opts)
	return img, err
}

// qrPlace is where a poster's QR code went: the top-left corner of its
// quiet zone, and the pixels per module.
type qrPlace struct {
	at    image.Point
	scale int
}

func drawPoster(title, subtitle, url string, opts PosterOptions) (*image.RGBA, qrPlace, error) {
	code, err := qr.EncodeText(url, qr.Medium)
	if err != nil {
		return nil, qrPlace{}, fmt.Errorf("QR code of %q: %w", url, err)
	}
	fonts, err := loadFonts(opts.FontPath)
	if err != nil {
		return nil, qrPlace{}, err
	}
	defer fonts.close()
	if !hasGlyphs(fonts.bold, title) || strings.TrimSpace(title) == "" {
		title, subtitle = subtitle, "" // no Chinese font: the English title takes the top
	}
	p := &painter{fonts: fonts, width: posterWidth - 2*posterMargin}
	head := p.blocks(
		p.text(fonts.bold, 64, title, 3),
		p.text(fonts.regular, 38, subtitle, 3),
		p.gap(36),
		p.text(fonts.bold, 46, p.bilingual("扫码参加调查", "Scan to take part"), 2),
	)
	foot := p.blocks(
		p.text(fonts.mono, 28, url, 0),
		p.gap(24),
		p.text(fonts.regular, 32, p.bilingual("匿名填写，不收集姓名电话", "Anonymous: no names or phone numbers"), 2),
		p.gap(12),
		p.text(fonts.regular, 26, opts.Caption, 2),
	)
	const gap = 24 // between the text and the QR code's quiet zone
	room := posterHeight - 2*posterMargin - head.height - foot.height - 2*gap
	scale := min(p.width, room) / (code.Size() + 2*quietZone)
	if scale < 3 {
		return nil, qrPlace{}, fmt.Errorf("poster: url and titles too long for a readable QR code (%d px per module)", scale)
	}
	img := image.NewRGBA(image.Rect(0, 0, posterWidth, posterHeight))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	side := (code.Size() + 2*quietZone) * scale
	y := posterMargin + (room-side)/2 // centre the column vertically
	y = head.draw(img, y) + gap
	place := qrPlace{at: image.Pt((posterWidth-side)/2, y), scale: scale}
	drawQR(img, code, place.at, scale)
	foot.draw(img, y+side+gap)
	return img, place, nil
}

// EncodePNG writes img as a PNG, in 8-bit grey when it has no colour and
// no transparency (a poster is then about 48 KB instead of 87 KB).
func EncodePNG(w io.Writer, img *image.RGBA) error {
	if img.Stride != 4*img.Rect.Dx() { // a sub-image: keep it simple
		return png.Encode(w, img)
	}
	gray := image.NewGray(img.Bounds())
	for i, j := 0, 0; i < len(img.Pix); i, j = i+4, j+1 {
		r, g, b := img.Pix[i], img.Pix[i+1], img.Pix[i+2]
		if r != g || g != b || img.Pix[i+3] != 0xff {
			return png.Encode(w, img)
		}
		gray.Pix[j] = r
	}
	return png.Encode(w, gray)
}

// CJKFont returns the font file Poster would use for Chinese text: path
// itself if it parses and has Chinese glyphs, or with path empty the first
// usual system font that does. Otherwise the error wraps ErrNoCJKFont (or
// says why path does not load).
func CJKFont(path string) (string, error) {
	f, err := loadFonts(path)
	if err != nil {
		return "", err
	}
	defer f.close()
	if !f.cjk {
		if path != "" {
			return "", fmt.Errorf("font %s: %w", path, ErrNoCJKFont)
		}
		return "", ErrNoCJKFont
	}
	return f.path, nil
}

// fontSet holds the fonts of one poster. regular and bold are fallback
// chains, tried rune by rune: the CJK font first (a fallback font such as
// Droid Sans Fallback has no Latin letters), then a Go font.
type fontSet struct {
	regular, bold []*sfnt.Font
	mono          []*sfnt.Font
	path          string // the CJK font file, or "" for the Go fonts alone
	cjk           bool   // the chains draw Chinese
	files         []*os.File
}

func (f *fontSet) close() {
	for _, fh := range f.files {
		fh.Close()
	}
}

// loadFonts opens path (or the first usual CJK font found), and its bold
// sibling if there is one; without any it falls back to the Go fonts. An
// explicit path that does not load is an error.
func loadFonts(path string) (*fontSet, error) {
	goRegular, goBold := mustParse(goregular.TTF), mustParse(gobold.TTF)
	fs := &fontSet{regular: []*sfnt.Font{goRegular}, bold: []*sfnt.Font{goBold}, mono: []*sfnt.Font{mustParse(gomono.TTF)}}
	candidates := cjkFontPaths
	if path != "" {
		candidates = []string{path}
	}
	for _, p := range candidates {
		f, fh, err := openFont(p)
		if err != nil {
			if path != "" {
				return nil, fmt.Errorf("font %s: %w", path, err)
			}
			continue
		}
		fs.files = append(fs.files, fh)
		if !hasGlyphs([]*sfnt.Font{f}, "扫码参加调查") {
			continue
		}
		bold := f
		if strings.Contains(filepath.Base(p), "Regular") {
			bp := filepath.Join(filepath.Dir(p), strings.Replace(filepath.Base(p), "Regular", "Bold", 1))
			if b, bfh, err := openFont(bp); err == nil {
				bold = b
				fs.files = append(fs.files, bfh)
			}
		}
		fs.regular = []*sfnt.Font{f, goRegular}
		fs.bold = []*sfnt.Font{bold, goBold}
		fs.path, fs.cjk = p, true
		break
	}
	return fs, nil
}

// openFont opens a font file or collection, read as needed while it is open
// (a CJK collection is about 20 MB). From a collection it takes the
// Simplified Chinese member if it can tell, else the first.
func openFont(path string) (*sfnt.Font, *os.File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	c, err := opentype.ParseCollectionReaderAt(fh)
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	var first *sfnt.Font
	for i := range c.NumFonts() {
		f, err := c.Font(i)
		if err != nil {
			continue
		}
		if first == nil {
			first = f
		}
		name, _ := f.Name(nil, sfnt.NameIDFamily)
		if strings.HasSuffix(name, " SC") {
			return f, fh, nil
		}
	}
	if first == nil {
		fh.Close()
		return nil, nil, fmt.Errorf("no usable font in the collection")
	}
	return first, fh, nil
}

func mustParse(ttf []byte) *sfnt.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic(err) // the embedded Go fonts always parse
	}
	return f
}

// hasGlyphs reports whether some font of chain draws each non-space rune of s.
func hasGlyphs(chain []*sfnt.Font, s string) bool {
	var buf sfnt.Buffer
	for _, r := range s {
		if !unicode.IsSpace(r) && pickFont(&buf, chain, r) < 0 {
			return false
		}
	}
	return true
}

// pickFont returns the index of the first font of chain that has r, or -1.
func pickFont(buf *sfnt.Buffer, chain []*sfnt.Font, r rune) int {
	for i, f := range chain {
		if gi, err := f.GlyphIndex(buf, r); err == nil && gi != 0 {
			return i
		}
	}
	return -1
}

// chainFace draws each rune with the first face whose font has it.
type chainFace struct {
	fonts []*sfnt.Font
	faces []font.Face
	buf   sfnt.Buffer
}

func newChainFace(chain []*sfnt.Font, size float64) (*chainFace, error) {
	c := &chainFace{fonts: chain}
	for _, f := range chain {
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		c.faces = append(c.faces, face)
	}
	return c, nil
}

func (c *chainFace) face(r rune) font.Face {
	return c.faces[max(0, pickFont(&c.buf, c.fonts, r))]
}

func (c *chainFace) Close() error          { return nil }
func (c *chainFace) Metrics() font.Metrics { return c.faces[0].Metrics() }

func (c *chainFace) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	return c.face(r).Glyph(dot, r)
}

func (c *chainFace) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	return c.face(r).GlyphBounds(r)
}

func (c *chainFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) { return c.face(r).GlyphAdvance(r) }

func (c *chainFace) Kern(r0, r1 rune) fixed.Int26_6 {
	if f := c.face(r0); f == c.face(r1) {
		return f.Kern(r0, r1)
	}
	return 0
}

// painter lays out centred lines of text on the poster.
type painter struct {
	fonts *fontSet
	width int // of the text column, in pixels
}

// row is one centred line of text, or an empty gap when face is nil.
type row struct {
	face   font.Face
	text   string
	height int
	base   int // baseline below the row's top
}

// stack is rows drawn top to bottom.
type stack struct {
	rows   []row
	height int
}

func (p *painter) blocks(parts ...[]row) stack {
	var s stack
	for _, part := range parts {
		for _, r := range part {
			s.rows = append(s.rows, r)
			s.height += r.height
		}
	}
	return s
}

func (p *painter) gap(h int) []row { return []row{{height: h}} }

// bilingual joins the Chinese and English halves of a fixed line, or gives
// the English alone when there is no Chinese font.
func (p *painter) bilingual(zh, en string) string {
	if p.fonts.cjk {
		return zh + " · " + en
	}
	return en
}

// text wraps s into at most maxLines rows (0: no limit) of size pixels. A
// string that no font of chain draws is left out.
func (p *painter) text(chain []*sfnt.Font, size float64, s string, maxLines int) []row {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || !hasGlyphs(chain, s) {
		return nil
	}
	face, err := newChainFace(chain, size)
	if err != nil {
		return nil
	}
	var rows []row
	for _, l := range wrap(face, s, fixed.I(p.width), maxLines) {
		rows = append(rows, row{face: face, text: l, height: int(size * 1.35), base: int(size * 1.05)})
	}
	return rows
}

// draw draws the rows from y down and returns the y below them.
func (s stack) draw(img *image.RGBA, y int) int {
	for _, r := range s.rows {
		if r.face != nil {
			w := font.MeasureString(r.face, r.text).Round()
			d := font.Drawer{Dst: img, Src: image.Black, Face: r.face,
				Dot: fixed.P((img.Bounds().Dx()-w)/2, y+r.base)}
			d.DrawString(r.text)
		}
		y += r.height
	}
	return y
}

// wrap breaks s into lines no wider than width: between words, around
// Chinese characters (never before closing punctuation), and in a URL
// before "/", "?" and "&"; a piece wider than a line is cut anywhere.
// Beyond maxLines (0: no limit) the last line ends in an ellipsis.
func wrap(face font.Face, s string, width fixed.Int26_6, maxLines int) []string {
	fits := func(t string) bool { return font.MeasureString(face, t) <= width }
	var lines []string
	line := ""
	for _, piece := range pieces(s) {
		switch {
		case fits(line + piece):
			line += piece
		case line != "" && fits(strings.TrimLeft(piece, " ")):
			lines = append(lines, strings.TrimRight(line, " "))
			line = strings.TrimLeft(piece, " ")
		default: // too wide for any line: cut by runes
			for _, r := range piece {
				if !fits(line+string(r)) && line != "" {
					lines = append(lines, strings.TrimRight(line, " "))
					line = ""
				}
				line += string(r)
			}
		}
	}
	if line = strings.TrimRight(line, " "); line != "" {
		lines = append(lines, line)
	}
	if maxLines > 0 && len(lines) > maxLines {
		last := []rune(lines[maxLines-1])
		for len(last) > 0 && !fits(string(last)+"…") {
			last = last[:len(last)-1]
		}
		lines = append(lines[:maxLines-1], string(last)+"…")
	}
	return lines
}

// pieces splits s where a line may break: before a space-led word, before
// and after a Chinese character (except before closing punctuation), and
// in a URL before "/", "?" and "&" (not inside "//").
func pieces(s string) []string {
	var out []string
	start := 0
	prev := rune(0)
	for i, r := range s {
		closing := strings.ContainsRune("，。、；：！？）》」』", r)
		opening := strings.ContainsRune("（《「『", prev)
		brk := r == ' ' && prev != ' ' ||
			isWide(r) || isWide(prev) && r != ' ' ||
			r == '?' || r == '&' ||
			r == '/' && prev != '/' && prev != ':'
		if i > start && brk && !closing && !opening {
			out = append(out, s[start:i])
			start = i
		}
		prev = r
	}
	return append(out, s[start:])
}

// isWide reports a CJK character, after which a line may break.
func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef
}
