package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// renderPage renders page at of a draft with the answers so far, the
// field errors next to their fields, and an optional page notice. The
// hidden fields carry what a first page needs to start a draft; later
// pages read the draft.
func (s *Server) renderPage(c echo.Context, d *surveys.Definition, dr *surveys.Draft, at int, fes surveys.FieldErrors, status int, notice string) error {
	pages := pagesOf(d, dr.Values, dr.Elder)
	at = min(max(at, 0), len(pages)-1)
	return s.renderPageAt(c, d, dr, pages[at], positionIn(at, len(pages)), fes, status, notice)
}

// position is where a page stands in the form: its 1-based number and the
// page count (both 0 when unknown: a page kept while the database is
// down may not be in the list its posted answers give), and whether it
// has no Back button or a Submit one.
type position struct {
	n, of       int
	first, last bool
}

// positionIn is the position of page at (0-based) among n pages.
func positionIn(at, n int) position {
	return position{n: at + 1, of: n, first: at == 0, last: at == n-1}
}

// renderPageAt renders page pg of a draft at pos, as renderPage does.
func (s *Server) renderPageAt(c echo.Context, d *surveys.Definition, dr *surveys.Draft, pg page, pos position, fes surveys.FieldErrors, status int, notice string) error {
	b := &formBuilder{d: d, lang: dr.Lang, values: dr.Values, errs: map[string]string{}}
	for _, fe := range fes {
		b.errs[fe.Field] = s.views.fieldMsg(dr.Lang, fe)
	}
	now := s.cfg.Now()
	p := formPage{Lang: dr.Lang, Title: b.text(d.Title), Slug: d.Slug, Page: pos.n, Pages: pos.of,
		First: pos.first, Last: pos.last, Elder: dr.Elder, Sections: []sectionView{b.pageView(pg)},
		Msg: func(k string) string { return s.views.msg(dr.Lang, k) }, Notice: notice,
		Fresh: pos.first && len(dr.Values) == 0}
	if pos.first {
		p.Intro = paragraphs(b.text(d.Intro))
	}
	if len(fes) > 0 {
		p.ErrorSummary = s.views.msg(dr.Lang, "errors_summary", len(fes))
	}
	t0 := dr.Started
	if t0.IsZero() {
		t0 = now
	}
	p.Hidden = []hiddenInput{{"_sid", dr.ID}, {"_page", pg.Key}, {"_t", strconv.FormatInt(now.UnixMilli(), 10)},
		{"_t0", strconv.FormatInt(t0.UnixMilli(), 10)}, {"_lang", dr.Lang}, {"_src", dr.Src}, {"_venue", dr.Venue},
		{"_token", dr.Token}}
	if dr.Elder {
		p.Hidden = append(p.Hidden, hiddenInput{"_elder", "1"})
	}
	if l := otherLanguage(dr.Lang, d.Languages); l != "" {
		p.SwitchLang, p.SwitchLangLabel = l, languageName(l)
		q := url.Values{"lang": {l}}
		for k, v := range map[string]string{"src": dr.Src, "venue": dr.Venue, "t": dr.Token} {
			if v != "" {
				q.Set(k, v)
			}
		}
		if dr.Elder {
			q.Set("big", "1")
		}
		p.SwitchLangURL = "/s/" + d.Slug + "?" + q.Encode()
	}
	if status == 0 {
		status = http.StatusOK
	}
	return s.views.render(c, status, "form.html", p)
}
