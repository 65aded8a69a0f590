package spss

import (
	"fmt"
	"strconv"
	"strings"
)

// A string wider than 255 bytes is stored as several "segments", each an
// ordinary string variable (PSPP's System File Format, "Very Long String
// Record"). There is one segment per 252 bytes of width, rounded up; all
// but the last are 255 bytes wide, the last takes the remaining width. The
// value is packed tightly, 255 bytes per segment, so the last segment ends
// in a few unused bytes. The reader glues the segments back together using
// record subtype 14.
const (
	maxShortString = 255 // widest string one variable record can hold
	segmentStep    = 252 // bytes of width that each extra segment accounts for
)

// segment is one variable record of the dictionary (plus its continuation
// records) and its share of the case data.
type segment struct {
	width int    // the record's type field: 0 numeric, else 1–255
	units int    // 8-byte units the segment occupies in a case
	short string // the 8-byte upper-case short name
}

// column is a Variable with everything the writer derives from it.
type column struct {
	Variable
	label string    // Label cut to MaxVarLabelLen
	segs  []segment // one for numerics and strings up to 255 bytes
	unit  int       // index of the column's first 8-byte unit in a case
}

// segments splits a variable of the given width into its segments.
func segments(width int) []segment {
	if width <= maxShortString {
		return []segment{{width: width, units: max(1, (width+7)/8)}}
	}
	n := (width + segmentStep - 1) / segmentStep
	segs := make([]segment, n)
	for i := range segs {
		w := maxShortString
		if i == n-1 {
			w = width - i*segmentStep
		}
		segs[i] = segment{width: w, units: (w + 7) / 8}
	}
	return segs
}

// newColumns checks the variables and lays them out: segments, unit
// offsets and unique short names.
func newColumns(vars []Variable) ([]column, error) {
	if len(vars) == 0 {
		return nil, fmt.Errorf("%w: no variables", ErrVariable)
	}
	cols := make([]column, len(vars))
	names := make(map[string]string, len(vars))
	unit := 0
	for i, v := range vars {
		if err := checkName(v.Name); err != nil {
			return nil, err
		}
		upper := strings.ToUpper(v.Name)
		if prev, dup := names[upper]; dup {
			return nil, fmt.Errorf("%w: %q repeats %q (names are case-insensitive)", ErrName, v.Name, prev)
		}
		names[upper] = v.Name
		if err := v.check(); err != nil {
			return nil, err
		}
		cols[i] = column{Variable: v, label: truncateUTF8(v.Label, MaxVarLabelLen), segs: segments(v.Width), unit: unit}
		for _, s := range cols[i].segs {
			unit += s.units
		}
	}
	assignShortNames(cols)
	return cols, nil
}

// assignShortNames gives every segment a unique short name. First segments
// come first, so that a variable keeps its own name (upper-cased, cut to 8
// bytes) whenever it can; extra segments of very long strings take what is
// left.
func assignShortNames(cols []column) {
	taken := make(map[string]bool)
	for i := range cols {
		cols[i].segs[0].short = uniqueShort(strings.ToUpper(cols[i].Name), taken)
	}
	for i := range cols {
		for j := 1; j < len(cols[i].segs); j++ {
			base := cols[i].segs[0].short
			cols[i].segs[j].short = uniqueShort(base[:min(len(base), 5)]+strconv.Itoa(j), taken)
		}
	}
}

// uniqueShort returns base cut to 8 bytes if that is free and valid, or
// else a shorter prefix with a number appended, and marks it taken.
func uniqueShort(base string, taken map[string]bool) string {
	base = base[:min(len(base), 8)]
	ok := func(s string) bool {
		return s != "" && !taken[s] && !isReserved(s) && !strings.HasSuffix(s, ".")
	}
	name := strings.TrimRight(base, ".")
	for n := 1; !ok(name); n++ {
		suffix := strconv.Itoa(n)
		name = base[:min(len(base), 8-len(suffix))] + suffix
	}
	taken[name] = true
	return name
}

// caseUnits returns the number of 8-byte units in one case, the header's
// "nominal case size".
func caseUnits(cols []column) int {
	last := cols[len(cols)-1]
	n := last.unit
	for _, s := range last.segs {
		n += s.units
	}
	return n
}
