package analysis

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/qvoice/qvoice/surveys"
)

// The key groups of groups.csv, each defined by the answers to one
// respondent question of the demo questionnaire. A group whose question the
// survey lacks has no members.
const (
	// GroupAll is every respondent.
	GroupAll = "all"
	// GroupAge60Plus is age_band 60_69 or 70_plus: older people (老年人,
	// 60 and over, as the Elderly Rights Law defines them).
	GroupAge60Plus = "age_60plus"
	// GroupHasInfant is a household that includes infant_0_3, an infant
	// aged 0–3.
	GroupHasInfant = "has_infant"
	// GroupHasChild is a household that includes child_3_14, a child aged
	// 3–14 or school pupil.
	GroupHasChild = "has_child"
	// GroupStudent is status school_student or college_student.
	GroupStudent = "student"
	// GroupUrbanRuralFringe is region_type urban_rural_fringe (城乡结合部).
	GroupUrbanRuralFringe = "urban_rural_fringe"
	// GroupRuralVillage is region_type rural_village (农村).
	GroupRuralVillage = "rural_village"
)

// groupRule is a key group: the rows whose answer to field is one of
// levels (a single choice) or includes one of them (a multi-choice).
type groupRule struct {
	name   string
	field  string
	levels []string
}

// keyGroupRules lists the key groups in the order of groups.csv.
func keyGroupRules() []groupRule {
	return []groupRule{
		{GroupAll, "", nil},
		{GroupAge60Plus, "age_band", []string{"60_69", "70_plus"}},
		{GroupHasInfant, "household", []string{"infant_0_3"}},
		{GroupHasChild, "household", []string{"child_3_14"}},
		{GroupStudent, "status", []string{"school_student", "college_student"}},
		{GroupUrbanRuralFringe, "region_type", []string{"urban_rural_fringe"}},
		{GroupRuralVillage, "region_type", []string{"rural_village"}},
	}
}

// KeyGroupNames lists the key groups in the order of groups.csv.
func KeyGroupNames() []string {
	rules := keyGroupRules()
	out := make([]string, len(rules))
	for g, r := range rules {
		out[g] = r.name
	}
	return out
}

// KeyGroupResults is the "improve first" list of each key group: point
// estimates only, with the weights given to KeyGroups.
type KeyGroupResults struct {
	Groups []GroupPriorities // in KeyGroupNames order
	// Warnings names the groups without members and, within the others,
	// the categories nobody in the group rated and the indicators without
	// answers: their rows are NA.
	Warnings []string
}

// GroupPriorities is one key group.
type GroupPriorities struct {
	Group      string
	N          int // respondents in the group
	Categories []GroupCategory
}

// GroupCategory is one category within a key group.
type GroupCategory struct {
	Category   string
	Indicators []GroupIndicator
}

// GroupIndicator is one indicator within a key group: with the group's
// rows G and weights w, the available-case weighted means
//
//	I = Σ_{G∩D_I} w y / Σ_{G∩D_I} w,   P likewise,
//
// over NI and NP answers, W = I/Σ_j I_j within the category and Priority =
// W·(hi − P) on the satisfaction scale lo..hi, as in IndicatorIndices.
// RankInGroup ranks Priority over every category of the group, 1 for the
// highest, ties sharing the lowest rank (frank(-priority,
// ties.method="min") by group); 0 (NA) when the priority is NaN. Means of
// no answers are NaN.
type GroupIndicator struct {
	Indicator   string
	NI, NP      int
	I, P        float64
	W, Priority float64
	RankInGroup int
}

// KeyGroups computes the priorities of the key groups (GroupAll and the
// others above) with weights (nil: unweighted), the oracle's groups
// section. Empty groups and categories are kept, with n = 0 and NaN
// estimates, so that every run has the same rows; Warnings lists them.
// It is one pass over each importance and satisfaction column. It panics
// if weights is not nil and not one per row.
func KeyGroups(s *Sample, weights []float64) *KeyGroupResults {
	if weights != nil && len(weights) != s.Len() {
		panic(fmt.Sprintf("analysis: KeyGroups: %d weights for %d rows", len(weights), s.Len()))
	}
	masks, sizes, warn := keyGroupMasks(s)
	res := &KeyGroupResults{Warnings: warn}
	for g, r := range keyGroupRules() {
		res.Groups = append(res.Groups, GroupPriorities{Group: r.name, N: sizes[g]})
	}
	for _, c := range s.Def.Categories {
		cats := groupCategory(s, weights, masks, c)
		for g := range res.Groups {
			res.Groups[g].Categories = append(res.Groups[g].Categories, cats[g])
		}
	}
	for g := range res.Groups {
		res.Groups[g].rank()
		if sizes[g] == 0 {
			continue
		}
		for _, c := range res.Groups[g].Categories {
			res.Warnings = append(res.Warnings, c.warnings(res.Groups[g].Group)...)
		}
	}
	return res
}

// warnings reports a category nobody in the group rated or, failing that,
// its indicators without answers (which make its w and priorities NaN).
func (c GroupCategory) warnings(group string) []string {
	var out []string
	answered := false
	for _, r := range c.Indicators {
		answered = answered || r.NI+r.NP > 0
		if r.NI == 0 || r.NP == 0 {
			out = append(out, fmt.Sprintf("group %s, category %s: indicator %s has %d importance and %d satisfaction answers; the category's w and priorities are NA",
				group, c.Category, r.Indicator, r.NI, r.NP))
		}
	}
	if !answered && len(c.Indicators) > 0 {
		return []string{fmt.Sprintf("group %s: nobody in the group rated category %s; its rows are NA", group, c.Category)}
	}
	return out
}

// keyGroupMasks returns, per row, a bit set of the key groups it belongs
// to (bit g for keyGroupRules[g]), the group sizes, and a warning for each
// group that is empty.
func keyGroupMasks(s *Sample) (masks []uint8, sizes []int, warn []string) {
	rules := keyGroupRules()
	masks = make([]uint8, s.Len())
	sizes = make([]int, len(rules))
	for g, r := range rules {
		in, ok := groupMember(s, r)
		if !ok {
			warn = append(warn, fmt.Sprintf("group %s: the survey has no question %s; the group is empty and its rows are NA", r.name, r.field))
			continue
		}
		for i := range masks {
			if in(i) {
				masks[i] |= 1 << g
				sizes[g]++
			}
		}
		if sizes[g] == 0 {
			warn = append(warn, fmt.Sprintf("group %s: no respondents; its rows are NA", r.name))
		}
	}
	return masks, sizes, warn
}

// groupMember returns the membership test of rule r, and false if s has
// no such question.
func groupMember(s *Sample, r groupRule) (func(int) bool, bool) {
	if r.field == "" {
		return func(int) bool { return true }, true
	}
	if c := s.Choice(r.field); c != nil {
		codes := map[uint16]bool{}
		for _, l := range r.levels {
			if k := c.LevelIndex(l); k > 0 {
				codes[k] = true
			}
		}
		return func(i int) bool { return codes[c.Codes[i]] }, true
	}
	if c := s.Multi(r.field); c != nil {
		var mask uint64
		for _, l := range r.levels {
			for k, o := range c.Options {
				if o == l {
					mask |= 1 << k
				}
			}
		}
		return func(i int) bool { return c.Bits[i]&mask != 0 }, true
	}
	return nil, false
}

// groupCategory computes category c for every key group.
func groupCategory(s *Sample, weights []float64, masks []uint8, c *surveys.Category) []GroupCategory {
	ng := len(keyGroupRules())
	k := len(c.Indicators)
	out := make([]GroupCategory, ng)
	for g := range out {
		out[g] = GroupCategory{Category: c.Code, Indicators: make([]GroupIndicator, k)}
	}
	hi := math.NaN()
	sw, swy, n := make([]float64, ng), make([]float64, ng), make([]int, ng)
	for i, ind := range c.Indicators {
		for side, id := range [2]string{surveys.ImportanceID(c.Code, ind.Code), surveys.SatisfactionID(c.Code, ind.Code)} {
			clear(sw)
			clear(swy)
			clear(n)
			if col := s.Scale(id); col != nil {
				groupSums(col, weights, masks, sw, swy, n)
				if side == 1 {
					hi = float64(col.Hi)
				}
			}
			for g := range out {
				r := &out[g].Indicators[i]
				r.Indicator = ind.Code
				mean := math.NaN()
				if n[g] > 0 {
					mean = swy[g] / sw[g]
				}
				if side == 0 {
					r.NI, r.I = n[g], mean
				} else {
					r.NP, r.P = n[g], mean
				}
			}
		}
	}
	for g := range out {
		inds := out[g].Indicators
		var sumI float64
		for _, r := range inds {
			sumI += r.I
		}
		for i := range inds {
			inds[i].W = inds[i].I / sumI
			inds[i].Priority = inds[i].W * (hi - inds[i].P)
		}
	}
	return out
}

// groupSums adds, for every answer of col, w and w·y to the sums of each
// group the row belongs to, and counts it.
func groupSums(col *ScaleColumn, weights []float64, masks []uint8, sw, swy []float64, n []int) {
	for i, v := range col.Values {
		if v == Missing {
			continue
		}
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		wy := w * float64(v)
		for m := masks[i]; m != 0; m &= m - 1 {
			g := bits.TrailingZeros8(m)
			sw[g] += w
			swy[g] += wy
			n[g]++
		}
	}
}

// rank sets RankInGroup over all categories of the group.
func (gp *GroupPriorities) rank() {
	var p []float64
	for _, c := range gp.Categories {
		for _, r := range c.Indicators {
			p = append(p, r.Priority)
		}
	}
	rank := rankMin(p)
	for _, c := range gp.Categories {
		for i := range c.Indicators {
			c.Indicators[i].RankInGroup, rank = rank[0], rank[1:]
		}
	}
}

// Table is groups.csv: one row per group, category and indicator, in that
// order; NaN estimates and missing ranks are NA.
func (r *KeyGroupResults) Table() *Table {
	t := &Table{Name: "groups", Columns: []string{"group", "category", "indicator",
		"n_I", "n_P", "I", "P", "w", "priority", "rank_in_group"}}
	for _, g := range r.Groups {
		for _, c := range g.Categories {
			for _, x := range c.Indicators {
				t.Append(g.Group, c.Category, x.Indicator, x.NI, x.NP, x.I, x.P, x.W, x.Priority, rankOrNA(x.RankInGroup))
			}
		}
	}
	return t
}

// GroupsTable is KeyGroups(s, weights).Table(), the oracle's groups.csv
// when weights are the raked weights. Use KeyGroups to see its Warnings.
func GroupsTable(s *Sample, weights []float64) *Table {
	return KeyGroups(s, weights).Table()
}

// Where returns the test of the rows whose answer to the single or
// multiple choice field is (or includes) one of levels; a field s lacks
// matches no row.
func (s *Sample) Where(field string, levels []string) func(i int) bool {
	if in, ok := groupMember(s, groupRule{field: field, levels: levels}); ok {
		return in
	}
	return func(int) bool { return false }
}

// InGroup returns the membership test of key group name (one of
// KeyGroupNames) for the rows of s, and false if there is no such group or
// s's survey lacks the group's question.
func (s *Sample) InGroup(name string) (func(i int) bool, bool) {
	for _, r := range keyGroupRules() {
		if r.name == name {
			return groupMember(s, r)
		}
	}
	return nil, false
}
