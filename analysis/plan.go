package analysis

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// ErrPlanInput is wrapped by every error about the inputs of a sample-size
// plan: a margin of error, confidence, proportion, standard deviation,
// design effect, response rate or population out of range, or a bad row of
// a strata file. The message names the parameter and its value.
var ErrPlanInput = errors.New("analysis: invalid sample-size input")

// PlanSpec is the target of a sample-size plan: estimate a proportion
// (SD = 0) or a mean on a rating scale (SD > 0) to within ±MOE with the
// given confidence. Zero optional fields take their defaults.
type PlanSpec struct {
	// MOE is e, the half-width of the confidence interval: a proportion
	// in (0, 1) (0.03 is ±3 percentage points), or scale points for a mean.
	MOE float64
	// Confidence is 1 − α, in (0, 1), e.g. 0.95.
	Confidence float64
	// P is the expected proportion, in (0, 1); 0 means 0.5, which gives
	// the largest p(1−p) and so the safest size. Only for proportions.
	P float64
	// SD is σ, the standard deviation of the rating (about 1 on a 1–5
	// scale); SD > 0 plans for a mean instead of a proportion.
	SD float64
	// Deff is the design effect of clustering and unequal weights, ≥ 1;
	// 0 means 1 (simple random sampling). Kish's 1 + CV²(w) of a previous
	// round's weights is one estimate.
	Deff float64
	// ResponseRate is r, the expected share of invitations that end in a
	// complete response, in (0, 1]; 0 means 1.
	ResponseRate float64
}

// SampleStages are the steps from the formula to the number to field,
// for one population size N.
type SampleStages struct {
	N0      float64 // z²·p(1−p)/e² or z²σ²/e²
	NDeff   float64 // N0·deff
	NFPC    float64 // NDeff/(1 + (NDeff − 1)/N); NDeff when N is unknown
	N       int     // ⌈NFPC⌉: complete responses needed
	Invited int     // ⌈N/r⌉: invitations to issue
}

// IsMean reports whether s plans for a mean (SD > 0) rather than a
// proportion.
func (s PlanSpec) IsMean() bool { return s.SD > 0 }

// withDefaults fills the zero optional fields.
func (s PlanSpec) withDefaults() PlanSpec {
	if s.P == 0 && !s.IsMean() {
		s.P = 0.5
	}
	if s.Deff == 0 {
		s.Deff = 1
	}
	if s.ResponseRate == 0 {
		s.ResponseRate = 1
	}
	return s
}

// planErr returns an ErrPlanInput error naming the parameter and value.
func planErr(name string, v float64, want string) error {
	return fmt.Errorf("%w: %s = %v, want %s", ErrPlanInput, name, v, want)
}

// validate checks a spec after withDefaults.
func (s PlanSpec) validate() error {
	switch {
	case s.SD < 0 || math.IsNaN(s.SD) || math.IsInf(s.SD, 0):
		return planErr("sd", s.SD, "a finite standard deviation > 0 for a mean, or 0 for a proportion")
	case s.IsMean() && s.P != 0:
		return planErr("p", s.P, "0 when sd is given: a plan is for a proportion or a mean, not both")
	case !s.IsMean() && !(s.P > 0 && s.P < 1):
		return planErr("p", s.P, "an expected proportion in (0, 1)")
	case !(s.Confidence > 0 && s.Confidence < 1):
		return planErr("confidence", s.Confidence, "a level in (0, 1), e.g. 0.95")
	case !(s.Deff >= 1) || math.IsInf(s.Deff, 0):
		return planErr("deff", s.Deff, "a design effect ≥ 1")
	case !(s.ResponseRate > 0 && s.ResponseRate <= 1):
		return planErr("response rate", s.ResponseRate, "a rate in (0, 1]")
	}
	return s.validateMOE(s.MOE)
}

// validateMOE checks a margin of error for the kind of estimate s plans.
func (s PlanSpec) validateMOE(e float64) error {
	if s.IsMean() {
		if !(e > 0) || math.IsInf(e, 0) {
			return planErr("moe", e, "a finite margin > 0 in scale points")
		}
		return nil
	}
	if !(e > 0 && e < 1) {
		return planErr("moe", e, "a margin in (0, 1) for a proportion, e.g. 0.03")
	}
	return nil
}

// validatePopulation checks a population size: 0 or +Inf (unknown,
// infinite) or at least 1.
func validatePopulation(n float64) error {
	if n == 0 || math.IsInf(n, 1) || n >= 1 {
		return nil
	}
	return planErr("population", n, "a size ≥ 1, or 0 when unknown")
}

// z returns Φ⁻¹(1 − α/2) for the spec's confidence 1 − α.
func (s PlanSpec) z() float64 { return distuv.UnitNormal.Quantile(0.5 + s.Confidence/2) }

// unitVariance is p(1−p) for a proportion or σ² for a mean.
func (s PlanSpec) unitVariance() float64 {
	if s.IsMean() {
		return s.SD * s.SD
	}
	return s.P * (1 - s.P)
}

// Stages returns the sample size for margin of error e (0: s.MOE) in a
// population of n (0 or +Inf: unknown, infinite), step by step:
//
//	n0 = z²·V/e²,  V = p(1−p) for a proportion or σ² for a mean,
//	n1 = n0·deff,
//	n2 = n1/(1 + (n1 − 1)/N)   (finite population correction; n1 if N unknown),
//	n  = ⌈n2⌉,  invited = ⌈n/r⌉,
//
// with z = Φ⁻¹(1 − α/2) (Cochran 1977, Sampling Techniques, 3rd ed.,
// §4.4 for proportions, the same steps with S² = σ² for continuous data;
// the correction is exact for sampling without replacement). A value within
// 1e-12 (relative) of an integer is not rounded up past it, so
// floating-point noise in 385/0.7 adds no respondent.
func (s PlanSpec) Stages(e, n float64) (SampleStages, error) {
	if e == 0 {
		e = s.MOE
	}
	s = s.withDefaults()
	s.MOE = e
	if err := s.validate(); err != nil {
		return SampleStages{}, err
	}
	if err := validatePopulation(n); err != nil {
		return SampleStages{}, err
	}
	z := s.z()
	var st SampleStages
	st.N0 = z * z * s.unitVariance() / (e * e)
	st.NDeff = st.N0 * s.Deff
	st.NFPC = st.NDeff
	if n > 0 && !math.IsInf(n, 1) {
		st.NFPC = st.NDeff / (1 + (st.NDeff-1)/n)
	}
	st.N = ceilTol(st.NFPC)
	st.Invited = ceilTol(float64(st.N) / s.ResponseRate)
	return st, nil
}

// ceilTol is ⌈x⌉, except that x within 1e-12 (relative) above an integer
// gives that integer.
func ceilTol(x float64) int { return int(math.Ceil(x * (1 - 1e-12))) }

// SampleSize returns the number of complete responses that estimate a
// proportion near p to within ±moe with the given confidence, under
// design effect deff, in a population of the given size (0 or +Inf:
// unknown, infinite):
//
//	n = ⌈n1/(1 + (n1 − 1)/N)⌉,  n1 = deff·z²·p(1−p)/moe²,  z = Φ⁻¹(1 − α/2),
//
// as PlanSpec.Stages. p = 0.5 is the safe choice when nothing is known. For
// moe = 0.05, confidence 0.95, p = 0.5 and deff = 1 it is the classic 385.
// Every argument is required: a p or deff of 0 is an error.
func SampleSize(moe, confidence, p, deff, population float64) (int, error) {
	if p == 0 {
		return 0, planErr("p", p, "an expected proportion in (0, 1)")
	}
	if deff == 0 {
		return 0, planErr("deff", deff, "a design effect ≥ 1")
	}
	st, err := PlanSpec{MOE: moe, Confidence: confidence, P: p, Deff: deff}.Stages(0, population)
	return st.N, err
}

// MeanSampleSize is SampleSize for a mean on a rating scale whose
// standard deviation is sd, with moe in scale points:
//
//	n = ⌈n1/(1 + (n1 − 1)/N)⌉,  n1 = deff·z²σ²/moe².
func MeanSampleSize(moe, confidence, sd, deff, population float64) (int, error) {
	if !(sd > 0) {
		return 0, planErr("sd", sd, "a finite standard deviation > 0")
	}
	if deff == 0 {
		return 0, planErr("deff", deff, "a design effect ≥ 1")
	}
	st, err := PlanSpec{MOE: moe, Confidence: confidence, SD: sd, Deff: deff}.Stages(0, population)
	return st.N, err
}

// Explain describes, in 4 or 5 lines of plain text in lang ("en" or
// "zh-CN"), the formula behind r with the plan's numbers plugged in: n0,
// the design effect, the finite population correction, the response rate
// and the totals. An unknown lang is an error wrapping ErrPlanInput.
func (r *PlanResult) Explain(lang string) (string, error) {
	t, ok := explainText[lang]
	if !ok {
		return "", fmt.Errorf("%w: lang = %q, want en or zh-CN", ErrPlanInput, lang)
	}
	s := r.Spec
	n0 := r.Z * r.Z * s.unitVariance() / (s.MOE * s.MOE)
	kind, formula := t.proportion, fmt.Sprintf("z²·p(1−p)/e² = %.4g²×%.4g×%.4g/%.4g²", r.Z, s.P, 1-s.P, s.MOE)
	if s.IsMean() {
		kind, formula = t.mean, fmt.Sprintf("z²σ²/e² = %.4g²×%.4g²/%.4g²", r.Z, s.SD, s.MOE)
	}
	var b strings.Builder
	fmt.Fprintf(&b, t.head+"\n", kind, s.Confidence*100, 0.5+s.Confidence/2, r.Z)
	fmt.Fprintf(&b, t.n0+"\n", formula, n0, s.Deff, n0*s.Deff)
	fmt.Fprintf(&b, t.fpc+"\n", s.ResponseRate)
	overrides := 0
	for _, st := range r.Strata {
		if st.Stratum.MOE > 0 {
			overrides++
		}
	}
	if overrides > 0 {
		fmt.Fprintf(&b, t.overrides+"\n", overrides)
	}
	fmt.Fprintf(&b, t.total, len(r.Strata), r.N, r.Invited)
	if math.IsNaN(r.MOE) {
		b.WriteString(t.noMOE + "\n")
	} else {
		fmt.Fprintf(&b, t.moe+"\n", r.MOE)
	}
	return b.String(), nil
}

// explainLang is the text of Explain in one language.
type explainLang struct {
	proportion, mean, head, n0, fpc, overrides, total, moe, noMOE string
}

var explainText = map[string]explainLang{
	"en": {
		proportion: "a proportion", mean: "a mean",
		head:      "Sample size per stratum for %s (Cochran 1977, ch. 4), %.4g%% confidence, z = Φ⁻¹(%.4g) = %.4g:",
		n0:        "  n0 = %s = %.1f; × design effect %.4g = %.1f",
		fpc:       "  finite population correction where N is known: n = n0·deff/(1 + (n0·deff − 1)/N), rounded up; invitations = n/%.4g (response rate), rounded up",
		overrides: "  (own margin of error e in %d of the strata)",
		total:     "  %d strata: %d complete responses, %d invitations; ",
		moe:       "whole-population margin of error ±%.2g (stratified estimate)",
		noMOE:     "populations unknown, so no whole-population margin of error",
	},
	"zh-CN": {
		proportion: "比例", mean: "均值",
		head:      "每层样本量（%s估计；Cochran 1977，第4章），置信水平%.4g%%，z = Φ⁻¹(%.4g) = %.4g：",
		n0:        "  n0 = %s = %.1f；乘以设计效应%.4g得%.1f",
		fpc:       "  已知总体规模N时作有限总体校正：n = n0·deff/(1 + (n0·deff − 1)/N)，向上取整；发放数 = n/%.4g（预期应答率），向上取整",
		overrides: "  （其中%d层使用各自的误差范围e）",
		total:     "  共%d层：需完成%d份，发放%d份；",
		moe:       "全体总体估计（分层）的误差范围为±%.2g",
		noMOE:     "各层总体规模未全部给出，无法计算全体总体估计的误差范围",
	},
}
