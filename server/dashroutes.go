package server

import "github.com/labstack/echo/v4"

// dashRoutes lists the dashboard's pages under /dash. Every one shows
// only what the user's provinces allow (dash_filter.go).
func (s *Server) dashRoutes(g *echo.Group) {
	g.GET("", s.dashList)
	g.GET("/:slug", s.dashPage("overview"))
	g.GET("/:slug/category/:cat", s.dashPage("category"))
	for _, page := range []string{"groups", "heatmap", "trend", "complaints"} {
		g.GET("/:slug/"+page, s.dashPage(page))
	}
	g.GET("/:slug/data/:file", s.dashCSV)
	g.GET("/:slug/category/:cat/data/:file", s.dashCSV)
	g.GET("/:slug/report", s.dashReport)
}
