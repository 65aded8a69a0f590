package server

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// Weightings of the dashboard.
const (
	weightNone   = "none"   // every response weighs 1
	weightDesign = "design" // the responses' design weights
	weightRaked  = "raked"  // design weights raked to the survey's population margins
)

// dashFilter is what a dashboard page shows: the dashboard's filters from
// the query string, restricted to the provinces the user may see.
type dashFilter struct {
	From, To     time.Time // received in [From, To); zero: unbounded
	FromS, ToS   string    // as given (YYYY-MM-DD)
	Provinces    []string
	RegionTypes  []string
	Venues, Srcs []string
	Group        string // a key group (analysis.KeyGroupNames), "" for everyone
	Weighting    string
	NoFlagged    bool
}

// Filter errors: a value that cannot be used (400), a province outside the
// user's (403).
var (
	errFilter    = errors.New("bad filter")
	errForbidden = errors.New("forbidden")
)

// parseFilter reads the filters of q. allowed lists the provinces the user
// may see (nil: all); asking for others is refused with errForbidden.
func parseFilter(q url.Values, allowed []string) (dashFilter, error) {
	f := dashFilter{FromS: q.Get("from"), ToS: q.Get("to"), Group: q.Get("group"), Weighting: q.Get("weight"),
		Provinces: list(q, "province"), RegionTypes: list(q, "region_type"), Venues: list(q, "venue"), Srcs: list(q, "src"),
		NoFlagged: q.Get("flagged") == "exclude"}
	var err error
	if f.FromS != "" {
		if f.From, err = surveys.ParseMoment(f.FromS, false); err != nil {
			return f, fmt.Errorf("%w: from: %v", errFilter, err)
		}
	}
	if f.ToS != "" {
		if f.To, err = surveys.ParseMoment(f.ToS, true); err != nil {
			return f, fmt.Errorf("%w: to: %v", errFilter, err)
		}
	}
	switch f.Weighting {
	case "":
		f.Weighting = weightDesign
	case weightNone, weightDesign, weightRaked:
	default:
		return f, fmt.Errorf("%w: weight must be none, design or raked", errFilter)
	}
	if f.Group != "" && !slices.Contains(analysis.KeyGroupNames(), f.Group) {
		return f, fmt.Errorf("%w: unknown key group %q", errFilter, f.Group)
	}
	if len(allowed) > 0 {
		if len(f.Provinces) == 0 {
			f.Provinces = allowed
		}
		for _, p := range f.Provinces {
			if !slices.Contains(allowed, p) {
				return f, fmt.Errorf("%w: province %s is outside this account's provinces", errForbidden, p)
			}
		}
	}
	return f, nil
}

// list reads a repeated or comma-separated parameter.
func list(q url.Values, key string) []string {
	var out []string
	for _, v := range q[key] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// key identifies the filter for the view cache.
func (f dashFilter) key() string {
	return strings.Join([]string{f.FromS, f.ToS, strings.Join(f.Provinces, ","), strings.Join(f.RegionTypes, ","),
		strings.Join(f.Venues, ","), strings.Join(f.Srcs, ","), f.Group, f.Weighting, fmt.Sprint(f.NoFlagged)}, "|")
}

// query is the filter as a query string, for links and downloads.
func (f dashFilter) query() url.Values {
	q := url.Values{}
	set := func(k string, v []string) {
		if len(v) > 0 {
			q.Set(k, strings.Join(v, ","))
		}
	}
	if f.FromS != "" {
		q.Set("from", f.FromS)
	}
	if f.ToS != "" {
		q.Set("to", f.ToS)
	}
	set("province", f.Provinces)
	set("region_type", f.RegionTypes)
	set("venue", f.Venues)
	set("src", f.Srcs)
	if f.Group != "" {
		q.Set("group", f.Group)
	}
	q.Set("weight", f.Weighting)
	if f.NoFlagged {
		q.Set("flagged", "exclude")
	}
	return q
}

// rowFilter is the filter as a test of the board's rows.
func (f dashFilter) rowFilter(s *analysis.Sample, at []int64, flagged []bool) func(int) bool {
	from, to := int64(-1<<63), int64(1<<63-1)
	if !f.From.IsZero() {
		from = f.From.UnixMilli()
	}
	if !f.To.IsZero() {
		to = f.To.UnixMilli()
	}
	tests := []func(int) bool{func(i int) bool { return at[i] >= from && at[i] < to }}
	for _, c := range []struct {
		id   string
		vals []string
	}{{surveys.ProvinceID, f.Provinces}, {surveys.RegionTypeID, f.RegionTypes}, {"venue", f.Venues}, {"src", f.Srcs}} {
		if len(c.vals) > 0 {
			tests = append(tests, s.Where(c.id, c.vals))
		}
	}
	if f.NoFlagged {
		tests = append(tests, func(i int) bool { return !flagged[i] })
	}
	if f.Group != "" {
		if in, ok := s.InGroup(f.Group); ok {
			tests = append(tests, in)
		} else {
			tests = append(tests, func(int) bool { return false })
		}
	}
	return func(i int) bool {
		for _, t := range tests {
			if !t(i) {
				return false
			}
		}
		return true
	}
}

// keepComplaint applies the filter to a complaint text (the key group is
// not known for texts; they are filtered by the rest).
func (f dashFilter) keepComplaint(c complaint) bool {
	switch {
	case !f.From.IsZero() && c.At < f.From.UnixMilli(), !f.To.IsZero() && c.At >= f.To.UnixMilli():
		return false
	case len(f.Provinces) > 0 && !slices.Contains(f.Provinces, c.Province):
		return false
	case len(f.RegionTypes) > 0 && !slices.Contains(f.RegionTypes, c.RegionType):
		return false
	case len(f.Venues) > 0 && !slices.Contains(f.Venues, c.Venue), len(f.Srcs) > 0 && !slices.Contains(f.Srcs, c.Src):
		return false
	case f.NoFlagged && c.Flagged:
		return false
	}
	return true
}
