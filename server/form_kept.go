package server

import (
	"maps"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// keptRetryAfter is the Retry-After, in seconds, of a page kept while the
// database is down: long enough for a restarted database, short enough
// that a respondent still holding the phone tries again.
const keptRetryAfter = "5"

// renderKept answers a page whose post met an unreachable database
// (issue 7): 503 with the page as it was posted — the same submission id,
// hidden fields and answers — and a notice to press the same button
// again. The answers just typed exist only in this request, so an error
// page would lose them; the re-post carries on normally once the database
// is back, and the submission id stores the response once. Nothing is
// written to the store here.
//
// dr is the draft formPost had loaded, with this page's answers merged,
// or nil when the draft could not be read: the page is then built from
// its key and the posted answers alone. When even that fails (a tampered
// page key), err is answered as any error.
func (s *Server) renderKept(c echo.Context, d *surveys.Definition, form url.Values, dr *surveys.Draft, err error) error {
	var kept surveys.Draft
	if dr != nil {
		kept = *dr
	} else {
		kept = *draftFromForm(d, form, s.cfg.Now())
	}
	kept.Values = maps.Clone(kept.Values)
	if kept.Values == nil {
		kept.Values = map[string][]string{}
	}
	// The page as it was posted: a language or large-text switch that
	// could not be saved has not happened.
	if l := matchLanguage(form.Get("_lang"), d.Languages); l != "" {
		kept.Lang = l
	}
	kept.Elder = form.Get("_elder") == "1"
	key := form.Get("_page")
	// Which questions the page asks can depend on its own answers (the
	// follow-ups of had_problem): find it with the posted answers, then
	// merge them as formPost does.
	pg, pos, ok := keptPage(d, withPosted(d, kept.Values, form), kept.Elder, key)
	if !ok {
		return err
	}
	mergePage(d, kept.Values, pg, form)
	if merged, at, ok := keptPage(d, kept.Values, kept.Elder, key); ok {
		pg, pos = merged, at
	}
	if dr == nil {
		// Without the draft's earlier answers (the chosen categories),
		// the page count would be wrong: show none.
		pos.n, pos.of = 0, 0
	}
	pos.last = pos.last || form.Get("_nav") == "submit" // the same button, to press again
	s.log.Warn("database unavailable: form page kept on screen", "survey", d.Slug, "err", err)
	c.Response().Header().Set("Retry-After", keptRetryAfter)
	return s.renderPageAt(c, d, &kept, pg, pos, nil, http.StatusServiceUnavailable, s.views.msg(kept.Lang, "kept_notice"))
}

// keptPage finds the page with key among the pages of values, or else
// builds it from its key alone, at an unknown position.
func keptPage(d *surveys.Definition, values url.Values, elder bool, key string) (page, position, bool) {
	pages := pagesOf(d, values, elder)
	for i, p := range pages {
		if p.Key == key {
			return p, positionIn(i, len(pages)), true
		}
	}
	p, ok := pageByKey(d, values, key)
	return p, position{first: isFirstPage(d, key)}, ok
}

// withPosted is values with the posted answers to questions of the
// survey over them; hidden fields and the honeypot are not questions.
func withPosted(d *surveys.Definition, values url.Values, form url.Values) url.Values {
	out := maps.Clone(values)
	if out == nil {
		out = url.Values{}
	}
	for k, vs := range form {
		if d.Field(k) != nil {
			out[k] = vs
		}
	}
	return out
}
