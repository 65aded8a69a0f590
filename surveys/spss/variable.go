package spss

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Limits that the writer enforces or truncates to.
const (
	// MaxNameLen is the longest variable name, in bytes.
	MaxNameLen = 64
	// MaxStringWidth is the widest string variable, in bytes.
	MaxStringWidth = 32767
	// MaxVarLabelLen is the longest variable label SPSS keeps, in bytes;
	// longer labels are cut at a UTF-8 character boundary.
	MaxVarLabelLen = 256
	// MaxValueLabelLen is the longest value label SPSS keeps, in bytes;
	// longer labels are cut at a UTF-8 character boundary.
	MaxValueLabelLen = 120
	// MaxMissing is the most discrete user-missing values a variable has.
	MaxMissing = 3
	// MaxDecimals is the most decimals an F format shows.
	MaxDecimals = 16
)

// Measure is a variable's level of measurement, shown by SPSS in the
// Variable View and used by its chart builder.
type Measure int

// Levels of measurement. MeasureDefault lets the writer choose: Nominal for
// strings and for numerics that have value labels (coded answers), Scale
// for other numerics.
const (
	MeasureDefault Measure = iota
	Nominal
	Ordinal
	Scale
)

// String returns the level's SPSS name.
func (m Measure) String() string {
	switch m {
	case Nominal:
		return "Nominal"
	case Ordinal:
		return "Ordinal"
	case Scale:
		return "Scale"
	case MeasureDefault:
		return "Default"
	}
	return fmt.Sprintf("Measure(%d)", int(m))
}

// ValueLabel names one code of a numeric variable, such as 1 = "非常不满意".
type ValueLabel struct {
	Value float64
	Label string
}

// Variable describes one column of the data file.
//
// Value labels and user-missing values are supported for numeric variables
// only: string variables with either are rejected with ErrVariable, because
// long string labels need extension records (subtypes 21 and 22) that this
// writer does not emit.
type Variable struct {
	// Name must be 1–64 bytes, start with an ASCII letter, continue with
	// letters, digits or _ . @ # $, not end with a period, and not be a
	// reserved word (ALL AND BY EQ GE GT LE LT NE NOT OR TO WITH).
	Name string
	// Label is the variable label, UTF-8; cut to MaxVarLabelLen bytes.
	Label string
	// Width is 0 for a numeric variable, or the string width in bytes
	// (1–32767). Widths over 255 are written as very long strings.
	Width int
	// Decimals is the number of decimals in the numeric print and write
	// format (F8.0, F8.2 ...); 0–16.
	Decimals int
	// Measure is the level of measurement.
	Measure Measure
	// ValueLabels label codes of a numeric variable; values must differ.
	ValueLabels []ValueLabel
	// Missing lists up to three discrete user-missing codes of a numeric
	// variable, such as 99 for "don't know".
	Missing []float64
}

// isReserved reports whether an upper-cased name is an SPSS keyword that
// can never be a variable name.
func isReserved(upper string) bool {
	switch upper {
	case "ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH":
		return true
	}
	return false
}

// checkName applies the SPSS naming rules; the returned error wraps ErrName.
func checkName(name string) error {
	if name == "" || len(name) > MaxNameLen {
		return fmt.Errorf("%w: %q must be 1–%d bytes", ErrName, name, MaxNameLen)
	}
	if !isLetter(name[0]) {
		return fmt.Errorf("%w: %q must start with a letter A–Z", ErrName, name)
	}
	for i := 1; i < len(name); i++ {
		if c := name[i]; !isLetter(c) && !isDigit(c) && !strings.ContainsRune("_.@#$", rune(c)) {
			return fmt.Errorf("%w: %q has %q; use letters, digits, _ . @ # $", ErrName, name, c)
		}
	}
	// A trailing period reads as a command terminator in SPSS syntax.
	if name[len(name)-1] == '.' {
		return fmt.Errorf("%w: %q ends with a period", ErrName, name)
	}
	if isReserved(strings.ToUpper(name)) {
		return fmt.Errorf("%w: %q is a reserved word", ErrName, name)
	}
	return nil
}

func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// check validates everything but the name; the error wraps ErrVariable.
func (v *Variable) check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w %s: "+format, append([]any{ErrVariable, v.Name}, args...)...)
	}
	switch {
	case v.Width < 0 || v.Width > MaxStringWidth:
		return bad("width %d is outside 0–%d", v.Width, MaxStringWidth)
	case v.Decimals < 0 || v.Decimals > MaxDecimals:
		return bad("decimals %d is outside 0–%d", v.Decimals, MaxDecimals)
	case v.Measure < MeasureDefault || v.Measure > Scale:
		return bad("unknown measure %d", int(v.Measure))
	case v.Width > 0 && (len(v.ValueLabels) > 0 || len(v.Missing) > 0):
		return bad("value labels and missing values are supported for numeric variables only")
	case len(v.Missing) > MaxMissing:
		return bad("%d missing values; at most %d", len(v.Missing), MaxMissing)
	case !utf8.ValidString(v.Label):
		return bad("label is not UTF-8")
	}
	for _, m := range v.Missing {
		if math.IsNaN(m) || math.IsInf(m, 0) {
			return bad("missing value %v is not a finite number", m)
		}
	}
	seen := make(map[float64]bool, len(v.ValueLabels))
	for _, vl := range v.ValueLabels {
		switch {
		case math.IsNaN(vl.Value) || math.IsInf(vl.Value, 0):
			return bad("value label for %v: not a finite number", vl.Value)
		case seen[vl.Value]:
			return bad("two value labels for %v", vl.Value)
		case !utf8.ValidString(vl.Label):
			return bad("value label for %v is not UTF-8", vl.Value)
		}
		seen[vl.Value] = true
	}
	return nil
}

// measureCode is the subtype 11 code: 1 nominal, 2 ordinal, 3 scale.
func (v *Variable) measureCode() int32 {
	switch {
	case v.Measure != MeasureDefault:
		return int32(v.Measure)
	case v.Width > 0 || len(v.ValueLabels) > 0:
		return int32(Nominal)
	}
	return int32(Scale)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
