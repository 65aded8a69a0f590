package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qvoice/qvoice/surveys"
)

var _ surveys.Accounts = (*Store)(nil)

// userDoc is an account in the users collection, keyed by name.
type userDoc struct {
	Name         string    `bson:"_id"`
	Role         string    `bson:"role"`
	Provinces    []string  `bson:"provinces,omitempty"`
	PasswordHash string    `bson:"password_hash"`
	Disabled     bool      `bson:"disabled"`
	CreatedAt    time.Time `bson:"created_at"`
	UpdatedAt    time.Time `bson:"updated_at"`
	// Version is absent from accounts stored before it existed: version 0.
	Version int64 `bson:"version,omitempty"`
}

// auditDoc is an event in the audit collection. Its _id is an ObjectID
// made by the driver, which orders events inserted in the same millisecond.
type auditDoc struct {
	At         time.Time `bson:"at"`
	User       string    `bson:"user"`
	Action     string    `bson:"action"`
	Survey     string    `bson:"survey,omitempty"`
	Detail     string    `bson:"detail,omitempty"`
	ClientHash string    `bson:"client,omitempty"`
}

// sessionDoc is a session in the sessions collection, keyed by the hash
// of its token.
type sessionDoc struct {
	IDHash    string    `bson:"_id"`
	User      string    `bson:"user"`
	CreatedAt time.Time `bson:"created_at"`
	ExpiresAt time.Time `bson:"expires_at"`
}

func (s *Store) users() *mongo.Collection    { return s.responses.Database().Collection("users") }
func (s *Store) audit() *mongo.Collection    { return s.responses.Database().Collection("audit") }
func (s *Store) sessions() *mongo.Collection { return s.responses.Database().Collection("sessions") }

func toUserDoc(u *surveys.User) userDoc {
	return userDoc{Name: u.Name, Role: string(u.Role), Provinces: u.Provinces, PasswordHash: u.PasswordHash,
		Disabled: u.Disabled, CreatedAt: storedTime(u.CreatedAt), UpdatedAt: storedTime(u.UpdatedAt), Version: u.Version}
}

func (d *userDoc) user() *surveys.User {
	return &surveys.User{Name: d.Name, Role: surveys.Role(d.Role), Provinces: d.Provinces, PasswordHash: d.PasswordHash,
		Disabled: d.Disabled, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version}
}

// PutUser inserts u keyed by its name.
func (s *Store) PutUser(ctx context.Context, u *surveys.User) error {
	err := s.insertOne(ctx, s.users(), toUserDoc(u))
	switch {
	case mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("user %q: %w", u.Name, surveys.ErrDuplicate)
	case err != nil:
		return fmt.Errorf("mongostore: insert user %q: %w", u.Name, err)
	}
	return nil
}

// User returns the account named name, or surveys.ErrNotFound.
func (s *Store) User(ctx context.Context, name string) (*surveys.User, error) {
	var d userDoc
	err := s.users().FindOne(ctx, bson.D{{Key: "_id", Value: name}}).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, fmt.Errorf("user %q: %w", name, surveys.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("mongostore: find user %q: %w", name, err)
	}
	return d.user(), nil
}

// Users lists every account by name.
func (s *Store) Users(ctx context.Context) ([]*surveys.User, error) {
	cur, err := s.users().Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("mongostore: list users: %w", err)
	}
	var docs []userDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("mongostore: list users: %w", err)
	}
	out := make([]*surveys.User, len(docs))
	for i := range docs {
		out[i] = docs[i].user()
	}
	return out, nil
}

// UpdateUser replaces the account named u.Name if it is still at
// u.Version, at the next version: one replacement filtered on _id and the
// version. Nothing matched: the account is gone (surveys.ErrNotFound) or
// was changed meanwhile (surveys.ErrConflict). On MongoDB the filtered
// replacement is atomic. FerretDB v1 runs it as a find then a write, so
// it refuses every change read before another change was stored (the
// lost update of a slow password reset, or of the CLI against the web),
// but two replacements racing within the same moment can both pass,
// unless the writes are serial (SerialWrites, as for the embedded
// database, which one process writes).
func (s *Store) UpdateUser(ctx context.Context, u *surveys.User) error {
	doc := toUserDoc(u)
	doc.Version = u.Version + 1
	version := any(u.Version)
	if u.Version == 0 { // also an account stored without the field (omitempty)
		version = bson.D{{Key: "$in", Value: bson.A{int64(0), nil}}}
	}
	var res *mongo.UpdateResult
	err := s.serial(ctx, func() (err error) {
		res, err = s.users().ReplaceOne(ctx, bson.D{{Key: "_id", Value: u.Name}, {Key: "version", Value: version}}, doc)
		return
	})
	switch {
	case err != nil:
		return fmt.Errorf("mongostore: update user %q: %w", u.Name, err)
	case res.MatchedCount == 0:
		if _, err := s.User(ctx, u.Name); err != nil {
			return err
		}
		return fmt.Errorf("user %q changed since it was read (version %d): %w", u.Name, u.Version, surveys.ErrConflict)
	}
	u.Version = doc.Version
	return nil
}

// Audit inserts an audit event.
func (s *Store) Audit(ctx context.Context, e surveys.AuditEvent) error {
	doc := auditDoc{At: storedTime(e.At), User: e.User, Action: string(e.Action), Survey: e.Survey, Detail: e.Detail, ClientHash: e.ClientHash}
	if err := s.insertOne(ctx, s.audit(), doc); err != nil {
		return fmt.Errorf("mongostore: record %s event: %w", e.Action, err)
	}
	return nil
}

// AuditEvents returns the events q selects, oldest first. The database
// filters (equality on user and action: FerretDB scans the log but sends
// only the matches) and sorts newest first, so that it can stop at the
// limit.
func (s *Store) AuditEvents(ctx context.Context, q surveys.AuditQuery) ([]surveys.AuditEvent, error) {
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}})
	if q.Limit > 0 {
		opts.SetLimit(int64(q.Limit))
	}
	filter := bson.D{{Key: "at", Value: bson.D{{Key: "$gte", Value: storedTime(q.Since)}}}}
	if q.User != "" {
		filter = append(filter, bson.E{Key: "user", Value: q.User})
	}
	if q.Action != "" {
		filter = append(filter, bson.E{Key: "action", Value: string(q.Action)})
	}
	cur, err := s.audit().Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("mongostore: read the audit log: %w", err)
	}
	var docs []auditDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("mongostore: read the audit log: %w", err)
	}
	out := make([]surveys.AuditEvent, len(docs))
	for i, d := range docs {
		out[i] = surveys.AuditEvent{At: d.At.UTC(), User: d.User, Action: surveys.AuditAction(d.Action), Survey: d.Survey,
			Detail: d.Detail, ClientHash: d.ClientHash}
	}
	slices.Reverse(out)
	return out, nil
}

// PutSession inserts a session keyed by its IDHash.
func (s *Store) PutSession(ctx context.Context, ss *surveys.Session) error {
	doc := sessionDoc{IDHash: ss.IDHash, User: ss.User, CreatedAt: storedTime(ss.CreatedAt), ExpiresAt: storedTime(ss.ExpiresAt)}
	err := s.insertOne(ctx, s.sessions(), doc)
	switch {
	case mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("session: %w", surveys.ErrDuplicate)
	case err != nil:
		return fmt.Errorf("mongostore: insert session: %w", err)
	}
	return nil
}

// Session returns the session with idHash, or surveys.ErrNotFound.
func (s *Store) Session(ctx context.Context, idHash string) (*surveys.Session, error) {
	var d sessionDoc
	err := s.sessions().FindOne(ctx, bson.D{{Key: "_id", Value: idHash}}).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, fmt.Errorf("session: %w", surveys.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("mongostore: find session: %w", err)
	}
	return &surveys.Session{IDHash: d.IDHash, User: d.User, CreatedAt: d.CreatedAt.UTC(), ExpiresAt: d.ExpiresAt.UTC()}, nil
}

// RefreshSession sets the expiry of a stored session, without upsert: a
// session deleted meanwhile stays deleted.
func (s *Store) RefreshSession(ctx context.Context, idHash string, expiresAt time.Time) error {
	var res *mongo.UpdateResult
	err := s.serial(ctx, func() (err error) {
		res, err = s.sessions().UpdateOne(ctx, bson.D{{Key: "_id", Value: idHash}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "expires_at", Value: storedTime(expiresAt)}}}})
		return
	})
	switch {
	case err != nil:
		return fmt.Errorf("mongostore: refresh session: %w", err)
	case res.MatchedCount == 0:
		return fmt.Errorf("session: %w", surveys.ErrNotFound)
	}
	return nil
}

// DeleteSession removes a session; a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if err := s.serial(ctx, func() (err error) {
		_, err = s.sessions().DeleteOne(ctx, bson.D{{Key: "_id", Value: idHash}})
		return
	}); err != nil {
		return fmt.Errorf("mongostore: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions removes every session of user.
func (s *Store) DeleteUserSessions(ctx context.Context, user string) error {
	if err := s.serial(ctx, func() (err error) {
		_, err = s.sessions().DeleteMany(ctx, bson.D{{Key: "user", Value: user}})
		return
	}); err != nil {
		return fmt.Errorf("mongostore: delete the sessions of %q: %w", user, err)
	}
	return nil
}

// PurgeSessions removes the sessions that expired before t.
func (s *Store) PurgeSessions(ctx context.Context, t time.Time) (int, error) {
	var res *mongo.DeleteResult
	err := s.serial(ctx, func() (err error) {
		res, err = s.sessions().DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lt", Value: storedTime(t)}}}})
		return
	})
	if err != nil {
		return 0, fmt.Errorf("mongostore: purge expired sessions: %w", err)
	}
	return int(res.DeletedCount), nil
}
