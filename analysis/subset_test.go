package analysis_test

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// TestSubsetMatchesFiltering: the indices of a subset equal the indices of
// a sample built from the same responses alone.
func TestSubsetMatchesFiltering(t *testing.T) {
	d, _ := load10k(t)
	r, done, err := open10k()
	if err != nil {
		t.Fatal(err)
	}
	whole, err := analysis.ReadSample(d, r, nil)
	done()
	if err != nil {
		t.Fatal(err)
	}
	prov := whole.Choice("province")
	keep := func(i int) bool { return prov.Level(i) == "32" }
	sub := whole.Subset(keep)
	if sub.Len() == 0 || sub.Len() == whole.Len() {
		t.Fatalf("subset of %d rows from %d", sub.Len(), whole.Len())
	}
	direct := analysis.NewSample(d)
	r, done, err = open10k()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	err = analysis.ReadCSV(d, r, func(ans surveys.Answers, other map[string]string) error {
		if ans.Code("province") == "32" {
			w, _ := strconv.ParseFloat(other["design_wt"], 64)
			direct.Add(ans, w, other["response_code"], other)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sub.Len() != direct.Len() {
		t.Fatalf("subset has %d rows, direct %d", sub.Len(), direct.Len())
	}
	got := analysis.Indices(sub, analysis.BaseWeightDesign(sub))
	want := analysis.Indices(direct, analysis.BaseWeightDesign(direct))
	opt := cmp.Comparer(func(a, b float64) bool { return a == b || (a != a && b != b) })
	if diff := cmp.Diff(analysis.IndicesTable(want).Rows, analysis.IndicesTable(got).Rows, opt); diff != "" {
		t.Errorf("indices of the subset differ (-direct +subset):\n%s", diff)
	}
	if diff := cmp.Diff(direct.Codes, sub.Codes); diff != "" {
		t.Errorf("codes differ:\n%s", diff)
	}
}
