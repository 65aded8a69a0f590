package analysis

import (
	"github.com/qvoice/qvoice/surveys"
)

// Sample holds every response in compact columns, for the statistics that
// truly need rows: raked weights are a fixed point over the whole sample,
// and the raked and calibrated variances, the complete-case reliability and
// driver analyses and the rank tests all revisit each response. A row costs
// one byte per scale answer, two per single choice, eight per multi-choice,
// eight for the design weight, plus the response code: about 150 bytes for
// the demo survey, 150 MB for a million responses.
//
// A Sample is filled with Add and then only read; it is not safe for
// concurrent Add.
type Sample struct {
	Def *surveys.Definition

	scales  []*ScaleColumn
	choices []*ChoiceColumn
	multis  []*MultiColumn
	byID    map[string]any

	// DesignWeight is the base weight of each row (1 when none was given).
	DesignWeight []float64
	// Codes are the response codes, for per-row outputs such as weights.csv.
	Codes []string
}

// Missing is the ScaleColumn value of an absent answer or "na".
const Missing int8 = -1

// ScaleColumn is one integer-scale field, one value per row.
type ScaleColumn struct {
	Field  *surveys.Field
	Lo, Hi int
	Values []int8 // Missing, or the scale point
}

// Value returns row i's answer and whether there is one.
func (c *ScaleColumn) Value(i int) (int, bool) {
	v := c.Values[i]
	return int(v), v != Missing
}

// ChoiceColumn is one single-choice field (or an extra column such as
// venue), one level index per row: 0 is missing, k is Levels[k-1].
type ChoiceColumn struct {
	ID     string
	Levels []string // the definition's options first, then unknown values in order of appearance
	Codes  []uint16
	index  map[string]uint16
}

// Level returns row i's level, or "" when missing.
func (c *ChoiceColumn) Level(i int) string {
	if k := c.Codes[i]; k > 0 {
		return c.Levels[k-1]
	}
	return ""
}

// LevelIndex returns the code of a level (0 if it never occurs).
func (c *ChoiceColumn) LevelIndex(level string) uint16 { return c.index[level] }

func (c *ChoiceColumn) code(v string) uint16 {
	if v == "" {
		return 0
	}
	k, ok := c.index[v]
	if !ok {
		c.Levels = append(c.Levels, v)
		k = uint16(len(c.Levels))
		c.index[v] = k
	}
	return k
}

// MultiColumn is one multi-choice field as a bit set per row: bit k is
// Options[k]; answeredBit marks a row that answered at all. Up to 63 options.
type MultiColumn struct {
	ID      string
	Options []string
	Bits    []uint64
}

const answeredBit = uint64(1) << 63

// Has reports whether row i chose option.
func (c *MultiColumn) Has(i int, option string) bool {
	for k, o := range c.Options {
		if o == option {
			return c.Bits[i]&(1<<k) != 0
		}
	}
	return false
}

// Answered reports whether row i answered the question.
func (c *MultiColumn) Answered(i int) bool { return c.Bits[i]&answeredBit != 0 }

// NewSample returns an empty Sample with a column for every scale, choice
// and multi-choice field of d (text is not kept), plus a choice column for
// each of extra, such as "venue" or "src".
func NewSample(d *surveys.Definition, extra ...string) *Sample {
	if d == nil {
		panic("analysis: NewSample with a nil definition")
	}
	s := &Sample{Def: d, byID: map[string]any{}}
	for _, f := range d.Fields() {
		switch f.Kind {
		case surveys.KindScale:
			lo, hi := scaleRange(f.Scale)
			c := &ScaleColumn{Field: f, Lo: lo, Hi: hi}
			s.scales = append(s.scales, c)
			s.byID[f.ID] = c
		case surveys.KindChoice:
			s.addChoice(f.ID, f.Options)
		case surveys.KindMulti:
			if len(f.Options) < 63 {
				c := &MultiColumn{ID: f.ID}
				for _, o := range f.Options {
					c.Options = append(c.Options, o.Value)
				}
				s.multis = append(s.multis, c)
				s.byID[f.ID] = c
			}
		}
	}
	for _, id := range extra {
		if _, dup := s.byID[id]; !dup {
			s.addChoice(id, nil)
		}
	}
	return s
}

func (s *Sample) addChoice(id string, opts []surveys.Option) {
	c := &ChoiceColumn{ID: id, index: map[string]uint16{}}
	for _, o := range opts {
		c.code(o.Value)
	}
	s.choices = append(s.choices, c)
	s.byID[id] = c
}

// Len is the number of rows.
func (s *Sample) Len() int { return len(s.DesignWeight) }

// Scale returns the column of a scale field, or nil.
func (s *Sample) Scale(id string) *ScaleColumn { c, _ := s.byID[id].(*ScaleColumn); return c }

// Choice returns the column of a single-choice field or extra column, or nil.
func (s *Sample) Choice(id string) *ChoiceColumn { c, _ := s.byID[id].(*ChoiceColumn); return c }

// Multi returns the column of a multi-choice field, or nil.
func (s *Sample) Multi(id string) *MultiColumn { c, _ := s.byID[id].(*MultiColumn); return c }

// Add appends one response. weight is its design weight (use 1 without
// one); extra holds the values of the extra columns. An answer outside a
// field's scale, or not of the field's kind, is stored as missing: Add does
// not validate (surveys.ParseAnswers and ReadCSV do).
func (s *Sample) Add(ans surveys.Answers, weight float64, code string, extra map[string]string) {
	for _, c := range s.scales {
		v := Missing
		if x, ok := ans[c.Field.ID].(int); ok && x >= c.Lo && x <= c.Hi && x <= 127 {
			v = int8(x)
		}
		c.Values = append(c.Values, v)
	}
	for _, c := range s.choices {
		v, ok := ans[c.ID].(string)
		if !ok {
			v = extra[c.ID]
		}
		c.Codes = append(c.Codes, c.code(v))
	}
	for _, c := range s.multis {
		var bits uint64
		if list, ok := ans[c.ID].([]string); ok {
			bits = answeredBit
			for _, v := range list {
				for k, o := range c.Options {
					if o == v {
						bits |= 1 << k
					}
				}
			}
		}
		c.Bits = append(c.Bits, bits)
	}
	s.DesignWeight = append(s.DesignWeight, weight)
	s.Codes = append(s.Codes, code)
}
