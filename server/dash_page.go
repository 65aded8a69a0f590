package server

import (
	"errors"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/charts"
	"github.com/qvoice/qvoice/surveys"
)

// dashChartView is one chart on a page with the table of exactly what it
// draws and the link to the same rows as CSV.
type dashChartView struct {
	ID, Title string
	Height    int
	Option    template.JS // escaped JSON (encoding/json), inside <script type="application/json">
	Header    []string
	Rows      [][]string
	CSVURL    string
}

type navItem struct {
	Label, URL string
	Current    bool
}

type option struct {
	Value, Label string
	Selected     bool
}

// filterForm is the filter bar every page has (a plain GET form).
type filterForm struct {
	Action, From, To, Src, Lang string
	Provinces, RegionTypes      []option
	Venues, Groups, Weights     []option
	Flagged                     bool
}

// complaintView is one free text on the complaints page.
type complaintView struct {
	When, Where, Text string
}

// dashPageData is what dashpage.html renders.
type dashPageData struct {
	Lang, Title, Heading, Slug, Page string
	User                             string
	Responses, Note                  string
	Nav                              []navItem
	Filter                           filterForm
	Charts                           []dashChartView
	Top10                            []string
	Texts                            []complaintView
	Footnotes                        []string
	SwitchLangURL, SwitchLangLabel   string
	CSRF                             string
	Admin                            *navItem // the link to the account pages, for admins
	M                                func(key string) string
}

// pageCtx is what chart builders get.
type pageCtx struct {
	d      *surveys.Definition
	brd    *board
	v      *dashView
	lang   string
	labels charts.Labels
	cat    string // the category of a category page
	base   string // /dash/SLUG
	query  url.Values
}

func (p *pageCtx) m(key string, args ...any) string { return dmsg(p.lang, key, args...) }

// chartSpec builds one chart and its table.
type chartSpec struct {
	id    string
	build func(p *pageCtx) (charts.Chart, []string, [][]string, error)
}

// dashPages are the pages of a survey's dashboard: their charts, by name.
var dashPages = map[string][]chartSpec{
	"overview":   {{"index", chartIndex}, {"priority", chartPriority}},
	"category":   {{"ipa", chartIPA}, {"gap", chartGap}, {"drivers", chartDrivers}, {"nps", chartNPS}},
	"groups":     {{"groups", chartGroups}},
	"heatmap":    {{"heatmap", chartHeatmap}},
	"trend":      {{"trend", chartTrend}},
	"complaints": {{"complaint-types", chartComplaintTypes}, {"complaint-categories", chartComplaintCategories}},
	"list":       {{"quota", chartQuota}}, // on the survey list (dash_list.go)
}

// newPageCtx resolves the survey, the user's filter and the view.
func (s *Server) newPageCtx(c echo.Context) (*pageCtx, error) {
	ctx := c.Request().Context()
	d, err := s.definition(ctx, c.Param("slug"))
	if err != nil {
		return nil, err
	}
	f, err := parseFilter(c.QueryParams(), allowedProvinces(c))
	switch {
	case err == nil:
	case errors.Is(err, errForbidden):
		return nil, echo.NewHTTPError(http.StatusForbidden, dmsg(pickLanguage(c, d), "forbidden_province")).SetInternal(err)
	default:
		return nil, echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	brd, err := s.live.board(ctx, d)
	if err != nil {
		return nil, err
	}
	lang := pickLanguage(c, d)
	p := &pageCtx{d: d, brd: brd, v: brd.view(f), lang: lang, labels: charts.Labels{Def: d, Lang: lang},
		base: "/dash/" + url.PathEscape(d.Slug), query: f.query()}
	if c.Param("cat") != "" {
		if d.Category(c.Param("cat")) == nil {
			return nil, echo.NewHTTPError(http.StatusNotFound, "no such category")
		}
		p.cat = c.Param("cat")
	}
	return p, nil
}

// dashPage serves one page of a survey's dashboard.
func (s *Server) dashPage(page string) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.newPageCtx(c)
		if err != nil {
			return err
		}
		data := s.pageData(c, p, page)
		for _, spec := range dashPages[page] {
			cv, err := p.chartView(spec)
			if err != nil {
				return err
			}
			data.Charts = append(data.Charts, cv)
		}
		if err := pageExtras(p, page, &data); err != nil {
			return err
		}
		return s.views.render(c, http.StatusOK, "dashpage.html", data)
	}
}

// chartView builds one chart of the page.
func (p *pageCtx) chartView(spec chartSpec) (dashChartView, error) {
	ch, header, rows, err := spec.build(p)
	if err != nil {
		return dashChartView{}, err
	}
	q := maps.Clone(p.query) // p.query is shared by every link of the page
	q.Set("lang", p.lang)
	csv := p.base + "/data/" + spec.id + ".csv?" + q.Encode()
	if p.cat != "" {
		csv = p.base + "/category/" + url.PathEscape(p.cat) + "/data/" + spec.id + ".csv?" + q.Encode()
	}
	return dashChartView{ID: ch.ElementID, Title: ch.Title, Height: ch.Height, Option: template.JS(ch.Option),
		Header: tableHeader(p.lang, header), Rows: rows, CSVURL: csv}, nil
}

// dashCSV serves exactly the rows a chart draws, under the same filter.
func (s *Server) dashCSV(c echo.Context) error {
	p, err := s.newPageCtx(c)
	if err != nil {
		return err
	}
	file := c.Param("file")
	id := strings.TrimSuffix(file, ".csv")
	if id == file {
		return echo.NewHTTPError(http.StatusNotFound, "no such file")
	}
	for page, specs := range dashPages {
		// A category's charts under /category/C/data/, the others above.
		if (page == "category") != (p.cat != "") {
			continue
		}
		for _, spec := range specs {
			if spec.id != id {
				continue
			}
			_, header, rows, err := spec.build(p)
			if err != nil {
				return err
			}
			if err := s.audit(c, surveys.AuditExport, p.d.Slug, "csv "+id+" "+p.query.Encode()); err != nil {
				return err
			}
			name := p.d.Slug + "-" + id + ".csv"
			c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
			return writeCSV(c, header, rows)
		}
	}
	return echo.NewHTTPError(http.StatusNotFound, "no such chart")
}

// pageData fills what every page has: title, navigation, filter bar.
func (s *Server) pageData(c echo.Context, p *pageCtx, page string) dashPageData {
	data := dashPageData{Lang: p.lang, Title: p.d.Title.In(p.lang, p.d.DefaultLanguage()), Slug: p.d.Slug, Page: page,
		M: func(k string) string { return dmsg(p.lang, k) }, User: userName(c), CSRF: s.csrfToken(c),
		Admin: s.adminLink(c, p.lang)}
	data.Heading = p.m("nav_" + page)
	if p.cat != "" {
		data.Heading = p.labels.Category(p.cat)
	}
	n := p.v.s.Len()
	data.Responses = dmsg(p.lang, "responses_n", n)
	if n == 0 {
		data.Note = dmsg(p.lang, "no_data")
	} else if k := p.v.noteKey(); k != "" {
		data.Note = dmsg(p.lang, k)
	}
	q := p.query.Encode()
	link := func(path string) string { return path + "?" + q }
	data.Nav = []navItem{{Label: p.m("nav_surveys"), URL: "/dash"},
		{Label: p.m("nav_overview"), URL: link(p.base), Current: page == "overview"}}
	for _, cat := range p.d.Categories {
		u := p.base + "/category/" + url.PathEscape(cat.Code)
		data.Nav = append(data.Nav, navItem{Label: p.labels.Category(cat.Code), URL: link(u), Current: page == "category" && p.cat == cat.Code})
	}
	for _, pg := range []string{"groups", "heatmap", "trend", "complaints"} {
		data.Nav = append(data.Nav, navItem{Label: p.m("nav_" + pg), URL: link(p.base + "/" + pg), Current: page == pg})
	}
	data.Nav = append(data.Nav, navItem{Label: p.m("nav_report"), URL: link(p.base + "/report")})
	data.Filter = p.filterForm(c.Request().URL.Path)
	if l := otherLanguage(p.lang, p.d.Languages); l != "" {
		qq := maps.Clone(p.query)
		qq.Set("lang", l)
		data.SwitchLangURL, data.SwitchLangLabel = c.Request().URL.Path+"?"+qq.Encode(), languageName(l)
	}
	data.Footnotes = []string{p.m("small_cell")}
	return data
}

// filterForm lists the filter bar's choices with the current ones selected.
func (p *pageCtx) filterForm(action string) filterForm {
	f := p.v.f
	ff := filterForm{Action: action, From: f.FromS, To: f.ToS, Lang: p.lang, Flagged: f.NoFlagged}
	if len(f.Srcs) > 0 {
		ff.Src = f.Srcs[0]
	}
	opts := func(id string, chosen []string) []option {
		fd := p.d.Field(id)
		if fd == nil {
			return nil
		}
		var out []option
		for _, o := range fd.Options {
			out = append(out, option{o.Value, o.Label.In(p.lang, p.d.DefaultLanguage()), slices.Contains(chosen, o.Value)})
		}
		return out
	}
	ff.Provinces = opts(surveys.ProvinceID, f.Provinces)
	ff.RegionTypes = opts(surveys.RegionTypeID, f.RegionTypes)
	for _, v := range surveys.Venues {
		ff.Venues = append(ff.Venues, option{v, v, slices.Contains(f.Venues, v)})
	}
	for _, g := range dashGroups {
		ff.Groups = append(ff.Groups, option{g, p.m("g_" + g), f.Group == g})
	}
	for _, w := range []string{weightDesign, weightNone, weightRaked} {
		ff.Weights = append(ff.Weights, option{w, p.m("w_" + w), f.Weighting == w})
	}
	return ff
}
