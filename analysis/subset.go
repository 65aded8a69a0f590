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
		v := make([]int8, len(rows))
		for j, i := range rows {
			v[j] = c.Values[i]
		}
		nc := &ScaleColumn{Field: c.Field, Lo: c.Lo, Hi: c.Hi, Values: v}
		out.scales = append(out.scales, nc)
		out.byID[c.Field.ID] = nc
	}
	for _, c := range s.choices {
		v := make([]uint16, len(rows))
		for j, i := range rows {
			v[j] = c.Codes[i]
		}
		nc := &ChoiceColumn{ID: c.ID, Levels: append([]string(nil), c.Levels...), Codes: v, index: make(map[string]uint16, len(c.index))}
		for k, x := range c.index {
			nc.index[k] = x
		}
		out.choices = append(out.choices, nc)
		out.byID[c.ID] = nc
	}
	for _, c := range s.multis {
		v := make([]uint64, len(rows))
		for j, i := range rows {
			v[j] = c.Bits[i]
		}
		nc := &MultiColumn{ID: c.ID, Options: c.Options, Bits: v}
		out.multis = append(out.multis, nc)
		out.byID[c.ID] = nc
	}
	out.DesignWeight = make([]float64, len(rows))
	out.Codes = make([]string, len(rows))
	for j, i := range rows {
		out.DesignWeight[j] = s.DesignWeight[i]
		out.Codes[j] = s.Codes[i]
	}
	return out
}
