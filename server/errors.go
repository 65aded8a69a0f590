package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// statusTable maps domain error kinds to HTTP statuses, message keys, the
// API field at fault and, for refusals shown to a respondent as a page of
// the survey, the page heading. Echo's default handler only type-asserts
// *echo.HTTPError and misses wrapped errors, so every handler error goes
// through here. The first matching row wins.
var statusTable = []struct {
	kind     error
	status   int
	msgKey   string
	field    string
	titleKey string
}{
	{surveys.ErrNotFound, http.StatusNotFound, "err_not_found", "", ""},
	{surveys.ErrConflict, http.StatusConflict, "err_conflict", "id", ""},
	{surveys.ErrDuplicate, http.StatusConflict, "err_duplicate", "", ""},
	{surveys.ErrLastAdmin, http.StatusConflict, "adm_err_last_admin", "", ""},
	{surveys.ErrOwnAccount, http.StatusConflict, "adm_err_own_account", "", ""},
	{surveys.ErrAlreadyResponded, http.StatusConflict, "err_already_responded", "", "already_title"},
	{surveys.ErrTokenUsed, http.StatusConflict, "err_token_used", "token", "invite_title"},
	{surveys.ErrTokenRequired, http.StatusForbidden, "err_token_required", "token", "invite_title"},
	{surveys.ErrTokenForged, http.StatusForbidden, "err_token_forged", "token", "invite_title"},
	{surveys.ErrTokenExpired, http.StatusGone, "err_token_expired", "token", "invite_title"},
	{surveys.ErrDeclined, http.StatusUnprocessableEntity, "err_declined", "", ""},
	{surveys.ErrInvalid, http.StatusUnprocessableEntity, "err_invalid", "", ""},
	{surveys.ErrClosed, http.StatusGone, "err_closed", "", "closed_title"},
	{surveys.ErrUnavailable, http.StatusServiceUnavailable, "err_unavailable", "", ""},
}

// httpStatusKeys give the HTTP errors of middleware and handlers a message
// in the respondent's language.
var httpStatusKeys = map[int]string{
	http.StatusNotFound:              "err_not_found",
	http.StatusRequestEntityTooLarge: "err_too_large",
	http.StatusUnsupportedMediaType:  "err_media_type",
	http.StatusTooManyRequests:       "err_rate_limited",
}

// errorInfo is what the error handler says about an error.
type errorInfo struct {
	status     int
	key, field string
	titleKey   string
	httpMsg    string // an *echo.HTTPError's own message, if it has no key
	closed     *surveys.ClosedError
	fields     surveys.FieldErrors
	survey     *surveys.Definition // the survey a refusal is about, if known
	isHTTP     bool
}

func classify(err error) errorInfo {
	info := errorInfo{status: http.StatusInternalServerError, key: "err_internal"}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		info.status, info.key, info.isHTTP = he.Code, httpStatusKeys[he.Code], true
		info.httpMsg = http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok {
			info.httpMsg = m
		}
		return info
	}
	for _, row := range statusTable {
		if errors.Is(err, row.kind) {
			info.status, info.key, info.field, info.titleKey = row.status, row.msgKey, row.field, row.titleKey
			break
		}
	}
	errors.As(err, &info.closed)
	if errors.As(err, &info.fields) && len(info.fields) > 0 {
		info.field = info.fields[0].Field
	}
	var se *stopError
	if errors.As(err, &se) {
		info.survey = se.d
	}
	return info
}

// message is the error's text in lang.
func (s *Server) message(lang string, info errorInfo) string {
	if info.closed != nil {
		switch info.closed.Reason {
		case surveys.NotYetOpen:
			return s.views.msg(lang, "err_not_yet_open", formatMoment(info.closed.At))
		case surveys.Full:
			return s.views.msg(lang, "err_full")
		}
	}
	if info.isHTTP && info.key == "" {
		return info.httpMsg
	}
	return s.views.msg(lang, info.key)
}

// formatMoment shows a time in China time, without the clock at midnight.
func formatMoment(t time.Time) string {
	t = t.In(surveys.ChinaTime)
	if t.Hour() == 0 && t.Minute() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format("2006-01-02 15:04")
}

// apiError is the JSON body of every API error: a message, the field at
// fault if there is one, and every field error of invalid answers.
type apiError struct {
	Error  string       `json:"error"`
	Field  string       `json:"field,omitempty"`
	Fields []fieldError `json:"fields,omitempty"`
}

type fieldError struct {
	surveys.FieldError
	Message string `json:"message"`
}

func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	info := classify(err)
	lang := pickLanguage(c, info.survey)
	msg := s.message(lang, info)
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		body := apiError{Error: msg, Field: info.field}
		for _, fe := range info.fields {
			body.Fields = append(body.Fields, fieldError{fe, s.views.fieldMsg(lang, fe)})
		}
		_ = c.JSON(info.status, body)
		return
	}
	if info.titleKey != "" { // a refusal: a page of the survey, with the hotline like every end page
		p := messagePage{Lang: lang, Heading: s.views.msg(lang, info.titleKey), Body: []string{msg}, Hotline: s.views.msg(lang, "hotline")}
		p.Title = p.Heading
		if d := info.survey; d != nil {
			p.Title = d.Title.In(lang, d.DefaultLanguage())
		}
		_ = s.views.render(c, info.status, "message.html", p)
		return
	}
	_ = s.views.render(c, info.status, "error.html", errorPage{Lang: lang, Status: info.status, Message: msg})
}

type errorPage struct {
	Lang    string
	Status  int
	Message string
}
