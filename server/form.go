package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// The phone form is a sequence of server-rendered pages (see flow.go). Each
// POST saves the answers in a server-side draft keyed by the submission id,
// then redirects (303) to GET /s/SLUG/r/SID/PAGE, which renders from the
// draft: a reload, a lost connection or the browser's Back button loses
// nothing. The first page is served without a draft, so a visit that goes
// no further stores nothing, and a declined consent stores nothing at all.

// formStart serves the first page with a fresh submission id.
func (s *Server) formStart(c echo.Context) error {
	d, err := s.definition(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	// Closed surveys, used invites and devices that already answered are
	// told so on the first page; this also sets the device cookie.
	if err := s.admit(c, d, c.QueryParam("t"), ""); err != nil {
		return err
	}
	now := s.cfg.Now()
	dr := &surveys.Draft{ID: surveys.NewSubmissionID(), Survey: d.Slug, Values: map[string][]string{},
		Lang: pickLanguage(c, d), Src: clip(c.QueryParam("src")), Venue: clip(c.QueryParam("venue")),
		Token: clipToken(c.QueryParam("t")), Elder: c.QueryParam("big") == "1", Started: now}
	return s.renderPage(c, d, dr, 0, nil, http.StatusOK, "")
}

// formResume renders a page of a saved draft.
func (s *Server) formResume(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := s.definition(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.checkOpen(c, d); err != nil {
		return err
	}
	dr, err := s.drafts.Draft(ctx, d.Slug, strings.ToLower(c.Param("sid")), s.cfg.Now())
	if errors.Is(err, surveys.ErrNotFound) {
		lang := pickLanguage(c, d)
		p := s.messagePage(d, lang, "draft_gone_title", nil)
		p.Body, p.Link, p.LinkText = []string{s.views.msg(lang, "draft_gone")}, "/s/"+d.Slug, s.views.msg(lang, "start_again")
		return s.views.render(c, http.StatusNotFound, "message.html", p)
	}
	if err != nil {
		return err
	}
	pages := pagesOf(d, dr.Values, dr.Elder)
	return s.renderPage(c, d, dr, pageIndex(pages, c.Param("page")), nil, http.StatusOK, "")
}

// clipToken bounds an invite token (longer than other hidden fields: its
// length grows with the src it signs).
func clipToken(s string) string { return clipTo(s, 160) }

// clip bounds a hidden field to 64 bytes, on a character boundary.
func clip(s string) string { return clipTo(s, 64) }

func clipTo(s string, n int) string {
	s = strings.TrimSpace(s)
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// raw converts form values into the raw answers surveys.ParseAnswers takes.
func raw(d *surveys.Definition, values url.Values) map[string]any {
	out := map[string]any{}
	for k, vs := range values {
		if f := d.Field(k); f != nil && f.Kind == surveys.KindMulti {
			out[k] = vs
		} else if len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	return out
}

// formPost handles every page: it merges the page's answers into the draft,
// then moves next, back, to the other language or large-text mode, or
// submits.
func (s *Server) formPost(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := s.definition(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he // 413 for a body over the limit
	}
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
	}
	var dr *surveys.Draft
	err = s.postPage(c, d, form, &dr)
	if errors.Is(err, surveys.ErrUnavailable) {
		// The answers just typed are only in this request: answer with
		// the page itself, filled in, rather than an error page (issue 7).
		return s.renderKept(c, d, form, dr, err)
	}
	return err
}

// postPage is formPost after the form is read. It sets *loaded to the
// draft as soon as it has one, so that a database failure can show the
// page again with the draft's answers.
func (s *Server) postPage(c echo.Context, d *surveys.Definition, form url.Values, loaded **surveys.Draft) error {
	ctx := c.Request().Context()
	dr, stored, err := s.loadDraft(c, d, form)
	if err != nil {
		return err
	}
	*loaded = dr
	if stored != nil {
		// This form was already submitted (a double tap landing after the
		// first, or a resend after a lost answer): show the same receipt.
		q := url.Values{"code": {stored.Code}, "lang": {stored.Lang}}
		return c.Redirect(http.StatusSeeOther, "/s/"+d.Slug+"/thanks?"+q.Encode())
	}
	if err := s.checkOpenFor(c, d, dr.ID); err != nil {
		return err
	}
	if honeypotTripped(form) { // a bot: answer as if stored, store nothing
		_ = s.drafts.DeleteDraft(ctx, dr.ID)
		rec := s.decoy(dr.ID)
		return c.Redirect(http.StatusSeeOther, "/s/"+d.Slug+"/thanks?"+url.Values{"code": {rec.Code}, "lang": {dr.Lang}}.Encode())
	}
	now := s.cfg.Now()
	before := pagesOf(d, dr.Values, dr.Elder)
	cur := before[pageIndex(before, form.Get("_page"))]
	if cur.Key != form.Get("_page") {
		// A page the draft no longer has (another tab changed the
		// answers): merge nothing, so no stored answer is cleared, and
		// show the draft's first page again.
		if err := s.saveDraft(c, dr, now); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, resumeURL(d.Slug, dr.ID, before[0].Key))
	}
	mergePage(d, dr.Values, cur, form)
	if t, err := strconv.ParseInt(form.Get("_t"), 10, 64); err == nil && t > 0 {
		if ms := now.UnixMilli() - t; ms > 0 && ms < int64(24*time.Hour/time.Millisecond) {
			dr.PageMs[cur.Key] += ms
		}
	}
	nav := form.Get("_nav")
	parsed, perr := surveys.ParseAnswers(d, raw(d, dr.Values))
	if errors.Is(perr, surveys.ErrDeclined) {
		if err := s.drafts.DeleteDraft(ctx, dr.ID); err != nil {
			return err
		}
		return s.views.render(c, http.StatusOK, "message.html", s.messagePage(d, dr.Lang, "declined_title", d.Declined))
	}
	var fes surveys.FieldErrors
	errors.As(perr, &fes)
	pages := pagesOf(d, dr.Values, dr.Elder)
	at := pageIndex(pages, cur.Key)
	switch {
	case nav == "back":
		at = max(at-1, 0)
	case strings.HasPrefix(nav, "lang:"):
		if l := matchLanguage(strings.TrimPrefix(nav, "lang:"), d.Languages); l != "" {
			dr.Lang = l
		}
	case nav == "elder:on" || nav == "elder:off":
		dr.Elder = nav == "elder:on"
		pages = pagesOf(d, dr.Values, dr.Elder)
		at = max(pageOfField(pages, firstField(cur)), 0)
	default: // next or submit
		if pe := errorsOnPage(fes, cur); len(pe) > 0 {
			if err := s.saveDraft(c, dr, now); err != nil {
				return err
			}
			return s.renderPage(c, d, dr, pageIndex(pages, cur.Key), pe, http.StatusUnprocessableEntity, "")
		}
		if pages[at].Key == cur.Key && len(pages[at].Fields) > len(cur.Fields) {
			// The answers opened follow-ups on this page (had_problem =
			// yes): ask them before moving on.
		} else if at+1 < len(pages) && pages[at].Key == cur.Key {
			at++
		} else if nav == "submit" || at+1 >= len(pages) {
			return s.finish(c, d, dr, pages, parsed, fes, now)
		}
	}
	if err := s.saveDraft(c, dr, now); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, resumeURL(d.Slug, dr.ID, pages[at].Key))
}

// mergePage sets the answers page p asks from its posted form. Unticked
// boxes send nothing, so each field is cleared first.
func mergePage(d *surveys.Definition, values map[string][]string, p page, form url.Values) {
	for _, id := range p.fieldIDs() {
		delete(values, id)
		if vs := form[id]; len(vs) > 0 && !(len(vs) == 1 && strings.TrimSpace(vs[0]) == "") {
			if f := d.Field(id); f != nil && f.Kind == surveys.KindText {
				vs = []string{surveys.ScrubPersonalData(vs[0])} // drafts are storage too
			}
			values[id] = vs
		}
	}
}

func firstField(p page) string {
	if len(p.Fields) == 0 {
		return ""
	}
	return p.Fields[0].ID
}

func resumeURL(slug, sid, key string) string {
	return "/s/" + slug + "/r/" + sid + "/" + url.PathEscape(key)
}

// loadDraft finds the draft of the posted submission id, or starts one from
// the hidden fields of the first page. When the id has no draft because its
// response is already stored, it returns that response instead.
func (s *Server) loadDraft(c echo.Context, d *surveys.Definition, form url.Values) (*surveys.Draft, *surveys.Response, error) {
	sid := strings.ToLower(form.Get("_sid"))
	now := s.cfg.Now()
	if surveys.ValidSubmissionID(sid) {
		dr, err := s.drafts.Draft(c.Request().Context(), d.Slug, sid, now)
		if err == nil {
			if dr.PageMs == nil {
				dr.PageMs = map[string]int64{}
			}
			return dr, nil, nil
		}
		if !errors.Is(err, surveys.ErrNotFound) {
			return nil, nil, err
		}
		if form.Get("_page") != "" && !isFirstPage(d, form.Get("_page")) {
			// Only a later page can belong to a stored response.
			r, err := s.store.Response(c.Request().Context(), d.Slug, sid)
			if err == nil {
				return nil, r, nil
			}
			if !errors.Is(err, surveys.ErrNotFound) {
				return nil, nil, err
			}
		}
	}
	return draftFromForm(d, form, now), nil, nil
}

// draftFromForm starts a draft, with no answers yet, from a page's hidden
// fields: its submission id, or a fresh one if it has none valid (a
// tampered or lost id: start afresh, keep the answers).
func draftFromForm(d *surveys.Definition, form url.Values, now time.Time) *surveys.Draft {
	sid := strings.ToLower(form.Get("_sid"))
	if !surveys.ValidSubmissionID(sid) {
		sid = surveys.NewSubmissionID()
	}
	lang := matchLanguage(form.Get("_lang"), d.Languages)
	if lang == "" {
		lang = d.DefaultLanguage()
	}
	return &surveys.Draft{ID: sid, Survey: d.Slug, Values: map[string][]string{}, Lang: lang,
		Src: clip(form.Get("_src")), Venue: clip(form.Get("_venue")), Token: clipToken(form.Get("_token")),
		Elder: form.Get("_elder") == "1", PageMs: map[string]int64{}, Started: startedAt(form.Get("_t0"), now)}
}

// isFirstPage reports whether key is the first page in either mode; a
// first page is served without a draft, so it never belongs to a stored
// response.
func isFirstPage(d *surveys.Definition, key string) bool {
	for _, elder := range []bool{false, true} {
		if pages := pagesOf(d, url.Values{}, elder); len(pages) > 0 && pages[0].Key == key {
			return true
		}
	}
	return false
}

// startedAt reads the time the first page was served, for the total time.
func startedAt(v string, now time.Time) time.Time {
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		if t := time.UnixMilli(ms); t.Before(now) && now.Sub(t) < 24*time.Hour {
			return t
		}
	}
	return now
}

func (s *Server) saveDraft(c echo.Context, dr *surveys.Draft, now time.Time) error {
	dr.Updated, dr.ExpiresAt = now, now.Add(s.cfg.DraftTTL)
	return s.drafts.PutDraft(c.Request().Context(), dr)
}

// errorsOnPage keeps the field errors of the fields a page asks.
func errorsOnPage(fes surveys.FieldErrors, p page) surveys.FieldErrors {
	var out surveys.FieldErrors
	for _, fe := range fes {
		for _, f := range p.Fields {
			if f.ID == fe.Field {
				out = append(out, fe)
			}
		}
	}
	return out
}
