package analysis_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// TestKanoMatchesOracle checks every column of kano.csv (oracle.R's
// evaluation table, which.max over M, O, A, I, R, Q, and the raked-weight
// sums).
func TestKanoMatchesOracle(t *testing.T) {
	s := loadSample10k(t)
	tab, err := analysis.KanoTable(s, relRakeWeights10k(t, s))
	if err != nil {
		t.Fatalf("KanoTable: %v", err)
	}
	relCompareTable(t, tab, "kano.csv", []string{"kano_id"}, nil, nil)
}

// TestKanoClassify checks the standard evaluation table (methods.md §4;
// Berger et al. 1993), row by row.
func TestKanoClassify(t *testing.T) {
	want := []string{"QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"}
	for i, f := range analysis.KanoAnswers {
		var got strings.Builder
		for _, d := range analysis.KanoAnswers {
			c, ok := analysis.KanoClassify(f, d)
			if !ok {
				t.Fatalf("KanoClassify(%s, %s) not ok", f, d)
			}
			got.WriteString(c.String())
		}
		if got.String() != want[i] {
			t.Errorf("functional %s: %s, want %s", f, got.String(), want[i])
		}
	}
	if _, ok := analysis.KanoClassify("like", "na"); ok {
		t.Errorf("KanoClassify(like, na) ok, want not ok")
	}
}

const kanoFood = "food_qr_traceability"

// kanoPairs returns one respondent per pair "functional/dysfunctional".
func kanoPairs(pairs ...string) []surveys.Answers {
	var out []surveys.Answers
	for _, p := range pairs {
		f, d, _ := strings.Cut(p, "/")
		a := surveys.Answers{}
		if f != "" {
			a[kanoFood+"_func"] = f
		}
		if d != "" {
			a[kanoFood+"_dysf"] = d
		}
		out = append(out, a)
	}
	return out
}

// Pairs of each class: like/dislike is O, must_be/dislike M, like/neutral
// A, neutral/neutral I, dislike/like R, like/like Q.
const (
	kanoO = "like/dislike"
	kanoM = "must_be/dislike"
	kanoA = "like/neutral"
	kanoI = "neutral/neutral"
	kanoR = "dislike/like"
	kanoQ = "like/like"
)

// TestKanoModeTies checks the tie order M > O > A > I > R > Q (methods.md
// §4) for every adjacent pair, and a clear winner.
func TestKanoModeTies(t *testing.T) {
	for _, tc := range []struct {
		pairs []string
		want  analysis.KanoClass
	}{
		{[]string{kanoO, kanoM}, analysis.KanoM},
		{[]string{kanoA, kanoO}, analysis.KanoO},
		{[]string{kanoI, kanoA}, analysis.KanoA},
		{[]string{kanoR, kanoI}, analysis.KanoI},
		{[]string{kanoQ, kanoR}, analysis.KanoR},
		{[]string{kanoQ, kanoQ, kanoR}, analysis.KanoQ},
		{[]string{kanoQ, kanoR, kanoI, kanoA, kanoO, kanoM}, analysis.KanoM},
		{[]string{kanoI, kanoI, kanoA, kanoO, kanoM}, analysis.KanoI},
	} {
		s := relDemoSample(t, kanoPairs(tc.pairs...)...)
		r, err := analysis.Kano(s, kanoFood, nil)
		if err != nil && !errors.Is(err, analysis.ErrTooFewCases) { // only R and Q: Better is undefined
			t.Errorf("%v: %v", tc.pairs, err)
		}
		if r.Category != tc.want {
			t.Errorf("%v: category %v, want %v", tc.pairs, r.Category, tc.want)
		}
	}
}

// TestKanoHandComputed: 2 A, 1 O, 1 M, 1 I, 1 R, 1 Q, and one incomplete
// pair. By hand: n = 7, Better = (2+1)/5 = 0.6, Worse = −(1+1)/5 = −0.4;
// with weights 1, 1, 2, 3, 1, 1, 2, (9 for the incomplete pair) the class
// sums are A 2, O 2, M 3, I 1, R 1, Q 2 (total 11), so share_A = 2/11,
// better_rake = 4/8 and worse_rake = −5/8.
func TestKanoHandComputed(t *testing.T) {
	s := relDemoSample(t, kanoPairs(kanoA, kanoA, kanoO, kanoM, kanoI, kanoR, kanoQ, "like/")...)
	r, err := analysis.Kano(s, kanoFood, []float64{1, 1, 2, 3, 1, 1, 2, 9})
	if err != nil {
		t.Fatal(err)
	}
	want := [6]int{2, 1, 1, 1, 1, 1}
	if r.N != 7 || r.Count != want || r.Category != analysis.KanoA {
		t.Errorf("n %d counts %v category %v, want 7 %v A", r.N, r.Count, r.Category, want)
	}
	const tol = 1e-15
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"better", r.Better, 0.6}, {"worse", r.Worse, -0.4},
		{"share_A", r.Share[analysis.KanoA], 2.0 / 11}, {"share_M", r.Share[analysis.KanoM], 3.0 / 11},
		{"better_rake", r.BetterW, 0.5}, {"worse_rake", r.WorseW, -5.0 / 8},
	} {
		if math.Abs(c.got-c.want) > tol {
			t.Errorf("%s = %.17g, want %.17g (hand-computed)", c.name, c.got, c.want)
		}
	}
}

func TestKanoUndefined(t *testing.T) {
	t.Run("nobody answered", func(t *testing.T) {
		s := relDemoSample(t, kanoPairs("like/", "/dislike")...)
		tab, err := analysis.KanoTable(s, nil)
		if !errors.Is(err, analysis.ErrTooFewCases) || !strings.Contains(err.Error(), "kano food_qr_traceability") {
			t.Errorf("err = %v, want ErrTooFewCases naming food_qr_traceability", err)
		}
		row := tab.Rows[0]
		if row[0] != kanoFood || row[1] != 0 || row[8] != nil || row[11] != nil {
			t.Errorf("row = %v, want n 0, category NA and NA rake columns", row)
		}
	})
	t.Run("only R and Q", func(t *testing.T) {
		s := relDemoSample(t, kanoPairs(kanoR, kanoQ, kanoQ)...)
		r, err := analysis.Kano(s, kanoFood, nil)
		if !errors.Is(err, analysis.ErrTooFewCases) || !math.IsNaN(r.Better) || r.Category != analysis.KanoQ {
			t.Errorf("Kano = %+v, %v; want Q with NaN Better and ErrTooFewCases", r, err)
		}
	})
	t.Run("unknown answer", func(t *testing.T) {
		s := relDemoSample(t, kanoPairs(kanoA, "like/maybe")...)
		r, err := analysis.Kano(s, kanoFood, nil)
		if !errors.Is(err, analysis.ErrUnclassified) || r.N != 1 || r.Unclassified != 1 {
			t.Errorf("Kano = %+v, %v; want n 1, 1 unclassified and ErrUnclassified", r, err)
		}
	})
}
