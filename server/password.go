package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password rules.
const (
	// MinPasswordLen is the shortest password accepted, in characters.
	MinPasswordLen = 10
	// maxPasswordLen bounds what is hashed, in bytes.
	maxPasswordLen = 1024
)

// ErrWeakPassword means a new password breaks the rules of CheckPassword.
var ErrWeakPassword = errors.New("weak password")

// CheckPassword returns nil if password may be set for the account name:
// at least MinPasswordLen characters, at most 1024 bytes, valid UTF-8, and
// not the name itself (in any case). Otherwise the error wraps
// ErrWeakPassword and says why.
func CheckPassword(name, password string) error {
	switch {
	case !utf8.ValidString(password):
		return fmt.Errorf("the password is not valid UTF-8: %w", ErrWeakPassword)
	case utf8.RuneCountInString(password) < MinPasswordLen:
		return fmt.Errorf("the password needs at least %d characters: %w", MinPasswordLen, ErrWeakPassword)
	case len(password) > maxPasswordLen:
		return fmt.Errorf("the password has more than %d bytes: %w", maxPasswordLen, ErrWeakPassword)
	case strings.EqualFold(strings.TrimSpace(password), name):
		return fmt.Errorf("the password must not be the user name: %w", ErrWeakPassword)
	}
	return nil
}

// argon2Params are the argon2id cost parameters: memory in KiB, passes and
// lanes, as in the PHC string "m=65536,t=2,p=1".
type argon2Params struct {
	memory  uint32
	time    uint32
	threads uint8
}

// Cost of new hashes: 64 MiB, two passes, one lane (RFC 9106 §4's second
// recommended option; about 0.1 s on one core). Stored hashes keep their
// own parameters, so these can be raised without invalidating them.
var newHashParams = argon2Params{memory: 64 * 1024, time: 2, threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// HashPassword returns the argon2id hash of password in PHC string format,
// $argon2id$v=19$m=65536,t=2,p=1$SALT$HASH (unpadded standard base64),
// with a random salt.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return hashWith(newHashParams, salt, password), nil
}

func hashWith(p argon2Params, salt []byte, password string) string {
	key := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// verifyPassword reports whether password matches the PHC string hash,
// with the hash's own parameters, comparing in constant time. A hash that
// does not parse is an error.
func verifyPassword(hash, password string) (bool, error) {
	p, salt, key, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// parsePHC splits an argon2id PHC string. Parameters are bounded so that a
// corrupted hash cannot make a sign-in allocate gigabytes.
func parsePHC(hash string) (argon2Params, []byte, []byte, error) {
	var p argon2Params
	bad := func(why string) (argon2Params, []byte, []byte, error) {
		return p, nil, nil, fmt.Errorf("password hash: %s", why)
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return bad("not an argon2id PHC string")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("unsupported version " + parts[2])
	}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("parameter " + kv)
		}
		switch k {
		case "m":
			p.memory = uint32(n)
		case "t":
			p.time = uint32(n)
		case "p":
			if n > 255 {
				return bad("parameter " + kv)
			}
			p.threads = uint8(n)
		default:
			return bad("parameter " + kv)
		}
	}
	if p.threads < 1 || p.time < 1 || p.time > 64 || p.memory < 8*uint32(p.threads) || p.memory > 4*1024*1024 {
		return bad("parameters out of range: " + parts[3])
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 128 {
		return bad("salt or key")
	}
	return p, salt, key, nil
}

// RandomPassword is a password nobody chose, for an account an admin adds
// or resets on the web and for serve --demo's admin, shown once: 20
// random characters (100 bits) of base32, which has no 0, 1, 8 or 9 to
// mistake for o, l, b or g, in groups of five to read out: "k7mzq-…".
func RandomPassword() string {
	t := strings.ToLower(rand.Text()) // base32: a–z and 2–7, 5 bits a character
	var b strings.Builder
	for i := 0; i < 20; i += 5 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(t[i : i+5])
	}
	return b.String()
}
