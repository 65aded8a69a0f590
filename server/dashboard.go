package server

import (
	"fmt"
	"html/template"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/charts"
	"github.com/qvoice/qvoice/surveys"
)

// dashTop is how many priorities the ranking chart shows.
const dashTop = 15

type dashPage struct {
	Lang, Title, Slug string
	Responses         string
	Charts            []chartView
	Top               []priorityRow
	Categories        []categoryRow
	SwitchLangURL     string
	SwitchLangLabel   string
	Msg               func(key string) string
}

type chartView struct {
	ID, Title string
	Height    int
	Option    template.JS // escaped JSON from encoding/json; safe inside <script type="application/json">
}

type priorityRow struct {
	Rank                                   int
	Category, Indicator                    string
	Priority, CI, Importance, Satisfaction string
	N                                      int
}

type categoryRow struct {
	Category, Q, Overall, NPS string
	Raters                    int
}

func (s *Server) dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := s.definition(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	sum, err := s.live.summary(ctx, d)
	if err != nil {
		return err
	}
	lang := pickLanguage(c, d)
	p := s.dashPage(d, sum, lang)
	l := charts.Labels{Def: d, Lang: lang}
	ch, err := charts.PriorityRanking(sum, l, p.Msg("priority_chart"), dashTop)
	if err != nil {
		return err
	}
	p.Charts = append(p.Charts, chartView{ID: ch.ElementID, Title: fmt.Sprintf(p.Msg("priority_chart"), dashTop),
		Height: ch.Height, Option: template.JS(ch.Option)})
	return s.views.render(c, http.StatusOK, "dash.html", p)
}

func (s *Server) dashPage(d *surveys.Definition, sum *analysis.Summary, lang string) dashPage {
	p := dashPage{Lang: lang, Title: d.Title.In(lang, d.DefaultLanguage()), Slug: d.Slug,
		Msg: func(k string) string { return s.views.msg(lang, k) }}
	if sum.Responses == 0 {
		p.Responses = p.Msg("no_responses")
	} else {
		p.Responses = fmt.Sprintf(p.Msg("responses"), sum.Responses)
	}
	for _, l := range d.Languages {
		if l != lang {
			p.SwitchLangURL, p.SwitchLangLabel = "/dash/"+d.Slug+"?lang="+l, languageName(l)
			break
		}
	}
	labels := charts.Labels{Def: d, Lang: lang}
	for _, r := range sum.Priorities {
		if len(p.Top) == dashTop || math.IsNaN(r.Priority.Mean) {
			break
		}
		p.Top = append(p.Top, priorityRow{Rank: r.RankOverall, Category: labels.Category(r.Category),
			Indicator: labels.Indicator(r.Category, r.Indicator), Priority: num(25 * r.Priority.Mean),
			CI:         "[" + num(25*r.Priority.CILow) + ", " + num(25*r.Priority.CIHigh) + "]",
			Importance: num(r.Importance.Mean), Satisfaction: num(r.Satisfaction.Mean), N: r.Satisfaction.N})
	}
	for _, cs := range sum.Categories {
		p.Categories = append(p.Categories, categoryRow{Category: labels.Category(cs.Category), Q: num(cs.Q),
			Overall: num(cs.Overall100.Mean), NPS: num(cs.NPS), Raters: cs.Raters})
	}
	return p
}

// num formats an estimate for a table; NaN (no data) shows as a dash.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return fmt.Sprintf("%.2f", x)
}
