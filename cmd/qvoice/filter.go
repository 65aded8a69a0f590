package main

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/qvoice/qvoice/surveys"
)

// filterFlags are the response filters of export (the dashboard's).
type filterFlags struct {
	from, to                       string
	provinces, regionTypes, venues []string
	srcs                           []string
	excludeFlagged                 bool
}

func (f *filterFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&f.from, "from", "", "responses received from this `date` (YYYY-MM-DD, China time, or RFC 3339)")
	fs.StringVar(&f.to, "to", "", "responses received up to this `date`, inclusive")
	fs.StringSliceVar(&f.provinces, "province", nil, "only these province `codes` (GB/T 2260, e.g. 32,44)")
	fs.StringSliceVar(&f.regionTypes, "region-type", nil, "only these region `types` (e.g. rural_village,urban_rural_fringe)")
	fs.StringSliceVar(&f.venues, "venue", nil, "only these `venues` (community, school, township, online, other)")
	fs.StringSliceVar(&f.srcs, "src", nil, "only these source `codes`")
	fs.BoolVar(&f.excludeFlagged, "exclude-flagged", false, "leave out responses flagged too fast or straight-lined")
}

// filter checks the flags and builds the filter.
func (f *filterFlags) filter() (surveys.Filter, error) {
	out := surveys.Filter{Provinces: f.provinces, RegionTypes: f.regionTypes, Venues: f.venues, Srcs: f.srcs, ExcludeFlagged: f.excludeFlagged}
	var err error
	if f.from != "" {
		if out.From, err = surveys.ParseMoment(f.from, false); err != nil {
			return out, usagef("--from: %v", err)
		}
	}
	if f.to != "" {
		if out.To, err = surveys.ParseMoment(f.to, true); err != nil {
			return out, usagef("--to: %v", err)
		}
	}
	if !out.From.IsZero() && !out.To.IsZero() && !out.From.Before(out.To) {
		return out, usagef("--from %s is not before --to %s", f.from, f.to)
	}
	return out, nil
}

// describe says what the filter keeps, "" for everything.
func (f *filterFlags) describe() string {
	var parts []string
	add := func(name string, vals []string) {
		if len(vals) > 0 {
			parts = append(parts, name+" "+strings.Join(vals, ", "))
		}
	}
	if f.from != "" {
		parts = append(parts, "from "+f.from)
	}
	if f.to != "" {
		parts = append(parts, "to "+f.to)
	}
	add("province", f.provinces)
	add("region type", f.regionTypes)
	add("venue", f.venues)
	add("src", f.srcs)
	if f.excludeFlagged {
		parts = append(parts, "flagged responses left out")
	}
	return strings.Join(parts, "; ")
}
