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

// eachBatchSize is how many responses EachResponse fetches per round trip.
const eachBatchSize = 1000

// responseDoc is a document of the responses collection. Answers is kept
// raw so that numbers can be normalised to int whatever BSON type holds
// them.
type responseDoc struct {
	ID            string    `bson:"_id"`
	Survey        string    `bson:"survey"`
	SurveyVersion int       `bson:"survey_version"`
	Code          string    `bson:"code"`
	Answers       bson.Raw  `bson:"answers"`
	Lang          string    `bson:"lang"`
	Src           string    `bson:"src"`
	Venue         string    `bson:"venue"`
	Channel       string    `bson:"channel"`
	IPHash        string    `bson:"ip_hash,omitempty"`
	ReceivedAt    time.Time `bson:"received_at"`
	Digest        string    `bson:"digest"`
	// Paradata is kept for quality review (timings, straight-lining).
	Paradata *paradataDoc `bson:"paradata,omitempty"`
	Weight   float64      `bson:"design_wt,omitempty"`
}

type paradataDoc struct {
	TotalSeconds  float64          `bson:"total_seconds"`
	PageMs        map[string]int64 `bson:"page_ms,omitempty"`
	StraightLined []string         `bson:"straight_lined,omitempty"`
	TooFast       bool             `bson:"too_fast"`
	Elder         bool             `bson:"elder"`
}

func newResponseDoc(r *surveys.Response) (*responseDoc, error) {
	answers, err := encodeAnswers(r.Answers)
	if err != nil {
		return nil, err
	}
	return &responseDoc{
		ID: r.ID, Survey: r.Survey, SurveyVersion: r.SurveyVersion, Code: r.Code,
		Answers: answers, Lang: r.Lang, Src: r.Src, Venue: r.Venue, Channel: r.Channel, IPHash: r.IPHash,
		ReceivedAt: storedTime(r.ReceivedAt), Digest: r.Digest, Paradata: (*paradataDoc)(r.Paradata),
		Weight: r.Weight,
	}, nil
}

func (d *responseDoc) response() (*surveys.Response, error) {
	answers, err := decodeAnswers(d.Answers)
	if err != nil {
		return nil, fmt.Errorf("mongostore: response of survey %q: %w", d.Survey, err)
	}
	return &surveys.Response{
		ID: d.ID, Survey: d.Survey, SurveyVersion: d.SurveyVersion, Code: d.Code,
		Answers: answers, Lang: d.Lang, Src: d.Src, Venue: d.Venue, Channel: d.Channel, IPHash: d.IPHash,
		ReceivedAt: d.ReceivedAt.UTC(), Digest: d.Digest, Paradata: (*surveys.Paradata)(d.Paradata),
		Weight: d.Weight,
	}, nil
}

// InsertResponse stores r once, keyed by r.ID; a stored id gives
// surveys.ErrDuplicate and leaves the stored response untouched. r is not
// modified; its ReceivedAt is stored to the millisecond.
func (s *Store) InsertResponse(ctx context.Context, r *surveys.Response) error {
	doc, err := newResponseDoc(r)
	if err != nil {
		return err
	}
	// Error messages carry the survey slug but not the submission id or
	// code: they may be logged.
	err = s.insertOne(ctx, s.responses, doc)
	switch {
	case mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("response to survey %q: %w", r.Survey, surveys.ErrDuplicate)
	case err != nil:
		return fmt.Errorf("mongostore: insert response to survey %q: %w", r.Survey, unavailable(err))
	}
	return nil
}

// Response returns the response with the given id if it belongs to survey
// slug, or surveys.ErrNotFound. The filter is on _id alone, the one filter
// FerretDB hands to SQLite rather than decoding every document in Go; even
// so SQLite parses every stored document's JSON for it, as the query's
// expression is not the one its _id index is on (surveys.GroupCommit
// answers recently written ids from memory for that reason).
func (s *Store) Response(ctx context.Context, slug, id string) (*surveys.Response, error) {
	var doc responseDoc
	err := s.responses.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, fmt.Errorf("response to survey %q: %w", slug, surveys.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("mongostore: find response to survey %q: %w", slug, unavailable(err))
	case doc.Survey != slug:
		return nil, fmt.Errorf("response to survey %q: %w", slug, surveys.ErrNotFound)
	}
	return doc.response()
}

// EachResponse calls fn for every response of survey slug, by ReceivedAt
// then ID, decoding one document at a time. It returns fn's first error
// unchanged.
func (s *Store) EachResponse(ctx context.Context, slug string, fn func(*surveys.Response) error) error {
	return s.ResponsesSince(ctx, slug, time.Time{}, fn)
}

// stream runs a find on the responses and calls fn for each document that
// keep (nil: every one) accepts, decoding one at a time; it returns fn's
// first error unchanged.
func (s *Store) stream(ctx context.Context, slug string, q bson.D, opts *options.FindOptionsBuilder, keep func(*surveys.Response) bool, fn func(*surveys.Response) error) error {
	cur, err := s.responses.Find(ctx, q, opts.SetBatchSize(eachBatchSize))
	if err != nil {
		return fmt.Errorf("mongostore: find responses to survey %q: %w", slug, unavailable(err))
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var doc responseDoc
		if err := cur.Decode(&doc); err != nil {
			return fmt.Errorf("mongostore: decode response to survey %q: %w", slug, unavailable(err))
		}
		r, err := doc.response()
		if err != nil {
			return err
		}
		if keep != nil && !keep(r) {
			continue
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("mongostore: read responses to survey %q: %w", slug, unavailable(err))
	}
	return nil
}
