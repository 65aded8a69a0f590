package server

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// formStart serves step 1 with a fresh submission id. The id travels with
// every step, so a double tap or a retried POST is one response, not two.
func (s *Server) formStart(c echo.Context) error {
	d, err := s.definition(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	st := formState{sid: surveys.NewSubmissionID(), lang: pickLanguage(c, d),
		src: clip(c.QueryParam("src")), venue: clip(c.QueryParam("venue")), values: url.Values{}}
	return s.renderForm(c, d, st, 1, nil, http.StatusOK)
}

// formState is what the form carries between steps in hidden fields.
type formState struct {
	sid, lang, src, venue string
	values                url.Values // answers, keyed by field id
}

// clip bounds a hidden QR field to 64 bytes, on a character boundary.
func clip(s string) string {
	s = strings.TrimSpace(s)
	for len(s) > 64 {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// readForm splits a posted form into the carried state and the answers.
func readForm(c echo.Context, d *surveys.Definition) (formState, error) {
	form, err := c.FormParams()
	if err != nil {
		return formState{}, echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
	}
	st := formState{sid: form.Get("_sid"), lang: pickLanguage(c, d), src: clip(form.Get("_src")),
		venue: clip(form.Get("_venue")), values: url.Values{}}
	for k, vs := range form {
		if strings.HasPrefix(k, "_") || d.Field(k) == nil {
			continue
		}
		st.values[k] = vs
	}
	return st, nil
}

// raw converts form values into the raw answers surveys.ParseAnswers takes.
func (st formState) raw(d *surveys.Definition) map[string]any {
	out := map[string]any{}
	for k, vs := range st.values {
		if f := d.Field(k); f != nil && f.Kind == surveys.KindMulti {
			out[k] = vs
		} else if len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	return out
}

// formPost handles every step: "next" checks step 1 and shows step 2,
// "back" returns to step 1 keeping all answers, "submit" stores.
func (s *Server) formPost(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := s.definition(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	st, err := readForm(c, d)
	if err != nil {
		return err
	}
	if !surveys.ValidSubmissionID(st.sid) {
		st.sid = surveys.NewSubmissionID() // a tampered or lost id: start a fresh one, keep the answers
	}
	nav := c.FormValue("_nav")
	if nav == "back" {
		return s.renderForm(c, d, st, 1, nil, http.StatusOK)
	}
	if lang, ok := strings.CutPrefix(nav, "lang:"); ok {
		// Switching language re-renders the same step with every answer kept.
		if l := matchLanguage(lang, d.Languages); l != "" {
			st.lang = l
		}
		step := 1
		if c.FormValue("_step") == "2" {
			step = 2
		}
		return s.renderForm(c, d, st, step, nil, http.StatusOK)
	}
	pages := pageOf(d)
	_, perr := surveys.ParseAnswers(d, st.raw(d))
	if errors.Is(perr, surveys.ErrDeclined) {
		return s.views.render(c, http.StatusOK, "message.html", s.messagePage(d, st.lang, "declined_title", d.Declined))
	}
	var fes surveys.FieldErrors
	errors.As(perr, &fes)
	if step1 := errorsOn(fes, pages, 1); len(step1) > 0 || nav != "submit" {
		status := http.StatusOK
		if len(step1) > 0 {
			status = http.StatusUnprocessableEntity
		}
		next := 2
		if len(step1) > 0 {
			next = 1
		}
		return s.renderForm(c, d, st, next, step1, status)
	}
	if len(fes) > 0 {
		return s.renderForm(c, d, st, 2, fes, http.StatusUnprocessableEntity)
	}
	rec, err := surveys.Submit(ctx, s.store, d, surveys.Submission{ID: st.sid, Answers: st.raw(d),
		Lang: st.lang, Src: st.src, Venue: st.venue, Channel: "form"}, s.cfg.Now())
	if errors.Is(err, surveys.ErrConflict) {
		// This form's id already holds other answers (Back after
		// submitting, or a shared staff phone): keep these answers under
		// a fresh id and ask to submit again, rather than lose them.
		st.sid = surveys.NewSubmissionID()
		return s.renderPage(c, d, st, 2, nil, http.StatusConflict, s.views.msg(st.lang, "conflict_notice"))
	}
	if err != nil {
		return err
	}
	if !rec.Duplicate {
		s.live.add(d, rec.Response)
	}
	q := url.Values{"code": {rec.Code}, "lang": {st.lang}}
	return c.Redirect(http.StatusSeeOther, "/s/"+d.Slug+"/thanks?"+q.Encode())
}

// errorsOn keeps the field errors of fields asked on step.
func errorsOn(fes surveys.FieldErrors, pages map[string]int, step int) surveys.FieldErrors {
	var out surveys.FieldErrors
	for _, fe := range fes {
		if pages[fe.Field] == step {
			out = append(out, fe)
		}
	}
	return out
}

func (s *Server) renderForm(c echo.Context, d *surveys.Definition, st formState, step int, fes surveys.FieldErrors, status int) error {
	return s.renderPage(c, d, st, step, fes, status, "")
}

// renderPage renders one step of the form with the answers so far, the
// field errors next to their fields, and an optional page notice.
func (s *Server) renderPage(c echo.Context, d *surveys.Definition, st formState, step int, fes surveys.FieldErrors, status int, notice string) error {
	b := &formBuilder{d: d, lang: st.lang, values: st.values, errs: map[string]string{}}
	for _, fe := range fes {
		b.errs[fe.Field] = s.views.fieldMsg(st.lang, fe)
	}
	pages := pageOf(d)
	p := formPage{Lang: st.lang, Title: b.text(d.Title), Slug: d.Slug, SID: st.sid, Step: step, Steps: 2,
		Sections: b.sections(step, pages), Msg: func(k string) string { return s.views.msg(st.lang, k) },
		Notice: notice, Fresh: step == 1 && len(st.values) == 0}
	if step == 1 {
		p.Intro = paragraphs(b.text(d.Intro))
	}
	if len(fes) > 0 {
		p.ErrorSummary = s.views.msg(st.lang, "errors_summary", len(fes))
	}
	p.Hidden = []hiddenInput{{"_sid", st.sid}, {"_lang", st.lang}, {"_src", st.src}, {"_venue", st.venue}, {"_step", strconv.Itoa(step)}}
	for id, vs := range st.values {
		if pages[id] != step || (step == 2 && d.Field(id).Category != "" && !contains(st.values[surveys.RatedCategoriesID], d.Field(id).Category)) {
			for _, v := range vs {
				p.Hidden = append(p.Hidden, hiddenInput{id, v})
			}
		}
	}
	for _, l := range d.Languages {
		if l != st.lang {
			p.SwitchLang, p.SwitchLangLabel = l, languageName(l)
			q := url.Values{"lang": {l}}
			if st.src != "" {
				q.Set("src", st.src)
			}
			if st.venue != "" {
				q.Set("venue", st.venue)
			}
			p.SwitchLangURL = "/s/" + d.Slug + "?" + q.Encode()
			break
		}
	}
	return s.views.render(c, status, "form.html", p)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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

// messagePage is a plain page with a title and a text (end pages).
type messagePage struct {
	Lang, Title, Heading, Code, CodeLabel, Hotline string
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
