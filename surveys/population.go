package surveys

import (
	"fmt"
	"slices"
)

// KeyGroups are the respondent groups quotas and the dashboard speak of,
// as the analysis defines them (analysis.KeyGroupNames): all respondents,
// aged 60 and over, households with an infant (0–3), households with a
// child or pupil (3–14), students, and those living in urban–rural fringe
// areas and rural villages.
var KeyGroups = []string{"all", "age_60plus", "has_infant", "has_child", "student", "urban_rural_fringe", "rural_village"}

// Quota is a fieldwork target: how many responses a key group should give
// in one region type. The dashboard's survey list shows the fill.
type Quota struct {
	Group      string `yaml:"group"`
	RegionType string `yaml:"region_type"`
	Target     int    `yaml:"target"`
}

// PopulationMargin is the population total of each level of one
// respondent question, for raking (the dashboard's "raked" weighting).
type PopulationMargin struct {
	Variable string
	Levels   []string
	Totals   []float64
}

// PopulationMargins lists the definition's population_margins, variables
// in questionnaire order and levels in option order.
func (d *Definition) PopulationMargins() []PopulationMargin {
	var out []PopulationMargin
	for _, f := range d.fields {
		totals, ok := d.Margins[f.ID]
		if !ok {
			continue
		}
		m := PopulationMargin{Variable: f.ID}
		for _, o := range f.Options {
			if t, ok := totals[o.Value]; ok {
				m.Levels, m.Totals = append(m.Levels, o.Value), append(m.Totals, t)
			}
		}
		out = append(out, m)
	}
	return out
}

// population checks population_margins and quotas; it runs on an otherwise
// valid definition, whose fields are expanded.
func (c *checker) population() {
	for v, levels := range c.d.Margins {
		p := "population_margins." + v
		f := c.d.Field(v)
		if f == nil || f.Kind != KindChoice || f.Category != "" {
			c.add(p, "%q is not a respondent-level single-choice question", v)
			continue
		}
		for l, t := range levels {
			if !hasOption(f.Options, l) {
				c.add(p+"."+l, "%q is not an option of %s", l, v)
			}
			if !(t > 0) {
				c.add(p+"."+l, "the total must be positive (got %v)", t)
			}
		}
	}
	region := c.d.Field(RegionTypeID)
	for i, q := range c.d.Quotas {
		p := fmt.Sprintf("quotas[%d]", i)
		if !slices.Contains(KeyGroups, q.Group) {
			c.add(p+".group", "%q is not a key group (want one of %v)", q.Group, KeyGroups)
		}
		if region == nil || !hasOption(region.Options, q.RegionType) {
			c.add(p+".region_type", "%q is not an option of %s", q.RegionType, RegionTypeID)
		}
		if q.Target < 1 {
			c.add(p+".target", "must be at least 1")
		}
	}
}
