package main

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// userItem is one row of user list; its JSON names are the CSV columns.
// It has no password hash.
type userItem struct {
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Provinces []string  `json:"provinces"` // empty: every province
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (a *app) userList(ctx context.Context, format outputFormat) error {
	acc, closeStore, err := a.openAccounts(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	users, err := acc.Users(ctx)
	if err != nil {
		return err
	}
	items := make([]userItem, len(users))
	for i, u := range users {
		items[i] = userItem{Name: u.Name, Role: string(u.Role), Provinces: u.Provinces, Disabled: u.Disabled,
			CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
		if items[i].Provinces == nil {
			items[i].Provinces = []string{}
		}
	}
	return a.writeUserList(a.stdout, format, items)
}

func (a *app) writeUserList(w io.Writer, format outputFormat, items []userItem) error {
	switch format {
	case formatJSON:
		return writeJSON(w, items)
	case formatCSV:
		rows := make([][]string, len(items))
		for i, it := range items {
			rows[i] = []string{it.Name, it.Role, strings.Join(it.Provinces, " "), yesNoCode(it.Disabled),
				it.CreatedAt.UTC().Format(time.RFC3339), it.UpdatedAt.UTC().Format(time.RFC3339)}
		}
		return writeRecords(w, []string{"name", "role", "provinces", "disabled", "created_at", "updated_at"}, rows)
	}
	t := a.table("name", "role", "provinces", "status", "created", "changed")
	for _, it := range items {
		provinces, status := a.msg("all"), a.msg("active")
		if len(it.Provinces) > 0 {
			provinces = strings.Join(it.Provinces, ", ")
		}
		if it.Disabled {
			status = a.msg("disabled")
		}
		t.add(it.Name, a.msg(it.Role), provinces, status, humanTime(it.CreatedAt), humanTime(it.UpdatedAt))
	}
	return t.render(w)
}

// yesNoCode is a boolean in CSV: "true" or "false".
func yesNoCode(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// auditItem is one row of user audit; its JSON names are the CSV columns.
type auditItem struct {
	At     time.Time `json:"at"`
	User   string    `json:"user"`
	Action string    `json:"action"`
	Survey string    `json:"survey"`
	Detail string    `json:"detail"`
	Client string    `json:"client"` // keyed hash of the address
}

func (a *app) userAudit(ctx context.Context, since time.Duration, format outputFormat) error {
	if since <= 0 {
		return usagef("--since must be positive, e.g. 24h")
	}
	acc, closeStore, err := a.openAccounts(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	events, err := acc.AuditEvents(ctx, surveys.AuditQuery{Since: time.Now().Add(-since)})
	if err != nil {
		return err
	}
	items := make([]auditItem, len(events))
	for i, e := range events {
		items[i] = auditItem{At: e.At, User: e.User, Action: string(e.Action), Survey: e.Survey, Detail: e.Detail, Client: e.ClientHash}
	}
	switch format {
	case formatJSON:
		return writeJSON(a.stdout, items)
	case formatCSV:
		rows := make([][]string, len(items))
		for i, it := range items {
			rows[i] = []string{it.At.UTC().Format(time.RFC3339Nano), it.User, it.Action, it.Survey, it.Detail, it.Client}
		}
		return writeRecords(a.stdout, []string{"at", "user", "action", "survey", "detail", "client"}, rows)
	}
	t := a.table("time", "user", "action", "survey", "detail", "client")
	t.truncate(4, 60)
	for _, it := range items {
		t.add(humanSeconds(it.At), it.User, it.Action, orDash(it.Survey), orDash(it.Detail), orDash(it.Client))
	}
	return t.render(a.stdout)
}

// humanSeconds is humanTime to the second: audit events come in bursts.
func humanSeconds(t time.Time) string {
	return t.In(surveys.ChinaTime).Format("2006-01-02 15:04:05 -07:00")
}

func orDash(s string) string {
	if s == "" {
		return noData
	}
	return s
}
