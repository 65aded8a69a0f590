package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// The account changes an admin makes on the web. Each one is recorded in
// the audit log under the account changed, with the admin who made it in
// the detail, as qvoice user records the command.

// addAccount stores a new account from f with a random password, and
// returns it with the password, which is shown once and kept nowhere.
func (s *Server) addAccount(c echo.Context, f accountForm) (*surveys.User, string, error) {
	ctx := c.Request().Context()
	if err := checkName(f.Name); err != nil {
		return nil, "", err
	}
	role, provinces, err := f.scope()
	if err != nil {
		return nil, "", err
	}
	if _, err := s.auth.store.User(ctx, f.Name); err == nil {
		return nil, "", &inputError{field: "name", key: "adm_err_duplicate", args: []any{f.Name}, kind: surveys.ErrDuplicate}
	} else if !errors.Is(err, surveys.ErrNotFound) {
		return nil, "", err
	}
	pw := RandomPassword()
	hash, err := s.auth.hash(ctx, pw)
	if err != nil {
		return nil, "", err
	}
	now := s.cfg.Now().UTC()
	u := &surveys.User{Name: f.Name, Role: role, Provinces: provinces, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	if err := s.auth.store.PutUser(ctx, u); errors.Is(err, surveys.ErrDuplicate) {
		return nil, "", &inputError{field: "name", key: "adm_err_duplicate", args: []any{f.Name}, kind: surveys.ErrDuplicate}
	} else if err != nil {
		return nil, "", err
	}
	s.auditChange(c, u.Name, surveys.AuditUserAdded, scopeDetail(role, provinces))
	return u, pw, nil
}

// accountChange is one change to an account: it edits u and says what
// to record, or returns "" when nothing changes.
type accountChange func(u *surveys.User) (surveys.AuditAction, string, error)

// changeAccount applies change to the account name after the guard rails
// (surveys.CheckAccountChange), stores it, makes this server forget the
// account's cached sessions and records it. It reports whether anything
// changed.
func (s *Server) changeAccount(c echo.Context, name string, change accountChange) (bool, error) {
	ctx := c.Request().Context()
	users, err := s.auth.store.Users(ctx)
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(users, func(u *surveys.User) bool { return u.Name == name })
	if i < 0 {
		return false, fmt.Errorf("user %q: %w", name, surveys.ErrNotFound)
	}
	before := users[i]
	after := *before
	after.Provinces = slices.Clone(before.Provinces)
	action, detail, err := change(&after)
	if err != nil || action == "" {
		return false, err
	}
	if err := surveys.CheckAccountChange(userName(c), users, before, &after); err != nil {
		return false, err
	}
	after.UpdatedAt = s.cfg.Now().UTC()
	if err := s.auth.store.UpdateUser(ctx, &after); errors.Is(err, surveys.ErrConflict) {
		return false, changedMeanwhile(name)
	} else if err != nil {
		return false, err
	}
	if after.Disabled || after.PasswordHash != before.PasswordHash {
		// Also for a disabled account: no session of it may remain.
		if err := s.auth.store.DeleteUserSessions(ctx, name); err != nil {
			return false, err
		}
	}
	s.auth.evictUser(name)
	s.auditChange(c, name, action, detail)
	return true, nil
}

// auditChange records an account change made on the web. The change is
// stored by then: a failed record is logged, not answered with a 500,
// which would hide a new password that is already the account's.
func (s *Server) auditChange(c echo.Context, name string, action surveys.AuditAction, detail string) {
	if err := s.auditAs(c, name, action, "", "by "+userName(c)+" on the web: "+detail); err != nil {
		s.log.Error("audit an account change", "user", name, "action", string(action), "by", userName(c), "err", err)
	}
}

// changedMeanwhile is the refusal of a change made from an account as
// read before another change to it was stored (by another admin, on
// another server or with qvoice user): the page asks to reload.
func changedMeanwhile(name string) error {
	return &inputError{key: "adm_err_changed", args: []any{name}, kind: surveys.ErrConflict}
}

// setScope is the change to role and provinces, from a form showing
// the account at version (if not ""): the form holds the whole role and
// provinces, so posted from a page read before another change it would
// undo that change.
func setScope(role surveys.Role, provinces []string, version string) accountChange {
	return func(u *surveys.User) (surveys.AuditAction, string, error) {
		if version != "" && version != strconv.FormatInt(u.Version, 10) {
			return "", "", changedMeanwhile(u.Name)
		}
		if u.Role == role && slices.Equal(u.Provinces, provinces) {
			return "", "", nil
		}
		detail := scopeDetail(u.Role, u.Provinces) + " → " + scopeDetail(role, provinces)
		u.Role, u.Provinces = role, provinces
		return surveys.AuditUserChanged, detail, nil
	}
}

// setDisabled is the change to disabled or enabled.
func setDisabled(disabled bool) accountChange {
	return func(u *surveys.User) (surveys.AuditAction, string, error) {
		if u.Disabled == disabled {
			return "", "", nil
		}
		u.Disabled = disabled
		if disabled {
			return surveys.AuditUserDisabled, "disabled, sessions ended", nil
		}
		return surveys.AuditUserEnabled, "enabled", nil
	}
}

// resetPassword is the change to a new random password, which it puts
// in *pw.
func (s *Server) resetPassword(ctx context.Context, pw *string) accountChange {
	return func(u *surveys.User) (surveys.AuditAction, string, error) {
		*pw = RandomPassword()
		hash, err := s.auth.hash(ctx, *pw)
		if err != nil {
			return "", "", err
		}
		u.PasswordHash = hash
		return surveys.AuditPasswordChanged, "password reset, sessions ended", nil
	}
}
