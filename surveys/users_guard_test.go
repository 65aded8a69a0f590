package surveys

import (
	"errors"
	"testing"
)

func TestCheckAccountChange(t *testing.T) {
	admin := func(name string, disabled bool) *User { return &User{Name: name, Role: RoleAdmin, Disabled: disabled} }
	alice, bob, gone := admin("alice", false), admin("bob", false), admin("gone", true)
	reg := &User{Name: "reg", Role: RoleRegulator}
	demoted := func(u *User) *User { c := *u; c.Role = RoleRegulator; return &c }
	disabled := func(u *User) *User { c := *u; c.Disabled = true; return &c }
	tests := []struct {
		name          string
		actor         string
		users         []*User
		before, after *User
		want          error
	}{
		{"disable another admin", "alice", []*User{alice, bob}, bob, disabled(bob), nil},
		{"demote another admin", "alice", []*User{alice, bob}, bob, demoted(bob), nil},
		{"disable oneself", "alice", []*User{alice, bob}, alice, disabled(alice), ErrOwnAccount},
		{"demote oneself", "alice", []*User{alice, bob}, alice, demoted(alice), ErrOwnAccount},
		{"the last admin disables itself", "alice", []*User{alice, gone, reg}, alice, disabled(alice), ErrLastAdmin},
		{"the last enabled admin, by someone else", "reg", []*User{alice, gone, reg}, alice, demoted(alice), ErrLastAdmin},
		{"a disabled admin does not count", "bob", []*User{alice, bob, gone}, bob, disabled(bob), ErrOwnAccount},
		{"own provinces", "alice", []*User{alice}, alice, &User{Name: "alice", Role: RoleAdmin, Provinces: []string{"32"}}, nil},
		{"enable a disabled admin", "alice", []*User{alice, gone}, gone, admin("gone", false), nil},
		{"disable a regulator", "alice", []*User{alice, reg}, reg, disabled(reg), nil},
		{"promote a regulator", "alice", []*User{alice, reg}, reg, &User{Name: "reg", Role: RoleAdmin}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckAccountChange(tc.actor, tc.users, tc.before, tc.after)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}
