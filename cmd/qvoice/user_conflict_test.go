package main

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// meddling is account storage where, before the first n updates, someone
// else (an admin on the web) changes the account's provinces.
type meddling struct {
	surveys.Accounts
	n int
}

func (m *meddling) UpdateUser(ctx context.Context, u *surveys.User) error {
	if m.n > 0 {
		m.n--
		other, err := m.Accounts.User(ctx, u.Name)
		if err != nil {
			return err
		}
		other.Provinces = []string{"11"}
		if err := m.Accounts.UpdateUser(ctx, other); err != nil {
			return err
		}
	}
	return m.Accounts.UpdateUser(ctx, u)
}

// TestUpdateAccountConflict: a command that changes an account changed
// meanwhile on the web does it again on a fresh read, so both changes
// stand; one that keeps conflicting gives up with ErrConflict.
func TestUpdateAccountConflict(t *testing.T) {
	ctx := context.Background()
	st, closeStore, err := openStore(ctx, storeConfig{dataDir: filepath.Join(t.TempDir(), "data"), dbName: "qvoice"}, false,
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeStore)
	acc := st.(surveys.Accounts)
	now := time.Now()
	if err := acc.PutUser(ctx, &surveys.User{Name: "zhang.wei", Role: surveys.RoleRegulator, Provinces: []string{"32"},
		PasswordHash: "$argon2id$old", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	setHash := func(u *surveys.User) bool { u.PasswordHash = "$argon2id$new"; return true }

	changed, err := updateAccount(ctx, &meddling{Accounts: acc, n: 2}, "zhang.wei", setHash)
	if err != nil || !changed {
		t.Fatalf("updateAccount with two conflicts = %v, %v; want true, nil", changed, err)
	}
	got, err := acc.User(ctx, "zhang.wei")
	if err != nil {
		t.Fatal(err)
	}
	if got.PasswordHash != "$argon2id$new" || !slices.Equal(got.Provinces, []string{"11"}) {
		t.Errorf("stored %s %v, want the new hash and the web's provinces [11]", got.PasswordHash, got.Provinces)
	}

	_, err = updateAccount(ctx, &meddling{Accounts: acc, n: accountTries}, "zhang.wei", setHash)
	if !errors.Is(err, surveys.ErrConflict) {
		t.Errorf("updateAccount that always conflicts: %v, want ErrConflict", err)
	}
}
