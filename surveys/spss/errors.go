package spss

import "errors"

// Sentinel error kinds. The writer wraps them with %w and adds the variable
// or case that caused them, so callers test with errors.Is and show the
// message as it is.
var (
	// ErrName means a variable name breaks the SPSS naming rules or repeats
	// another name (SPSS names are case-insensitive).
	ErrName = errors.New("invalid variable name")
	// ErrVariable means a variable's width, decimals, missing values or
	// value labels cannot be written.
	ErrVariable = errors.New("invalid variable")
	// ErrValue means a case does not fit the dictionary: wrong number of
	// values, a string for a numeric variable or the reverse, a string
	// longer than its variable's width, or text that is not UTF-8.
	ErrValue = errors.New("invalid value")
	// ErrCaseCount means the number of cases written differs from the count
	// promised with WithCaseCount.
	ErrCaseCount = errors.New("case count differs from the promised count")
	// ErrClosed means the Writer was already closed.
	ErrClosed = errors.New("spss writer closed")
)
