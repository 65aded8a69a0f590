package server

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// submitRequest is the JSON intake body.
type submitRequest struct {
	ID      string         `json:"id"`
	Answers map[string]any `json:"answers"`
	Lang    string         `json:"lang"`
	Src     string         `json:"src"`
	Venue   string         `json:"venue"`
}

// submitResponse tells the client its answers are stored.
type submitResponse struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	Status string `json:"status"` // "stored" or "already_received"
}

// apiSubmit stores one response: 201 when new, 200 when the same id and
// answers were already stored, 409 for the same id with other answers,
// 422 with field errors for invalid answers.
func (s *Server) apiSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := s.definition(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	var req submitRequest
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(c.Request().Body); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable body").SetInternal(err)
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "body must be a JSON object {\"id\": UUID, \"answers\": {...}}: "+err.Error())
	}
	if req.ID == "" || req.Answers == nil {
		return echo.NewHTTPError(http.StatusBadRequest, "\"id\" (a client-chosen UUID) and \"answers\" are required")
	}
	lang := matchLanguage(req.Lang, d.Languages)
	if lang == "" {
		lang = d.DefaultLanguage()
	}
	rec, err := surveys.Submit(ctx, s.store, d, surveys.Submission{ID: req.ID, Answers: req.Answers,
		Lang: lang, Src: req.Src, Venue: req.Venue, Channel: "api"}, s.cfg.Now())
	if err != nil {
		return err
	}
	if rec.Duplicate {
		return c.JSON(http.StatusOK, submitResponse{ID: rec.ID, Code: rec.Code, Status: "already_received"})
	}
	s.live.add(d, rec.Response)
	return c.JSON(http.StatusCreated, submitResponse{ID: rec.ID, Code: rec.Code, Status: "stored"})
}
