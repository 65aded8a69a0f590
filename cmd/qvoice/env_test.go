package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// demoFile is the demo survey's definition in the repository.
var demoFile = filepath.Join("..", "..", "surveys", "demo", "quality-month-demo.yaml")

// TestEnv runs commands that need no database with environment variables
// for their flags.
func TestEnv(t *testing.T) {
	show := []string{"survey", "show", demoFile}
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		wantOut  string // prefix of stdout
		wantErr  string // in stderr
	}{
		{"env sets a flag", map[string]string{"QVOICE_FORMAT": "csv"}, show, exitOK, "survey,category,", ""},
		{"command line wins", map[string]string{"QVOICE_FORMAT": "csv"}, append(show, "--format", "json"), exitOK, "{", ""},
		{"empty variable is unset", map[string]string{"QVOICE_FORMAT": ""}, show, exitOK, "slug ", ""},
		{"bad value names the variable", map[string]string{"QVOICE_FORMAT": "xml"}, show, exitUsage, "", "QVOICE_FORMAT"},
		{"bad bool names the variable", map[string]string{"QVOICE_DEMO": "maybe"}, []string{"serve"}, exitUsage, "", "QVOICE_DEMO"},
		{"bad number names the variable", map[string]string{"QVOICE_N": "many"}, []string{"invite", "--survey", "x"}, exitUsage, "", "QVOICE_N"},
		{"older name still works", map[string]string{"QVOICE_PUBLIC_URL": "survey.example.cn"},
			[]string{"invite", "--survey", "x"}, exitUsage, "", "not an absolute URL"},
		{"global flag from env", map[string]string{"QVOICE_LANG": "zh-CN"}, show, exitOK, "标识 ", ""},
		{"bad language names the variable", map[string]string{"QVOICE_LANG": "fr"}, show, exitUsage, "", "QVOICE_LANG"},
		{"--lang wins", map[string]string{"QVOICE_LANG": "zh-CN"}, append(show, "--lang", "en"), exitOK, "slug ", ""},
		{"Chinese locale", map[string]string{"LANG": "zh_CN.UTF-8"}, show, exitOK, "标识 ", ""},
		{"LC_ALL before LANG", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, show, exitOK, "slug ", ""},
		{"no locale", nil, show, exitOK, "slug ", ""},
		{"one dash, as package flag took", nil, append(show, "-format", "json"), exitOK, "{", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runEnv(tc.env, tc.args...)
			if code != tc.wantCode || !strings.HasPrefix(out, tc.wantOut) || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("exit %d, stdout %.40q…, stderr %q; want %d, %q…, %q", code, out, errOut, tc.wantCode, tc.wantOut, tc.wantErr)
			}
		})
	}
}

func TestApplyEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		want    string
		wantErr bool
	}{
		{"unset", nil, nil, "default", false},
		{"own name", map[string]string{"QVOICE_TRUSTED_PROXY": "10.0.0.0/8"}, nil, "10.0.0.0/8", false},
		{"alias", map[string]string{"QVOICE_TRUSTED_PROXIES": "10.0.0.0/8"}, nil, "10.0.0.0/8", false},
		{"own name before alias", map[string]string{"QVOICE_TRUSTED_PROXY": "a", "QVOICE_TRUSTED_PROXIES": "b"}, nil, "a", false},
		{"command line wins", map[string]string{"QVOICE_TRUSTED_PROXY": "a"}, []string{"--trusted-proxy", "c"}, "c", false},
		{"bad value of another flag", map[string]string{"QVOICE_RATE_BURST": "x"}, nil, "default", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			got := fs.String("trusted-proxy", "default", "CIDRs")
			fs.Int("rate-burst", 1, "burst")
			envAlias(fs, "trusted-proxy", "QVOICE_TRUSTED_PROXIES")
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			err := applyEnv(fs, envOf(tc.env))
			if (err != nil) != tc.wantErr || (err != nil && !errors.Is(err, errUsage)) {
				t.Errorf("err = %v, want a usage error: %v", err, tc.wantErr)
			}
			if *got != tc.want {
				t.Errorf("--trusted-proxy = %q, want %q", *got, tc.want)
			}
		})
	}
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	fs.String("mongo-uri", "", "MongoDB URI")
	annotateEnv(fs)
	annotateEnv(fs)
	if u := fs.Lookup("mongo-uri").Usage; u != "MongoDB URI [$QVOICE_MONGO_URI]" {
		t.Errorf("usage %q, want the variable named once", u)
	}
}

// TestExitCodes checks the four exit codes and the usage hint.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"ok", []string{"version"}, exitOK, ""},
		{"no command", nil, exitUsage, "Commands:"},
		{"unknown command", []string{"frobnicate"}, exitUsage, "Run 'qvoice --help' for usage."},
		{"unknown flag", []string{"version", "--frob"}, exitUsage, "Run 'qvoice version --help' for usage."},
		{"extra argument", []string{"version", "now"}, exitUsage, "qvoice: "},
		{"group without command", []string{"survey"}, exitUsage, "Run 'qvoice survey --help'"},
		{"unknown subcommand", []string{"survey", "frob"}, exitUsage, `unknown command "frob"`},
		{"missing argument", []string{"survey", "show"}, exitUsage, "Run 'qvoice survey show --help'"},
		{"runtime failure", []string{"survey", "show", "nope.yaml"}, exitFailure, "qvoice: read survey definition"},
		{"invalid data", []string{"survey", "show", filepath.Join("testdata", "broken.yaml")}, exitDataInvalid, "problem"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runEnv(nil, tc.args...)
			if code != tc.wantCode || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tc.wantCode, tc.wantErr)
			}
			if tc.wantCode != exitUsage && strings.Contains(errOut, "--help' for usage") {
				t.Errorf("a hint to --help after a non-usage error: %q", errOut)
			}
		})
	}
}
