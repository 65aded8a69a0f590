package main

import (
	"errors"
	"strings"

	"github.com/spf13/pflag"
)

// envPrefix starts the environment variable of every flag.
const envPrefix = "QVOICE_"

// envAliasKey is the flag annotation listing older variable names.
const envAliasKey = "qvoice-env-alias"

// envName is the variable of a flag: --mongo-uri reads QVOICE_MONGO_URI.
func envName(flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// envAlias lets a flag also read older variable names, after its own.
func envAlias(fs *pflag.FlagSet, flag string, names ...string) {
	if err := fs.SetAnnotation(flag, envAliasKey, names); err != nil {
		panic("qvoice: " + err.Error()) // programmer error: no such flag
	}
}

// envNames lists the variables a flag reads, in order of precedence.
func envNames(f *pflag.Flag) []string {
	return append([]string{envName(f.Name)}, f.Annotations[envAliasKey]...)
}

// annotateEnv appends the variables to each flag's help:
// "database name [$QVOICE_DB]".
func annotateEnv(fs *pflag.FlagSet) {
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Name == "help" {
			return
		}
		names := envNames(f)
		for i, n := range names {
			names[i] = "$" + n
		}
		suffix := " [" + strings.Join(names, ", ") + "]"
		if !strings.HasSuffix(f.Usage, suffix) {
			f.Usage += suffix
		}
	})
}

// applyEnv sets every flag not given on the command line from its
// environment variable, if that is set and not empty. A value the flag
// refuses is a usage error naming the variable.
func applyEnv(fs *pflag.FlagSet, lookupEnv func(string) (string, bool)) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || f.Name == "help" {
			return
		}
		for _, name := range envNames(f) {
			v, ok := lookupEnv(name)
			if !ok || v == "" {
				continue
			}
			if serr := fs.Set(f.Name, v); serr != nil {
				err = usagef("environment variable %s: %v", name, serr)
			}
			return
		}
	})
	return err
}

// Languages of human output.
const (
	langZH = "zh-CN"
	langEN = "en"
)

// langValue is the --lang flag: zh-CN or en, normalised on Set, or empty
// until resolve picks the default.
type langValue string

func (l *langValue) String() string { return string(*l) }
func (l *langValue) Type() string   { return "zh-CN|en" }

func (l *langValue) Set(s string) error {
	switch v := strings.ToLower(s); {
	case strings.HasPrefix(v, "zh"):
		*l = langZH
	case strings.HasPrefix(v, "en"):
		*l = langEN
	default:
		return errors.New("must be zh-CN or en")
	}
	return nil
}

// resolve sets an unset language from QVOICE_LANG (which a command's own
// --lang flag may have taken instead), else from the first of LC_ALL,
// LC_MESSAGES and LANG that is set: zh-CN if it starts with "zh", else en.
func (l *langValue) resolve(lookupEnv func(string) (string, bool)) {
	if *l != "" {
		return
	}
	if v, _ := lookupEnv(envName("lang")); v != "" && l.Set(v) == nil {
		return
	}
	*l = langEN
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v, _ := lookupEnv(name); v != "" {
			if strings.HasPrefix(v, "zh") {
				*l = langZH
			}
			return
		}
	}
}
