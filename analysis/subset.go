package analysis

// Subset returns a new Sample of the rows of s that keep selects, in
// order, sharing s's definition and levels: a domain of the sample (a
// province, a period, one key group) to analyse on its own. The columns
// are copied, so s may grow afterwards. Choice levels met only in s keep
// their codes, so levels line up between s and the subset.
func (s *Sample) Subset(keep func(i int) bool) *Sample {
	rows := make([]int, 0, s.Len())
	for i := range s.Len() {
		if keep(i) {
			rows = append(rows, i)
		}
	}
	return s.Rows(rows)
}

// Rows returns a new Sample of the given rows of s, in the order given.
func (s *Sample) Rows(rows []int) *Sample {
	out := &Sample{Def: s.Def, byID: make(map[string]any, len(s.byID))}
	for _, c := range s.scales {
		nc := &ScaleColumn{Field: c.Field, Lo: c.Lo, Hi: c.Hi, Values: pick(c.Values, rows)}
		out.scales = append(out.scales, nc)
		out.byID[c.Field.ID] = nc
	}
	for _, c := range s.choices {
		nc := &ChoiceColumn{ID: c.ID, Levels: append([]string(nil), c.Levels...), Codes: pick(c.Codes, rows), index: make(map[string]uint16, len(c.index))}
		for k, x := range c.index {
			nc.index[k] = x
		}
		out.choices = append(out.choices, nc)
		out.byID[c.ID] = nc
	}
	for _, c := range s.multis {
		nc := &MultiColumn{ID: c.ID, Options: c.Options, Bits: pick(c.Bits, rows)}
		out.multis = append(out.multis, nc)
		out.byID[c.ID] = nc
	}
	out.DesignWeight = pick(s.DesignWeight, rows)
	out.Codes = pick(s.Codes, rows)
	return out
}

// pick returns vals[i] for each i of rows, in order, in a new slice.
func pick[T any](vals []T, rows []int) []T {
	out := make([]T, len(rows))
	for j, i := range rows {
		out[j] = vals[i]
	}
	return out
}
