package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // FerretDB's own SQLite driver, registered as "sqlite"
)

// IndexIDs gives every collection of database dbName an SQLite index that
// FerretDB's finds by _id can use, and returns how many it created.
//
// Why: FerretDB v1's SQLite backend filters a find by _id with the
// expression _ferretdb_sjson->'$._id', but builds its unique _id index on
// _ferretdb_sjson->"_id"; SQLite uses an expression index only for the
// same expression, so every FindOne by _id (a draft on each form page, a
// stored response on a retry, a claim, a session) parses the JSON of every
// document in the collection: about 280 ms at 26,000 responses. An index on
// FerretDB's own expression turns that into a B-tree search. FerretDB does
// not know of it (it lists only its own indexes) and SQLite keeps it up to
// date and drops it with its table; it changes no result, only the plan.
//
// Collections created later get theirs at the next call: call it after
// the store has created its collections, as the composition root does.
func (db *DB) IndexIDs(ctx context.Context, dbName string) (int, error) {
	path := filepath.Join(db.dir, dbName+".sqlite")
	if _, err := os.Stat(path); err != nil {
		return 0, fmt.Errorf("embedded: index _id of %q: %w", dbName, err)
	}
	// The same file FerretDB has open: WAL mode lets both connect, and the
	// busy timeout waits out FerretDB's writes as FerretDB itself does.
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, fmt.Errorf("embedded: index _id of %q: %w", dbName, err)
	}
	defer conn.Close()
	tables, err := unindexedTables(ctx, conn)
	if err != nil {
		return 0, fmt.Errorf("embedded: index _id of %q: %w", dbName, err)
	}
	for i, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+idIndexSuffix, t)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return i, fmt.Errorf("embedded: index _id of %q, table %s: %w", dbName, t, err)
		}
	}
	return len(tables), nil
}

// idIndexSuffix ends the name of the index IndexIDs gives a table.
const idIndexSuffix = "_qvoice_id"

// unindexedTables lists the tables FerretDB keeps collections in that do
// not have their IndexIDs index yet.
func unindexedTables(ctx context.Context, conn *sql.DB) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections
		WHERE table_name || ? NOT IN (SELECT name FROM sqlite_master WHERE type = 'index')`, idIndexSuffix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
