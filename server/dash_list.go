package server

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/charts"
	"github.com/qvoice/qvoice/surveys"
)

// surveyRow is one survey on the dashboard's survey list.
type surveyRow struct {
	Slug, Title, URL string
	Total, Today     int
	Quota            *dashChartView // nil without quotas
}

// dashListData is what dashlist.html renders.
type dashListData struct {
	Lang, User, CSRF string
	Admin            *navItem // the link to the account pages, for admins
	Surveys          []surveyRow
	SwitchLangURL    string
	SwitchLangLabel  string
	M                func(key string) string
}

// dashList lists the stored surveys with their responses so far and
// today, and each one's quota fill, counting only the provinces the user
// may see.
func (s *Server) dashList(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c, nil)
	stored, err := s.store.Surveys(ctx)
	if err != nil {
		return err
	}
	data := dashListData{Lang: lang, User: userName(c), CSRF: s.csrfToken(c), M: func(k string) string { return dmsg(lang, k) },
		Admin: s.adminLink(c, lang)}
	if l := otherLanguage(lang, serverLanguages); l != "" {
		data.SwitchLangURL, data.SwitchLangLabel = "/dash?lang="+l, languageName(l)
	}
	f, err := parseFilter(url.Values{"weight": {weightNone}}, allowedProvinces(c))
	if err != nil {
		return err
	}
	midnight := startOfDay(s.cfg.Now())
	for _, ss := range stored {
		d, err := s.definition(ctx, ss.Slug)
		if err != nil {
			continue // a definition that no longer parses is logged where it is used
		}
		brd, err := s.live.board(ctx, d)
		if err != nil {
			return err
		}
		v := brd.view(f)
		row := surveyRow{Slug: d.Slug, Title: d.Title.In(lang, d.DefaultLanguage()), URL: "/dash/" + url.PathEscape(d.Slug) + "?lang=" + lang,
			Total: v.s.Len()}
		for _, at := range v.at {
			if at >= midnight.UnixMilli() {
				row.Today++
			}
		}
		if len(d.Quotas) > 0 {
			p := &pageCtx{d: d, brd: brd, v: v, lang: lang, labels: charts.Labels{Def: d, Lang: lang},
				base: "/dash/" + url.PathEscape(d.Slug), query: url.Values{}}
			cv, err := p.chartView(chartSpec{"quota", chartQuota})
			if err != nil {
				return err
			}
			cv.ID = "chart-quota-" + d.Slug
			row.Quota = &cv
		}
		data.Surveys = append(data.Surveys, row)
	}
	return s.views.render(c, http.StatusOK, "dashlist.html", data)
}

// startOfDay is midnight, China time, of t's day.
func startOfDay(t time.Time) time.Time {
	t = t.In(surveys.ChinaTime)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, surveys.ChinaTime)
}

// chartQuota is the fill of each quota cell: responses of the key group in
// the region type against the target.
func chartQuota(p *pageCtx) (charts.Chart, []string, [][]string, error) {
	var groups, regions []string
	gi, ri := map[string]int{}, map[string]int{}
	for _, q := range p.d.Quotas {
		if _, ok := gi[q.Group]; !ok {
			gi[q.Group] = len(groups)
			groups = append(groups, q.Group)
		}
		if _, ok := ri[q.RegionType]; !ok {
			ri[q.RegionType] = len(regions)
			regions = append(regions, q.RegionType)
		}
	}
	cells := make([][]charts.QuotaCell, len(groups))
	for g := range cells {
		cells[g] = make([]charts.QuotaCell, len(regions))
	}
	for _, q := range p.d.Quotas {
		in, ok := p.v.s.InGroup(q.Group)
		n := 0
		if ok {
			inRegion := p.v.s.Where(surveys.RegionTypeID, []string{q.RegionType})
			for i := range p.v.s.Len() {
				if in(i) && inRegion(i) {
					n++
				}
			}
		}
		cells[gi[q.Group]][ri[q.RegionType]] = charts.QuotaCell{N: n, Target: q.Target}
	}
	rowLabels := make([]string, len(groups))
	for i, g := range groups {
		rowLabels[i] = p.m("g_" + g)
	}
	colLabels := make([]string, len(regions))
	for i, r := range regions {
		colLabels[i], _ = p.optionLabel(surveys.RegionTypeID, r)
	}
	ch, err := charts.QuotaFill(rowLabels, colLabels, cells, p.m("c_quota"), p.noData())
	h, rows := charts.QuotaRows(rowLabels, colLabels, cells)
	return ch, h, rows, err
}
