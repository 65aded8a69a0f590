package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// statusTable maps domain error kinds to HTTP statuses. Echo's default
// handler only type-asserts *echo.HTTPError and misses wrapped errors, so
// every handler error goes through here.
var statusTable = []struct {
	kind   error
	status int
	msgKey string
}{
	{surveys.ErrNotFound, http.StatusNotFound, "err_not_found"},
	{surveys.ErrConflict, http.StatusConflict, "err_conflict"},
	{surveys.ErrDeclined, http.StatusUnprocessableEntity, "err_declined"},
	{surveys.ErrInvalid, http.StatusUnprocessableEntity, "err_invalid"},
	{surveys.ErrClosed, http.StatusGone, "err_closed"},
}

// statusOf returns the status and message key for err.
func statusOf(err error) (int, string) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code, ""
	}
	for _, row := range statusTable {
		if errors.Is(err, row.kind) {
			return row.status, row.msgKey
		}
	}
	return http.StatusInternalServerError, "err_internal"
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error  string       `json:"error"`
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
	status, key := statusOf(err)
	lang := pickLanguage(c, nil)
	msg := s.views.msg(lang, key)
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg = http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok {
			msg = m
		}
		if he.Code == http.StatusNotFound {
			msg = s.views.msg(lang, "err_not_found")
		}
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		body := apiError{Error: msg}
		var fes surveys.FieldErrors
		if errors.As(err, &fes) {
			for _, fe := range fes {
				body.Fields = append(body.Fields, fieldError{fe, s.views.fieldMsg(lang, fe)})
			}
		}
		_ = c.JSON(status, body)
		return
	}
	_ = s.views.render(c, status, "error.html", errorPage{Lang: lang, Status: status, Message: msg})
}

type errorPage struct {
	Lang    string
	Status  int
	Message string
}
