package surveys

import (
	"fmt"
	"strconv"
	"strings"
)

func (c *checker) sections() {
	ids := map[string]string{} // question id → path of its first use
	claim := func(id, path string) {
		if first, dup := ids[id]; dup {
			c.add(path, "duplicate question id %q (first used at %s)", id, first)
			return
		}
		ids[id] = path
	}
	blocks := 0
	secIDs := map[string]bool{}
	for i, s := range c.d.Sections {
		p := fmt.Sprintf("sections[%d]", i)
		if !codeRE.MatchString(s.ID) || secIDs[s.ID] {
			c.add(p+".id", "section id %q must be unique snake_case", s.ID)
		}
		secIDs[s.ID] = true
		c.text(p+".title", s.Title, true)
		for j, q := range s.Questions {
			qp := fmt.Sprintf("%s.questions[%d]", p, j)
			c.question(qp, q)
			// The condition is checked before the id is claimed, so a
			// question cannot depend on itself.
			if q.ShowIf != nil {
				c.condition(qp+".show_if", q.ShowIf, ids)
			}
			claim(q.ID, qp+".id")
		}
		if s.CategoryBlocks {
			blocks++
			c.blockConditions(ids)
			c.blockIDs(p, claim)
		}
	}
	if blocks != 1 {
		c.add("sections", "exactly one section must have category_blocks: true (found %d)", blocks)
	}
	c.special(ids)
}

// blockIDs claims the expanded ids of every category block.
func (c *checker) blockIDs(path string, claim func(id, path string)) {
	for i, cat := range c.d.Categories {
		p := fmt.Sprintf("categories[%d]", i)
		for j, ind := range cat.Indicators {
			ip := fmt.Sprintf("%s.indicators[%d]", p, j)
			claim(ImportanceID(cat.Code, ind.Code), ip)
			claim(SatisfactionID(cat.Code, ind.Code), ip)
		}
		for _, k := range c.d.KanoFor(cat.Code) {
			claim(k.ID+"_func", "kano_items."+k.ID)
			claim(k.ID+"_dysf", "kano_items."+k.ID)
		}
		if c.d.Block.Overall != nil {
			claim(OverallID(cat.Code), "category_block.overall")
		}
		if c.d.Block.Recommend != nil {
			claim(RecommendID(cat.Code), "category_block.recommend")
		}
		for _, q := range c.d.Block.Extra {
			claim(strings.ReplaceAll(q.ID, "{cat}", cat.Code), "category_block.extra")
		}
	}
}

// blockConditions checks the show_if of the per-category questions; they may
// refer to respondent-level questions asked before the blocks.
func (c *checker) blockConditions(earlier map[string]string) {
	b := c.d.Block
	for name, q := range map[string]*Question{"overall": b.Overall, "recommend": b.Recommend} {
		if q != nil && q.ShowIf != nil {
			c.condition("category_block."+name+".show_if", q.ShowIf, earlier)
		}
	}
	for i, q := range b.Extra {
		if q.ShowIf != nil {
			c.condition(fmt.Sprintf("category_block.extra[%d].show_if", i), q.ShowIf, earlier)
		}
	}
}

// special checks the questions the phone flow depends on.
func (c *checker) special(ids map[string]string) {
	if g := c.d.Guardian; g != nil {
		q := c.find(g.Question)
		consent := c.find(ConsentID)
		switch {
		case q == nil || (q.Type != TypeSingle && q.Type != TypeConsent):
			c.add("guardian_consent.question", "must name a respondent-level single_choice question (got %q)", g.Question)
		case consent == nil || !hasOption(consent.Options, g.Consent):
			c.add("guardian_consent.consent", "%q is not an option of the consent question", g.Consent)
		default:
			for _, v := range g.In {
				if !hasOption(c.d.options(q, c.d.Scales[q.Scale]), v) {
					c.add("guardian_consent.in", "%q is not an option of %q", v, g.Question)
				}
			}
		}
	}
	consent := c.find(ConsentID)
	if consent == nil {
		c.add("sections", "a %q question of type consent is required (PIPL Art. 14, 17)", ConsentID)
	} else {
		hasDecline := false
		for _, o := range consent.Options {
			hasDecline = hasDecline || o.Value == DeclineValue
		}
		if consent.Type != TypeConsent || !hasDecline || len(consent.Options) < 2 || !consent.Required {
			c.add(ids[ConsentID], "consent must be a required consent question with an agree option and a %q option", DeclineValue)
		}
		c.text(ids[ConsentID]+".notice", consent.Notice, true)
	}
	rate := c.find(RatedCategoriesID)
	if rate == nil {
		c.add("sections", "a %q multi_choice question with options_from: categories is required", RatedCategoriesID)
	} else if rate.Type != TypeMulti || rate.OptionsFrom != "categories" || !rate.Required {
		c.add(ids[RatedCategoriesID], "%q must be a required multi_choice with options_from: categories", RatedCategoriesID)
	}
}

func (c *checker) find(id string) *Question {
	for _, s := range c.d.Sections {
		for _, q := range s.Questions {
			if q.ID == id {
				return q
			}
		}
	}
	return nil
}

func (c *checker) question(p string, q *Question) {
	if !codeRE.MatchString(strings.ReplaceAll(q.ID, "{cat}", "cat")) {
		c.add(p+".id", "question id %q must be snake_case", q.ID)
	}
	c.text(p+".label", q.Label, true)
	c.text(p+".notice", q.Notice, false)
	c.text(p+".warning", q.Warning, false)
	switch q.Type {
	case TypeRating:
		if s := c.scaleRef(p+".scale", q.Scale, true); s != nil && s.Type == "choice" {
			c.add(p+".scale", "a rating needs a likert or numeric scale")
		}
		if q.AllowNA && q.Scale != "" && c.d.Scales[q.Scale] != nil && c.d.Scales[q.Scale].NA == nil {
			c.add(p+".allow_na", "scale %q has no na option", q.Scale)
		}
	case TypeSingle, TypeConsent, TypeMulti:
		s := c.scaleRef(p+".scale", q.Scale, false)
		if len(q.Options) == 0 && q.OptionsFrom == "" && s == nil {
			c.add(p+".options", "a choice question needs options, options_from or a scale")
		}
		if q.OptionsFrom != "" && q.OptionsFrom != "categories" {
			c.add(p+".options_from", "unknown source %q (want categories)", q.OptionsFrom)
		}
		c.options(p+".options", q.Options)
		if q.Type == TypeMulti && q.Max > 0 && q.Min > q.Max {
			c.add(p+".min", "min %d is above max %d", q.Min, q.Max)
		}
	case TypeText:
		if q.MaxLength <= 0 || q.MaxLength > 5000 {
			c.add(p+".max_length", "a text question needs max_length between 1 and 5000")
		}
	default:
		c.add(p+".type", "unknown question type %q", q.Type)
	}
}

func (c *checker) condition(p string, cond *Condition, earlier map[string]string) {
	if _, ok := earlier[cond.Question]; !ok || c.find(cond.Question) == nil {
		c.add(p+".question", "show_if must refer to an earlier respondent-level question (got %q)", cond.Question)
		return
	}
	if len(cond.In) == 0 && len(cond.NotIn) == 0 {
		c.add(p, "show_if needs in or not_in")
	}
	q := c.find(cond.Question)
	valid := map[string]bool{}
	for _, o := range c.d.options(q, c.d.Scales[q.Scale]) {
		valid[o.Value] = true
	}
	if sc := c.d.Scales[q.Scale]; q.Type == TypeRating && sc != nil {
		// A rating's values are the integers of its scale.
		lo, hi := sc.Range()
		for n := lo; n <= hi; n++ {
			valid[strconv.Itoa(n)] = true
		}
	}
	for _, v := range append(append([]string{}, cond.In...), cond.NotIn...) {
		if !valid[v] {
			c.add(p, "%q is not an option of %q", v, cond.Question)
		}
	}
}
