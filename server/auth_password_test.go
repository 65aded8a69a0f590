package server

import (
	"errors"
	"strings"
	"testing"
)

// refHash is argon2id v=19, m=65536, t=2, p=1 of "password" with salt
// "somesalt": the test vector of the reference implementation
// (phc-winner-argon2 src/test.c, Argon2id v=19: hash
// 09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7), here
// in PHC string format.
const refHash = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"

func TestHashMatchesReference(t *testing.T) {
	if got := hashWith(argon2Params{memory: 65536, time: 2, threads: 1}, []byte("somesalt"), "password"); got != refHash {
		t.Errorf("hashWith = %s, want %s", got, refHash)
	}
}

func TestVerifyPassword(t *testing.T) {
	fresh, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(fresh, "$argon2id$v=19$m=65536,t=2,p=1$") {
		t.Errorf("HashPassword = %s, want the PHC format with m=65536,t=2,p=1", fresh)
	}
	if again, _ := HashPassword("correct horse battery"); again == fresh {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	// A cheaper hash: parameters come from the string, so old hashes keep
	// working after the cost is raised.
	cheap := hashWith(argon2Params{memory: 1024, time: 1, threads: 2}, []byte("0123456789abcdef"), "correct horse battery")
	tests := []struct {
		name, hash, password string
		want                 bool
		wantErr              bool
	}{
		{"reference vector", refHash, "password", true, false},
		{"reference vector, wrong password", refHash, "Password", false, false},
		{"fresh hash", fresh, "correct horse battery", true, false},
		{"fresh hash, wrong password", fresh, "correct horse battery ", false, false},
		{"other parameters", cheap, "correct horse battery", true, false},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", "x", false, true},
		{"empty", "", "x", false, true},
		{"huge memory", strings.Replace(refHash, "m=65536", "m=99999999", 1), "password", false, true},
		{"no lanes", strings.Replace(refHash, "p=1", "p=0", 1), "password", false, true},
		{"unknown parameter", strings.Replace(refHash, "p=1", "p=1,x=2", 1), "password", false, true},
		{"version 16", strings.Replace(refHash, "v=19", "v=16", 1), "password", false, true},
		{"bad base64", strings.Replace(refHash, "c29tZXNhbHQ", "!!!", 1), "password", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := verifyPassword(tc.hash, tc.password)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("verifyPassword = %v, %v; want %v, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name, user, password string
		ok                   bool
	}{
		{"long enough", "admin", "correct horse", true},
		{"ten Chinese characters", "admin", "质量月消费者调查问卷好", true},
		{"nine characters", "admin", "123456789", false},
		{"the user name", "administrator", "Administrator", false},
		{"too long", "admin", strings.Repeat("x", 1025), false},
		{"not UTF-8", "admin", "0123456789\xff", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckPassword(tc.user, tc.password)
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrWeakPassword)) {
				t.Errorf("CheckPassword(%q, %q) = %v, want ok %v (errors wrap ErrWeakPassword)", tc.user, tc.password, err, tc.ok)
			}
		})
	}
}
