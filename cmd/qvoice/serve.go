package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// serveFlags are the options of qvoice serve.
type serveFlags struct {
	addr, proxies, logFormat string
	publicURL, secretFile    string
	demo, dbLog              bool
	demoResponses            int
	rateLimit                server.RateLimit
	draftTTL                 time.Duration
	catchUp                  time.Duration
	insertWriters            int
}

func newServeCmd(a *app) *cobra.Command {
	f := serveFlags{rateLimit: server.DefaultRateLimit}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the phone form, the JSON intake and the dashboard",
		Long: `serve answers the phone form at /s/SLUG, the JSON intake at
/api/v1/surveys/SLUG/responses, the dashboard at /dash/SLUG and /healthz.

Without --mongo-uri the data lives in an embedded FerretDB (SQLite) in
--data; only one process may open that directory, and a second serve gets
a clear error. The other commands run beside a serve on the same directory
by talking to its database socket. --demo stores the demo survey (slug
` + demo.Slug + `) if it is absent, with --demo-responses generated
responses (qvoice demo generate --seed 1) so that its dashboard has data
to show; if the store has no admin account, it creates "admin" with a
random password and prints it once on standard error. SIGINT or SIGTERM
shut the server down gracefully.

Behind a reverse proxy, list the proxy's addresses with --trusted-proxy so
that rate limits apply to the respondents' addresses. With --mongo-uri,
every server sharing the database needs the same --secret-file.`,
		Example: `  qvoice serve --demo
  qvoice serve --addr 0.0.0.0:8080 --data /var/lib/qvoice --trusted-proxy 10.0.0.0/8 \
      --public-url https://survey.example.gov.cn
  QVOICE_MONGO_URI=mongodb://db.internal:27017 qvoice serve --secret-file /etc/qvoice/secret`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.serve(cmd.Context(), f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen `address`")
	fs.BoolVar(&f.demo, "demo", false, "store the demo survey "+demo.Slug+" if absent")
	fs.IntVar(&f.demoResponses, "demo-responses", 2000, "with --demo: how many generated `responses` a newly stored demo survey gets")
	fs.StringVar(&f.proxies, "trusted-proxy", "", "comma-separated `CIDRs` of reverse proxies whose X-Forwarded-For is trusted")
	envAlias(fs, "trusted-proxy", "QVOICE_TRUSTED_PROXIES")
	fs.StringVar(&f.logFormat, "log-format", "text", "log `format`: text or json")
	fs.BoolVar(&f.dbLog, "db-log", false, "embedded database: log FerretDB's own messages (they can contain answers; for debugging only)")
	registerSecret(fs, &f.secretFile)
	fs.Float64Var(&f.rateLimit.Rate, "rate-limit", f.rateLimit.Rate, "answer posts per second per client address, sustained; 0 turns rate limiting off")
	fs.IntVar(&f.rateLimit.Burst, "rate-burst", f.rateLimit.Burst, "answer posts per client address allowed at once")
	fs.StringVar(&f.publicURL, "public-url", "", "public scheme and host (`URL`) of this server, for QR posters (e.g. https://survey.example.gov.cn)")
	fs.DurationVar(&f.draftTTL, "draft-ttl", 24*time.Hour, "how long an unfinished survey is kept for the respondent to resume")
	fs.IntVar(&f.insertWriters, "insert-writers", 0, "how many batches of responses are written at once (0: 1 on the embedded database, 4 with --mongo-uri)")
	fs.DurationVar(&f.catchUp, "catch-up", 2*time.Second, "with --mongo-uri: how often to read the responses other servers sharing the database accepted (0: never)")
	return cmd
}

func (a *app) serve(ctx context.Context, f serveFlags) error {
	sc, rl := a.db, f.rateLimit
	if rl.Rate < 0 || (rl.Rate > 0 && rl.Burst < 1) {
		return usagef("--rate-limit must be 0 or more and --rate-burst at least 1")
	}
	secret, err := loadSecret(f.secretFile, sc)
	if err != nil {
		return err
	}
	log, err := newLogger(f.logFormat, a.stderr)
	if err != nil {
		return err
	}
	// Listen first: a busy port fails fast, before the database starts.
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", f.addr, err)
	}
	defer ln.Close()

	// FerretDB logs every connection, and failed commands with their
	// documents, which may hold answers: off unless asked for.
	dbLogger := slog.New(slog.DiscardHandler)
	if f.dbLog {
		dbLogger = log.With("component", "ferretdb")
	}
	st, closeStore, err := openStore(ctx, sc, false, dbLogger)
	if err != nil {
		return err
	}
	defer closeStore()
	if f.demo {
		if err := ensureDemo(ctx, st, log, f.demoResponses); err != nil {
			return err
		}
		// No account with a known password: a generated admin's random
		// password is printed once (user_password.go).
		if err := ensureDemoAdmin(ctx, st, a.stderr); err != nil {
			return err
		}
	}
	cfg := server.Config{TrustedProxies: splitList(f.proxies), Logger: log, Secret: secret, RateLimit: rl,
		DraftTTL: f.draftTTL, PublicURL: strings.TrimRight(f.publicURL, "/"), CatchUpInterval: f.catchUp}
	if cfg.InsertWriters = f.insertWriters; cfg.InsertWriters <= 0 && sc.mongoURI != "" {
		cfg.InsertWriters = 4 // a replica set takes concurrent batches; FerretDB writes serially
	}
	if sc.mongoURI == "" || f.catchUp <= 0 {
		// The embedded database has one server (its directory is locked):
		// there are no other servers' responses to catch up on.
		cfg.CatchUpInterval = -1
	}
	srv, err := server.New(cfg, st)
	if err != nil {
		return err
	}
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "data", storeDescription(sc))
	if err := srv.Serve(ctx, ln); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// ensureDemo stores the demo survey unless a survey with its slug exists,
// and gives a newly stored one n generated responses.
func ensureDemo(ctx context.Context, st surveys.Store, log *slog.Logger, n int) error {
	err := st.PutSurvey(ctx, &surveys.StoredSurvey{Slug: demo.Slug, Source: demo.Source(), AddedAt: time.Now().UTC()})
	switch {
	case errors.Is(err, surveys.ErrDuplicate):
		return nil
	case err != nil:
		return fmt.Errorf("store demo survey: %w", err)
	}
	log.Info("demo survey stored", "slug", demo.Slug, "form", "/s/"+demo.Slug, "dashboard", "/dash/"+demo.Slug)
	if n <= 0 {
		return nil
	}
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		return err
	}
	if _, _, err := storeGenerated(ctx, st, d, n, 1, nil); err != nil {
		return fmt.Errorf("store demo responses: %w", err)
	}
	log.Info("demo responses generated", "count", n)
	return nil
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, usagef("--log-format must be text or json, not %q", format)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// storeDescription names the store without credentials.
func storeDescription(sc storeConfig) string {
	if sc.mongoURI != "" {
		return "mongodb (database " + sc.dbName + ")"
	}
	return "embedded " + sc.dataDir
}
