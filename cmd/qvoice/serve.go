package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sc storeConfig
	sc.register(fs)
	addr := fs.String("addr", env("QVOICE_ADDR", "127.0.0.1:8080"), "listen address")
	loadDemo := fs.Bool("demo", false, "store the demo survey "+demo.Slug+" if absent")
	proxies := fs.String("trusted-proxy", env("QVOICE_TRUSTED_PROXIES", ""), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	dbLog := fs.Bool("db-log", false, "embedded database: log FerretDB's own messages (they can contain answers; for debugging only)")
	secretFile := registerSecret(fs)
	rl := server.DefaultRateLimit
	if err := envNumber("QVOICE_RATE_LIMIT", &rl.Rate); err != nil {
		return err
	}
	if err := envNumber("QVOICE_RATE_BURST", &rl.Burst); err != nil {
		return err
	}
	fs.Float64Var(&rl.Rate, "rate-limit", rl.Rate, "answer posts per second per client address, sustained; 0 turns rate limiting off")
	fs.IntVar(&rl.Burst, "rate-burst", rl.Burst, "answer posts per client address allowed at once")
	publicURL := fs.String("public-url", env("QVOICE_PUBLIC_URL", ""), "public scheme and host of this server, for QR posters (e.g. https://survey.example.gov.cn)")
	draftTTL := fs.Duration("draft-ttl", durationEnv("QVOICE_DRAFT_TTL", 24*time.Hour), "how long an unfinished survey is kept for the respondent to resume")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, fs.Args())
	}
	if rl.Rate < 0 || (rl.Rate > 0 && rl.Burst < 1) {
		return fmt.Errorf("%w: --rate-limit must be 0 or more and --rate-burst at least 1", errUsage)
	}
	secret, err := loadSecret(*secretFile, sc)
	if err != nil {
		return err
	}
	log, err := newLogger(*logFormat, stderr)
	if err != nil {
		return err
	}
	// Listen first: a busy port fails fast, before the database starts.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	defer ln.Close()

	// FerretDB logs every connection, and failed commands with their
	// documents, which may hold answers: off unless asked for.
	dbLogger := slog.New(slog.DiscardHandler)
	if *dbLog {
		dbLogger = log.With("component", "ferretdb")
	}
	st, closeStore, err := openStore(ctx, sc, false, dbLogger)
	if err != nil {
		return err
	}
	defer closeStore()
	if *loadDemo {
		if err := ensureDemo(ctx, st, log); err != nil {
			return err
		}
	}
	srv, err := server.New(server.Config{TrustedProxies: splitList(*proxies), Logger: log, Secret: secret, RateLimit: rl, DraftTTL: *draftTTL, PublicURL: strings.TrimRight(*publicURL, "/")}, st)
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

// ensureDemo stores the demo survey unless a survey with its slug exists.
func ensureDemo(ctx context.Context, st surveys.Store, log *slog.Logger) error {
	err := st.PutSurvey(ctx, &surveys.StoredSurvey{Slug: demo.Slug, Source: demo.Source(), AddedAt: time.Now().UTC()})
	switch {
	case err == nil:
		log.Info("demo survey stored", "slug", demo.Slug, "form", "/s/"+demo.Slug, "dashboard", "/dash/"+demo.Slug)
	case errors.Is(err, surveys.ErrDuplicate):
	default:
		return fmt.Errorf("store demo survey: %w", err)
	}
	return nil
}

// envNumber sets *v from the environment variable, if set.
func envNumber[T int | float64](name string, v *T) error {
	s := env(name, "")
	if s == "" {
		return nil
	}
	var err error
	switch p := any(v).(type) {
	case *int:
		*p, err = strconv.Atoi(s)
	case *float64:
		*p, err = strconv.ParseFloat(s, 64)
	}
	if err != nil {
		return fmt.Errorf("%w: %s=%q is not a number", errUsage, name, s)
	}
	return nil
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("%w: --log-format must be text or json, not %q", errUsage, format)
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

// durationEnv reads a duration from the environment, or def.
func durationEnv(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env(name, "")); err == nil && d > 0 {
		return d
	}
	return def
}
