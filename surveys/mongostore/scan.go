package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qvoice/qvoice/surveys"
)

// InsertResponses inserts rs with one unordered InsertMany, so a bad
// document stops nothing but itself: errs[i] wraps surveys.ErrDuplicate
// for each response whose id or code was stored before (or earlier in
// rs), or says why rs[i] alone could not be stored (an answer it cannot
// encode, another write error); err is a failure of the whole batch.
func (s *Store) InsertResponses(ctx context.Context, rs []*surveys.Response) ([]error, error) {
	errs := make([]error, len(rs))
	docs := make([]any, 0, len(rs))
	at := make([]int, 0, len(rs)) // at[j] is the index in rs of docs[j]
	for i, r := range rs {
		d, err := newResponseDoc(r)
		if err != nil {
			errs[i] = fmt.Errorf("response to survey %q: %w", r.Survey, err)
			continue
		}
		docs = append(docs, d)
		at = append(at, i)
	}
	if len(docs) == 0 {
		return errs, nil
	}
	err := s.serial(ctx, func() (err error) {
		_, err = s.responses.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		return
	})
	var bwe mongo.BulkWriteException
	switch {
	case err == nil:
		return errs, nil
	case errors.As(err, &bwe) && bwe.WriteConcernError == nil && len(bwe.WriteErrors) > 0:
		for _, we := range bwe.WriteErrors {
			if we.Index < 0 || we.Index >= len(docs) {
				return nil, fmt.Errorf("mongostore: insert responses: write error for index %d of %d", we.Index, len(docs))
			}
			r := rs[at[we.Index]]
			if mongo.IsDuplicateKeyError(we) {
				errs[at[we.Index]] = fmt.Errorf("response to survey %q: %w", r.Survey, surveys.ErrDuplicate)
			} else {
				errs[at[we.Index]] = fmt.Errorf("mongostore: insert response to survey %q: %w", r.Survey, we)
			}
		}
		return errs, nil
	}
	return nil, fmt.Errorf("mongostore: insert %d responses: %w", len(docs), unavailable(err))
}

// ScanResponses streams the responses of survey slug that f matches, in
// natural order. The simple parts of f go into the query so MongoDB can use
// the (survey, received_at) index; f.Match is applied to every document as
// well, so the result does not depend on what the database filtered.
func (s *Store) ScanResponses(ctx context.Context, slug string, f surveys.Filter, fn func(*surveys.Response) error) error {
	return s.stream(ctx, slug, scanQuery(slug, f), options.Find(), f.Match, fn)
}

// scanQuery is the part of f that a find filter states plainly: equality,
// $in and a date range, which MongoDB and FerretDB both get right.
func scanQuery(slug string, f surveys.Filter) bson.D {
	q := bson.D{{Key: "survey", Value: slug}}
	var at bson.D
	if !f.From.IsZero() {
		at = append(at, bson.E{Key: "$gte", Value: storedTime(f.From)})
	}
	if !f.To.IsZero() {
		// Stored times are whole milliseconds: round To up so the
		// database never drops what Match keeps.
		at = append(at, bson.E{Key: "$lt", Value: storedTime(f.To.Add(time.Millisecond - 1))})
	}
	if len(at) > 0 {
		q = append(q, bson.E{Key: "received_at", Value: at})
	}
	in := func(key string, vals []string) {
		if len(vals) > 0 {
			q = append(q, bson.E{Key: key, Value: bson.D{{Key: "$in", Value: vals}}})
		}
	}
	in("answers."+surveys.ProvinceID, f.Provinces)
	in("answers."+surveys.RegionTypeID, f.RegionTypes)
	in("venue", f.Venues)
	in("src", f.Srcs)
	return q
}
