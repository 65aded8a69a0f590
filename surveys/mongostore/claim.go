package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/qvoice/qvoice/surveys"
)

// claimDoc is a document of the devices, token_uses or slots collection.
type claimDoc struct {
	Key        string    `bson:"_id"`
	Survey     string    `bson:"survey"`
	Submission string    `bson:"submission"`
	At         time.Time `bson:"at"`
	Place      int       `bson:"place,omitempty"` // of a place record (surveys.PlaceKey)
}

// claimCollections maps a claim kind to its collection. The unique _id
// index, which every collection has, is the only index they need.
var claimCollections = map[surveys.ClaimKind]string{
	surveys.ClaimDevice: "devices",
	surveys.ClaimToken:  "token_uses",
	surveys.ClaimSlot:   "slots",
}

func (s *Store) claims(kind surveys.ClaimKind) (*mongo.Collection, error) {
	name, ok := claimCollections[kind]
	if !ok {
		return nil, fmt.Errorf("mongostore: unknown claim kind %q", kind)
	}
	return s.responses.Database().Collection(name), nil
}

// Claim inserts c keyed by c.Key. On a duplicate key it reads the stored
// claim back and returns its submission id with surveys.ErrDuplicate.
func (s *Store) Claim(ctx context.Context, c *surveys.Claim) (string, error) {
	coll, err := s.claims(c.Kind)
	if err != nil {
		return "", err
	}
	doc := claimDoc{Key: c.Key, Survey: c.Survey, Submission: c.SubmissionID, At: storedTime(c.At), Place: c.Place}
	err = s.insertOne(ctx, coll, doc)
	switch {
	case err == nil:
		return c.SubmissionID, nil
	case !mongo.IsDuplicateKeyError(err):
		return "", fmt.Errorf("mongostore: insert %s claim for survey %q: %w", c.Kind, c.Survey, unavailable(err))
	}
	holder, err := s.Claimant(ctx, c.Kind, c.Key)
	if err != nil {
		return "", fmt.Errorf("read back the %s claim: %w", c.Kind, err)
	}
	return holder, fmt.Errorf("%s claim for survey %q: %w", c.Kind, c.Survey, surveys.ErrDuplicate)
}

// Claimant returns the submission id of the claim with key, or
// surveys.ErrNotFound.
func (s *Store) Claimant(ctx context.Context, kind surveys.ClaimKind, key string) (string, error) {
	c, err := s.ClaimRecord(ctx, kind, key)
	if err != nil {
		return "", err
	}
	return c.SubmissionID, nil
}

// ClaimRecord returns the claim with key, or surveys.ErrNotFound.
func (s *Store) ClaimRecord(ctx context.Context, kind surveys.ClaimKind, key string) (*surveys.Claim, error) {
	coll, err := s.claims(kind)
	if err != nil {
		return nil, err
	}
	var doc claimDoc
	err = coll.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&doc)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, fmt.Errorf("%s claim: %w", kind, surveys.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("mongostore: find %s claim: %w", kind, unavailable(err))
	}
	return &surveys.Claim{Kind: kind, Key: doc.Key, Survey: doc.Survey, SubmissionID: doc.Submission,
		At: doc.At.UTC(), Place: doc.Place}, nil
}
