package surveys_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/qvoice/qvoice/surveys"
)

// minimal is the smallest valid definition: consent, category choice, the
// category blocks and one follow-up question. The test cases below break it
// with one textual edit each.
const minimal = `slug: mini
version: 1
languages: [zh-CN, en]
max_categories_per_respondent: 1
title: {zh-CN: 小调查, en: Mini survey}
thanks: {zh-CN: "谢谢！编号 {{response_code}}", en: "Thanks! Code {{response_code}}"}
scales:
  imp5:
    type: likert
    points:
      - {value: 1, label: {zh-CN: 不重要, en: Not important}}
      - {value: 5, label: {zh-CN: 重要, en: Important}}
  sat5:
    type: likert
    points:
      - {value: 1, label: {zh-CN: 不满意, en: Dissatisfied}}
      - {value: 5, label: {zh-CN: 满意, en: Satisfied}}
    na: {value: na, label: {zh-CN: 不了解, en: "Don't know"}}
  sat11: {type: numeric, min: 0, max: 10}
indicators:
  safety: {zh-CN: 安全, en: Safety}
  price_value: {zh-CN: 质价相符, en: Value for money}
categories:
  - code: food
    label: {zh-CN: 食品, en: Food}
    indicators:
      - code: safety
      - code: price_value
  - code: drugs
    label: {zh-CN: 药品, en: Medicines}
    indicators:
      - {code: safety, label: {zh-CN: 安全有效, en: Safe and effective}}
category_block:
  importance: {scale: imp5, label: {zh-CN: 重要吗？, en: "How important?"}}
  satisfaction: {scale: sat5, allow_na: true, label: {zh-CN: 满意吗？, en: "How satisfied?"}}
  overall:
    id: "{cat}_overall_sat"
    type: rating
    required: true
    scale: sat11
    label: {zh-CN: 总体满意度, en: Overall satisfaction}
sections:
  - id: s_consent
    title: {zh-CN: 同意, en: Consent}
    questions:
      - id: consent
        type: consent
        required: true
        label: {zh-CN: 是否同意？, en: "Do you agree?"}
        notice: {zh-CN: 本调查匿名。, en: This survey is anonymous.}
        options:
          - {value: adult_agree, label: {zh-CN: 同意, en: I agree}}
          - {value: decline, label: {zh-CN: 不同意, en: I do not agree}}
  - id: s_categories
    title: {zh-CN: 产品, en: Products}
    questions:
      - id: rate_categories
        type: multi_choice
        required: true
        options_from: categories
        min: 1
        label: {zh-CN: 选一类, en: Choose one}
  - id: s_blocks
    title: {zh-CN: 评价, en: Ratings}
    category_blocks: true
  - id: s_end
    title: {zh-CN: 最后, en: Last}
    questions:
      - id: local_sat
        type: rating
        required: true
        scale: sat11
        label: {zh-CN: 本地满意度, en: Local satisfaction}
      - id: had_problem
        type: single_choice
        required: true
        label: {zh-CN: 遇到问题吗？, en: "Any problem?"}
        options:
          - {value: "yes", label: {zh-CN: 遇到过, en: "Yes"}}
          - {value: "no", label: {zh-CN: 没有, en: "No"}}
      - id: problem_text
        type: text
        max_length: 200
        show_if: {question: had_problem, in: ["yes"]}
        label: {zh-CN: 什么问题？, en: "What problem?"}
`

// edit replaces the one occurrence of old in src.
func edit(t *testing.T, src, old, new string) string {
	t.Helper()
	if n := strings.Count(src, old); n != 1 {
		t.Fatalf("edit: %q occurs %d times in the base definition, want once", old, n)
	}
	return strings.Replace(src, old, new, 1)
}

// lineOf is the 1-based line of the first occurrence of needle in src.
func lineOf(t *testing.T, src, needle string) int {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("lineOf: %q not in source", needle)
	}
	return strings.Count(src[:i], "\n") + 1
}

// find returns the problem with the path whose message contains msg.
func find(ps surveys.Problems, path, msg string) (surveys.Problem, bool) {
	for _, p := range ps {
		if p.Path == path && strings.Contains(p.Message, msg) {
			return p, true
		}
	}
	return surveys.Problem{}, false
}

func TestParseValid(t *testing.T) {
	d, err := surveys.Parse([]byte(minimal))
	if err != nil {
		t.Fatalf("Parse(minimal): %v", err)
	}
	var ids []string
	for _, f := range d.Fields() {
		ids = append(ids, f.ID)
	}
	want := []string{
		"consent", "rate_categories",
		"food_imp_safety", "food_imp_price_value", "food_sat_safety", "food_sat_price_value", "food_overall_sat",
		"drugs_imp_safety", "drugs_sat_safety", "drugs_overall_sat",
		"local_sat", "had_problem", "problem_text",
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("field ids (-want +got):\n%s", diff)
	}
	f := d.Field("drugs_sat_safety")
	if f == nil {
		t.Fatal("no field drugs_sat_safety")
	}
	if diff := cmp.Diff(surveys.Text{"zh-CN": "安全有效", "en": "Safe and effective"}, f.Label); diff != "" {
		t.Errorf("indicator label override (-want +got):\n%s", diff)
	}
	if !f.AllowNA || f.Role != surveys.RoleSatisfaction || f.Category != "drugs" || f.Indicator != "safety" {
		t.Errorf("drugs_sat_safety = %+v, want an na-allowing satisfaction row of drugs/safety", f)
	}
	if got := d.Field("food_imp_safety").Label["en"]; got != "Safety" {
		t.Errorf("food_imp_safety label = %q, want the pool's %q", got, "Safety")
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // the edit that breaks minimal
		path     string // the expected Problem.Path ("" for YAML-level errors)
		msg      string // a part of its message
		line     string // text on the line the problem must point to ("" to skip)
		slack    int    // tolerated line error: yaml.v3 reports some syntax errors one line early
	}{
		{
			name: "duplicate category code",
			old:  "  - code: drugs", new: "  - code: food",
			path: "categories[1].code", msg: `duplicate category code "food"`, line: "  - code: food\n    label: {zh-CN: 药品",
		},
		{
			name: "duplicate indicator in a category",
			old:  "      - code: price_value", new: "      - code: safety",
			path: "categories[0].indicators[1].code", msg: `duplicate indicator code "safety"`, line: "      - code: safety\n  - code: drugs",
		},
		{
			name: "unknown indicator",
			old:  "{code: safety, label", new: "{code: safty, label",
			path: "categories[1].indicators[0].code", msg: `unknown indicator "safty"`, line: "safty",
		},
		{
			name: "unknown scale in a rating question",
			old:  "scale: sat11\n        label: {zh-CN: 本地", new: "scale: sat12\n        label: {zh-CN: 本地",
			path: "sections[3].questions[0].scale", msg: `unknown scale "sat12"`, line: "sat12",
		},
		{
			name: "unknown scale in the block's rating question",
			old:  "scale: sat11\n    label: {zh-CN: 总体", new: "scale: sat10\n    label: {zh-CN: 总体",
			path: "category_block.overall.scale", msg: `unknown scale "sat10"`, line: "sat10",
		},
		{
			name: "unknown scale in the matrix",
			old:  "{scale: imp5", new: "{scale: imp6",
			path: "category_block.importance.scale", msg: `unknown scale "imp6"`, line: "imp6",
		},
		{
			name: "matrix allows na on a scale without na",
			old:  "satisfaction: {scale: sat5", new: "satisfaction: {scale: imp5",
			path: "category_block.satisfaction.allow_na", msg: `scale "imp5" has no na option`, line: "satisfaction:",
		},
		{
			name: "missing translation",
			old:  "label: {zh-CN: 药品, en: Medicines}", new: "label: {zh-CN: 药品}",
			path: "categories[1].label", msg: `missing translation "en"`, line: "{zh-CN: 药品}",
		},
		{
			name: "language not in languages",
			old:  "title: {zh-CN: 小调查, en: Mini survey}", new: "title: {zh-CN: 小调查, en: Mini survey, fr: Petite enquête}",
			path: "title.fr", msg: `language "fr" is not in languages`, line: "fr: Petite",
		},
		{
			name: "bad slug",
			old:  "slug: mini", new: "slug: Mini Survey",
			path: "slug", msg: `got "Mini Survey"`, line: "slug:",
		},
		{
			name: "missing consent",
			old:  "      - id: consent", new: "      - id: agreement",
			path: "sections", msg: `"consent" question of type consent is required`, line: "sections:",
		},
		{
			name: "consent without a decline option",
			old:  "{value: decline, label: {zh-CN: 不同意", new: "{value: later, label: {zh-CN: 不同意",
			path: "sections[0].questions[0].id", msg: "consent must be a required consent question", line: "- id: consent",
		},
		{
			name: "duplicate question id",
			old:  "      - id: problem_text", new: "      - id: had_problem\n",
			path: "sections[3].questions[2].id", msg: `duplicate question id "had_problem"`, line: "had_problem\n\n",
		},
		{
			name: "question id collides with a category block column",
			old:  "      - id: local_sat", new: "      - id: food_overall_sat",
			path: "sections[3].questions[0].id", msg: `duplicate question id "food_overall_sat" (first used at category_block.overall)`, line: "- id: food_overall_sat",
		},
		{
			name: "show_if refers to an unknown question",
			old:  "{question: had_problem", new: "{question: had_problems",
			path: "sections[3].questions[2].show_if.question", msg: `got "had_problems"`, line: "show_if:",
		},
		{
			name: "show_if refers to the question itself",
			old:  "{question: had_problem", new: "{question: problem_text",
			path: "sections[3].questions[2].show_if.question", msg: `got "problem_text"`, line: "show_if:",
		},
		{
			name: "show_if value that is not an option",
			old:  `in: ["yes"]`, new: `in: ["maybe"]`,
			path: "sections[3].questions[2].show_if", msg: `"maybe" is not an option of "had_problem"`, line: "show_if:",
		},
		{
			name: "show_if in the category block refers to an unknown question",
			old:  "sections:\n",
			new: `  extra:
    - id: "{cat}_channel"
      type: multi_choice
      show_if: {question: no_such_question, in: ["yes"]}
      label: {zh-CN: 渠道, en: Channel}
      options: [{value: shop, label: {zh-CN: 商店, en: Shop}}]
sections:
`,
			path: "category_block.extra[0].show_if.question", msg: `got "no_such_question"`, line: "show_if: {question: no_such",
		},
		{
			name: "YAML syntax error",
			old:  "title: {zh-CN: 小调查, en: Mini survey}", new: "title: {zh-CN: 小调查, en: Mini survey",
			msg: "did not find expected ',' or '}'", line: "title:", slack: 1,
		},
		{
			name: "unknown field",
			old:  "        max_length: 200", new: "        maxlength: 200",
			msg: "field maxlength not found", line: "maxlength",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := edit(t, minimal, tc.old, tc.new)
			d, err := surveys.Parse([]byte(src))
			if err == nil {
				t.Fatalf("Parse succeeded (%s), want a problem at %q", d.Slug, tc.path)
			}
			if !errors.Is(err, surveys.ErrInvalid) {
				t.Errorf("errors.Is(%v, ErrInvalid) = false", err)
			}
			var ps surveys.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("error %T is not Problems", err)
			}
			p, ok := find(ps, tc.path, tc.msg)
			if !ok {
				t.Fatalf("no problem at %q with %q in:\n%v", tc.path, tc.msg, err)
			}
			if tc.line == "" {
				return
			}
			want := lineOf(t, src, tc.line)
			if p.Line < want-tc.slack || p.Line > want {
				t.Errorf("problem %v is on line %d, want %d (slack %d)", p, p.Line, want, tc.slack)
			}
		})
	}
}

// TestParseReportsAllProblems checks that loading goes on after the first
// problem, so an author fixes a file in one round.
func TestParseReportsAllProblems(t *testing.T) {
	src := minimal
	src = edit(t, src, "slug: mini", "slug: -Bad")
	src = edit(t, src, "{code: safety, label", "{code: safty, label")
	src = edit(t, src, "label: {zh-CN: 药品, en: Medicines}", "label: {zh-CN: 药品}")
	_, err := surveys.Parse([]byte(src))
	var ps surveys.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Parse: %v, want Problems", err)
	}
	if len(ps) < 3 {
		t.Fatalf("got %d problems, want at least 3:\n%v", len(ps), err)
	}
	var paths []string
	for _, p := range ps {
		paths = append(paths, p.Path)
	}
	want := []string{"categories[1].indicators[0].code", "categories[1].label", "slug"}
	if diff := cmp.Diff(want, paths, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("problem paths (-want +got):\n%s", diff)
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    surveys.Problem
		want string
	}{
		{surveys.Problem{Path: "slug", Line: 1, Message: "bad"}, "line 1: slug: bad"},
		{surveys.Problem{Path: "sections", Message: "bad"}, "sections: bad"},
		{surveys.Problem{Line: 7, Message: "field x not found"}, "line 7: field x not found"},
		{surveys.Problem{Message: "EOF"}, "EOF"},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(good, []byte(minimal), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(strings.Replace(minimal, "slug: mini", "slug: X", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if d, err := surveys.Load(good); err != nil || d.Slug != "mini" {
		t.Errorf("Load(good) = %v, %v; want slug mini", d, err)
	}
	_, err := surveys.Load(bad)
	if !errors.Is(err, surveys.ErrInvalid) || !strings.Contains(err.Error(), bad) {
		t.Errorf("Load(bad) error = %v, want ErrInvalid naming the file", err)
	}
	_, err = surveys.Load(filepath.Join(dir, "missing.yaml"))
	if err == nil || errors.Is(err, surveys.ErrInvalid) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) error = %v, want fs.ErrNotExist and not ErrInvalid", err)
	}
}
