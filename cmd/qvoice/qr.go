package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
)

// qrFlags are the options of qvoice qr.
type qrFlags struct {
	store                    storeConfig
	slug, defPath, out, font string
	link                     server.QRLink
}

// cmdQR writes a printable A5 poster with a survey's title and the QR code
// of its form URL for one site (src) and venue type.
func cmdQR(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("qr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f qrFlags
	f.store.register(fs)
	fs.StringVar(&f.slug, "survey", "", "slug of the stored survey")
	fs.StringVar(&f.defPath, "definition", "", "read the survey from this definition file instead of the store")
	fs.StringVar(&f.link.Base, "base-url", env("QVOICE_PUBLIC_URL", ""), "public scheme and host of the server, e.g. https://survey.example.gov.cn")
	fs.StringVar(&f.link.Src, "src", "", "activity or site code carried by the link (≤ 64 of A-Z a-z 0-9 . _ -)")
	fs.StringVar(&f.link.Venue, "venue", "", "venue type: community, school, township, online or other")
	fs.StringVar(&f.link.Lang, "lang", "", "form language (default: the survey's first); also the poster's first title")
	fs.StringVar(&f.out, "out", "", "PNG file to write")
	fs.StringVar(&f.font, "font", "", "font file with Chinese glyphs (.ttf, .otf, .ttc); default: a system font")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if err := f.check(fs); err != nil {
		return err
	}
	d, err := f.definition(ctx)
	if err != nil {
		return err
	}
	if _, err := server.CJKFont(f.font); errors.Is(err, server.ErrNoCJKFont) && f.font == "" {
		fmt.Fprintln(stderr, "qvoice qr: warning: no Chinese font found, the poster is in English only; install fonts-noto-cjk or pass --font FILE")
	} else if err != nil {
		return err
	}
	img, err := server.SurveyPoster(d, f.link, server.PosterOptions{FontPath: f.font})
	if errors.Is(err, server.ErrBadQRLink) {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if err != nil {
		return err
	}
	n, err := writeFileAtomic(f.out, func(w io.Writer) error { return server.EncodePNG(w, img) })
	if err != nil {
		return err
	}
	f.link.Slug = d.Slug
	u, _ := f.link.URL()
	fmt.Fprintf(stdout, "%s: %d×%d poster, %d bytes, for %s\n", f.out, img.Rect.Dx(), img.Rect.Dy(), n, u)
	return nil
}

func (f *qrFlags) check(fs *flag.FlagSet) error {
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: qr takes no arguments, got %q", errUsage, fs.Args())
	case f.slug == "" && f.defPath == "":
		return fmt.Errorf("%w: qr needs --survey SLUG (or --definition FILE)", errUsage)
	case f.out == "":
		return fmt.Errorf("%w: qr needs --out FILE.png", errUsage)
	case f.link.Base == "":
		return fmt.Errorf("%w: qr needs --base-url, the public address of the server (e.g. https://survey.example.gov.cn)", errUsage)
	}
	// Check the link before opening any store.
	l := f.link
	l.Slug = cmp.Or(f.slug, "survey")
	if _, err := l.URL(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

// definition reads the survey from --definition or from the store.
func (f *qrFlags) definition(ctx context.Context) (*surveys.Definition, error) {
	if f.defPath != "" {
		d, err := surveys.Load(f.defPath)
		if err == nil && f.slug != "" && f.slug != d.Slug {
			return nil, fmt.Errorf("%w: --survey %q but %s defines %q", errUsage, f.slug, f.defPath, d.Slug)
		}
		return d, err
	}
	st, closeStore, err := openStore(ctx, f.store, true, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	defer closeStore()
	return definitionOf(ctx, st, f.slug)
}

// writeFileAtomic writes path through a temporary file in the same
// directory renamed into place, so no reader sees half a file, and returns
// the number of bytes written.
func writeFileAtomic(path string, write func(io.Writer) error) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	cw := &countWriter{w: tmp}
	bw := bufio.NewWriter(cw)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
