package surveys

import (
	"fmt"
	"time"
)

// ChinaTime is the zone of dates written without a time (YYYY-MM-DD):
// Asia/Shanghai. China has kept UTC+8 all year since 1991, so a fixed zone
// is exact and the server needs no time-zone database.
var ChinaTime = time.FixedZone("CST", 8*60*60)

// ParseMoment parses an RFC 3339 time ("2026-09-01T08:00:00+08:00"), or a
// date ("2026-09-01") in ChinaTime. A date means the start of that day or,
// with endOfDay, the start of the next one, so a closing or expiry date
// includes the whole day.
func ParseMoment(s string, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, ChinaTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a date (YYYY-MM-DD) nor an RFC 3339 time", s)
	}
	if endOfDay {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// ClosedReason says why a survey takes no responses.
type ClosedReason string

// Closed reasons.
const (
	NotYetOpen ClosedReason = "not_yet_open" // before opens_at
	PastClose  ClosedReason = "closed"       // at or after closes_at
	Full       ClosedReason = "full"         // max_responses reached
)

// ClosedError is why a survey refuses a response. It wraps ErrClosed.
type ClosedError struct {
	Reason ClosedReason
	At     time.Time // NotYetOpen: when it opens; PastClose: when it closed
	Max    int       // Full: the cap
}

func (e *ClosedError) Error() string {
	switch e.Reason {
	case NotYetOpen:
		return "survey not open yet: it opens at " + e.At.Format(time.RFC3339)
	case Full:
		return fmt.Sprintf("survey full: it takes %d responses", e.Max)
	}
	return "survey closed at " + e.At.Format(time.RFC3339)
}

// Unwrap lets errors.Is(err, ErrClosed) match.
func (e *ClosedError) Unwrap() error { return ErrClosed }

// Window returns when the survey opens and closes; a zero time means no
// bound. The strings were checked when the definition was parsed.
func (d *Definition) Window() (opens, closes time.Time) {
	if d.OpensAt != "" {
		opens, _ = ParseMoment(d.OpensAt, false)
	}
	if d.ClosesAt != "" {
		closes, _ = ParseMoment(d.ClosesAt, true)
	}
	return opens, closes
}

// OpenAt returns nil if the survey's dates let it take responses at now,
// or a *ClosedError (NotYetOpen or PastClose). opens_at is inclusive,
// closes_at exclusive. A manual state (WithState) overrides the dates: a
// survey closed by hand is PastClose from then on, one opened by hand is
// open whatever its dates say.
func (d *Definition) OpenAt(now time.Time) error {
	if m := d.manual; m != nil && !now.Before(m.At) {
		if m.Closed {
			return &ClosedError{Reason: PastClose, At: m.At}
		}
		return nil
	}
	opens, closes := d.Window()
	switch {
	case !opens.IsZero() && now.Before(opens):
		return &ClosedError{Reason: NotYetOpen, At: opens}
	case !closes.IsZero() && !now.Before(closes):
		return &ClosedError{Reason: PastClose, At: closes}
	}
	return nil
}

// Accepts is OpenAt plus the response cap: responses is how many the
// survey has accepted so far (for Submit, the places known to be taken;
// the cap itself is held by the places claimed in the store, see SlotKey).
// A full survey gives a *ClosedError with Reason Full.
func (d *Definition) Accepts(now time.Time, responses int) error {
	if err := d.OpenAt(now); err != nil {
		return err
	}
	if d.MaxResponses > 0 && responses >= d.MaxResponses {
		return &ClosedError{Reason: Full, Max: d.MaxResponses}
	}
	return nil
}

// HoneypotField is the name of the hidden form field that people never
// fill and form-filling bots do; no question may use it as its id.
const HoneypotField = "website"

// lifecycle checks the dates, the cap and the reserved honeypot id.
func (c *checker) lifecycle() {
	d := c.d
	opens, err := moment(d.OpensAt, false)
	if err != nil {
		c.add("opens_at", "%v", err)
	}
	closes, err := moment(d.ClosesAt, true)
	if err != nil {
		c.add("closes_at", "%v", err)
	}
	if !opens.IsZero() && !closes.IsZero() && !closes.After(opens) {
		c.add("closes_at", "must be after opens_at")
	}
	if d.MaxResponses < 0 {
		c.add("max_responses", "must be 0 (no cap) or more")
	}
	for i, s := range d.Sections {
		for j, q := range s.Questions {
			if q.ID == HoneypotField {
				c.add(fmt.Sprintf("sections[%d].questions[%d].id", i, j), "%q is reserved for the form's bot trap", HoneypotField)
			}
		}
	}
}

func moment(s string, endOfDay bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return ParseMoment(s, endOfDay)
}
