package server

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// finish stores the response of a complete draft. An invalid answer on an
// earlier page (a stale draft, a changed definition) sends the respondent
// to that page with the error; a reused submission id keeps the answers
// under a fresh id.
func (s *Server) finish(c echo.Context, d *surveys.Definition, dr *surveys.Draft, pages []page, parsed surveys.Answers, fes surveys.FieldErrors, now time.Time) error {
	if len(fes) > 0 {
		at := 0
		if i := pageOfField(pages, fes[0].Field); i >= 0 {
			at = i
		}
		if err := s.saveDraft(c, dr, now); err != nil {
			return err
		}
		return s.renderPage(c, d, dr, at, errorsOnPage(fes, pages[at]), http.StatusUnprocessableEntity, "")
	}
	para := surveys.NewParadata(d, parsed, dr.Started, now, dr.PageMs, dr.Elder)
	rec, err := s.submit(c, d, surveys.Submission{ID: dr.ID, Answers: raw(d, dr.Values),
		Lang: dr.Lang, Src: dr.Src, Venue: dr.Venue, Token: dr.Token, Channel: "form", Paradata: para})
	if errors.Is(err, surveys.ErrConflict) {
		// This id already holds other answers (Back after submitting, or
		// a shared staff phone): keep these answers under a fresh id.
		old := dr.ID
		dr.ID = surveys.NewSubmissionID()
		if err := s.saveDraft(c, dr, now); err != nil {
			// Unsaved, the fresh id holds nothing: a page kept on screen
			// must resend the old one, to meet the conflict again.
			dr.ID = old
			return err
		}
		_ = s.drafts.DeleteDraft(c.Request().Context(), old)
		return s.renderPage(c, d, dr, len(pages)-1, nil, http.StatusConflict, s.views.msg(dr.Lang, "conflict_notice"))
	}
	if err != nil {
		return err
	}
	if err := s.drafts.DeleteDraft(c.Request().Context(), dr.ID); err != nil {
		s.log.Warn("delete draft after submit", "err", err) // the response is stored; the draft expires anyway
	}
	q := url.Values{"code": {rec.Code}, "lang": {dr.Lang}}
	return c.Redirect(http.StatusSeeOther, "/s/"+d.Slug+"/thanks?"+q.Encode())
}

// messagePage is a plain page with a title and a text (end pages).
type messagePage struct {
	Lang, Title, Heading, Code, CodeLabel, Hotline string
	Link, LinkText                                 string
	Body                                           []string
}

func (s *Server) messagePage(d *surveys.Definition, lang, titleKey string, body surveys.Text) messagePage {
	text := d.Substitute(body.In(lang, d.DefaultLanguage()), lang)
	p := messagePage{Lang: lang, Title: d.Title.In(lang, d.DefaultLanguage()), Heading: s.views.msg(lang, titleKey),
		Body: paragraphs(text)}
	if !strings.Contains(text, "12315") { // every end page names the complaints hotline once
		p.Hotline = s.views.msg(lang, "hotline")
	}
	return p
}

var responseCodeRE = regexp.MustCompile(`^[2-9A-Z]{4}-[2-9A-Z]{4}$`)

// formThanks shows the response code, which respondents quote to have their
// answers deleted (PIPL Art. 47).
func (s *Server) formThanks(c echo.Context) error {
	d, err := s.definition(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	code := c.QueryParam("code")
	if !responseCodeRE.MatchString(code) {
		return echo.NewHTTPError(http.StatusBadRequest, "invalid response code")
	}
	lang := pickLanguage(c, d)
	p := s.messagePage(d, lang, "thanks_title", d.Thanks)
	for i := range p.Body {
		p.Body[i] = strings.ReplaceAll(p.Body[i], "{{response_code}}", code)
	}
	p.Code, p.CodeLabel = code, s.views.msg(lang, "response_code")
	return s.views.render(c, http.StatusOK, "message.html", p)
}

func languageName(tag string) string {
	switch tag {
	case "zh-CN":
		return "中文"
	case "en":
		return "English"
	}
	return tag
}
