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

// stateDoc is one manual open or close, in the survey_states collection.
type stateDoc struct {
	Survey string    `bson:"survey"`
	Closed bool      `bson:"closed"`
	At     time.Time `bson:"at"`
	Note   string    `bson:"note,omitempty"`
}

func (s *Store) states() *mongo.Collection { return s.responses.Database().Collection("survey_states") }

// PutSurveyState inserts st; earlier states stay as the history.
func (s *Store) PutSurveyState(ctx context.Context, st *surveys.SurveyState) error {
	doc := stateDoc{Survey: st.Slug, Closed: st.Closed, At: storedTime(st.At), Note: st.Note}
	if err := s.insertOne(ctx, s.states(), doc); err != nil {
		return fmt.Errorf("mongostore: record state of survey %q: %w", st.Slug, err)
	}
	return nil
}

// SurveyState returns the latest state of survey slug by At (the last
// inserted among equal times), or surveys.ErrNotFound.
func (s *Store) SurveyState(ctx context.Context, slug string) (*surveys.SurveyState, error) {
	opts := options.FindOne().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}})
	var doc stateDoc
	err := s.states().FindOne(ctx, bson.D{{Key: "survey", Value: slug}}, opts).Decode(&doc)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, fmt.Errorf("state of survey %q: %w", slug, surveys.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("mongostore: find state of survey %q: %w", slug, err)
	}
	return &surveys.SurveyState{Slug: doc.Survey, Closed: doc.Closed, At: doc.At.UTC(), Note: doc.Note}, nil
}
