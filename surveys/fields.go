package surveys

import "strings"

// FieldKind says how a field's answer is stored.
type FieldKind int

// Field kinds.
const (
	KindChoice FieldKind = iota // one code (string)
	KindMulti                   // several codes ([]string)
	KindScale                   // an integer scale point (int), or "na"
	KindText                    // free text (string), scrubbed of personal data
)

// Roles of per-category fields, used by the analysis.
const (
	RoleImportance   = "importance"
	RoleSatisfaction = "satisfaction"
	RoleOverall      = "overall"
	RoleRecommend    = "recommend"
	RoleKanoFunc     = "kano_func"
	RoleKanoDysf     = "kano_dysf"
	RoleExtra        = "extra"
)

// Field is one stored answer column, after the per-category blocks are
// expanded: "food_imp_safety" is the importance of food safety.
type Field struct {
	ID       string
	Kind     FieldKind
	Label    Text
	Required bool
	Scale    *Scale   // KindScale, and choices drawn from a scale
	AllowNA  bool     // KindScale: "na" is accepted
	Options  []Option // KindChoice, KindMulti
	Min, Max int      // KindMulti: pick counts; KindText: Max is the length
	ShowIf   *Condition

	Category  string // "" for respondent-level questions
	Indicator string // for importance and satisfaction
	Role      string // Role* for per-category fields
	KanoID    string

	Question *Question // nil for matrix rows
}

// Fields lists every answer field in questionnaire order.
func (d *Definition) Fields() []*Field { return d.fields }

// ExchangeFields lists every answer field in the order of data files: the
// fields of ExchangeOrder first, then the others in questionnaire order.
func (d *Definition) ExchangeFields() []*Field {
	out := make([]*Field, 0, len(d.fields))
	first := map[string]bool{}
	for _, id := range d.ExchangeOrder {
		if f := d.byID[id]; f != nil && !first[id] {
			first[id] = true
			out = append(out, f)
		}
	}
	for _, f := range d.fields {
		if !first[f.ID] {
			out = append(out, f)
		}
	}
	return out
}

// Field returns the field with the id, or nil.
func (d *Definition) Field(id string) *Field { return d.byID[id] }

// CategoryFields lists the fields of one category's block.
func (d *Definition) CategoryFields(category string) []*Field {
	var out []*Field
	for _, f := range d.fields {
		if f.Category == category {
			out = append(out, f)
		}
	}
	return out
}

// ImportanceID and SatisfactionID are the column ids of a category's
// indicator, as in the oracle's input format.
func ImportanceID(category, indicator string) string   { return category + "_imp_" + indicator }
func SatisfactionID(category, indicator string) string { return category + "_sat_" + indicator }

// OverallID and RecommendID are a category's 0–10 question columns.
func OverallID(category string) string   { return category + "_overall_sat" }
func RecommendID(category string) string { return category + "_recommend" }

// RatedCategoriesID is the question in which respondents pick categories.
const RatedCategoriesID = "rate_categories"

// ConsentID is the consent question.
const ConsentID = "consent"

// expand builds d.fields and d.byID. It assumes references were validated;
// missing scales leave Scale nil.
func (d *Definition) expand() {
	d.fields = nil
	d.byID = map[string]*Field{}
	add := func(f *Field) {
		if _, dup := d.byID[f.ID]; dup {
			return
		}
		d.fields = append(d.fields, f)
		d.byID[f.ID] = f
	}
	for _, s := range d.Sections {
		for _, q := range s.Questions {
			add(d.questionField(q, "", q.ID))
		}
		if s.CategoryBlocks {
			for _, c := range d.Categories {
				for _, f := range d.blockFields(c) {
					add(f)
				}
			}
		}
	}
}

func (d *Definition) questionField(q *Question, category, id string) *Field {
	f := &Field{ID: id, Label: q.Label, Required: q.Required, ShowIf: q.ShowIf,
		Category: category, Question: q, Min: q.Min, Max: q.Max, AllowNA: q.AllowNA}
	if category != "" {
		f.Role = RoleExtra
	}
	sc := d.Scales[q.Scale]
	switch q.Type {
	case TypeRating:
		f.Kind, f.Scale = KindScale, sc
	case TypeText:
		f.Kind, f.Max = KindText, q.MaxLength
	case TypeMulti:
		f.Kind = KindMulti
		f.Options = d.options(q, sc)
	default: // single_choice, consent
		f.Kind = KindChoice
		f.Options = d.options(q, sc)
		f.Scale = sc
	}
	return f
}

func (d *Definition) options(q *Question, sc *Scale) []Option {
	var opts []Option
	if q.OptionsFrom == "categories" {
		for _, c := range d.Categories {
			opts = append(opts, Option{Value: c.Code, Label: c.Label})
		}
	}
	if len(q.Options) == 0 && sc != nil {
		opts = append(opts, sc.Points...)
	}
	return append(opts, q.Options...)
}

func (d *Definition) blockFields(c *Category) []*Field {
	var out []*Field
	b := d.Block
	if b.Importance != nil {
		for _, ind := range c.Indicators {
			out = append(out, &Field{ID: ImportanceID(c.Code, ind.Code), Kind: KindScale,
				Label: d.IndicatorLabel(c, ind), Required: true, Scale: d.Scales[b.Importance.Scale],
				AllowNA: b.Importance.AllowNA, Category: c.Code, Indicator: ind.Code, Role: RoleImportance})
		}
	}
	if b.Satisfaction != nil {
		for _, ind := range c.Indicators {
			out = append(out, &Field{ID: SatisfactionID(c.Code, ind.Code), Kind: KindScale,
				Label: d.IndicatorLabel(c, ind), Required: true, Scale: d.Scales[b.Satisfaction.Scale],
				AllowNA: b.Satisfaction.AllowNA, Category: c.Code, Indicator: ind.Code, Role: RoleSatisfaction})
		}
	}
	for _, k := range d.KanoFor(c.Code) {
		sc := d.Scales[k.Scale]
		var pts []Option
		if sc != nil {
			pts = sc.Points
		}
		out = append(out,
			&Field{ID: k.ID + "_func", Kind: KindChoice, Label: k.Functional, Scale: sc, Options: pts,
				Category: c.Code, Role: RoleKanoFunc, KanoID: k.ID},
			&Field{ID: k.ID + "_dysf", Kind: KindChoice, Label: k.Dysfunctional, Scale: sc, Options: pts,
				Category: c.Code, Role: RoleKanoDysf, KanoID: k.ID})
	}
	if b.Overall != nil {
		f := d.questionField(b.Overall, c.Code, OverallID(c.Code))
		f.Role = RoleOverall
		out = append(out, f)
	}
	if b.Recommend != nil {
		f := d.questionField(b.Recommend, c.Code, RecommendID(c.Code))
		f.Role = RoleRecommend
		out = append(out, f)
	}
	for _, q := range b.Extra {
		out = append(out, d.questionField(q, c.Code, strings.ReplaceAll(q.ID, "{cat}", c.Code)))
	}
	return out
}
