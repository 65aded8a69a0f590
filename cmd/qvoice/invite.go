package main

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys"
)

// maxInvites bounds one run of invite.
const maxInvites = 100000

// inviteFlags are the options of qvoice invite.
type inviteFlags struct {
	slug, src, expires, baseURL, secretFile string
	n                                       int
}

func newInviteCmd(a *app) *cobra.Command {
	var f inviteFlags
	cmd := &cobra.Command{
		Use:   "invite --survey SLUG",
		Short: "Print signed single-use invite URLs for a survey",
		Long: `invite prints signed single-use invite URLs, one per line, for QR codes
handed out at a venue: BASE/s/SLUG?t=TOKEN. Each token carries --src and
its expiry, is signed with the server secret (so it must be the secret
serve uses: DATA/secret of the embedded database, or --secret-file) and
answers the survey once. A survey with invite_only: true takes answers only
with an invite.`,
		Example: `  qvoice invite --survey quality-month-demo --src 2026zlm-sq-001 --n 200 \
      --expires 2026-09-30 --base-url https://survey.example.gov.cn > invites.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.invite(cmd.Context(), f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.slug, "survey", "", "survey `slug` (required)")
	fs.StringVar(&f.src, "src", "", "activity or site `code` the invites carry, stored with each response (at most 64 bytes)")
	fs.IntVar(&f.n, "n", 1, "number of invites")
	fs.StringVar(&f.expires, "expires", "", "last valid day YYYY-MM-DD (China time) or an RFC 3339 `time`; default the survey's closes_at")
	fs.StringVar(&f.baseURL, "base-url", "", "public `URL` of the server, e.g. https://survey.example.cn; empty prints paths")
	envAlias(fs, "base-url", "QVOICE_PUBLIC_URL")
	registerSecret(fs, &f.secretFile)
	return cmd
}

// invite prints the invites. Each token carries src and its expiry, is
// signed with the server secret and answers the survey once.
func (a *app) invite(ctx context.Context, f inviteFlags) error {
	switch {
	case f.slug == "":
		return usagef("invite needs --survey SLUG")
	case f.n < 1 || f.n > maxInvites:
		return usagef("--n must be 1 to %d", maxInvites)
	case len(f.src) > 64:
		return usagef("--src is %d bytes, at most 64", len(f.src))
	}
	base := strings.TrimRight(f.baseURL, "/")
	if u, err := url.Parse(base); base != "" && (err != nil || u.Scheme == "" || u.Host == "") {
		return usagef("--base-url %q is not an absolute URL", f.baseURL)
	}
	secret, err := loadSecret(f.secretFile, a.db)
	if err != nil {
		return err
	}
	st, closeStore, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	d, err := definitionOf(ctx, st, f.slug)
	if err != nil {
		return err
	}
	exp, err := inviteExpiry(d, f.expires)
	if err != nil {
		return err
	}
	if !d.InviteOnly {
		fmt.Fprintf(a.stderr, "note: survey %s is not invite_only: each invite answers once, but the survey also takes answers without one\n", d.Slug)
	}
	w := bufio.NewWriter(a.stdout)
	for range f.n {
		fmt.Fprintf(w, "%s/s/%s?t=%s\n", base, d.Slug, surveys.NewInvite(secret, d.Slug, f.src, exp))
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
			return time.Time{}, usagef("--expires: %v", err)
		}
		exp = t
	default:
		_, exp = d.Window()
		if exp.IsZero() {
			return time.Time{}, usagef("invite needs --expires: survey %s has no closes_at", d.Slug)
		}
	}
	if !exp.After(time.Now()) {
		return time.Time{}, usagef("the invites would expire at %s, which has passed", exp.Format(time.RFC3339))
	}
	return exp, nil
}
