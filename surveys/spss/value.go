package spss

import "math"

// Value is one cell of a case: a number, a string, or system-missing.
// The zero Value is system-missing, so a freshly made []Value is a case
// in which nothing was answered.
type Value struct {
	kind valueKind
	num  float64
	str  string
}

type valueKind uint8

const (
	kindSysMis valueKind = iota
	kindNum
	kindStr
)

// sysmis is the bit pattern SPSS uses for the system-missing value: the
// most negative finite double (-DBL_MAX).
const sysmis = -math.MaxFloat64

// Num returns a numeric Value. NaN becomes system-missing, because SPSS
// has no NaN and a NaN in a file would show as a valid, odd number.
func Num(f float64) Value {
	if math.IsNaN(f) {
		return Value{}
	}
	return Value{kind: kindNum, num: f}
}

// Str returns a string Value. It must be valid UTF-8 and at most as many
// bytes as its variable's Width; WriteCase checks both.
func Str(s string) Value { return Value{kind: kindStr, str: s} }

// SysMis returns the system-missing Value (the zero Value). Written to a
// string variable it becomes an all-blank string, since SPSS strings have
// no system-missing state.
func SysMis() Value { return Value{} }

// IsSysMis reports whether v is system-missing.
func (v Value) IsSysMis() bool { return v.kind == kindSysMis }
