package surveys

import (
	"context"
	"time"
)

// SurveyState is an organiser's manual open or close of a survey (qvoice
// survey open|close). The latest one overrides the definition's opens_at
// and closes_at until the next; max_responses still applies. States are
// inserted, never updated, like responses, so the history stays.
type SurveyState struct {
	Slug   string
	Closed bool
	At     time.Time
	Note   string // why, for the record; never shown to respondents
}

// StateStore keeps the manual states of surveys.
type StateStore interface {
	// PutSurveyState records a state.
	PutSurveyState(ctx context.Context, s *SurveyState) error
	// SurveyState returns the latest state of a survey (by At), or
	// ErrNotFound if it was never opened or closed by hand.
	SurveyState(ctx context.Context, slug string) (*SurveyState, error)
}

// WithState returns a copy of d whose lifecycle follows s (nil: the dates
// alone). The copy shares everything else with d.
func (d *Definition) WithState(s *SurveyState) *Definition {
	c := *d
	c.manual = s
	return &c
}

// State returns the manual state d follows, or nil.
func (d *Definition) State() *SurveyState { return d.manual }
