package server

import (
	"encoding/csv"
	"net/http"

	"github.com/labstack/echo/v4"
)

// allowedProvinces are the provinces the request's account may see, nil
// for all (an account without a province limit, or no account).
func allowedProvinces(c echo.Context) []string {
	if u := userOf(c); u != nil && len(u.Provinces) > 0 {
		return u.Provinces
	}
	return nil
}

// userName is the signed-in account's name, "" when anonymous.
func userName(c echo.Context) string {
	if u := userOf(c); u != nil {
		return u.Name
	}
	return ""
}

// writeCSV answers header and rows as a CSV download, UTF-8 with a
// byte-order mark so that Excel opens Chinese text correctly.
func writeCSV(c echo.Context, header []string, rows [][]string) error {
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	if _, err := c.Response().Write([]byte("\ufeff")); err != nil {
		return err
	}
	w := csv.NewWriter(c.Response())
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	return w.Error()
}
