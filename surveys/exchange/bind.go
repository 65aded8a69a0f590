package exchange

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// ErrBadFile reports a file that cannot be imported at all (a bad header),
// as opposed to single bad rows. errors.Is(ErrBadFile, surveys.ErrInvalid)
// holds.
var ErrBadFile error = invalidError("cannot import the file")

// invalidError is a sentinel error of this package that
// errors.Is(…, surveys.ErrInvalid) matches, without its text.
type invalidError string

func (e invalidError) Error() string      { return string(e) }
func (invalidError) Is(target error) bool { return target == surveys.ErrInvalid }

// IgnoredPrefix starts the names of columns an import skips: the rejects
// file's _row, _column, _value and _reason, so a corrected rejects file
// imports as it is.
const IgnoredPrefix = "_"

// BindOptions say how to read a file's rows.
type BindOptions struct {
	// AssumeConsent lets a file without a consent column in: its rows are
	// taken as consented by adults (the consent was collected on paper or
	// by another tool). Rows that need a guardian's consent are still
	// rejected.
	AssumeConsent bool
	// Now is the received_at of rows without one.
	Now time.Time
}

// Binding reads the rows of one file, whose header it has checked.
type Binding struct {
	l      *Layout
	opts   BindOptions
	header []string
	col    []int // col[i] is the layout column of input column i, or -1
	assent string
}

// Bind checks a file's header against l. Columns may come in any order and
// may be missing, except response_code; an unknown or repeated column is an
// error, so a typo never silently drops a variable. Errors wrap ErrBadFile.
func (l *Layout) Bind(header []string, opts BindOptions) (*Binding, error) {
	b := &Binding{l: l, opts: opts, header: header, col: make([]int, len(header))}
	seen := map[string]bool{}
	var unknown []string
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		b.col[i] = -1
		switch j, ok := l.index[h]; {
		case strings.HasPrefix(h, IgnoredPrefix):
		case !ok:
			unknown = append(unknown, fmt.Sprintf("%q", h))
		case seen[h]:
			return nil, fmt.Errorf("%w: column %q appears twice", ErrBadFile, h)
		default:
			seen[h] = true
			b.col[i] = j
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%w: unknown column(s) %s: not in survey %q (see the codebook)", ErrBadFile, strings.Join(unknown, ", "), l.def.Slug)
	}
	if !seen[ColCode] {
		return nil, fmt.Errorf("%w: no %s column: every row needs its response code", ErrBadFile, ColCode)
	}
	if f := l.def.Field(surveys.ConsentID); f != nil && !seen[surveys.ConsentID] {
		if !opts.AssumeConsent {
			return nil, fmt.Errorf("%w: no %s column: if every respondent consented when the data was collected, import with --assume-consent", ErrBadFile, surveys.ConsentID)
		}
		b.assent = adultConsent(l.def, f)
	}
	return b, nil
}

// adultConsent is the consent option an adult gives: the first that is
// neither the refusal nor the guardian's.
func adultConsent(d *surveys.Definition, f *surveys.Field) string {
	for _, o := range f.Options {
		if o.Value != surveys.DeclineValue && (d.Guardian == nil || o.Value != d.Guardian.Consent) {
			return o.Value
		}
	}
	return ""
}

// RowError is one problem of one row: the row's number in the file (the
// header is row 1, as a spreadsheet numbers it), the column, the value and
// why it was refused.
type RowError struct {
	Row    int
	Column string
	Value  string
	Reason string
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Reason)
	}
	return fmt.Sprintf("row %d, column %s, value %q: %s", e.Row, e.Column, e.Value, e.Reason)
}

// errDeclined is the reason for a row whose consent is the refusal.
var errDeclined = errors.New("consent declined: a declined response is never stored")

func inList(list []string, v string) bool { return slices.Contains(list, v) }
