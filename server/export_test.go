package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// HoneypotTripped exports honeypotTripped to the tests.
var HoneypotTripped = honeypotTripped

// HoneypotHits is how many submissions tripped the honeypot.
func (s *Server) HoneypotHits() int64 { return s.guard.trapped.Load() }

// AddAdmitRoute serves GET /s/:slug/admit?t=TOKEN&sid=ID through admit and
// then checkOpen, as the form's first page does, answering 200 "admitted"
// or the refusal page.
func (s *Server) AddAdmitRoute() {
	s.echo.GET("/s/:slug/admit", func(c echo.Context) error {
		d, err := s.definition(c.Request().Context(), c.Param("slug"))
		if err != nil {
			return err
		}
		if err := s.admit(c, d, c.QueryParam("t"), c.QueryParam("sid")); err != nil {
			return err
		}
		return c.String(http.StatusOK, "admitted")
	})
}
