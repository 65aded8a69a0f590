//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package embedded

import (
	"errors"
	"os"
)

// lockDir fails: without flock the data directory cannot be protected from
// a second process, and sharing it corrupts the database.
func lockDir(dir string) (*os.File, error) {
	return nil, errors.New("embedded: data directory locking is not supported on this platform; use a MongoDB server")
}

func unlockDir(f *os.File) error { return f.Close() }
