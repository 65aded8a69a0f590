package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
)

// qrFlags are the options of qvoice qr.
type qrFlags struct {
	slug, defPath, out, font string
	link                     server.QRLink
}

func newQRCmd(a *app) *cobra.Command {
	var f qrFlags
	cmd := &cobra.Command{
		Use:   "qr --survey SLUG --base-url URL --out FILE.png",
		Short: "Write a printable QR-code poster for a survey",
		Long: `qr writes a printable A5 poster (PNG) with a survey's title and the QR code
of its form URL for one site (--src) and venue type (--venue). The survey
comes from the store, or from a definition file with --definition.

The poster's titles need a font with Chinese glyphs: qr finds a system font
(install fonts-noto-cjk) or takes --font FILE; without one the poster is in
English only. --lang chooses the form's language and the poster's first
title; by default the survey's first language.`,
		Example: `  qvoice qr --survey quality-month-demo --base-url https://survey.example.gov.cn \
      --src 2026zlm-sq-001 --venue community --out poster-sq-001.png
  qvoice qr --definition survey.yaml --base-url https://survey.example.gov.cn --out poster.png`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.qr(cmd.Context(), f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.slug, "survey", "", "`slug` of the stored survey")
	fs.StringVar(&f.defPath, "definition", "", "read the survey from this definition `file` instead of the store")
	fs.StringVar(&f.link.Base, "base-url", "", "public scheme and host (`URL`) of the server, e.g. https://survey.example.gov.cn")
	envAlias(fs, "base-url", "QVOICE_PUBLIC_URL")
	fs.StringVar(&f.link.Src, "src", "", "activity or site `code` carried by the link (≤ 64 of A-Z a-z 0-9 . _ -)")
	fs.StringVar(&f.link.Venue, "venue", "", "venue `type`: community, school, township, online or other")
	fs.StringVar(&f.link.Lang, "lang", "", "form `language` (default: the survey's first); also the poster's first title")
	fs.StringVar(&f.out, "out", "", "PNG `file` to write")
	fs.StringVar(&f.font, "font", "", "font `file` with Chinese glyphs (.ttf, .otf, .ttc); default: a system font")
	return cmd
}

// qr writes the poster.
func (a *app) qr(ctx context.Context, f qrFlags) error {
	if err := f.check(); err != nil {
		return err
	}
	d, err := a.qrDefinition(ctx, f)
	if err != nil {
		return err
	}
	if _, err := server.CJKFont(f.font); errors.Is(err, server.ErrNoCJKFont) && f.font == "" {
		fmt.Fprintln(a.stderr, "qvoice qr: warning: no Chinese font found, the poster is in English only; install fonts-noto-cjk or pass --font FILE")
	} else if err != nil {
		return err
	}
	img, err := server.SurveyPoster(d, f.link, server.PosterOptions{FontPath: f.font})
	if errors.Is(err, server.ErrBadQRLink) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	n, err := writeCounted(f.out, func(w io.Writer) error { return server.EncodePNG(w, img) })
	if err != nil {
		return err
	}
	f.link.Slug = d.Slug
	u, _ := f.link.URL()
	fmt.Fprintf(a.stdout, "%s: %d×%d poster, %d bytes, for %s\n", f.out, img.Rect.Dx(), img.Rect.Dy(), n, u)
	return nil
}

func (f *qrFlags) check() error {
	switch {
	case f.slug == "" && f.defPath == "":
		return usagef("qr needs --survey SLUG (or --definition FILE)")
	case f.out == "":
		return usagef("qr needs --out FILE.png")
	case f.link.Base == "":
		return usagef("qr needs --base-url, the public address of the server (e.g. https://survey.example.gov.cn)")
	}
	// Check the link before opening any store.
	l := f.link
	l.Slug = cmp.Or(f.slug, "survey")
	if _, err := l.URL(); err != nil {
		return usagef("%v", err)
	}
	return nil
}

// qrDefinition reads the survey from --definition or from the store.
func (a *app) qrDefinition(ctx context.Context, f qrFlags) (*surveys.Definition, error) {
	if f.defPath != "" {
		d, err := surveys.Load(f.defPath)
		if err == nil && f.slug != "" && f.slug != d.Slug {
			return nil, usagef("--survey %q but %s defines %q", f.slug, f.defPath, d.Slug)
		}
		return d, err
	}
	st, closeStore, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	defer closeStore()
	return definitionOf(ctx, st, f.slug)
}
