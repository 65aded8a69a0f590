package surveys

import "strings"

// Text is a user-visible string in several languages, keyed by BCP 47 tag
// ("zh-CN", "en"). Every Text in a Definition must have every language the
// definition lists.
type Text map[string]string

// In returns the text in lang, falling back to fallback, then to any
// non-empty translation.
func (t Text) In(lang, fallback string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if s := t[fallback]; s != "" {
		return s
	}
	for _, s := range t {
		if s != "" {
			return s
		}
	}
	return ""
}

// Definition is one questionnaire, as written in a survey YAML file.
type Definition struct {
	Slug      string    `yaml:"slug"`
	Version   int       `yaml:"version"`
	Languages []string  `yaml:"languages"` // the first is the default
	Title     Text      `yaml:"title"`
	Intro     Text      `yaml:"intro"`
	Organizer Organizer `yaml:"organizer"`

	// MaxCategories caps how many categories one respondent rates.
	MaxCategories int `yaml:"max_categories_per_respondent"`

	// Lifecycle (lifecycle.go). Dates are RFC 3339 times or YYYY-MM-DD in
	// China time; a closing date includes its whole day.
	OpensAt      string `yaml:"opens_at"`      // empty: open now
	ClosesAt     string `yaml:"closes_at"`     // empty: never closes
	MaxResponses int    `yaml:"max_responses"` // 0: no cap

	// OnePerDevice accepts one response per browser (the server's signed
	// cookie; device.go). Off by default: event staff helping several
	// people on one phone (filled_by: with_staff) would be refused from the
	// second person on, so turn it on only where respondents use their own
	// phones; clearing cookies or another browser gets past it.
	OnePerDevice bool `yaml:"one_per_device"`
	// InviteOnly requires a signed single-use invite token (invite.go).
	InviteOnly bool `yaml:"invite_only"`

	Scales     map[string]*Scale `yaml:"scales"`
	Indicators map[string]Text   `yaml:"indicators"` // the shared indicator pool
	Categories []*Category       `yaml:"categories"`
	Kano       []*KanoItem       `yaml:"kano_items"`
	Block      CategoryBlock     `yaml:"category_block"`
	Sections   []*Section        `yaml:"sections"`
	// Guardian names answers that only a guardian may consent to.
	Guardian *GuardianRule `yaml:"guardian_consent"`
	// ExchangeOrder lists answer fields that come first, in this order, in
	// data files (export, import, codebook), after response_code, src and
	// venue; the other fields follow in questionnaire order. It lets a
	// questionnaire ask profile questions last (they are sensitive) and
	// still export them first, as analysts expect.
	ExchangeOrder []string `yaml:"exchange_order"`
	// Margins are population totals by respondent question and level,
	// for raking (population.go).
	Margins map[string]map[string]float64 `yaml:"population_margins"`
	// Quotas are fieldwork targets per key group and region type.
	Quotas   []Quota `yaml:"quotas"`
	Thanks   Text    `yaml:"thanks"`   // end page; {{response_code}} is replaced
	Declined Text    `yaml:"declined"` // shown when consent is declined

	fields []*Field
	byID   map[string]*Field
	manual *SurveyState // WithState
}

// GuardianRule requires a guardian's consent when a respondent-level
// answer is one of In, e.g. age_band under_14: PIPL Art. 31 makes a child's
// personal information sensitive, needing a parent's or guardian's consent.
type GuardianRule struct {
	Question string   `yaml:"question"` // e.g. age_band
	In       []string `yaml:"in"`       // e.g. [under_14]
	Consent  string   `yaml:"consent"`  // the consent option a guardian gives, e.g. guardian_agree
}

// Organizer fills the consent notice (PIPL Art. 17).
type Organizer struct {
	Name      Text   `yaml:"name"`
	Contact   string `yaml:"contact"`
	Retention Text   `yaml:"retention"`
}

// Scale is an answer scale shared by questions.
type Scale struct {
	// Type is "likert" (labelled points), "numeric" (Min..Max with anchors)
	// or "choice" (coded options).
	Type    string   `yaml:"type"`
	Points  []Option `yaml:"points"`
	Min     int      `yaml:"min"`
	Max     int      `yaml:"max"`
	Anchors []Option `yaml:"anchors"`
	// NA is the "不了解/未使用" option; it is stored as the code "na" and
	// excluded from every score.
	NA *Option `yaml:"na"`
}

// Option is one answer choice or scale point. Value is the stored code.
type Option struct {
	Value     string `yaml:"value"`
	Label     Text   `yaml:"label"`
	Exclusive bool   `yaml:"exclusive"` // in a multi-choice, "none of these"
}

// Category is a product category rated by respondents.
type Category struct {
	Code       string       `yaml:"code"`
	Label      Text         `yaml:"label"`
	Examples   Text         `yaml:"examples"`
	Indicators []*Indicator `yaml:"indicators"`
	KeyGroup   string       `yaml:"key_group"` // e.g. "elderly", "infants"; informational
}

// Indicator is a quality indicator within a category. Code refers to the
// shared pool; Label overrides the pool's wording for this category.
type Indicator struct {
	Code  string `yaml:"code"`
	Label Text   `yaml:"label"`
}

// KanoItem is a functional/dysfunctional question pair about one feature.
type KanoItem struct {
	ID            string `yaml:"id"`
	Category      string `yaml:"category"`
	Feature       Text   `yaml:"feature"`
	Functional    Text   `yaml:"functional"`
	Dysfunctional Text   `yaml:"dysfunctional"`
	Scale         string `yaml:"scale"`
}

// CategoryBlock holds the questions repeated for each rated category.
type CategoryBlock struct {
	Title        Text            `yaml:"title"` // {category} is replaced by the label
	Importance   *MatrixQuestion `yaml:"importance"`
	Satisfaction *MatrixQuestion `yaml:"satisfaction"`
	Overall      *Question       `yaml:"overall"`
	Recommend    *Question       `yaml:"recommend"`
	Extra        []*Question     `yaml:"extra"` // ids contain {cat}
}

// MatrixQuestion asks one scale for every indicator of a category.
type MatrixQuestion struct {
	Label   Text   `yaml:"label"`
	Scale   string `yaml:"scale"`
	AllowNA bool   `yaml:"allow_na"`
}

// Section is one screen group of respondent-level questions.
type Section struct {
	ID        string      `yaml:"id"`
	Title     Text        `yaml:"title"`
	Questions []*Question `yaml:"questions"`
	// CategoryBlocks marks the place where the per-category blocks go.
	CategoryBlocks bool `yaml:"category_blocks"`
}

// Question types.
const (
	TypeSingle  = "single_choice"
	TypeMulti   = "multi_choice"
	TypeRating  = "rating"
	TypeText    = "text"
	TypeConsent = "consent"
)

// Question is one respondent-level question.
type Question struct {
	ID          string     `yaml:"id"`
	Type        string     `yaml:"type"`
	Required    bool       `yaml:"required"`
	Label       Text       `yaml:"label"`
	Notice      Text       `yaml:"notice"`  // consent text, shown above the options
	Warning     Text       `yaml:"warning"` // e.g. "do not enter personal data"
	Scale       string     `yaml:"scale"`
	AllowNA     bool       `yaml:"allow_na"`
	Options     []Option   `yaml:"options"`
	OptionsFrom string     `yaml:"options_from"` // "categories"
	Min         int        `yaml:"min"`          // multi-choice: fewest picks
	Max         int        `yaml:"max"`          // multi-choice: most picks
	MaxLength   int        `yaml:"max_length"`   // text
	Widget      string     `yaml:"widget"`       // "dropdown" for long single choices
	ShowIf      *Condition `yaml:"show_if"`
}

// Condition shows a question only when another answer has one of the
// listed codes (for a multi-choice: includes one of them).
type Condition struct {
	Question string   `yaml:"question"`
	In       []string `yaml:"in"`
	NotIn    []string `yaml:"not_in"`
}

// DefaultLanguage is the first listed language.
func (d *Definition) DefaultLanguage() string {
	if len(d.Languages) == 0 {
		return "zh-CN"
	}
	return d.Languages[0]
}

// Category returns the category with the code, or nil.
func (d *Definition) Category(code string) *Category {
	for _, c := range d.Categories {
		if c.Code == code {
			return c
		}
	}
	return nil
}

// IndicatorLabel is the category's wording of the indicator, or the pool's.
func (d *Definition) IndicatorLabel(c *Category, ind *Indicator) Text {
	if len(ind.Label) > 0 {
		return ind.Label
	}
	return d.Indicators[ind.Code]
}

// KanoFor lists the Kano items of a category.
func (d *Definition) KanoFor(category string) []*KanoItem {
	var out []*KanoItem
	for _, k := range d.Kano {
		if k.Category == category {
			out = append(out, k)
		}
	}
	return out
}

// Substitute fills the organizer placeholders of a text in lang:
// {{organizer_name}}, {{organizer_contact}} and {{retention}}.
func (d *Definition) Substitute(s, lang string) string {
	def := d.DefaultLanguage()
	return strings.NewReplacer(
		"{{organizer_name}}", d.Organizer.Name.In(lang, def),
		"{{organizer_contact}}", d.Organizer.Contact,
		"{{retention}}", d.Organizer.Retention.In(lang, def),
	).Replace(s)
}
