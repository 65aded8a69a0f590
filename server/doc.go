// Package server is qvoice's HTTP side, on Echo v4: the phone form for
// respondents (server-rendered, works without JavaScript, zh-CN by default
// and English), the JSON intake for machine clients, and the regulators'
// dashboard.
//
// Every route is listed in routes.go, grouped by audience. Handlers are thin:
// they bind a DTO, call one domain function and render or redirect; errors
// are returned and mapped to statuses in one table (errors.go). The form and
// the API store through the same surveys.Submit. Pages are rendered into a
// buffer first, and every static asset has a content-hashed URL on this
// origin (ECharts included): pages make no request to any other origin.
package server
