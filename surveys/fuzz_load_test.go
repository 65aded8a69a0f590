package surveys_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// FuzzParse feeds arbitrary bytes to the definition loader: it must never
// panic, its errors must be Problems listing at least one problem, and a
// definition it accepts must have fields and parse the same way twice.
// The seeds are the demo questionnaire and broken copies of it; more are in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	src := demo.Source()
	f.Add(src)
	f.Add(src[:len(src)/2])   // truncated in the middle of the scales
	f.Add(src[:len(src)*4/5]) // truncated in the sections
	f.Add(append([]byte("slug: again\n"), src...))
	f.Add(bytes.Replace(src, []byte("version: 1"), []byte("version: one"), 1))
	f.Add(bytes.Replace(src, []byte("max_categories_per_respondent: 2"), []byte("max_categories_per_respondent: [2]"), 1))
	f.Add(bytes.Replace(src, []byte("languages: [zh-CN, en]"), []byte("languages: zh-CN"), 1))
	f.Add(bytes.ReplaceAll(src, []byte("type: likert"), []byte("type: numeric")))
	f.Add([]byte(""))
	f.Add([]byte("- just\n- a list\n"))
	f.Add([]byte("slug: x\nslug: y\n"))
	f.Add([]byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := surveys.Parse(src)
		if err != nil {
			var ps surveys.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Parse error %v (%T) is not a non-empty Problems", err, err)
			}
			if !errors.Is(err, surveys.ErrInvalid) {
				t.Errorf("Parse error %v does not wrap ErrInvalid", err)
			}
			if d != nil {
				t.Errorf("Parse returned a definition with error %v", err)
			}
			return
		}
		if d.Fields() == nil {
			t.Fatal("accepted definition has nil Fields()")
		}
		again, err := surveys.Parse(src)
		if err != nil {
			t.Fatalf("second Parse of the same source failed: %v", err)
		}
		if !slices.Equal(fieldIDs(d), fieldIDs(again)) {
			t.Fatalf("Parse is not deterministic: fields %v, then %v", fieldIDs(d), fieldIDs(again))
		}
	})
}

func fieldIDs(d *surveys.Definition) []string {
	ids := make([]string, 0, len(d.Fields()))
	for _, f := range d.Fields() {
		ids = append(ids, f.ID)
	}
	return ids
}
