package server

import (
	"net/url"
	"slices"
	"strings"

	"github.com/qvoice/qvoice/surveys"
)

// page is one screen of the phone form. The list of pages depends on the
// answers so far (which categories were chosen, which follow-ups apply):
// branching happens here, on the server, so the form needs no JavaScript.
type page struct {
	Key      string // "s:SECTION", "c:CATEGORY" or, in large-text mode, "f:FIELD"
	Section  *surveys.Section
	Category string // for a category block
	Fields   []*surveys.Field
}

// pagesOf lists the pages for the answers in values. Normally a page is a
// section, or one rated category's block; in large-text (elder) mode every
// question is a page of its own (适老化: one question per screen).
func pagesOf(d *surveys.Definition, values url.Values, elder bool) []page {
	return pagesWhere(d, values, elder, func(c *surveys.Condition) bool { return conditionHolds(c, values) })
}

// pagesWhere is pagesOf with the test of a question's show_if given.
func pagesWhere(d *surveys.Definition, values url.Values, elder bool, shown func(*surveys.Condition) bool) []page {
	var out []page
	add := func(p page) {
		if len(p.Fields) == 0 {
			return
		}
		if !elder {
			out = append(out, p)
			return
		}
		for _, f := range p.Fields {
			out = append(out, page{Key: "f:" + f.ID, Section: p.Section, Category: p.Category, Fields: []*surveys.Field{f}})
		}
	}
	for _, s := range d.Sections {
		if s.CategoryBlocks {
			for _, code := range chosenCategories(d, values) {
				add(page{Key: "c:" + code, Section: s, Category: code, Fields: d.CategoryFields(code)})
			}
		}
		p := page{Key: "s:" + s.ID, Section: s}
		for _, q := range s.Questions {
			if f := d.Field(q.ID); f != nil && shown(f.ShowIf) {
				p.Fields = append(p.Fields, f)
			}
		}
		add(p)
	}
	return out
}

// pageByKey builds the page with key from the answers in values when the
// page list of those answers lacks it: a page kept on screen while the
// database is down, whose earlier answers (the chosen categories, the
// answers a show_if reads) are in the unreadable draft. A category page
// is built as if its category were chosen, and a question whose show_if
// reads an answer not in values is shown: showing a question too many
// keeps the respondent's answer on screen, hiding one would drop it.
func pageByKey(d *surveys.Definition, values url.Values, key string) (page, bool) {
	vals := url.Values{}
	for k, vs := range values {
		vals[k] = vs
	}
	code, isCategory := strings.CutPrefix(key, "c:")
	if id, ok := strings.CutPrefix(key, "f:"); ok {
		if f := d.Field(id); f != nil && f.Category != "" {
			code, isCategory = f.Category, true
		}
	}
	if isCategory {
		vals[surveys.RatedCategoriesID] = []string{code}
	}
	shown := func(c *surveys.Condition) bool {
		return c == nil || len(values[c.Question]) == 0 || conditionHolds(c, values)
	}
	for _, p := range pagesWhere(d, vals, strings.HasPrefix(key, "f:"), shown) {
		if p.Key == key {
			return p, true
		}
	}
	return page{}, false
}

// chosenCategories are the valid categories picked to rate, in the
// respondent's order, at most the survey's maximum.
func chosenCategories(d *surveys.Definition, values url.Values) []string {
	var out []string
	for _, code := range values[surveys.RatedCategoriesID] {
		if d.Category(code) != nil && !slices.Contains(out, code) && len(out) < d.MaxCategories {
			out = append(out, code)
		}
	}
	return out
}

// conditionHolds evaluates a show_if on raw answers, as ParseAnswers does on
// parsed ones.
func conditionHolds(c *surveys.Condition, values url.Values) bool {
	if c == nil {
		return true
	}
	got := values[c.Question]
	anyIn := func(set []string) bool {
		for _, g := range got {
			if slices.Contains(set, g) {
				return true
			}
		}
		return false
	}
	if len(c.In) > 0 && !anyIn(c.In) {
		return false
	}
	return !anyIn(c.NotIn)
}

// pageIndex finds a page by key; an unknown key (the answers changed the
// pages) gives 0, the first page.
func pageIndex(pages []page, key string) int {
	for i, p := range pages {
		if p.Key == key {
			return i
		}
	}
	return 0
}

// pageOfField is the index of the page asking a field, or −1.
func pageOfField(pages []page, id string) int {
	for i, p := range pages {
		for _, f := range p.Fields {
			if f.ID == id {
				return i
			}
		}
	}
	return -1
}

// fieldIDs lists a page's field ids.
func (p page) fieldIDs() []string {
	ids := make([]string, len(p.Fields))
	for i, f := range p.Fields {
		ids[i] = f.ID
	}
	return ids
}
