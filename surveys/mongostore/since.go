package mongostore

import (
	"context"
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
	opts := options.Find().SetSort(bson.D{{Key: "received_at", Value: 1}, {Key: "_id", Value: 1}})
	return s.stream(ctx, slug, q, opts, nil, fn)
}
