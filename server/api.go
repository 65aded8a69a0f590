package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
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
	Token   string         `json:"token"` // invite token, for invite_only surveys
}

// submitResponse tells the client its answers are stored.
type submitResponse struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	Status string `json:"status"` // "stored" or "already_received"
}

// apiSubmit stores one response: 201 when new, 200 when the same id and
// answers were already stored; 400 for a malformed body, 413 over 64 KB,
// 415 for a body that is not JSON; 409 for the same id with other answers,
// a device that already answered or a used invite; 403 for a missing or
// forged invite, 410 for an expired one or a closed survey; 422 with field
// errors for invalid answers. Every error body has "error" and, when a
// field is at fault, "field".
func (s *Server) apiSubmit(c echo.Context) error {
	if err := requireJSON(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	d, err := s.definition(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	var req submitRequest
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(c.Request().Body); err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) { // over the body limit: 413
			return err
		}
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
	if answersTripHoneypot(req.Answers) {
		rec := s.decoy(req.ID)
		return c.JSON(http.StatusCreated, submitResponse{ID: rec.ID, Code: rec.Code, Status: "stored"})
	}
	lang := matchLanguage(req.Lang, d.Languages)
	if lang == "" {
		lang = d.DefaultLanguage()
	}
	rec, err := s.submit(c, d, surveys.Submission{ID: req.ID, Answers: req.Answers,
		Lang: lang, Src: req.Src, Venue: req.Venue, Token: req.Token, Channel: "api"})
	if err != nil {
		return err
	}
	if rec.Duplicate {
		return c.JSON(http.StatusOK, submitResponse{ID: rec.ID, Code: rec.Code, Status: "already_received"})
	}
	return c.JSON(http.StatusCreated, submitResponse{ID: rec.ID, Code: rec.Code, Status: "stored"})
}

// requireJSON refuses a body that is not declared as JSON (415).
func requireJSON(c echo.Context) error {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEApplicationJSON {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "Content-Type must be application/json")
	}
	return nil
}

// answersTripHoneypot reports whether the answers fill the form's hidden
// bot trap (no question may use its id); an empty one is dropped, as a
// form that renders the trap sends it empty.
func answersTripHoneypot(answers map[string]any) bool {
	v, ok := answers[surveys.HoneypotField]
	if !ok {
		return false
	}
	delete(answers, surveys.HoneypotField)
	s, isString := v.(string)
	return v != nil && (!isString || s != "")
}
