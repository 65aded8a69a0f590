package exchange

import (
	"fmt"
	"strings"

	"github.com/qvoice/qvoice/surveys"
)

// reason says in English why a field's value was refused.
func reason(d *surveys.Definition, fe surveys.FieldError) string {
	arg := func(i int) any {
		if i < len(fe.Args) {
			return fe.Args[i]
		}
		return "?"
	}
	switch fe.Key {
	case surveys.KeyRequired:
		return "a required answer is missing"
	case surveys.KeyNotAnOption:
		return fmt.Sprintf("%q is not a code of this question%s", arg(0), codesOf(d.Field(fe.Field)))
	case surveys.KeyOutOfRange:
		return fmt.Sprintf("out of range: want %v to %v%s", arg(0), arg(1), naNote(d.Field(fe.Field)))
	case surveys.KeyNotANumber:
		return "not a whole number" + naNote(d.Field(fe.Field))
	case surveys.KeyTooLong:
		return fmt.Sprintf("longer than %v characters", arg(0))
	case surveys.KeyTooMany:
		return fmt.Sprintf("more than %v choices", arg(0))
	case surveys.KeyTooFew:
		return fmt.Sprintf("fewer than %v choices", arg(0))
	case surveys.KeyExclusive:
		return "an exclusive choice (such as none) is combined with others"
	case surveys.KeyNeedsGuardian:
		g := d.Guardian
		return fmt.Sprintf("this answer needs a guardian's consent: consent must be %s", g.Consent)
	case surveys.KeyWrongType:
		return "wrong type of value"
	}
	return fe.Key
}

// codesOf lists a choice field's codes when there are few enough to read.
func codesOf(f *surveys.Field) string {
	if f == nil || len(f.Options) == 0 || len(f.Options) > 12 {
		return ""
	}
	codes := make([]string, len(f.Options))
	for i, o := range f.Options {
		codes[i] = o.Value
	}
	return ": want one of " + strings.Join(codes, ", ")
}

func naNote(f *surveys.Field) string {
	if f != nil && f.AllowNA {
		return ", or na"
	}
	return ""
}
