package mongostore

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qvoice/qvoice/surveys"
)

// encodeAnswers turns normalised answers into a BSON document with sorted
// keys: int as int32 (int64 when it does not fit), string, []string as an
// array of strings (a nil slice as an empty array). Any other value type is
// a programming error upstream and gives surveys.ErrInvalid.
func encodeAnswers(a surveys.Answers) (bson.Raw, error) {
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	doc := make(bson.D, 0, len(keys))
	for _, k := range keys {
		var v any
		switch x := a[k].(type) {
		case int:
			if x >= math.MinInt32 && x <= math.MaxInt32 {
				v = int32(x)
			} else {
				v = int64(x)
			}
		case string:
			v = x
		case []string:
			if x == nil {
				x = []string{}
			}
			v = x
		default:
			return nil, fmt.Errorf("answer %q has type %T, want int, string or []string: %w", k, x, surveys.ErrInvalid)
		}
		doc = append(doc, bson.E{Key: k, Value: v})
	}
	raw, err := bson.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("mongostore: encode answers: %w", err)
	}
	return raw, nil
}

// decodeAnswers reads an answers document back into normalised answers:
// every number (int32, int64, or a double with an integer value, as another
// client may have written it) becomes int, strings stay strings, and arrays
// of strings become []string. A missing document gives empty answers.
func decodeAnswers(raw bson.Raw) (surveys.Answers, error) {
	a := surveys.Answers{}
	if len(raw) == 0 {
		return a, nil
	}
	elems, err := raw.Elements()
	if err != nil {
		return nil, fmt.Errorf("answers: %w", err)
	}
	for _, e := range elems {
		k := e.Key()
		v, err := decodeAnswer(e.Value())
		if err != nil {
			return nil, fmt.Errorf("answer %q: %w", k, err)
		}
		a[k] = v
	}
	return a, nil
}

func decodeAnswer(v bson.RawValue) (any, error) {
	switch v.Type {
	case bson.TypeInt32:
		return int(v.Int32()), nil
	case bson.TypeInt64:
		return int(v.Int64()), nil
	case bson.TypeDouble:
		f := v.Double()
		if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil, errors.New("stored number is not an integer")
		}
		return int(f), nil
	case bson.TypeString:
		return v.StringValue(), nil
	case bson.TypeArray:
		vals, err := v.Array().Values()
		if err != nil {
			return nil, err
		}
		out := make([]string, len(vals))
		for i, x := range vals {
			s, ok := x.StringValueOK()
			if !ok {
				return nil, fmt.Errorf("array element %d has BSON type %s, want string", i, x.Type)
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("stored value has BSON type %s, want a number, string or array", v.Type)
}
