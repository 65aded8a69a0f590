package surveys

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FieldError is one invalid answer. Key is a translation key, such as
// "required"; Args are its parameters. The server turns it into text.
type FieldError struct {
	Field string `json:"field"`
	Key   string `json:"code"`
	Args  []any  `json:"args,omitempty"`
}

// Error keys of FieldError.
const (
	KeyRequired      = "required"
	KeyUnknown       = "unknown_question"
	KeyNotAnOption   = "not_an_option"
	KeyOutOfRange    = "out_of_range"
	KeyNotANumber    = "not_a_number"
	KeyTooLong       = "too_long"
	KeyTooMany       = "too_many"
	KeyTooFew        = "too_few"
	KeyExclusive     = "exclusive"
	KeyWrongType     = "wrong_type"
	KeyNeedsGuardian = "needs_guardian"
)

// FieldErrors lists every invalid answer of a submission; it wraps ErrInvalid.
type FieldErrors []FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.Field + ": " + e.Key
	}
	return "invalid answers: " + strings.Join(parts, ", ")
}

// Unwrap lets errors.Is(err, ErrInvalid) match.
func (fe FieldErrors) Unwrap() error { return ErrInvalid }

// ParseAnswers validates raw submitted values against d and normalises them.
// Raw values may be strings (HTML forms), JSON numbers, or lists of either.
// Answers to questions that do not apply (a category not chosen for rating, a
// follow-up whose condition is false) are dropped. A declined consent returns
// ErrDeclined; other problems return FieldErrors, every one of them.
func ParseAnswers(d *Definition, raw map[string]any) (Answers, error) {
	return parseAnswers(d, raw, false)
}

// ParseRecorded validates answers collected elsewhere (a paper form typed
// in, another tool's export) as ParseAnswers does, except that an empty
// required answer is item nonresponse rather than an error: the file
// records what was answered. Consent is never optional.
func ParseRecorded(d *Definition, raw map[string]any) (Answers, error) {
	return parseAnswers(d, raw, true)
}

func parseAnswers(d *Definition, raw map[string]any, recorded bool) (Answers, error) {
	var errs FieldErrors
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if d.Field(k) == nil {
			errs = append(errs, FieldError{Field: k, Key: KeyUnknown})
		}
	}
	out := Answers{}
	for _, f := range d.Fields() {
		if !d.applies(f, out) {
			continue
		}
		v, present, fe := parseValue(f, raw[f.ID])
		switch {
		case fe != nil:
			errs = append(errs, *fe)
		case present:
			out[f.ID] = v
		case f.Required && (!recorded || f.ID == ConsentID):
			errs = append(errs, FieldError{Field: f.ID, Key: KeyRequired})
		}
		if f.ID == ConsentID && out[ConsentID] == DeclineValue {
			return nil, ErrDeclined
		}
		if f.ID == RatedCategoriesID && present && fe == nil && len(out.Codes(f.ID)) > d.MaxCategories {
			errs = append(errs, FieldError{Field: f.ID, Key: KeyTooMany, Args: []any{d.MaxCategories}})
		}
	}
	if g := d.Guardian; g != nil && contains(g.In, out.Code(g.Question)) && out.Code(ConsentID) != g.Consent {
		errs = append(errs, FieldError{Field: g.Question, Key: KeyNeedsGuardian})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// applies reports whether f is asked, given the answers parsed so far.
func (d *Definition) applies(f *Field, sofar Answers) bool {
	if f.Category != "" && !contains(sofar.Codes(RatedCategoriesID), f.Category) {
		return false
	}
	if c := f.ShowIf; c != nil {
		got := sofar.Codes(c.Question)
		if s := sofar.Code(c.Question); s != "" {
			got = []string{s}
		}
		if n, ok := sofar.Int(c.Question); ok {
			got = []string{strconv.Itoa(n)}
		}
		if len(c.In) > 0 && !anyIn(got, c.In) {
			return false
		}
		if anyIn(got, c.NotIn) {
			return false
		}
	}
	return true
}

func anyIn(got, set []string) bool {
	for _, g := range got {
		if contains(set, g) {
			return true
		}
	}
	return false
}

// parseValue normalises one raw value. present is false for a missing or
// blank answer.
func parseValue(f *Field, raw any) (v any, present bool, fe *FieldError) {
	bad := func(key string, args ...any) (any, bool, *FieldError) {
		return nil, false, &FieldError{Field: f.ID, Key: key, Args: args}
	}
	if raw == nil {
		return nil, false, nil
	}
	if f.Kind == KindMulti {
		list, ok := asList(raw)
		if !ok {
			return bad(KeyWrongType)
		}
		if len(list) == 0 {
			return nil, false, nil
		}
		return parseMulti(f, list)
	}
	s, ok := asScalar(raw)
	if !ok {
		return bad(KeyWrongType)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false, nil
	}
	switch f.Kind {
	case KindScale:
		return parseScale(f, s)
	case KindText:
		s = ScrubPersonalData(s)
		if n := utf8.RuneCountInString(s); f.Max > 0 && n > f.Max {
			return bad(KeyTooLong, f.Max)
		}
		return s, true, nil
	default:
		if !hasOption(f.Options, s) {
			return bad(KeyNotAnOption, s)
		}
		return s, true, nil
	}
}

func parseScale(f *Field, s string) (any, bool, *FieldError) {
	if s == NAValue {
		if f.AllowNA {
			return NAValue, true, nil
		}
		return nil, false, &FieldError{Field: f.ID, Key: KeyNotAnOption, Args: []any{s}}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x != math.Trunc(x) || math.IsInf(x, 0) {
		return nil, false, &FieldError{Field: f.ID, Key: KeyNotANumber}
	}
	n := int(x)
	lo, hi := f.Scale.Range()
	if n < lo || n > hi {
		return nil, false, &FieldError{Field: f.ID, Key: KeyOutOfRange, Args: []any{lo, hi}}
	}
	return n, true, nil
}

// Range is the inclusive range of the points ParseAnswers accepts on a
// likert or numeric scale: Min to Max of a numeric scale, the lowest to
// the highest integer point of a likert one. lo > hi when there is none
// (a nil scale gives 0, -1).
func (s *Scale) Range() (lo, hi int) {
	if s == nil {
		return 0, -1
	}
	if s.Type == "numeric" {
		return s.Min, s.Max
	}
	lo, hi = math.MaxInt, math.MinInt
	for _, p := range s.Points {
		n, err := strconv.Atoi(p.Value)
		if err == nil {
			lo, hi = min(lo, n), max(hi, n)
		}
	}
	return lo, hi
}

func parseMulti(f *Field, list []string) (any, bool, *FieldError) {
	seen := map[string]bool{}
	var out []string
	exclusive := false
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		o, ok := option(f.Options, s)
		if !ok {
			return nil, false, &FieldError{Field: f.ID, Key: KeyNotAnOption, Args: []any{s}}
		}
		exclusive = exclusive || o.Exclusive
		seen[s] = true
		out = append(out, s)
	}
	// Store codes in the options' order: the same choices always give the
	// same answer (and digest), whatever order a client sent them in.
	sort.SliceStable(out, func(a, b int) bool { return optionIndex(f.Options, out[a]) < optionIndex(f.Options, out[b]) })
	switch {
	case len(out) == 0:
		return nil, false, nil
	case exclusive && len(out) > 1:
		return nil, false, &FieldError{Field: f.ID, Key: KeyExclusive}
	case f.Max > 0 && len(out) > f.Max:
		return nil, false, &FieldError{Field: f.ID, Key: KeyTooMany, Args: []any{f.Max}}
	case len(out) < f.Min:
		return nil, false, &FieldError{Field: f.ID, Key: KeyTooFew, Args: []any{f.Min}}
	}
	return out, true, nil
}

func option(opts []Option, v string) (Option, bool) {
	for _, o := range opts {
		if o.Value == v {
			return o, true
		}
	}
	return Option{}, false
}

func optionIndex(opts []Option, v string) int {
	for i, o := range opts {
		if o.Value == v {
			return i
		}
	}
	return len(opts)
}

func hasOption(opts []Option, v string) bool { _, ok := option(opts, v); return ok }

func asScalar(raw any) (string, bool) {
	switch x := raw.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case []string:
		if len(x) == 1 {
			return x[0], true
		}
	case []any:
		if len(x) == 1 {
			return asScalar(x[0])
		}
	}
	return "", false
}

// asList accepts a list, or a single string that may be ';'-joined as in
// the CSV exchange format.
func asList(raw any) ([]string, bool) {
	switch x := raw.(type) {
	case string:
		if x == "" {
			return nil, true
		}
		return strings.Split(x, ";"), true
	case []string:
		return x, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

var (
	// Mainland mobile numbers, landlines with area code, and 15/18-digit
	// resident ID numbers. Digits glued to other digits are left alone.
	mobileRE   = regexp.MustCompile(`(^|\D)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(\D|$)`)
	idCardRE   = regexp.MustCompile(`(^|\D)(?:\d{17}[\dXx]|\d{15})(\D|$)`)
	landlineRE = regexp.MustCompile(`(^|\D)0\d{2,3}-\d{7,8}(\D|$)`)
)

// Redacted replaces personal data scrubbed from free text.
const Redacted = "[已删除]"

// ScrubPersonalData removes phone-number and ID-card-number patterns from
// free text before it is stored (PIPL Art. 6, minimisation).
func ScrubPersonalData(s string) string {
	// Chinese input methods often type full-width digits (１３８…).
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, s)
	for _, re := range []*regexp.Regexp{idCardRE, mobileRE, landlineRE} {
		for {
			t := re.ReplaceAllString(s, "${1}"+Redacted+"${2}")
			if t == s {
				break
			}
			s = t
		}
	}
	return s
}

// String formats a field error for logs and the CLI.
func (e FieldError) String() string { return fmt.Sprintf("%s: %s %v", e.Field, e.Key, e.Args) }
