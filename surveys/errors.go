package surveys

import "errors"

// Sentinel error kinds. Callers test them with errors.Is; implementations
// wrap them with %w and add context.
var (
	// ErrNotFound means the survey or response does not exist.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means a document with the same key was already stored.
	ErrDuplicate = errors.New("already exists")
	// ErrConflict means a submission id was reused with a different body,
	// or an account changed since it was read (surveys.UserStore.UpdateUser).
	ErrConflict = errors.New("conflicts with what is stored")
	// ErrInvalid means submitted answers or a definition failed validation.
	ErrInvalid = errors.New("invalid")
	// ErrClosed means the survey is not accepting responses; see ClosedError.
	ErrClosed = errors.New("survey closed")
	// ErrDeclined means the respondent did not consent, so nothing may be stored.
	ErrDeclined = errors.New("consent declined")
	// ErrAlreadyResponded means this device already answered a survey that
	// accepts one response per device.
	ErrAlreadyResponded = errors.New("this device already answered the survey")
	// ErrTokenRequired means the survey is by invitation and no invite
	// token came with the submission.
	ErrTokenRequired = errors.New("survey is by invitation only")
	// ErrTokenForged means an invite token is malformed, or signed by
	// another secret or for another survey.
	ErrTokenForged = errors.New("invite token is not valid")
	// ErrTokenExpired means an invite token is genuine but past its expiry.
	ErrTokenExpired = errors.New("invite token has expired")
	// ErrTokenUsed means an invite token was already used by another
	// submission.
	ErrTokenUsed = errors.New("invite token was already used")
	// ErrUnavailable means the database cannot be reached now: nothing was
	// stored, and trying again later may succeed.
	ErrUnavailable = errors.New("database unavailable")
	// ErrLastAdmin means an account change would leave no enabled admin,
	// and so nobody to manage the accounts on the web.
	ErrLastAdmin = errors.New("the last enabled admin cannot be disabled or demoted")
	// ErrOwnAccount means an admin tried to disable or demote their own
	// account, which would lock them out of what they are doing.
	ErrOwnAccount = errors.New("an admin cannot disable or demote their own account")
)
