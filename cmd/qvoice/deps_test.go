package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyRules checks design.md's import directions with go list:
// cmd → server → charts → analysis → surveys, and only surveys/mongostore
// imports the MongoDB driver.
func TestDependencyRules(t *testing.T) {
	deps := func(pkg string) []string {
		out, err := exec.Command("go", "list", "-deps", "github.com/qvoice/qvoice/"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	forbidden := map[string][]string{
		"surveys":  {"go.mongodb.org/", "github.com/labstack/", "gonum.org/", "github.com/go-echarts/", "github.com/qvoice/qvoice/analysis", "github.com/qvoice/qvoice/server"},
		"analysis": {"go.mongodb.org/", "github.com/labstack/", "github.com/go-echarts/", "github.com/qvoice/qvoice/charts", "github.com/qvoice/qvoice/server", "net/http"},
		"charts":   {"go.mongodb.org/", "github.com/labstack/", "github.com/qvoice/qvoice/server", "net/http"},
		"server":   {"go.mongodb.org/", "github.com/FerretDB/", "github.com/qvoice/qvoice/surveys/mongostore", "github.com/qvoice/qvoice/surveys/embedded"},
	}
	for pkg, bad := range forbidden {
		t.Run(pkg, func(t *testing.T) {
			for _, d := range deps(pkg) {
				for _, b := range bad {
					if strings.HasPrefix(d, b) {
						t.Errorf("%s depends on %s", pkg, d)
					}
				}
			}
		})
	}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/qvoice/qvoice/...").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, "go.mongodb.org/") && fields[0] != "github.com/qvoice/qvoice/surveys/mongostore" {
				t.Errorf("%s imports the MongoDB driver; only surveys/mongostore may", fields[0])
			}
		}
	}
}
