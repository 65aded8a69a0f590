package server

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// The audit page shows at most auditShown events, newest first, out of
// the newest auditRead of the period (every query scans the whole log on
// the embedded database, so what is read is bounded too).
const (
	auditShown = 500
	auditRead  = 20000
)

// auditPeriods are the periods the audit page offers, as ?since= values.
var auditPeriods = []string{"24h", "168h", "720h", "2160h"}

// auditRow is one event on the audit page.
type auditRow struct {
	Time, User, Action, Survey, Detail, Client string
}

// adminAuditPage is what admin_audit.html renders.
type adminAuditPage struct {
	adminChrome
	Periods          []option
	FilterUser       string // only this account's events, if set
	Count, Truncated string
	Events           []auditRow
}

// adminAudit is GET /admin/audit[?since=168h&user=NAME]: the newest
// events of the period, newest first, optionally of one account.
func (s *Server) adminAudit(c echo.Context) error {
	ch := s.newAdminChrome(c, "/admin/audit", "/admin/audit", "adm_audit_title")
	since := c.QueryParam("since")
	if since == "" {
		since = "168h"
	}
	if !slices.Contains(auditPeriods, since) {
		return s.views.render(c, http.StatusBadRequest, "error.html",
			errorPage{Lang: ch.Lang, Status: http.StatusBadRequest, Message: ch.M("adm_err_since")})
	}
	d, _ := time.ParseDuration(since)
	events, err := s.auth.store.AuditEvents(c.Request().Context(), s.cfg.Now().Add(-d), auditRead)
	if err != nil {
		return err
	}
	p := adminAuditPage{adminChrome: ch, FilterUser: strings.TrimSpace(c.QueryParam("user"))}
	for _, v := range auditPeriods {
		p.Periods = append(p.Periods, option{Value: v, Label: ch.M("adm_since_" + v), Selected: v == since})
	}
	for i := len(events) - 1; i >= 0; i-- { // newest first
		if e := events[i]; p.FilterUser == "" || e.User == p.FilterUser {
			p.Events = append(p.Events, s.auditRow(ch.Lang, e))
		}
	}
	p.Count = ch.M("adm_audit_count", ch.M("adm_since_"+since), len(p.Events))
	if len(p.Events) > auditShown {
		p.Events = p.Events[:auditShown]
		p.Truncated = ch.M("adm_audit_truncated", auditShown)
	}
	return s.views.render(c, http.StatusOK, "admin_audit.html", p)
}

// auditRow is e as a row, its action named in lang.
func (s *Server) auditRow(lang string, e surveys.AuditEvent) auditRow {
	action := string(e.Action)
	if m := s.views.msg(lang, "adm_act_"+action); m != "adm_act_"+action {
		action = m
	}
	return auditRow{Time: e.At.In(surveys.ChinaTime).Format("2006-01-02 15:04:05"), User: e.User, Action: action,
		Survey: e.Survey, Detail: e.Detail, Client: e.ClientHash}
}
