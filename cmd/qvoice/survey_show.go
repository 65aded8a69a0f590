package main

import (
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys"
)

func newSurveyShowCmd(a *app) *cobra.Command {
	var format *outputFormat
	cmd := &cobra.Command{
		Use:   "show SLUG|FILE",
		Short: "Show a survey's window, languages, categories and indicators",
		Long: `show prints a survey's title, response window, languages, limits and flags
(max_responses, invite_only, one_per_device), the number of answer fields,
and its categories with their quality indicators, labelled in the --lang
language. The argument is the slug of a stored survey, or a definition
file (a path that exists, or ends in .yaml or .yml).

--format csv prints one row per category and indicator; --format json
prints everything.`,
		Example: `  qvoice survey show quality-month-demo
  qvoice survey show surveys/demo/quality-month-demo.yaml --lang zh-CN
  qvoice survey show quality-month-demo --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := a.loadSurvey(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return a.writeSurveyShow(a.stdout, *format, d)
		},
	}
	format = addFormatFlag(cmd.Flags(), "output format")
	return cmd
}

// loadSurvey reads a definition file, or a stored survey by slug.
func (a *app) loadSurvey(ctx context.Context, arg string) (*surveys.Definition, error) {
	if fi, err := os.Stat(arg); (err == nil && fi.Mode().IsRegular()) || strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") {
		return surveys.Load(arg)
	}
	st, closeStore, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	defer closeStore()
	return definitionOf(ctx, st, arg)
}

// surveyInfo is survey show's JSON.
type surveyInfo struct {
	Slug         string          `json:"slug"`
	Title        string          `json:"title"`
	Version      int             `json:"version"`
	OpensAt      *time.Time      `json:"opens_at"`
	ClosesAt     *time.Time      `json:"closes_at"`
	Languages    []string        `json:"languages"`
	AnswerFields int             `json:"answer_fields"`
	MaxResponses int             `json:"max_responses"`
	InviteOnly   bool            `json:"invite_only"`
	OnePerDevice bool            `json:"one_per_device"`
	Categories   []labelledCodes `json:"categories"`
}

type labelledCodes struct {
	Code       string          `json:"code"`
	Label      string          `json:"label"`
	Indicators []labelledCodes `json:"indicators,omitempty"`
}

func (a *app) surveyInfo(d *surveys.Definition) surveyInfo {
	l := a.labels(d)
	info := surveyInfo{Slug: d.Slug, Title: l.title(), Version: d.Version, Languages: d.Languages,
		AnswerFields: len(d.Fields()), MaxResponses: d.MaxResponses, InviteOnly: d.InviteOnly, OnePerDevice: d.OnePerDevice}
	opens, closes := d.Window()
	if !opens.IsZero() {
		info.OpensAt = &opens
	}
	if !closes.IsZero() {
		info.ClosesAt = &closes
	}
	for _, c := range d.Categories {
		lc := labelledCodes{Code: c.Code, Label: l.category(c.Code)}
		for _, ind := range c.Indicators {
			lc.Indicators = append(lc.Indicators, labelledCodes{Code: ind.Code, Label: l.indicator(c.Code, ind.Code)})
		}
		info.Categories = append(info.Categories, lc)
	}
	return info
}

// writeSurveyShow prints the survey in the format.
func (a *app) writeSurveyShow(w io.Writer, format outputFormat, d *surveys.Definition) error {
	info := a.surveyInfo(d)
	switch format {
	case formatJSON:
		return writeJSON(w, info)
	case formatCSV:
		var rows [][]string
		for _, c := range info.Categories {
			for _, ind := range c.Indicators {
				rows = append(rows, []string{info.Slug, c.Code, c.Label, ind.Code, ind.Label})
			}
		}
		return writeRecords(w, []string{"survey", "category", "category_label", "indicator", "indicator_label"}, rows)
	}
	opens, closes := d.Window()
	maxResp := a.msg("no limit")
	if d.MaxResponses > 0 {
		maxResp = strconv.Itoa(d.MaxResponses)
	}
	props := newTable()
	props.add(a.msg("slug"), info.Slug)
	props.add(a.msg("title"), info.Title)
	props.add(a.msg("version"), strconv.Itoa(info.Version))
	props.add(a.msg("opens"), humanTime(opens))
	props.add(a.msg("closes"), humanTime(closes))
	props.add(a.msg("languages"), strings.Join(info.Languages, ", "))
	props.add(a.msg("categories"), strconv.Itoa(len(info.Categories)))
	props.add(a.msg("answer fields"), strconv.Itoa(info.AnswerFields))
	props.add(a.msg("max responses"), maxResp)
	props.add(a.msg("invite only"), a.yesNo(info.InviteOnly))
	props.add(a.msg("one per device"), a.yesNo(info.OnePerDevice))
	if err := props.render(w); err != nil {
		return err
	}
	io.WriteString(w, "\n")
	t := a.table("category", "indicator", "label")
	for _, c := range info.Categories {
		t.add(c.Code, "", c.Label)
		for _, ind := range c.Indicators {
			t.add("", ind.Code, ind.Label)
		}
	}
	return t.render(w)
}
