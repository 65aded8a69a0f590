package embedded

import (
	"context"
	"fmt"
	"os"
	"time"
)

// RunTests is the TestMain of a package whose tests run on the embedded
// database: it starts FerretDB in a temporary directory, sets *uri to its
// address, runs m (a *testing.M) and returns m's exit code, or 1 if the
// database does not start. Each test then opens a database of its own name.
func RunTests(m interface{ Run() int }, uri *string) int {
	dir, err := os.MkdirTemp("", "qvoice-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	db, err := Open(ctx, dir, nil)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start embedded FerretDB:", err)
		return 1
	}
	defer db.Close()
	*uri = db.URI()
	return m.Run()
}
