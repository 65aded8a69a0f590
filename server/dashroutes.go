package server

import "github.com/labstack/echo/v4"

// dashRoutes lists the dashboard's pages under /dash.
func (s *Server) dashRoutes(g *echo.Group) {
	g.GET("/:slug", s.dashboard)
}
