package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
)

// newPasswordHash reads a new password for name (newPassword), checks it
// (a weak one exits with 3) and hashes it.
func (a *app) newPasswordHash(in io.Reader, file, name string) (string, error) {
	pw, err := a.newPassword(in, file, name)
	if err != nil {
		return "", err
	}
	if err := server.CheckPassword(name, pw); err != nil {
		return "", invalidf("%v", err)
	}
	return server.HashPassword(pw)
}

// newPassword reads a password: the first line of file; or, on a
// terminal, asked twice without echo; or one line of in.
func (a *app) newPassword(in io.Reader, file, name string) (string, error) {
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		defer f.Close()
		return firstLine(bufio.NewReader(f), file)
	}
	tty, ok := in.(*os.File)
	if !ok || !isTerminal(tty) {
		return firstLine(bufio.NewReader(in), "standard input")
	}
	restore, err := noEcho(tty)
	if err != nil {
		return "", fmt.Errorf("cannot hide the password as it is typed (%v): use --password-file or pipe it in", err)
	}
	defer restore()
	r := bufio.NewReader(tty)
	fmt.Fprintf(a.stderr, a.msg("New password for %s: "), name)
	pw, err := firstLine(r, "the terminal")
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(a.stderr, a.msg("Again: "))
	again, err := firstLine(r, "the terminal")
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", usagef("the two passwords differ")
	}
	return pw, nil
}

// firstLine reads a line without its line ending; an empty input is an
// error.
func firstLine(r *bufio.Reader, from string) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from %s: %w", from, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" && errors.Is(err, io.EOF) {
		return "", usagef("no password in %s", from)
	}
	return line, nil
}

// noEcho turns off the terminal's echo with stty (POSIX), and returns
// the function that turns it back on.
func noEcho(tty *os.File) (func(), error) {
	stty := func(arg string) error {
		c := exec.Command("stty", arg)
		c.Stdin = tty
		return c.Run()
	}
	if err := stty("-echo"); err != nil {
		return nil, err
	}
	return func() { _ = stty("echo") }, nil
}

// ensureDemoAdmin gives a demo store an administrator without a known
// password: if no enabled admin exists, it creates "admin" (or "admin-N"
// if that name is taken) with a random password and prints it once to w.
func ensureDemoAdmin(ctx context.Context, st surveys.Store, w io.Writer) error {
	acc, ok := st.(surveys.Accounts)
	if !ok {
		return fmt.Errorf("the store %T keeps no accounts", st)
	}
	users, err := acc.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Role == surveys.RoleAdmin && !u.Disabled {
			return nil
		}
	}
	pw := server.RandomPassword()
	hash, err := server.HashPassword(pw)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	u := &surveys.User{Name: "admin", Role: surveys.RoleAdmin, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	for i := 2; ; i++ {
		err = acc.PutUser(ctx, u)
		if !errors.Is(err, surveys.ErrDuplicate) || i > 99 {
			break
		}
		u.Name = fmt.Sprintf("admin-%d", i)
	}
	if err != nil {
		return fmt.Errorf("create the demo admin: %w", err)
	}
	if err := cliAudit(ctx, acc, u.Name, surveys.AuditUserAdded, "qvoice serve --demo: role admin, random password"); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "demo admin account: %s / %s (shown once; change it with qvoice user passwd %s)\n", u.Name, pw, u.Name)
	return err
}
