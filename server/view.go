package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

//go:embed templates/*.html
var templateFS embed.FS

// staticFS holds the CSS and scripts; static/vendor/echarts.min.js is
// installed there by `make assets` from the npm package pinned in
// package.json.
//
//go:embed static
var staticFS embed.FS

// asset is one static file, served under a content-hashed URL because
// WeChat's webview caches hard and cannot be told to revalidate.
type asset struct {
	hash  string
	body  []byte
	ctype string
}

type views struct {
	pages  map[string]*template.Template
	assets map[string]asset // by name relative to static/, e.g. "form.css", "vendor/echarts.min.js"
}

func newViews() (*views, error) {
	v := &views{pages: map[string]*template.Template{}, assets: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(p))
		v.assets[strings.TrimPrefix(p, "static/")] = asset{hash: hex.EncodeToString(sum[:6]), body: b, ctype: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	funcs := template.FuncMap{"asset": v.assetURL}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	// Files named _*.html hold parts that several pages share (the admin
	// pages' header and account form, the dashboard's account bar); every
	// page is parsed with them.
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		v.pages[base] = t
	}
	return v, nil
}

// assetURL is the content-hashed URL of a static file. A missing file is an
// error, so a page never silently points at nothing.
func (v *views) assetURL(name string) (string, error) {
	a, ok := v.assets[name]
	if !ok {
		if strings.HasPrefix(name, "vendor/") {
			return "", fmt.Errorf("static/%s is not installed: run `make assets`", name)
		}
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + a.hash + "/" + strings.ReplaceAll(name, "/", "~"), nil
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (v *views) render(c echo.Context, status int, page string, data any) error {
	t, ok := v.pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// static serves /static/:hash/:name. A stale hash still gets the current
// file (an old cached page keeps working), but only a current hash is
// cached for a year.
func (s *Server) static(c echo.Context) error {
	name := strings.ReplaceAll(c.Param("name"), "~", "/")
	a, ok := s.views.assets[name]
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no such file")
	}
	h := c.Response().Header()
	if c.Param("hash") == a.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	return c.Blob(http.StatusOK, a.ctype, a.body)
}
