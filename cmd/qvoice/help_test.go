package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// envOf is a lookupEnv over a map.
func envOf(m map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := m[name]
		return v, ok
	}
}

// runEnv runs qvoice with exactly the environment env.
func runEnv(env map[string]string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := newApp(&stdout, &stderr, envOf(env)).run(context.Background(), args)
	return code, stdout.String(), stderr.String()
}

// allCommands walks the command tree, the root first.
func allCommands() []*cobra.Command {
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		out = append(out, c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(newApp(&bytes.Buffer{}, &bytes.Buffer{}, envOf(nil))))
	return out
}

// TestHelp compares every command's --help, found by walking the command
// tree (so commands added later are covered), with
// testdata/help/qvoice_PATH.golden. Help must not depend on the
// environment: it is the same with QVOICE_* and locale variables set.
func TestHelp(t *testing.T) {
	noisy := map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "QVOICE_LANG": "zh-CN",
		"QVOICE_DATA": "/elsewhere", "QVOICE_FORMAT": "json", "QVOICE_ADDR": "0.0.0.0:1"}
	for _, c := range allCommands() {
		path := c.CommandPath()
		t.Run(path, func(t *testing.T) {
			args := append(strings.Fields(path)[1:], "--help")
			code, out, errOut := runEnv(nil, args...)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			golden(t, filepath.Join("help", strings.ReplaceAll(path, " ", "_")+".golden"), out)
			if _, noisyOut, _ := runEnv(noisy, args...); noisyOut != out {
				t.Errorf("help depends on the environment (-clean +noisy):\n%s", cmp.Diff(out, noisyOut))
			}
			if c.Short == "" || c.Long == "" || c.Example == "" {
				t.Errorf("needs Short, Long and Example; has %q, %d bytes of Long, %q", c.Short, len(c.Long), c.Example)
			}
		})
	}
}

// TestManualListsEveryCommand checks that main.go's package comment, the
// manual, names every command with its synopsis, as qvoice help does.
func TestManualListsEveryCommand(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	manual := string(src)[:strings.Index(string(src), "\npackage main")]
	for _, c := range allCommands() {
		if !c.Runnable() || c.HasSubCommands() {
			continue
		}
		path := strings.TrimPrefix(c.CommandPath(), "qvoice ")
		i := strings.Index(manual, "\n//\t"+path+" ")
		if i < 0 {
			t.Errorf("the manual does not list %q", path)
			continue
		}
		line, _, _ := strings.Cut(manual[i+1:], "\n")
		if !strings.Contains(line, c.Short) {
			t.Errorf("the manual's line %q lacks the synopsis %q", line, c.Short)
		}
	}
}
