package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/charts"
	"github.com/qvoice/qvoice/surveys"
)

// reportSection is one part of the report: a heading, charts with their
// tables, and text.
type reportSection struct {
	Heading string
	Charts  []dashChartView
	List    []string
	Notes   []string
}

// reportData is what report.html renders: one self-contained file.
type reportData struct {
	Lang, Title, Heading, Generated, Filter, Method string
	Nonce                                           string
	ECharts, Script                                 template.JS
	Style                                           template.CSS
	Sections                                        []reportSection
	M                                               func(key string) string
}

// dashReport serves the report of the current filter as a download.
func (s *Server) dashReport(c echo.Context) error {
	var buf bytes.Buffer
	nonce, err := s.WriteReport(c.Request().Context(), &buf, c.Param("slug"), pickLanguage(c, nil), c.QueryParams(), allowedProvinces(c))
	if err != nil {
		return err
	}
	if err := s.audit(c, surveys.AuditReport, c.Param("slug"), "report "+c.QueryParams().Encode()); err != nil {
		return err
	}
	h := c.Response().Header()
	// The report inlines its script and style: allow exactly those.
	h.Set("Content-Security-Policy", reportCSP(nonce))
	h.Set(echo.HeaderContentDisposition, `inline; filename="`+c.Param("slug")+`-report.html"`)
	h.Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// reportCSP lets a report run its own inline script and style and nothing
// else: no request leaves the file.
func reportCSP(nonce string) string {
	return "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" + nonce + "'; img-src data:; base-uri 'none'; form-action 'none'"
}

// WriteReport writes the report of survey slug under the filters of q
// (the dashboard's query parameters), in lang, for a user limited to
// allowed provinces (nil: all): one HTML file with ECharts, the script
// and the style inlined and a Content-Security-Policy that forbids every
// request, so it opens offline, is handed on by e-mail and prints to clean
// A4 pages. It returns the nonce of its inline elements.
func (s *Server) WriteReport(ctx context.Context, w io.Writer, slug, lang string, q url.Values, allowed []string) (string, error) {
	d, err := s.definition(ctx, slug)
	if err != nil {
		return "", err
	}
	if l := matchLanguage(lang, d.Languages); l != "" {
		lang = l
	} else {
		lang = d.DefaultLanguage()
	}
	f, err := parseFilter(q, allowed)
	switch {
	case errors.Is(err, errForbidden):
		return "", echo.NewHTTPError(http.StatusForbidden, dmsg(lang, "forbidden_province")).SetInternal(err)
	case err != nil:
		return "", echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	brd, err := s.live.board(ctx, d)
	if err != nil {
		return "", err
	}
	p := &pageCtx{d: d, brd: brd, v: brd.view(f), lang: lang, labels: charts.Labels{Def: d, Lang: lang},
		base: "/dash/" + url.PathEscape(d.Slug), query: f.query()}
	data := reportData{Lang: lang, Title: d.Title.In(lang, d.DefaultLanguage()), M: func(k string) string { return dmsg(lang, k) },
		Generated: s.cfg.Now().In(surveys.ChinaTime).Format("2006-01-02 15:04 (UTC+8)"), Filter: describeFilter(p)}
	data.Heading = dmsg(lang, "report_title")
	data.Method = dmsg(lang, "method_text", p.v.s.Len(), dmsg(lang, "w_"+f.Weighting))
	if k := p.v.noteKey(); k != "" {
		data.Method += " " + dmsg(lang, k)
	}
	if data.Sections, err = reportSections(p); err != nil {
		return "", err
	}
	var nb [12]byte
	_, _ = rand.Read(nb[:])
	data.Nonce = base64.RawURLEncoding.EncodeToString(nb[:])
	ech, ok := s.views.assets["vendor/echarts.min.js"]
	if !ok {
		return "", fmt.Errorf("report: ECharts is not embedded (run make assets)")
	}
	// "</script" could end the inline element early; "<\/script" means the same in JavaScript.
	data.ECharts = template.JS(strings.ReplaceAll(string(ech.body), "</script", `<\/script`))
	data.Script = template.JS(s.views.assets["dash.js"].body)
	data.Style = template.CSS(s.views.assets["qvoice.css"].body)
	t, ok := s.views.pages["report.html"]
	if !ok {
		return "", fmt.Errorf("no report template")
	}
	return data.Nonce, t.ExecuteTemplate(w, "report", data)
}

// reportSections are the overview, each category's quadrant and the key
// groups.
func reportSections(p *pageCtx) ([]reportSection, error) {
	build := func(specs ...chartSpec) ([]dashChartView, error) {
		var out []dashChartView
		for _, sp := range specs {
			cv, err := p.chartView(sp)
			if err != nil {
				return nil, err
			}
			out = append(out, cv)
		}
		return out, nil
	}
	overview, err := build(chartSpec{"index", chartIndex}, chartSpec{"priority", chartPriority})
	if err != nil {
		return nil, err
	}
	secs := []reportSection{{Heading: p.m("top10"), List: top10(p)}, {Heading: p.m("nav_overview"), Charts: overview}}
	for _, c := range p.d.Categories {
		p.cat = c.Code
		cs, err := build(chartSpec{"ipa", chartIPA})
		if err != nil {
			return nil, err
		}
		cs[0].ID += "-" + c.Code
		secs = append(secs, reportSection{Heading: p.labels.Category(c.Code), Charts: cs})
	}
	p.cat = ""
	groups, err := build(chartSpec{"groups", chartGroups})
	if err != nil {
		return nil, err
	}
	secs = append(secs, reportSection{Heading: p.m("nav_groups"), Charts: groups, Notes: []string{p.m("signif_note"), p.m("small_cell")}})
	return secs, nil
}

// describeFilter says in words which responses the report covers.
func describeFilter(p *pageCtx) string {
	f := p.v.f
	var parts []string
	if f.FromS != "" || f.ToS != "" {
		parts = append(parts, p.m("f_from")+" "+orDash(f.FromS)+" · "+p.m("f_to")+" "+orDash(f.ToS))
	}
	names := func(id string, codes []string) string {
		var out []string
		for _, code := range codes {
			label, _ := p.optionLabel(id, code)
			out = append(out, label)
		}
		return strings.Join(out, "、")
	}
	if len(f.Provinces) > 0 {
		parts = append(parts, p.m("f_province")+"："+names("province", f.Provinces))
	}
	if len(f.RegionTypes) > 0 {
		parts = append(parts, p.m("f_region_type")+"："+names("region_type", f.RegionTypes))
	}
	if len(f.Venues) > 0 {
		parts = append(parts, p.m("f_venue")+"："+strings.Join(f.Venues, ", "))
	}
	if f.Group != "" {
		parts = append(parts, p.m("f_group")+"："+p.m("g_"+f.Group))
	}
	if f.NoFlagged {
		parts = append(parts, p.m("f_flagged"))
	}
	if len(parts) == 0 {
		return p.m("none")
	}
	return strings.Join(parts, "；")
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
