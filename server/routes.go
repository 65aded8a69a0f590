package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy allows nothing from other origins: WeChat users in
// the mainland cannot reach foreign CDNs, and respondents' data must not leak.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// routes lists every route, grouped by audience.
func (s *Server) routes() {
	e := s.echo
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusPermanentRedirect}))
	e.Use(middleware.Recover())
	e.Use(s.requestLogger())
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		ContentSecurityPolicy: contentSecurityPolicy, ReferrerPolicy: "no-referrer",
	}))
	// The JSON intake's replies are a few hundred bytes: setting up a gzip
	// writer for each costs more than it saves (see qvoice loadtest).
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{Level: 6, MinLength: 512,
		Skipper: func(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }}))
	e.Use(middleware.BodyLimit("256K"))

	e.GET("/healthz", s.healthz)
	e.GET("/static/:hash/:name", s.static)
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/healthz") })

	// Respondents: server-rendered, works without JavaScript.
	limits := s.postLimits() // rate and body limits on POST, shared by the form and the API
	form := e.Group("/s")
	form.Use(limits...)
	form.GET("/:slug", s.formStart)
	form.POST("/:slug", s.formPost)
	form.GET("/:slug/thanks", s.formThanks)
	form.GET("/:slug/qr.png", s.surveyQR)
	form.GET("/:slug/r/:sid/:page", s.formResume)

	// Machine intake.
	api := e.Group("/api/v1")
	api.Use(limits...)
	api.POST("/surveys/:slug/responses", s.apiSubmit)

	// Dashboard accounts (auth.go): sign-in (rate-limited), sign-out.
	e.GET("/login", s.loginForm)
	e.POST("/login", s.login, s.loginLimit)
	e.POST("/logout", s.logout)

	// Regulators: the dashboard (dashroutes.go), for signed-in accounts only.
	dash := e.Group("/dash", s.requireUser)
	s.dashRoutes(dash)

	// Admins: the accounts and the audit log (admin.go).
	admin := e.Group("/admin", s.requireUser, s.requireAdmin)
	s.adminRoutes(admin)
}

// requestLogger logs one line per request, without query strings or bodies:
// answers and respondent identifiers are never logged.
func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			if strings.HasPrefix(v.URIPath, "/static/") && v.Status < 400 {
				return nil
			}
			// The route template, not the path: a draft's path holds the
			// submission id and page keys that reveal answers.
			args := []any{"method", v.Method, "route", c.Path(), "status", v.Status, "latency", v.Latency}
			if v.Status >= 500 && v.Error != nil {
				s.log.Error("request", append(args, "err", v.Error)...)
				return nil
			}
			s.log.Info("request", args...)
			return nil
		},
	})
}

func (s *Server) healthz(c echo.Context) error {
	if err := s.store.Ping(c.Request().Context()); err != nil {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "store does not answer").SetInternal(err)
	}
	return c.String(http.StatusOK, "ok\n")
}
