package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys/embedded"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// dbServeFlags are the options of qvoice db serve.
type dbServeFlags struct {
	addr        string
	allowRemote bool
	dbLog       bool
}

func newDBCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Run the embedded database on its own",
		Long: `db works with the embedded database (FerretDB over SQLite) in --data.
"db serve" runs it alone as a MongoDB wire-protocol server, so that
several qvoice serve processes on this machine can share it.`,
		Example: `  qvoice db serve --data ./qvoice-data --addr 127.0.0.1:27017`,
		Args:    cobra.NoArgs,
	}
	cmd.AddCommand(newDBServeCmd(a))
	return cmd
}

func newDBServeCmd(a *app) *cobra.Command {
	var f dbServeFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the embedded database in --data to other qvoice processes over TCP",
		Long: `db serve runs the embedded FerretDB (SQLite) in --data alone, as a
MongoDB wire-protocol server on --addr, so that several "qvoice serve
--mongo-uri mongodb://ADDR/" processes share one database the way
production servers share a MongoDB replica set. It holds the data
directory's lock as serve does, and runs until SIGINT or SIGTERM.

The embedded database has no authentication and no TLS: whoever reaches
the port reads and changes every answer and account. --addr must
therefore be a loopback address unless --allow-remote is given; use a
real MongoDB for servers on several machines.`,
		Example: `  qvoice db serve --data /var/lib/qvoice --addr 127.0.0.1:27017
  qvoice serve --mongo-uri mongodb://127.0.0.1:27017/ --addr 127.0.0.1:8081 --secret-file /etc/qvoice/secret
  qvoice serve --mongo-uri mongodb://127.0.0.1:27017/ --addr 127.0.0.1:8082 --secret-file /etc/qvoice/secret`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.dbServe(cmd.Context(), f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.addr, "addr", "127.0.0.1:27017", "TCP `address` of the MongoDB wire protocol (port 0: any free port)")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow a non-loopback --addr (the embedded database has no authentication)")
	fs.BoolVar(&f.dbLog, "db-log", false, "log FerretDB's own messages (they can contain answers; for debugging only)")
	return cmd
}

func (a *app) dbServe(ctx context.Context, f dbServeFlags) error {
	if a.db.mongoURI != "" {
		return usagef("db serve runs the embedded database in --data; it takes no --mongo-uri")
	}
	if err := embedded.CheckTCPAddr(f.addr, f.allowRemote); errors.Is(err, embedded.ErrRemote) {
		return usagef("--addr %s is not a loopback address and the embedded database has no authentication: use --allow-remote to listen there anyway", f.addr)
	} else if err != nil {
		return usagef("--addr: %v", err)
	}
	log := slog.New(slog.NewTextHandler(a.stderr, nil))
	dbLogger := slog.New(slog.DiscardHandler)
	if f.dbLog {
		dbLogger = log.With("component", "ferretdb")
	}
	db, err := embedded.OpenTCP(ctx, a.db.dataDir, f.addr, f.allowRemote, dbLogger)
	if err != nil {
		return err
	}
	defer db.Close()
	// The servers will create the store's collections; create them now,
	// so that their finds by _id use an index from the start.
	st, err := mongostore.Open(ctx, db.URI(), a.db.dbName)
	if err != nil {
		return err
	}
	_ = st.Close(context.WithoutCancel(ctx))
	if _, err := db.IndexIDs(ctx, a.db.dbName); err != nil {
		return err
	}
	if f.allowRemote {
		log.Warn("the database accepts connections from other machines, without authentication", "addr", f.addr)
	}
	// The URI alone on standard output, for scripts.
	fmt.Fprintln(a.stdout, db.URI())
	log.Info("serving database", "uri", db.URI(), "data", db.Dir())
	<-ctx.Done()
	log.Info("stopped")
	return nil
}
