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

var _ surveys.DraftStore = (*Store)(nil)

// draftDoc is a document of the drafts collection.
type draftDoc struct {
	ID        string              `bson:"_id"`
	Survey    string              `bson:"survey"`
	Values    map[string][]string `bson:"values"`
	Lang      string              `bson:"lang"`
	Src       string              `bson:"src"`
	Venue     string              `bson:"venue"`
	Token     string              `bson:"token,omitempty"`
	Elder     bool                `bson:"elder"`
	PageMs    map[string]int64    `bson:"page_ms"`
	Started   time.Time           `bson:"started"`
	Updated   time.Time           `bson:"updated"`
	ExpiresAt time.Time           `bson:"expires_at"`
}

func (s *Store) drafts() *mongo.Collection { return s.responses.Database().Collection("drafts") }

// PutDraft inserts or replaces a draft (ReplaceOne with upsert, which
// FerretDB implements correctly; only the respondent's browser writes it).
func (s *Store) PutDraft(ctx context.Context, d *surveys.Draft) error {
	doc := draftDoc{ID: d.ID, Survey: d.Survey, Values: d.Values, Lang: d.Lang, Src: d.Src, Venue: d.Venue,
		Token: d.Token, Elder: d.Elder, PageMs: d.PageMs, Started: storedTime(d.Started),
		Updated: storedTime(d.Updated), ExpiresAt: storedTime(d.ExpiresAt)}
	if doc.Values == nil {
		doc.Values = map[string][]string{}
	}
	if doc.PageMs == nil {
		doc.PageMs = map[string]int64{}
	}
	err := s.serial(ctx, func() (err error) {
		_, err = s.drafts().ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, doc, options.Replace().SetUpsert(true))
		return
	})
	if err != nil {
		return fmt.Errorf("mongostore: save draft of survey %q: %w", d.Survey, unavailable(err))
	}
	return nil
}

// Draft returns a survey's unexpired draft, or surveys.ErrNotFound.
func (s *Store) Draft(ctx context.Context, survey, id string, now time.Time) (*surveys.Draft, error) {
	var doc draftDoc
	err := s.drafts().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) || (err == nil && (doc.Survey != survey || !doc.ExpiresAt.After(now))) {
		return nil, fmt.Errorf("draft of survey %q: %w", survey, surveys.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("mongostore: read draft of survey %q: %w", survey, unavailable(err))
	}
	return &surveys.Draft{ID: doc.ID, Survey: doc.Survey, Values: doc.Values, Lang: doc.Lang, Src: doc.Src,
		Venue: doc.Venue, Token: doc.Token, Elder: doc.Elder, PageMs: doc.PageMs, Started: doc.Started.UTC(),
		Updated: doc.Updated.UTC(), ExpiresAt: doc.ExpiresAt.UTC()}, nil
}

// DeleteDraft removes a draft, if there is one.
func (s *Store) DeleteDraft(ctx context.Context, id string) error {
	if err := s.serial(ctx, func() (err error) { _, err = s.drafts().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); return }); err != nil {
		return fmt.Errorf("mongostore: delete draft: %w", unavailable(err))
	}
	return nil
}

// PurgeDrafts removes the drafts that expired before t.
func (s *Store) PurgeDrafts(ctx context.Context, t time.Time) (int, error) {
	var res *mongo.DeleteResult
	err := s.serial(ctx, func() (err error) {
		res, err = s.drafts().DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lt", Value: storedTime(t)}}}})
		return
	})
	if err != nil {
		return 0, fmt.Errorf("mongostore: purge drafts: %w", unavailable(err))
	}
	return int(res.DeletedCount), nil
}
