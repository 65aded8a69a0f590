// Package pspptest runs GNU PSPP in tests, as a reader of .sav files
// written independently of qvoice (Debian package pspp).
package pspptest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Need returns the path of the PSPP program name ("pspp",
// "pspp-convert"), skipping the test when it is missing, except in CI,
// where a missing reader is a failure: .ci/run installs it.
func Need(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found, and CI is set: install the Debian package pspp (.ci/run does)", name)
	}
	t.Skipf("%s not found; apt-get install pspp to run the independent reader tests", name)
	return ""
}

// Run runs a PSPP program and returns its standard output. Anything on
// standard error fails the test: PSPP reports every oddity of a system
// file there as a warning, and such files upset SPSS users.
func Run(t testing.TB, prog string, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(prog, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("%s %s: %v\nstderr:\n%s", filepath.Base(prog), strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}
