package surveys

import "fmt"

// CheckAccountChange returns nil if the account actor may replace the
// stored account before with after, given every stored account (users).
// A change that takes an enabled admin away (disabled, or another role)
// is refused when no other enabled admin would remain (ErrLastAdmin) and
// when actor makes it to their own account (ErrOwnAccount): either would
// leave the accounts with nobody, or the wrong person, to manage them.
//
// The check reads, then the caller writes: two admins demoting each other
// at the same moment can both pass. qvoice user add --role admin on the
// command line is the way back.
func CheckAccountChange(actor string, users []*User, before, after *User) error {
	losesAdmin := before.Role == RoleAdmin && !before.Disabled && (after.Role != RoleAdmin || after.Disabled)
	if !losesAdmin {
		return nil
	}
	others := 0
	for _, u := range users {
		if u.Name != before.Name && u.Role == RoleAdmin && !u.Disabled {
			others++
		}
	}
	if others == 0 {
		return fmt.Errorf("user %q: %w", before.Name, ErrLastAdmin)
	}
	if before.Name == actor {
		return fmt.Errorf("user %q: %w", actor, ErrOwnAccount)
	}
	return nil
}
