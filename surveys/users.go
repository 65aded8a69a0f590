package surveys

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Role is what an account may do on the dashboard.
type Role string

// Roles. An admin manages accounts and sees everything; a regulator reads
// the dashboards of its provinces; a researcher reads dashboards and
// exports data. What each role may do on a page is decided by the server;
// the provinces of an account limit the data of every role.
const (
	RoleAdmin      Role = "admin"
	RoleRegulator  Role = "regulator"
	RoleResearcher Role = "researcher"
)

// Roles lists every role, in the order the CLI documents them.
func Roles() []Role { return []Role{RoleAdmin, RoleRegulator, RoleResearcher} }

// ParseRole returns the role named s, or an error wrapping ErrInvalid.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if slices.Contains(Roles(), r) {
		return r, nil
	}
	return "", fmt.Errorf("role %q: must be admin, regulator or researcher: %w", s, ErrInvalid)
}

// User is a dashboard account. Accounts are kept by name; the password is
// kept only as a hash (argon2id, in PHC string format, made by the server).
type User struct {
	Name string
	Role Role
	// Provinces are the GB/T 2260 codes of the provinces ("32" Jiangsu) whose
	// responses the account sees, sorted; empty means every province.
	Provinces    []string
	PasswordHash string
	// Disabled accounts cannot sign in, and their sessions stop working.
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version counts the stored changes of the account. UpdateUser stores
	// a change only over the version it was read at, so two changes made
	// from one reading (two admins, or the web and the command line)
	// cannot silently undo each other: the later one gets ErrConflict.
	Version int64
}

// MaxUserName is the longest user name, in characters.
const MaxUserName = 64

var (
	// userNameRE: letters (Chinese too) and digits, then also . _ @ -; the
	// first character is a letter or digit, so a name in a CSV file cannot
	// start a spreadsheet formula (= + - @).
	userNameRE = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._@-]*$`)
	// provinceRE is a GB/T 2260 province-level code: two digits.
	provinceRE = regexp.MustCompile(`^\d{2}$`)
)

// CheckUserName returns nil if name can name an account: 1 to 64 letters,
// digits, '.', '_', '@' or '-', starting with a letter or digit. Otherwise
// the error wraps ErrInvalid.
func CheckUserName(name string) error {
	if n := len([]rune(name)); n == 0 || n > MaxUserName || !userNameRE.MatchString(name) {
		return fmt.Errorf("user name %q: use 1 to %d letters, digits, '.', '_', '@' or '-', starting with a letter or digit: %w",
			name, MaxUserName, ErrInvalid)
	}
	return nil
}

// ParseProvinces parses a comma-separated list of province codes ("32,44")
// into sorted, distinct codes; "" gives nil (every province). A code that
// is not two digits gives an error wrapping ErrInvalid.
func ParseProvinces(s string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !provinceRE.MatchString(p) {
			return nil, fmt.Errorf("province %q: want a two-digit GB/T 2260 code such as 32: %w", p, ErrInvalid)
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Validate checks the name, role and provinces of u; errors wrap
// ErrInvalid.
func (u *User) Validate() error {
	if err := CheckUserName(u.Name); err != nil {
		return err
	}
	if _, err := ParseRole(string(u.Role)); err != nil {
		return err
	}
	for _, p := range u.Provinces {
		if !provinceRE.MatchString(p) {
			return fmt.Errorf("user %s: province %q: want a two-digit GB/T 2260 code: %w", u.Name, p, ErrInvalid)
		}
	}
	return nil
}

// AllProvinces reports whether u sees the responses of every province.
func (u *User) AllProvinces() bool { return len(u.Provinces) == 0 }

// SeesProvince reports whether u may see responses from province code.
func (u *User) SeesProvince(code string) bool {
	return u.AllProvinces() || slices.Contains(u.Provinces, code)
}

// UserStore keeps accounts. Every method takes a context first;
// implementations wrap ErrNotFound and ErrDuplicate with %w.
type UserStore interface {
	// PutUser inserts u; a name already stored gives ErrDuplicate and
	// leaves the stored account untouched.
	PutUser(ctx context.Context, u *User) error
	// User returns the account with name, or ErrNotFound.
	User(ctx context.Context, name string) (*User, error)
	// Users lists every account, by name.
	Users(ctx context.Context) ([]*User, error)
	// UpdateUser replaces the stored account named u.Name (a new password,
	// disabling) if it is still at u.Version, and stores it, and sets
	// u.Version, at the next version. A name not stored gives ErrNotFound;
	// an account changed since u was read gives ErrConflict and is left
	// as the other change made it: read it again and redo the change.
	UpdateUser(ctx context.Context, u *User) error
}

// AuditAction names what an audit event records.
type AuditAction string

// Audit actions.
const (
	AuditLogin           AuditAction = "login"
	AuditLoginFailed     AuditAction = "login_failed"
	AuditLockedOut       AuditAction = "locked_out"
	AuditLogout          AuditAction = "logout"
	AuditExport          AuditAction = "export"
	AuditReport          AuditAction = "report"
	AuditUserAdded       AuditAction = "user_added"
	AuditPasswordChanged AuditAction = "password_changed"
	AuditUserDisabled    AuditAction = "user_disabled"
	AuditUserEnabled     AuditAction = "user_enabled"
	// AuditUserChanged records a new role or new provinces.
	AuditUserChanged AuditAction = "user_changed"
)

// AuditEvent is one entry of the audit log: who did what, when, to which
// survey. Events are inserted, never changed.
type AuditEvent struct {
	At     time.Time
	User   string // the account; for a failed login to an unknown name, a keyed hash of the name
	Action AuditAction
	Survey string // slug, if the action concerns one
	Detail string // e.g. an export's format and filters; never answers or passwords
	// ClientHash is a keyed hash of the client's address, so events from one
	// address can be told apart; the address itself is never stored.
	ClientHash string
}

// AuditQuery selects events of the audit log. The store filters, so a
// limit counts only the events that match: an account's events are not
// crowded out by everyone else's (failed sign-ins to unknown names are
// events too).
type AuditQuery struct {
	Since  time.Time   // events at or after it
	User   string      // only this account's events, if not ""
	Action AuditAction // only this action, if not ""
	Limit  int         // > 0: only the newest Limit of the matching events
}

// AuditStore keeps the audit log.
type AuditStore interface {
	// Audit records e.
	Audit(ctx context.Context, e AuditEvent) error
	// AuditEvents returns the events q selects, oldest first (by At, then
	// by insertion).
	AuditEvents(ctx context.Context, q AuditQuery) ([]AuditEvent, error)
}

// Session is a signed-in browser. The cookie holds a random token; the
// store holds only its SHA-256 (IDHash), so a copy of the database cannot
// be replayed as a cookie.
type Session struct {
	IDHash    string // SessionIDHash of the cookie token
	User      string
	CreatedAt time.Time
	ExpiresAt time.Time // idle sessions expire; use moves it forward
}

// SessionIDHash is the stored key of a session token: hex SHA-256.
func SessionIDHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SessionStore keeps the sessions, so that every server sharing a database
// knows them and a sign-out anywhere ends them everywhere.
type SessionStore interface {
	// PutSession inserts s; an IDHash already stored gives ErrDuplicate.
	PutSession(ctx context.Context, s *Session) error
	// Session returns the session with idHash, or ErrNotFound. It does not
	// check ExpiresAt: the caller does.
	Session(ctx context.Context, idHash string) (*Session, error)
	// RefreshSession moves the expiry of a stored session; a session no
	// longer stored (signed out elsewhere) gives ErrNotFound and is not
	// brought back.
	RefreshSession(ctx context.Context, idHash string, expiresAt time.Time) error
	// DeleteSession removes a session; a missing one is not an error.
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteUserSessions removes every session of an account.
	DeleteUserSessions(ctx context.Context, user string) error
	// PurgeSessions removes every session that expired before t and says
	// how many.
	PurgeSessions(ctx context.Context, t time.Time) (int, error)
}

// Accounts is everything the dashboard's sign-in needs from storage.
type Accounts interface {
	UserStore
	AuditStore
	SessionStore
}
