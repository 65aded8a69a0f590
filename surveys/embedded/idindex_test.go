package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// connect returns a driver client on db, disconnected when the test ends.
func connect(tb testing.TB, db *DB) *mongo.Client {
	tb.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(db.URI()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c
}

func fill(tb testing.TB, coll *mongo.Collection, n int) {
	tb.Helper()
	docs := make([]any, 0, 1000)
	for i := range n {
		docs = append(docs, bson.D{{Key: "_id", Value: fmt.Sprintf("id-%06d", i)}, {Key: "survey", Value: "s"},
			{Key: "answers", Value: bson.D{{Key: "q1", Value: i % 5}, {Key: "text", Value: strings.Repeat("x", 200)}}}})
		if len(docs) == cap(docs) || i == n-1 {
			if _, err := coll.InsertMany(context.Background(), docs); err != nil {
				tb.Fatal(err)
			}
			docs = docs[:0]
		}
	}
}

// queryPlan is SQLite's plan for the query FerretDB runs for a find by
// _id on the table of collection name.
func queryPlan(t *testing.T, db *DB, name string) string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(db.Dir(), "idx.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var table string
	if err := conn.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, name).Scan(&table); err != nil {
		t.Fatal(err)
	}
	// The statement of FerretDB v1.24's sqlite collection.Query.
	rows, err := conn.Query(fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), `"id-000007"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

// TestIndexIDs checks that after IndexIDs SQLite answers FerretDB's find
// by _id from an index, and that nothing a client sees changes: the same
// documents are found, later inserts are found, a duplicate _id is still
// refused.
func TestIndexIDs(t *testing.T) {
	db := open(t, t.TempDir())
	ctx := t.Context()
	coll := connect(t, db).Database("idx").Collection("responses")
	fill(t, coll, 500)

	if plan := queryPlan(t, db, "responses"); !strings.Contains(plan, "SCAN") {
		t.Fatalf("plan before IndexIDs: %q; want FerretDB's full scan (has FerretDB changed its query?)", plan)
	}
	n, err := db.IndexIDs(ctx, "idx")
	if err != nil || n != 1 {
		t.Fatalf("IndexIDs = %d, %v; want 1 index created", n, err)
	}
	if plan := queryPlan(t, db, "responses"); !strings.Contains(plan, "USING INDEX") {
		t.Errorf("plan after IndexIDs: %q; want a search using the new index", plan)
	}
	if n, err := db.IndexIDs(ctx, "idx"); err != nil || n != 0 {
		t.Errorf("second IndexIDs = %d, %v; want 0, nil", n, err)
	}

	for _, id := range []string{"id-000000", "id-000250", "id-000499"} {
		var doc bson.M
		if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil || doc["_id"] != id {
			t.Errorf("FindOne %s: %v %v", id, doc, err)
		}
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "id-999999"}}).Err(); !errors.Is(err, mongo.ErrNoDocuments) {
		t.Errorf("FindOne of a missing id: %v; want ErrNoDocuments", err)
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "late"}, {Key: "v", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "late"}}).Err(); err != nil {
		t.Errorf("FindOne of a document inserted after the index: %v", err)
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "late"}}); !mongo.IsDuplicateKeyError(err) {
		t.Errorf("duplicate _id after the index: %v; want a duplicate key error", err)
	}
	if _, err := db.IndexIDs(ctx, "nosuchdb"); err == nil {
		t.Error("IndexIDs of a database that does not exist: nil error")
	}
}

// BenchmarkFindByID compares FindOne by _id in a collection of 20,000
// documents without and with the index IndexIDs adds; run it as
//
//	go test ./surveys/embedded -run '^$' -bench FindByID
func BenchmarkFindByID(b *testing.B) {
	db, err := Open(context.Background(), b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	coll := connect(b, db).Database("idx").Collection("responses")
	fill(b, coll, 20000)
	find := func(n int) time.Duration {
		t0 := time.Now()
		for i := range n {
			if err := coll.FindOne(context.Background(), bson.D{{Key: "_id", Value: fmt.Sprintf("id-%06d", i*7919%20000)}}).Err(); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(t0) / time.Duration(n)
	}
	b.ResetTimer()
	scan := find(max(b.N/100, 5)) // a scan is slow: fewer of them
	if _, err := db.IndexIDs(context.Background(), "idx"); err != nil {
		b.Fatal(err)
	}
	indexed := find(b.N)
	b.ReportMetric(float64(scan.Microseconds())/1000, "ms/find-scan")
	b.ReportMetric(float64(indexed.Microseconds())/1000, "ms/find-indexed")
	b.ReportMetric(float64(scan)/float64(indexed), "speedup")
	b.ReportMetric(0, "ns/op")
}
