//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package embedded

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockDir takes an exclusive, non-blocking flock on dir/.lock and writes
// this process's id into it. flock belongs to the open file description, so
// a second lockDir in the same process conflicts too, and the kernel releases
// the lock when the process dies.
func lockDir(dir string) (*os.File, error) {
	name := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("embedded: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := lockHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("embedded: %w: another qvoice process%s is using %s", ErrLocked, holder, dir)
		}
		return nil, fmt.Errorf("embedded: lock %s: %w", name, err)
	}
	pid := strconv.Itoa(os.Getpid()) + "\n"
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(pid), 0) // informative only
	}
	return f, nil
}

// lockHolder describes the process id written by the lock's holder.
func lockHolder(f *os.File) string {
	b := make([]byte, 32)
	n, _ := f.ReadAt(b, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b[:n])))
	switch {
	case err != nil:
		return ""
	case pid == os.Getpid():
		return fmt.Sprintf(" (this one, pid %d, opened it already)", pid)
	default:
		return fmt.Sprintf(" (pid %d)", pid)
	}
}

// unlockDir releases the lock by closing the file. The file stays, so the
// next Open locks the same inode.
func unlockDir(f *os.File) error {
	if err := f.Close(); err != nil {
		return fmt.Errorf("embedded: release lock: %w", err)
	}
	return nil
}
