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
// the newest auditReadLimit of the period that match its filter (every
// query scans the whole log on the embedded database, so what is read is
// bounded too; the store filters, so other accounts' events do not crowd
// out the account asked for). The page says when the limit was reached.
const (
	auditShown     = 500
	auditReadLimit = 20000
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
	// ReadLimit says that the period holds more matching events than
	// were read: the count is a lower bound, the oldest are missing.
	ReadLimit string
	Events    []auditRow
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
	p := adminAuditPage{adminChrome: ch, FilterUser: strings.TrimSpace(c.QueryParam("user"))}
	events, err := s.auth.store.AuditEvents(c.Request().Context(),
		surveys.AuditQuery{Since: s.cfg.Now().Add(-d), User: p.FilterUser, Limit: s.auth.auditRead})
	if err != nil {
		return err
	}
	for _, v := range auditPeriods {
		p.Periods = append(p.Periods, option{Value: v, Label: ch.M("adm_since_" + v), Selected: v == since})
	}
	for i := len(events) - 1; i >= 0 && len(p.Events) < auditShown; i-- { // newest first, only those shown
		p.Events = append(p.Events, s.auditRow(ch.Lang, events[i]))
	}
	p.Count = ch.M("adm_audit_count", ch.M("adm_since_"+since), len(events))
	if len(events) >= s.auth.auditRead {
		p.ReadLimit = ch.M("adm_audit_read_limit", s.auth.auditRead)
	}
	if len(events) > auditShown {
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
