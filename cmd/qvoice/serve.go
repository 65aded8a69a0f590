package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
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
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, fs.Args())
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
	srv, err := server.New(server.Config{TrustedProxies: splitList(*proxies), Logger: log}, st)
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
