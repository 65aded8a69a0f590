package surveys

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)
	codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// Option values may also start with a digit ("18_29", province "11").
	valueRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`)
)

// DeclineValue is the consent option that refuses; nothing is stored then.
const DeclineValue = "decline"

// NAValue is the stored code of the "don't know / not used" answer.
const NAValue = "na"

type checker struct {
	d  *Definition
	ps Problems
}

func (c *checker) add(path, format string, args ...any) {
	c.ps = append(c.ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// text checks that t has every language; an empty t is allowed unless required.
func (c *checker) text(path string, t Text, required bool) {
	if len(t) == 0 {
		if required {
			c.add(path, "is required")
		}
		return
	}
	for _, lang := range c.d.Languages {
		if strings.TrimSpace(t[lang]) == "" {
			c.add(path, "missing translation %q", lang)
		}
	}
	for lang := range t {
		if !contains(c.d.Languages, lang) {
			c.add(path+"."+lang, "language %q is not in languages", lang)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// validate reports every problem in d, in file order.
func (d *Definition) validate() Problems {
	c := &checker{d: d}
	if !slugRE.MatchString(d.Slug) {
		c.add("slug", "must be 2–63 lowercase letters, digits or '-' (got %q)", d.Slug)
	}
	if len(d.Languages) == 0 {
		c.add("languages", "is required (the first is the default)")
	}
	for i, l := range d.Languages {
		if contains(d.Languages[:i], l) {
			c.add(fmt.Sprintf("languages[%d]", i), "duplicate language %q", l)
		}
	}
	c.text("title", d.Title, true)
	c.text("intro", d.Intro, false)
	c.text("organizer.name", d.Organizer.Name, false)
	c.text("organizer.retention", d.Organizer.Retention, false)
	c.text("thanks", d.Thanks, true)
	c.text("declined", d.Declined, false)
	if d.MaxCategories < 1 {
		c.add("max_categories_per_respondent", "must be at least 1")
	}
	c.lifecycle()
	c.scales()
	for code, t := range d.Indicators {
		if !codeRE.MatchString(code) {
			c.add("indicators."+code, "code must be snake_case")
		}
		c.text("indicators."+code, t, true)
	}
	c.categories()
	c.kano()
	c.block()
	c.sections()
	if len(c.ps) == 0 {
		c.exchangeOrder()
		c.population()
	}
	return c.ps
}

// exchangeOrder checks that exchange_order names answer fields, once each.
// It runs on an otherwise valid definition, whose fields can be expanded.
func (c *checker) exchangeOrder() {
	c.d.expand()
	seen := map[string]bool{}
	for i, id := range c.d.ExchangeOrder {
		p := fmt.Sprintf("exchange_order[%d]", i)
		switch {
		case c.d.Field(id) == nil:
			c.add(p, "%q is not an answer field", id)
		case seen[id]:
			c.add(p, "%q is listed twice", id)
		}
		seen[id] = true
	}
}

func (c *checker) scales() {
	for name, s := range c.d.Scales {
		p := "scales." + name
		switch s.Type {
		case "likert", "choice":
			if len(s.Points) < 2 {
				c.add(p+".points", "needs at least 2 points")
			}
			c.options(p+".points", s.Points)
		case "numeric":
			if s.Min >= s.Max {
				c.add(p, "min (%d) must be below max (%d)", s.Min, s.Max)
			}
			c.options(p+".anchors", s.Anchors)
		default:
			c.add(p+".type", "unknown scale type %q (want likert, numeric or choice)", s.Type)
		}
		if s.Type == "likert" {
			for i, o := range s.Points {
				if !isInt(o.Value) {
					c.add(fmt.Sprintf("%s.points[%d].value", p, i), "likert points must be integers (got %q)", o.Value)
				}
			}
		}
		if s.NA != nil {
			if s.NA.Value != NAValue {
				c.add(p+".na.value", "must be %q", NAValue)
			}
			c.text(p+".na.label", s.NA.Label, true)
		}
	}
}

func isInt(s string) bool {
	var n int
	_, err := fmt.Sscanf(s, "%d", &n)
	return err == nil && fmt.Sprint(n) == s
}

func (c *checker) options(path string, opts []Option) {
	seen := map[string]bool{}
	for i, o := range opts {
		p := fmt.Sprintf("%s[%d]", path, i)
		if !valueRE.MatchString(o.Value) {
			c.add(p+".value", "value %q must be lowercase letters, digits or '_'", o.Value)
		} else if seen[o.Value] {
			c.add(p+".value", "duplicate value %q", o.Value)
		}
		seen[o.Value] = true
		c.text(p+".label", o.Label, true)
	}
}

func (c *checker) categories() {
	if len(c.d.Categories) == 0 {
		c.add("categories", "at least one product category is required")
	}
	seen := map[string]bool{}
	for i, cat := range c.d.Categories {
		p := fmt.Sprintf("categories[%d]", i)
		if !codeRE.MatchString(cat.Code) {
			c.add(p+".code", "code %q must be snake_case", cat.Code)
		} else if seen[cat.Code] {
			c.add(p+".code", "duplicate category code %q", cat.Code)
		}
		seen[cat.Code] = true
		c.text(p+".label", cat.Label, true)
		c.text(p+".examples", cat.Examples, false)
		if len(cat.Indicators) == 0 {
			c.add(p+".indicators", "a category needs at least one quality indicator")
		}
		inds := map[string]bool{}
		for j, ind := range cat.Indicators {
			q := fmt.Sprintf("%s.indicators[%d]", p, j)
			if _, ok := c.d.Indicators[ind.Code]; !ok {
				c.add(q+".code", "unknown indicator %q (not in indicators)", ind.Code)
			} else if inds[ind.Code] {
				c.add(q+".code", "duplicate indicator code %q in category %q", ind.Code, cat.Code)
			}
			inds[ind.Code] = true
			c.text(q+".label", ind.Label, false)
		}
	}
}

func (c *checker) kano() {
	seen := map[string]bool{}
	for i, k := range c.d.Kano {
		p := fmt.Sprintf("kano_items[%d]", i)
		if !codeRE.MatchString(k.ID) || seen[k.ID] {
			c.add(p+".id", "id %q must be unique snake_case", k.ID)
		}
		seen[k.ID] = true
		if c.d.Category(k.Category) == nil {
			c.add(p+".category", "unknown category %q", k.Category)
		}
		c.scaleRef(p+".scale", k.Scale, true)
		c.text(p+".feature", k.Feature, true)
		c.text(p+".functional", k.Functional, true)
		c.text(p+".dysfunctional", k.Dysfunctional, true)
	}
}

// scaleRef checks a reference to a named scale.
func (c *checker) scaleRef(path, name string, required bool) *Scale {
	if name == "" {
		if required {
			c.add(path, "is required")
		}
		return nil
	}
	s, ok := c.d.Scales[name]
	if !ok {
		c.add(path, "unknown scale %q", name)
	}
	return s
}

func (c *checker) block() {
	b := c.d.Block
	c.text("category_block.title", b.Title, false)
	for name, m := range map[string]*MatrixQuestion{"importance": b.Importance, "satisfaction": b.Satisfaction} {
		p := "category_block." + name
		if m == nil {
			c.add(p, "is required")
			continue
		}
		c.text(p+".label", m.Label, true)
		s := c.scaleRef(p+".scale", m.Scale, true)
		if s != nil && s.Type != "likert" {
			c.add(p+".scale", "must be a likert scale")
		}
		if s != nil && m.AllowNA && s.NA == nil {
			c.add(p+".allow_na", "scale %q has no na option", m.Scale)
		}
	}
	if b.Overall != nil {
		c.question("category_block.overall", b.Overall)
	}
	if b.Recommend != nil {
		c.question("category_block.recommend", b.Recommend)
	}
	for i, q := range b.Extra {
		p := fmt.Sprintf("category_block.extra[%d]", i)
		if !strings.Contains(q.ID, "{cat}") {
			c.add(p+".id", "per-category question ids must contain {cat}")
		}
		c.question(p, q)
	}
}
