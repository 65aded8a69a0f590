package charts_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/charts"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// summary analyses three hand-made responses to the demo survey, ten
// times each: the means of three, on the 30 answers PriorityRanking needs
// to draw an estimate.
func summary(t *testing.T, d *surveys.Definition) *analysis.Summary {
	t.Helper()
	acc := analysis.NewAccumulator(d)
	for k := range 30 {
		i := k % 3
		a := surveys.Answers{"rate_categories": []string{"food", "elderly_products"}}
		for j, ind := range d.Category("food").Indicators {
			a[surveys.ImportanceID("food", ind.Code)] = 3 + (i+j)%3
			a[surveys.SatisfactionID("food", ind.Code)] = 1 + (i*j)%5
		}
		for j, ind := range d.Category("elderly_products").Indicators {
			a[surveys.ImportanceID("elderly_products", ind.Code)] = 5 - j%2
			a[surveys.SatisfactionID("elderly_products", ind.Code)] = 2 + (i+j)%3
		}
		acc.Add(a)
	}
	return acc.Summary()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./charts -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestPriorityRankingGolden(t *testing.T) {
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		t.Fatal(err)
	}
	sum := summary(t, d)
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			c, err := charts.PriorityRanking(sum, charts.Labels{Def: d, Lang: lang}, "title", 10)
			if err != nil {
				t.Fatal(err)
			}
			if c.ElementID != charts.PriorityRankingID {
				t.Errorf("ElementID %q", c.ElementID)
			}
			again, _ := charts.PriorityRanking(sum, charts.Labels{Def: d, Lang: lang}, "title", 10)
			if !bytes.Equal(c.Option, again.Option) {
				t.Errorf("two renders differ: the builder is not deterministic")
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, c.Option, "", "  "); err != nil {
				t.Fatal(err)
			}
			golden(t, "priority-"+lang+".json", pretty.Bytes())
		})
	}
}

// Labels come from survey files and, later, from respondents: they must not
// be able to close the <script> element the option JSON sits in.
func TestPriorityRankingEscapesLabels(t *testing.T) {
	src := strings.Replace(string(demo.Source()), "label: {zh-CN: 安全卫生（无违规添加、农药残留放心）",
		"label: {zh-CN: \"</script><script>alert(1)</script>\"", 1)
	d, err := surveys.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c, err := charts.PriorityRanking(summary(t, d), charts.Labels{Def: d, Lang: "zh-CN"}, "t", 20)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(c.Option, []byte("</script")) || bytes.Contains(c.Option, []byte("<script")) {
		t.Errorf("option JSON contains a raw script tag: %s", c.Option)
	}
	if !bytes.Contains(c.Option, []byte(`\u003c/script\u003e`)) {
		t.Errorf("the label did not reach the chart (the test would prove nothing)")
	}
}
