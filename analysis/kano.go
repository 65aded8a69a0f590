package analysis

import (
	"errors"
	"fmt"
	"math"
)

// KanoClass is a Kano category (methods.md §4).
type KanoClass int

// The Kano classes, in the order of kano.csv's columns.
const (
	KanoA KanoClass = iota // attractive
	KanoO                  // one-dimensional
	KanoM                  // must-be
	KanoI                  // indifferent
	KanoR                  // reverse
	KanoQ                  // questionable
	numKanoClasses
)

func (c KanoClass) String() string {
	if c < 0 || c >= numKanoClasses {
		return fmt.Sprintf("KanoClass(%d)", int(c))
	}
	return "AOMIRQ"[c : c+1]
}

// KanoAnswers are the answer codes of both halves of a Kano pair, in the
// order of the evaluation table's rows and columns.
var KanoAnswers = [5]string{"like", "must_be", "neutral", "live_with", "dislike"}

// kanoTable is the standard evaluation table (Berger et al. 1993; rows the
// functional answer, columns the dysfunctional one, both in KanoAnswers
// order).
var kanoTable = [5][5]KanoClass{
	{KanoQ, KanoA, KanoA, KanoA, KanoO},
	{KanoR, KanoI, KanoI, KanoI, KanoM},
	{KanoR, KanoI, KanoI, KanoI, KanoM},
	{KanoR, KanoI, KanoI, KanoI, KanoM},
	{KanoR, KanoR, KanoR, KanoR, KanoQ},
}

// kanoTieOrder breaks ties of the mode: M > O > A > I > R > Q.
var kanoTieOrder = [numKanoClasses]KanoClass{KanoM, KanoO, KanoA, KanoI, KanoR, KanoQ}

// KanoClassify classifies one answer pair with the standard evaluation
// table (rows functional, columns dysfunctional, in KanoAnswers order):
//
//	            like  must_be  neutral  live_with  dislike
//	like         Q      A        A        A          O
//	must_be      R      I        I        I          M
//	neutral      R      I        I        I          M
//	live_with    R      I        I        I          M
//	dislike      R      R        R        R          Q
//
// ok is false when either answer is not one of KanoAnswers.
func KanoClassify(functional, dysfunctional string) (c KanoClass, ok bool) {
	f, d := kanoAnswerIndex(functional), kanoAnswerIndex(dysfunctional)
	if f < 0 || d < 0 {
		return 0, false
	}
	return kanoTable[f][d], true
}

func kanoAnswerIndex(a string) int {
	for i, v := range KanoAnswers {
		if v == a {
			return i
		}
	}
	return -1
}

// KanoResult is the Kano analysis of one functional/dysfunctional pair (a
// row of the oracle's kano.csv), over the N respondents who answered both
// halves with one of KanoAnswers.
//
// Count[c] is the number of pairs of class c, and Category the mode, ties
// broken M > O > A > I > R > Q. Berger et al.'s (1993) customer
// satisfaction coefficients are
//
//	Better = (A+O)/(A+O+M+I),   Worse = −(O+M)/(A+O+M+I).
//
// Weight[c] is the sum of the weights of the pairs of class c (the count
// when unweighted), Share[c] = Weight[c]/Σ Weight over all six classes,
// and BetterW and WorseW the coefficients on the weight sums.
// Unclassified counts pairs with an answer outside KanoAnswers, which are
// left out.
type KanoResult struct {
	ID              string
	N, Unclassified int
	Count           [numKanoClasses]int
	Category        KanoClass
	Better, Worse   float64
	Weight, Share   [numKanoClasses]float64
	BetterW         float64
	WorseW          float64
}

// Kano classifies every answered pair of the Kano item id (the choice
// columns id+"_func" and id+"_dysf") and returns the counts, the mode,
// Better and Worse, and their weighted versions with weights (one per row
// of s; nil for unweighted). It returns an *UndefinedError when nobody
// answered the pair or every pair is R or Q (ErrTooFewCases: Better and
// Worse are NaN), or when some pairs had answers outside KanoAnswers
// (ErrUnclassified; the result is complete without them). It panics if id
// is not a Kano item of s's definition or weights is not nil and not one
// per row.
func Kano(s *Sample, id string, weights []float64) (KanoResult, error) {
	f, d := s.Choice(id+"_func"), s.Choice(id+"_dysf")
	if f == nil || d == nil {
		panic(fmt.Sprintf("analysis: Kano: %q is not a Kano item of survey %s", id, s.Def.Slug))
	}
	if weights != nil && len(weights) != s.Len() {
		panic(fmt.Sprintf("analysis: Kano: %d weights for %d rows", len(weights), s.Len()))
	}
	r := KanoResult{ID: id}
	fc, dc := kanoLevelClasses(f), kanoLevelClasses(d)
	for i := range f.Codes {
		a, b := f.Codes[i], d.Codes[i]
		if a == 0 || b == 0 {
			continue
		}
		fi, di := fc[a], dc[b]
		if fi < 0 || di < 0 {
			r.Unclassified++
			continue
		}
		c := kanoTable[fi][di]
		r.N++
		r.Count[c]++
		if weights == nil {
			r.Weight[c]++
		} else {
			r.Weight[c] += weights[i]
		}
	}
	r.Category = kanoMode(r.Count)
	var cnt [numKanoClasses]float64
	for c, n := range r.Count {
		cnt[c] = float64(n)
	}
	r.Better, r.Worse = kanoCoefficients(cnt)
	r.BetterW, r.WorseW = kanoCoefficients(r.Weight)
	total := r.Weight[KanoA] + r.Weight[KanoO] + r.Weight[KanoM] + r.Weight[KanoI] + r.Weight[KanoR] + r.Weight[KanoQ]
	for c, w := range r.Weight {
		r.Share[c] = w / total
	}
	return r, kanoCheck(r)
}

// kanoMode is the most frequent class, the first in kanoTieOrder on ties.
func kanoMode(count [numKanoClasses]int) KanoClass {
	best := kanoTieOrder[0]
	for _, c := range kanoTieOrder[1:] {
		if count[c] > count[best] {
			best = c
		}
	}
	return best
}

// kanoLevelClasses maps a choice column's codes to KanoAnswers indexes (−1
// for another value).
func kanoLevelClasses(c *ChoiceColumn) []int {
	out := make([]int, len(c.Levels)+1)
	out[0] = -1
	for k, l := range c.Levels {
		out[k+1] = kanoAnswerIndex(l)
	}
	return out
}

func kanoCoefficients(x [numKanoClasses]float64) (better, worse float64) {
	den := x[KanoA] + x[KanoO] + x[KanoM] + x[KanoI]
	if den == 0 {
		return math.NaN(), math.NaN()
	}
	return (x[KanoA] + x[KanoO]) / den, -(x[KanoO] + x[KanoM]) / den
}

func kanoCheck(r KanoResult) error {
	var errs []error
	switch {
	case r.N == 0:
		errs = append(errs, &UndefinedError{Analysis: "kano", Subject: r.ID, Err: ErrTooFewCases,
			Detail: "nobody answered both questions of the pair; its category, Better and Worse are undefined"})
	case math.IsNaN(r.Better):
		errs = append(errs, &UndefinedError{Analysis: "kano", Subject: r.ID, Err: ErrTooFewCases,
			Detail: fmt.Sprintf("all %d pairs are reverse or questionable; Better and Worse are undefined", r.N)})
	case math.IsNaN(r.BetterW) || math.IsNaN(r.Share[0]):
		errs = append(errs, &UndefinedError{Analysis: "kano", Subject: r.ID, Err: ErrTooFewCases,
			Detail: "the weights of the A, O, M and I pairs sum to 0; the weighted shares, Better and Worse are undefined"})
	}
	if r.Unclassified > 0 {
		errs = append(errs, &UndefinedError{Analysis: "kano", Subject: r.ID, Err: ErrUnclassified,
			Detail: fmt.Sprintf("%d pairs have an answer other than %v and were left out", r.Unclassified, KanoAnswers)})
	}
	return errors.Join(errs...)
}

// KanoTable is the oracle's kano.csv: one row per Kano item of s's
// definition (definition order) with kano_id, n, the counts A, O, M, I, R
// and Q, the modal category, better and worse, and, with rakeWeights,
// share_A_rake … share_I_rake (shares of the raked weight of all
// classified pairs, R and Q included), better_rake and worse_rake (NA when
// rakeWeights is nil). The table has every item even when err is not nil;
// err joins the problems Kano reports for each item, and an undefined
// category is written NA.
func KanoTable(s *Sample, rakeWeights []float64) (*Table, error) {
	t := &Table{Name: "kano", Columns: []string{"kano_id", "n", "A", "O", "M", "I", "R", "Q",
		"category", "better", "worse", "share_A_rake", "share_O_rake", "share_M_rake", "share_I_rake",
		"better_rake", "worse_rake"}}
	var errs []error
	for _, k := range s.Def.Kano {
		r, err := Kano(s, k.ID, rakeWeights)
		if err != nil {
			errs = append(errs, err)
		}
		var cat any = r.Category.String()
		if r.N == 0 {
			cat = nil
		}
		w := []any{r.Share[KanoA], r.Share[KanoO], r.Share[KanoM], r.Share[KanoI], r.BetterW, r.WorseW}
		if rakeWeights == nil {
			w = []any{nil, nil, nil, nil, nil, nil}
		}
		t.Append(append([]any{r.ID, r.N, r.Count[KanoA], r.Count[KanoO], r.Count[KanoM], r.Count[KanoI],
			r.Count[KanoR], r.Count[KanoQ], cat, r.Better, r.Worse}, w...)...)
	}
	return t, errors.Join(errs...)
}
