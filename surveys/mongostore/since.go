package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qvoice/qvoice/surveys"
)

// ResponsesSince streams the responses of survey slug received at or after
// since (the zero time: all of them), by received_at then _id. On MongoDB
// the query and the sort come from the (survey, received_at, _id) index
// created by Open, so a server catching up every few seconds reads only
// the newest responses. FerretDB uses no index: every call scans the whole
// collection and sorts in memory, which is fine for the embedded database
// and tests (see storage-notes: about 0.4 s per 1,000 responses), not for
// a busy multi-server deployment.
func (s *Store) ResponsesSince(ctx context.Context, slug string, since time.Time, fn func(*surveys.Response) error) error {
	q := bson.D{{Key: "survey", Value: slug}}
	if !since.IsZero() {
		q = append(q, bson.E{Key: "received_at", Value: bson.D{{Key: "$gte", Value: storedTime(since)}}})
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "received_at", Value: 1}, {Key: "_id", Value: 1}}).
		SetBatchSize(eachBatchSize)
	cur, err := s.responses.Find(ctx, q, opts)
	if err != nil {
		return fmt.Errorf("mongostore: find responses to survey %q since %s: %w", slug, since.Format(time.RFC3339), err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var doc responseDoc
		if err := cur.Decode(&doc); err != nil {
			return fmt.Errorf("mongostore: decode response to survey %q: %w", slug, err)
		}
		r, err := doc.response()
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("mongostore: read responses to survey %q: %w", slug, err)
	}
	return nil
}
