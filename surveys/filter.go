package surveys

import (
	"slices"
	"time"
)

// Filter selects responses the way the dashboard's filters and
// `qvoice export` do. The zero Filter selects every response. Lists are
// alternatives (a response matches if its value is one of them); different
// fields must all match.
type Filter struct {
	From, To    time.Time // ReceivedAt in [From, To); a zero time is unbounded
	Provinces   []string  // answers["province"], GB/T 2260 codes
	RegionTypes []string  // answers["region_type"]
	Venues      []string  // Response.Venue
	Srcs        []string  // Response.Src
	// ExcludeFlagged leaves out responses with a quality flag (Flags):
	// too fast, or straight-lined.
	ExcludeFlagged bool
}

// Venues are the venue types a QR link and a response may carry (the
// spec's 进社区, 进校园, 进乡镇, 线上, other).
var Venues = []string{"community", "school", "township", "online", "other"}

// Answer ids the filter reads.
const (
	ProvinceID   = "province"
	RegionTypeID = "region_type"
)

// IsZero reports whether f selects every response.
func (f Filter) IsZero() bool {
	return f.From.IsZero() && f.To.IsZero() && len(f.Provinces) == 0 && len(f.RegionTypes) == 0 &&
		len(f.Venues) == 0 && len(f.Srcs) == 0 && !f.ExcludeFlagged
}

// Match reports whether r passes every part of f.
func (f Filter) Match(r *Response) bool {
	switch {
	case !f.From.IsZero() && r.ReceivedAt.Before(f.From):
		return false
	case !f.To.IsZero() && !r.ReceivedAt.Before(f.To):
		return false
	case !oneOf(f.Provinces, r.Answers.Code(ProvinceID)):
		return false
	case !oneOf(f.RegionTypes, r.Answers.Code(RegionTypeID)):
		return false
	case !oneOf(f.Venues, r.Venue):
		return false
	case !oneOf(f.Srcs, r.Src):
		return false
	case f.ExcludeFlagged && len(r.Flags()) > 0:
		return false
	}
	return true
}

// oneOf reports whether v is in set; an empty set allows anything.
func oneOf(set []string, v string) bool { return len(set) == 0 || slices.Contains(set, v) }

// Quality flags of a response (Response.Flags).
const (
	FlagTooFast       = "too_fast"
	FlagStraightLined = "straight_lined" // written "straight_lined:CATEGORY"
)

// Flags lists r's quality flags: FlagTooFast, and "straight_lined:CAT" for
// each straight-lined category. Flags come from the paradata; responses
// without paradata (the API, imports without flags) have none.
func (r *Response) Flags() []string {
	p := r.Paradata
	if p == nil {
		return nil
	}
	var out []string
	if p.TooFast {
		out = append(out, FlagTooFast)
	}
	for _, c := range p.StraightLined {
		out = append(out, FlagStraightLined+":"+c)
	}
	return out
}
