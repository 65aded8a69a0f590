package surveys

import (
	"math"
	"time"
)

// Paradata describes how a response was given, for quality review
// (fieldwork firms flag fast and straight-lined completions). It is kept
// with the response, never used to drop it silently.
type Paradata struct {
	TotalSeconds float64          `json:"total_seconds"`
	PageMs       map[string]int64 `json:"page_ms,omitempty"`
	// StraightLined lists the categories whose importance rows all have
	// one answer and whose satisfaction rows all have one answer.
	StraightLined []string `json:"straight_lined,omitempty"`
	// TooFast flags a completion under TooFastSeconds.
	TooFast bool `json:"too_fast"`
	Elder   bool `json:"elder"`
}

// TooFastSeconds is the completion time under which a response is flagged
// (the demo spec's quality check: 90 seconds, to tune after piloting).
const TooFastSeconds = 90

// NewParadata computes the paradata of answers given from started to now.
func NewParadata(d *Definition, a Answers, started, now time.Time, pageMs map[string]int64, elder bool) *Paradata {
	total := math.Max(0, now.Sub(started).Seconds())
	p := &Paradata{TotalSeconds: math.Round(total*10) / 10, PageMs: pageMs, TooFast: total < TooFastSeconds, Elder: elder}
	for _, c := range d.Categories {
		if straightLined(c, a) {
			p.StraightLined = append(p.StraightLined, c.Code)
		}
	}
	return p
}

// straightLined reports whether every importance row of c has one value
// and every satisfaction row one value ("na" counts as a value), with at
// least two rows answered in each matrix.
func straightLined(c *Category, a Answers) bool {
	same := func(id func(cat, ind string) string) bool {
		var first any
		n := 0
		for _, ind := range c.Indicators {
			v, ok := a[id(c.Code, ind.Code)]
			if !ok {
				return false
			}
			if n > 0 && v != first {
				return false
			}
			first = v
			n++
		}
		return n >= 2
	}
	return same(ImportanceID) && same(SatisfactionID)
}
