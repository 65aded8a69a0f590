package server

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/qvoice/qvoice/surveys"
)

// formPage is one screen of the phone form. Everything the template shows
// is resolved here, in the respondent's language.
type formPage struct {
	Lang, Title     string
	Intro           []string
	Slug            string
	Page, Pages     int // 1-based page number and the current page count
	First, Last     bool
	Elder           bool
	SwitchLang      string
	SwitchLangLabel string
	SwitchLangURL   string
	Hidden          []hiddenInput
	Sections        []sectionView
	ErrorSummary    string
	Notice          string // a message about the whole page, e.g. a fresh submission id
	Fresh           bool   // the first page, before any answer: a plain language link is safe
	Msg             func(key string) string
}

type hiddenInput struct{ Name, Value string }

type sectionView struct {
	Title string
	Items []itemView
}

type itemView struct {
	ID, Heading, Label, Warning, Error string
	Notice                             []string
	Widget                             string // radio, checkbox, select, textarea
	Required                           bool
	Options                            []optionView
	Text                               string
	MaxLength                          int
}

type optionView struct {
	Value, Label string
	Checked      bool
}

// formBuilder turns a definition and the values submitted so far into
// sections of item views.
type formBuilder struct {
	d      *surveys.Definition
	lang   string
	values url.Values
	errs   map[string]string
}

// text is t in the page language, with the organizer placeholders filled.
func (b *formBuilder) text(t surveys.Text) string {
	return b.d.Substitute(t.In(b.lang, b.d.DefaultLanguage()), b.lang)
}

// pageView builds the view of one page: a section's questions, or a
// category block with the matrix headings before their first rows.
func (b *formBuilder) pageView(p page) sectionView {
	title := b.text(p.Section.Title)
	if p.Category != "" {
		c := b.d.Category(p.Category)
		title = strings.ReplaceAll(b.text(b.d.Block.Title), "{category}", b.text(c.Label))
	}
	var items []itemView
	lastRole := ""
	for _, f := range p.Fields {
		heading := ""
		if f.Role != lastRole || len(p.Fields) == 1 {
			switch f.Role {
			case surveys.RoleImportance:
				heading = b.text(b.d.Block.Importance.Label)
			case surveys.RoleSatisfaction:
				heading = b.text(b.d.Block.Satisfaction.Label)
			}
			lastRole = f.Role
		}
		items = append(items, b.item(f, heading))
	}
	return sectionView{Title: title, Items: items}
}

func (b *formBuilder) item(f *surveys.Field, heading string) itemView {
	it := itemView{ID: f.ID, Heading: heading, Label: b.text(f.Label), Error: b.errs[f.ID], Required: f.Required}
	if q := f.Question; q != nil {
		it.Notice, it.Warning = paragraphs(b.text(q.Notice)), b.text(q.Warning)
	}
	chosen := map[string]bool{}
	for _, v := range b.values[f.ID] {
		chosen[v] = true
	}
	switch f.Kind {
	case surveys.KindText:
		it.Widget, it.Text, it.MaxLength = "textarea", b.values.Get(f.ID), f.Max
		return it
	case surveys.KindMulti:
		it.Widget = "checkbox"
	default:
		it.Widget = "radio"
		if f.Question != nil && f.Question.Widget == "dropdown" {
			it.Widget = "select"
		}
	}
	for _, o := range b.optionsOf(f) {
		o.Checked = chosen[o.Value]
		it.Options = append(it.Options, o)
	}
	return it
}

// optionsOf labels every point of a scale in words or numbers (elder-friendly
// rule: every scale point labelled), with "na" last.
func (b *formBuilder) optionsOf(f *surveys.Field) []optionView {
	var out []optionView
	if f.Kind != surveys.KindScale {
		for _, o := range f.Options {
			out = append(out, optionView{Value: o.Value, Label: b.text(o.Label)})
		}
		return out
	}
	sc := f.Scale
	if sc.Type == "numeric" {
		anchors := map[string]string{}
		for _, a := range sc.Anchors {
			anchors[a.Value] = b.text(a.Label)
		}
		for n := sc.Min; n <= sc.Max; n++ {
			v := strconv.Itoa(n)
			label := v
			if a := anchors[v]; a != "" {
				label = v + " " + a
			}
			out = append(out, optionView{Value: v, Label: label})
		}
	} else {
		for _, p := range sc.Points {
			out = append(out, optionView{Value: p.Value, Label: p.Value + " " + b.text(p.Label)})
		}
	}
	if f.AllowNA && sc.NA != nil {
		out = append(out, optionView{Value: surveys.NAValue, Label: b.text(sc.NA.Label)})
	}
	return out
}
