package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// maxInvites bounds one run of invite.
const maxInvites = 100000

// cmdInvite prints signed single-use invite URLs, one per line, for QR
// codes handed out at a venue: BASE/s/SLUG?t=TOKEN. Each token carries src
// and its expiry, is signed with the server secret (so it must be the
// secret serve uses) and answers the survey once.
func cmdInvite(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("invite", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sc storeConfig
	sc.register(fs)
	slug := fs.String("survey", "", "survey slug (required)")
	src := fs.String("src", "", "activity or site code the invites carry, stored with each response (at most 64 bytes)")
	n := fs.Int("n", 1, "number of invites")
	expires := fs.String("expires", "", "last valid day YYYY-MM-DD (China time) or an RFC 3339 time; default the survey's closes_at")
	baseURL := fs.String("base-url", env("QVOICE_PUBLIC_URL", ""), "public URL of the server, e.g. https://survey.example.cn; empty prints paths")
	secretFile := registerSecret(fs)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: invite takes no arguments, got %q", errUsage, fs.Args())
	case *slug == "":
		return fmt.Errorf("%w: invite needs --survey SLUG", errUsage)
	case *n < 1 || *n > maxInvites:
		return fmt.Errorf("%w: --n must be 1 to %d", errUsage, maxInvites)
	case len(*src) > 64:
		return fmt.Errorf("%w: --src is %d bytes, at most 64", errUsage, len(*src))
	}
	base := strings.TrimRight(*baseURL, "/")
	if u, err := url.Parse(base); base != "" && (err != nil || u.Scheme == "" || u.Host == "") {
		return fmt.Errorf("%w: --base-url %q is not an absolute URL", errUsage, *baseURL)
	}
	secret, err := loadSecret(*secretFile, sc)
	if err != nil {
		return err
	}
	st, closeStore, err := openStore(ctx, sc, true, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer closeStore()
	d, err := definitionOf(ctx, st, *slug)
	if err != nil {
		return err
	}
	exp, err := inviteExpiry(d, *expires)
	if err != nil {
		return err
	}
	if !d.InviteOnly {
		fmt.Fprintf(stderr, "note: survey %s is not invite_only: each invite answers once, but the survey also takes answers without one\n", d.Slug)
	}
	w := bufio.NewWriter(stdout)
	for range *n {
		fmt.Fprintf(w, "%s/s/%s?t=%s\n", base, d.Slug, surveys.NewInvite(secret, d.Slug, *src, exp))
	}
	return w.Flush()
}

// inviteExpiry is --expires (a date includes its whole day), or else the
// survey's closing time; it must lie ahead.
func inviteExpiry(d *surveys.Definition, flagValue string) (time.Time, error) {
	var exp time.Time
	switch {
	case flagValue != "":
		t, err := surveys.ParseMoment(flagValue, true)
		if err != nil {
			return time.Time{}, fmt.Errorf("%w: --expires: %v", errUsage, err)
		}
		exp = t
	default:
		_, exp = d.Window()
		if exp.IsZero() {
			return time.Time{}, fmt.Errorf("%w: invite needs --expires: survey %s has no closes_at", errUsage, d.Slug)
		}
	}
	if !exp.After(time.Now()) {
		return time.Time{}, fmt.Errorf("%w: the invites would expire at %s, which has passed", errUsage, exp.Format(time.RFC3339))
	}
	return exp, nil
}
