package server

import (
	"net/url"
	"slices"

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
			if f := d.Field(q.ID); f != nil && conditionHolds(f.ShowIf, values) {
				p.Fields = append(p.Fields, f)
			}
		}
		add(p)
	}
	return out
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
