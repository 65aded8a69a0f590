package surveys

import "errors"

// Sentinel error kinds. Callers test them with errors.Is; implementations
// wrap them with %w and add context.
var (
	// ErrNotFound means the survey or response does not exist.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means a document with the same key was already stored.
	ErrDuplicate = errors.New("already exists")
	// ErrConflict means a submission id was reused with a different body.
	ErrConflict = errors.New("submission id reused with different answers")
	// ErrInvalid means submitted answers or a definition failed validation.
	ErrInvalid = errors.New("invalid")
	// ErrClosed means the survey is not accepting responses.
	ErrClosed = errors.New("survey closed")
	// ErrDeclined means the respondent did not consent, so nothing may be stored.
	ErrDeclined = errors.New("consent declined")
)
