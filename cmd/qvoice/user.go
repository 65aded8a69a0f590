package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys"
)

// userCommands are the subcommands of qvoice user.
func userCommands() []func(*app) *cobra.Command {
	return []func(*app) *cobra.Command{newUserAddCmd, newUserPasswdCmd, newUserListCmd, newUserDisableCmd, newUserAuditCmd}
}

func newUserCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the dashboard's accounts and read the audit log",
		Long: `user manages the accounts that sign in to the dashboard (/dash) and prints
the audit log of sign-ins, exports and account changes.

Roles: admin (everything), regulator (the dashboards; with --province only
the responses of those provinces), researcher (dashboards and exports).
Passwords have at least 10 characters and are not the user name; they are
stored as argon2id hashes. A new password is read from --password-file
(its first line), asked twice on a terminal without echo, or read as one
line from standard input.`,
		Example: `  qvoice user add zhang.wei --role regulator --province 32,44
  qvoice user list
  qvoice user audit --since 168h`,
	}
	for _, newCmd := range userCommands() {
		cmd.AddCommand(newCmd(a))
	}
	return cmd
}

func newUserAddCmd(a *app) *cobra.Command {
	var role, provinces, pwFile string
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a dashboard account with a role and, optionally, provinces",
		Long: `add creates an account. NAME has 1 to 64 letters, digits, '.', '_', '@' or
'-' and starts with a letter or digit. --province limits what the account
sees to the responses of those provinces (two-digit GB/T 2260 codes: 11
Beijing, 32 Jiangsu, 44 Guangdong); without it the account sees every
province. A bad name, role or province exits with 2, a weak password
with 3.`,
		Example: `  qvoice user add zhang.wei --role regulator --province 32,44
  qvoice user add li.na --role researcher --password-file li.na.pw
  printf '%s\n' "$PASSWORD" | qvoice user add ops --role admin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.userAdd(cmd.Context(), cmd.InOrStdin(), args[0], role, provinces, pwFile)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&role, "role", "", "`role`: admin, regulator or researcher (required)")
	fs.StringVar(&provinces, "province", "", "comma-separated GB/T 2260 province `codes` the account is limited to (default: every province)")
	fs.StringVar(&pwFile, "password-file", "", "read the password from the first line of `file`")
	return cmd
}

func newUserPasswdCmd(a *app) *cobra.Command {
	var pwFile string
	cmd := &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a new password for a dashboard account",
		Long: `passwd sets a new password for an account and signs it out everywhere (its
sessions end on every server within 30 seconds). A weak password exits
with 3.`,
		Example: `  qvoice user passwd admin
  qvoice user passwd zhang.wei --password-file new.pw`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.userPasswd(cmd.Context(), cmd.InOrStdin(), args[0], pwFile)
		},
	}
	cmd.Flags().StringVar(&pwFile, "password-file", "", "read the password from the first line of `file`")
	return cmd
}

func newUserListCmd(a *app) *cobra.Command {
	var format *outputFormat
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the dashboard accounts with their roles and provinces",
		Long: `list prints every account: its name, role, provinces (empty: every
province), whether it is disabled, and when it was created and last
changed. Password hashes are never printed.`,
		Example: `  qvoice user list
  qvoice user list --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.userList(cmd.Context(), *format) },
	}
	format = addFormatFlag(cmd.Flags(), "output format")
	return cmd
}

func newUserDisableCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "disable NAME",
		Short: "Disable a dashboard account and end its sessions",
		Long: `disable stops an account from signing in and deletes its sessions, so it is
signed out on every server within 30 seconds. The account and its audit
entries stay.`,
		Example: "  qvoice user disable zhang.wei",
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.userDisable(cmd.Context(), args[0]) },
	}
}

func newUserAuditCmd(a *app) *cobra.Command {
	var since time.Duration
	var format *outputFormat
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Print the audit log: sign-ins, lock-outs, exports, account changes",
		Long: `audit prints the audit log of the last --since, oldest first: when, which
account, what (login, login_failed, locked_out, logout, export, report,
user_added, password_changed, user_disabled, user_enabled, user_changed),
the survey and details (for a change made on the web, which admin made
it), and a keyed hash of the client's address (never the address itself).
A failed sign-in to a name that has no account shows as unknown:HASH, as
what was typed may be a password.`,
		Example: `  qvoice user audit
  qvoice user audit --since 720h --format csv > audit.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.userAudit(cmd.Context(), since, *format) },
	}
	cmd.Flags().DurationVar(&since, "since", 24*time.Hour, "print the events of this last `duration`")
	format = addFormatFlag(cmd.Flags(), "output format")
	return cmd
}

// openAccounts opens the store's account storage.
func (a *app) openAccounts(ctx context.Context) (surveys.Accounts, func(), error) {
	st, closeStore, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	acc, ok := st.(surveys.Accounts)
	if !ok {
		closeStore()
		return nil, nil, fmt.Errorf("the store %T keeps no accounts", st)
	}
	return acc, closeStore, nil
}

func (a *app) userAdd(ctx context.Context, in io.Reader, name, role, provinces, pwFile string) error {
	u := &surveys.User{Name: name}
	var err error
	if err := surveys.CheckUserName(name); err != nil {
		return usagef("%v", err)
	}
	if role == "" {
		return usagef("--role is required: admin, regulator or researcher")
	}
	if u.Role, err = surveys.ParseRole(role); err != nil {
		return usagef("--role: %v", err)
	}
	if u.Provinces, err = surveys.ParseProvinces(provinces); err != nil {
		return usagef("--province: %v", err)
	}
	acc, closeStore, err := a.openAccounts(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	if _, err := acc.User(ctx, name); err == nil {
		return fmt.Errorf("user %q already exists (qvoice user passwd %s sets its password)", name, name)
	}
	if u.PasswordHash, err = a.newPasswordHash(in, pwFile, name); err != nil {
		return err
	}
	u.CreatedAt = time.Now().UTC()
	u.UpdatedAt = u.CreatedAt
	if err := acc.PutUser(ctx, u); err != nil {
		return err
	}
	if err := cliAudit(ctx, acc, name, surveys.AuditUserAdded, "qvoice user add: "+scopeOf(u)); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, a.msgf("added user %s (%s)", name, a.scope(u)))
	return nil
}

func (a *app) userPasswd(ctx context.Context, in io.Reader, name, pwFile string) error {
	acc, closeStore, err := a.openAccounts(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	if _, err := acc.User(ctx, name); err != nil {
		return err
	}
	hash, err := a.newPasswordHash(in, pwFile, name)
	if err != nil {
		return err
	}
	if _, err := updateAccount(ctx, acc, name, func(u *surveys.User) bool { u.PasswordHash = hash; return true }); err != nil {
		return err
	}
	if err := acc.DeleteUserSessions(ctx, name); err != nil {
		return err
	}
	if err := cliAudit(ctx, acc, name, surveys.AuditPasswordChanged, "qvoice user passwd"); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, a.msgf("password of %s changed; its sessions have ended", name))
	return nil
}

func (a *app) userDisable(ctx context.Context, name string) error {
	acc, closeStore, err := a.openAccounts(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	changed, err := updateAccount(ctx, acc, name, func(u *surveys.User) bool {
		was := u.Disabled
		u.Disabled = true
		return !was
	})
	if err != nil {
		return err
	}
	if changed {
		if err := cliAudit(ctx, acc, name, surveys.AuditUserDisabled, "qvoice user disable"); err != nil {
			return err
		}
	}
	// Also for an account disabled before: no session of it may remain.
	if err := acc.DeleteUserSessions(ctx, name); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, a.msgf("disabled user %s; its sessions have ended", name))
	return nil
}

// accountTries is how many times updateAccount reads and changes an
// account that keeps being changed meanwhile.
const accountTries = 5

// updateAccount reads the account name, applies change (false: nothing
// to change) and stores it. When the account was changed between the
// read and the write (on the web, or by another command), the store
// refuses the stale copy (surveys.ErrConflict), so the change is made
// again on a fresh read rather than undoing the other one; after
// accountTries conflicts it gives up with the conflict.
func updateAccount(ctx context.Context, acc surveys.UserStore, name string, change func(u *surveys.User) bool) (bool, error) {
	var err error
	for range accountTries {
		var u *surveys.User
		if u, err = acc.User(ctx, name); err != nil {
			return false, err
		}
		if !change(u) {
			return false, nil
		}
		u.UpdatedAt = time.Now().UTC()
		if err = acc.UpdateUser(ctx, u); !errors.Is(err, surveys.ErrConflict) {
			return err == nil, err
		}
	}
	return false, fmt.Errorf("account %s keeps being changed meanwhile; try again: %w", name, err)
}

// cliAudit records an account change made on the command line.
func cliAudit(ctx context.Context, acc surveys.AuditStore, name string, action surveys.AuditAction, detail string) error {
	return acc.Audit(ctx, surveys.AuditEvent{At: time.Now().UTC(), User: name, Action: action, Detail: detail})
}

// scopeOf is an account's role and provinces for the audit log.
func scopeOf(u *surveys.User) string {
	if u.AllProvinces() {
		return "role " + string(u.Role)
	}
	return "role " + string(u.Role) + ", provinces " + strings.Join(u.Provinces, ",")
}

// scope is an account's role and provinces in the output language.
func (a *app) scope(u *surveys.User) string {
	s := a.msg(string(u.Role))
	if !u.AllProvinces() {
		s += ", " + a.msg("provinces") + " " + strings.Join(u.Provinces, ", ")
	}
	return s
}
