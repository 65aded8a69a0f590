package surveys

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckUserName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"admin", true}, {"王监管", true}, {"r.li@samr.gov.cn", true}, {"js-2026_a", true},
		{"", false}, {"-admin", false}, {"=cmd()", false}, {"@x", false}, {"a b", false},
		{"<script>alert(1)</script>", false}, {"a\x00", false}, {strings.Repeat("名", 65), false}, {strings.Repeat("名", 64), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckUserName(tc.name)
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInvalid)) {
				t.Errorf("CheckUserName(%q) = %v, want ok %v (errors wrap ErrInvalid)", tc.name, err, tc.ok)
			}
		})
	}
}

func TestParseProvinces(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		ok   bool
	}{
		{"", nil, true},
		{"32", []string{"32"}, true},
		{"44, 32,32", []string{"32", "44"}, true},
		{"3", nil, false},
		{"320000", nil, false},
		{"js", nil, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseProvinces(tc.in)
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInvalid)) {
				t.Fatalf("ParseProvinces(%q) error %v, want ok %v", tc.in, err, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseProvinces(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestUserValidateAndScope(t *testing.T) {
	u := &User{Name: "js", Role: RoleRegulator, Provinces: []string{"32"}}
	if err := u.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if !u.SeesProvince("32") || u.SeesProvince("44") || u.AllProvinces() {
		t.Errorf("a regulator of 32 sees 32 %v, 44 %v, all %v", u.SeesProvince("32"), u.SeesProvince("44"), u.AllProvinces())
	}
	if all := (&User{Name: "a", Role: RoleAdmin}); !all.SeesProvince("44") || !all.AllProvinces() {
		t.Error("an account without provinces does not see every province")
	}
	for _, bad := range []*User{{Name: "x", Role: "root"}, {Name: "x", Role: RoleRegulator, Provinces: []string{"320000"}}, {Name: "", Role: RoleAdmin}} {
		if err := bad.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := ParseRole("superuser"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseRole(superuser) = %v, want ErrInvalid", err)
	}
}
