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

// surveyDoc is a document of the surveys collection.
type surveyDoc struct {
	Slug    string    `bson:"_id"`
	Source  string    `bson:"source"`
	AddedAt time.Time `bson:"added_at"`
}

func (d *surveyDoc) stored() *surveys.StoredSurvey {
	return &surveys.StoredSurvey{Slug: d.Slug, Source: []byte(d.Source), AddedAt: d.AddedAt.UTC()}
}

// PutSurvey stores a definition's source under its slug; a stored slug gives
// surveys.ErrDuplicate.
func (s *Store) PutSurvey(ctx context.Context, st *surveys.StoredSurvey) error {
	doc := surveyDoc{Slug: st.Slug, Source: string(st.Source), AddedAt: storedTime(st.AddedAt)}
	err := s.insertOne(ctx, s.surveys, doc)
	switch {
	case mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("survey %q: %w", st.Slug, surveys.ErrDuplicate)
	case err != nil:
		return fmt.Errorf("mongostore: insert survey %q: %w", st.Slug, unavailable(err))
	}
	return nil
}

// Survey returns the stored definition, or surveys.ErrNotFound.
func (s *Store) Survey(ctx context.Context, slug string) (*surveys.StoredSurvey, error) {
	var doc surveyDoc
	err := s.surveys.FindOne(ctx, bson.D{{Key: "_id", Value: slug}}).Decode(&doc)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, fmt.Errorf("survey %q: %w", slug, surveys.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("mongostore: find survey %q: %w", slug, unavailable(err))
	}
	return doc.stored(), nil
}

// Surveys lists the stored definitions, by slug.
func (s *Store) Surveys(ctx context.Context) ([]*surveys.StoredSurvey, error) {
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})
	cur, err := s.surveys.Find(ctx, bson.D{}, opts)
	if err != nil {
		return nil, fmt.Errorf("mongostore: list surveys: %w", unavailable(err))
	}
	defer cur.Close(ctx)
	var out []*surveys.StoredSurvey
	for cur.Next(ctx) {
		var doc surveyDoc
		if err := cur.Decode(&doc); err != nil {
			return nil, fmt.Errorf("mongostore: decode survey: %w", unavailable(err))
		}
		out = append(out, doc.stored())
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("mongostore: list surveys: %w", unavailable(err))
	}
	return out, nil
}
