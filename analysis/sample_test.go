package analysis_test

import (
	"slices"
	"strconv"
	"strings"
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
		zr, closeFile, err := open10k()
		if err != nil {
			sample10k.err = err
			return
		}
		defer closeFile()
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

// ReadSample, the direct path, gives the same Sample as ReadCSV + Add.
func TestReadSampleEqualsReadCSV(t *testing.T) {
	want := loadSample10k(t)
	d, _ := load10k(t)
	zr, closeFile, err := open10k()
	if err != nil {
		t.Fatal(err)
	}
	defer closeFile()
	calls := 0
	got, err := analysis.ReadSample(d, zr, func(int) { calls++ }, "venue", "src")
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Errorf("progress never called")
	}
	if got.Len() != want.Len() {
		t.Fatalf("%d rows, want %d", got.Len(), want.Len())
	}
	for _, fd := range d.Fields() {
		switch {
		case want.Scale(fd.ID) != nil:
			if !slices.Equal(got.Scale(fd.ID).Values, want.Scale(fd.ID).Values) {
				t.Errorf("scale column %s differs", fd.ID)
			}
		case want.Choice(fd.ID) != nil:
			for i := range got.Len() {
				if got.Choice(fd.ID).Level(i) != want.Choice(fd.ID).Level(i) {
					t.Fatalf("choice column %s differs at row %d", fd.ID, i)
				}
			}
		case want.Multi(fd.ID) != nil:
			if !slices.Equal(got.Multi(fd.ID).Bits, want.Multi(fd.ID).Bits) {
				t.Errorf("multi column %s differs", fd.ID)
			}
		}
	}
	if !slices.Equal(got.DesignWeight, want.DesignWeight) || !slices.Equal(got.Codes, want.Codes) {
		t.Errorf("weights or codes differ")
	}
	for i := range got.Len() {
		if got.Choice("venue").Level(i) != want.Choice("venue").Level(i) {
			t.Fatalf("venue differs at row %d", i)
		}
	}
}

func TestReadSampleErrors(t *testing.T) {
	d, _ := load10k(t)
	tests := []struct {
		name, csv, want string
	}{
		{"no header", "", "no header row"},
		{"bad scale", "response_code,food_imp_safety\nR1,5\nR2,x\n", `line 3, column "food_imp_safety": "x" is not an integer`},
		{"out of range", "food_imp_safety\n6\n", `line 2, column "food_imp_safety": 6 is outside the scale 1–5`},
		{"bad weight", "design_wt,food_imp_safety\n0,5\n", `line 2, column "design_wt": "0" is not a positive number`},
		{"ragged", "a,b\n1\n", "wrong number of fields"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := analysis.ReadSample(d, strings.NewReader(tc.csv), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
