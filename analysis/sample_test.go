package analysis_test

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

var sample10k struct {
	once sync.Once
	s    *analysis.Sample
	err  error
}

// loadSample10k returns the 10k oracle responses as a Sample, with their
// design weights, response codes and venues.
func loadSample10k(tb testing.TB) *analysis.Sample {
	tb.Helper()
	d, _ := load10k(tb)
	sample10k.once.Do(func() {
		f, err := os.Open(filepath.Join("testdata", "survey_10k.csv.gz"))
		if err != nil {
			sample10k.err = err
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			sample10k.err = err
			return
		}
		s := analysis.NewSample(d, "venue", "src")
		sample10k.err = analysis.ReadCSV(d, zr, func(ans surveys.Answers, other map[string]string) error {
			w, err := strconv.ParseFloat(other["design_wt"], 64)
			if err != nil {
				return err
			}
			s.Add(ans, w, other["response_code"], other)
			return nil
		})
		sample10k.s = s
	})
	if sample10k.err != nil {
		tb.Fatalf("loading the 10k sample: %v", sample10k.err)
	}
	return sample10k.s
}

// TestJointMeansBaseWeights checks design-weighted means, linearisation SEs
// and design effects against means.csv (mean_dw, se_dw, deff_dw), which R's
// svymean(~v, svydesign(ids=~1, weights=~design_wt), na.rm=TRUE,
// deff="replace") gives.
func TestJointMeansBaseWeights(t *testing.T) {
	s := loadSample10k(t)
	if s.Len() != 10000 {
		t.Fatalf("sample has %d rows, want 10000", s.Len())
	}
	rows := readOracle(t, "means.csv")
	var vars []analysis.Var
	want := map[string]map[string]string{}
	for _, r := range rows {
		vars = append(vars, analysis.Var{Name: r["variable"], Col: s.Scale(r["variable"])})
		want[r["variable"]] = r
	}
	j := analysis.JointMeans(s, analysis.BaseWeightDesign(s), vars)
	c := newChecker(t)
	for a, v := range vars {
		c.int(v.Name, "n", j.N[a], want[v.Name]["n"])
		c.float(v.Name, "mean_dw", j.Mean[a], want[v.Name]["mean_dw"])
		c.float(v.Name, "se_dw", j.SE[a], want[v.Name]["se_dw"])
		c.float(v.Name, "deff_dw", j.Deff[a], want[v.Name]["deff_dw"])
	}
	c.report()
}
