package analysis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// StratumGeneral is the key group of the rest of the population: everyone
// in none of the other key groups of a plan.
const StratumGeneral = "general"

// planRegionTypes are the region_type levels of the demo questionnaire
// (NBS 城乡划分代码 111, 112, 121/122, 210/220), "unsure" left out.
var planRegionTypes = [...]string{"urban_core", "urban_rural_fringe", "county_town", "rural_village"}

// Stratum is one cell of a stratified sample: a key group in a region
// type. The strata of a plan should not overlap (a person in two key
// groups is counted in one of them), so that their populations add up to
// the whole population.
type Stratum struct {
	KeyGroup, RegionType string
	// Population is N_h, the number of people in the stratum; 0 or +Inf
	// when unknown (the sample is then sized for an infinite population).
	Population float64
	// MOE overrides the plan's margin of error for this stratum when > 0.
	MOE float64
}

// DefaultStrata returns the key groups GroupAge60Plus, GroupHasInfant,
// GroupStudent and StratumGeneral crossed with the four region types
// urban_core, urban_rural_fringe, county_town and rural_village, with
// unknown populations.
func DefaultStrata() []Stratum {
	var out []Stratum
	for _, g := range [...]string{GroupAge60Plus, GroupHasInfant, GroupStudent, StratumGeneral} {
		for _, r := range planRegionTypes {
			out = append(out, Stratum{KeyGroup: g, RegionType: r})
		}
	}
	return out
}

// ReadStrata reads strata from a CSV file with the header
// key_group,region_type,population[,moe] (columns in any order; a UTF-8
// byte-order mark and lines starting with # are ignored). An empty or NA
// population is unknown; otherwise it must be a number ≥ 1. An empty moe
// uses the plan's. Errors wrap ErrPlanInput and give the line number: a
// missing or unknown column, an empty key group or region type, a
// population or moe that is not a number or out of range, a stratum given
// twice, or no strata at all.
func ReadStrata(r io.Reader) ([]Stratum, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: strata file is empty; want the header key_group,region_type,population[,moe]", ErrPlanInput)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: strata file: %v", ErrPlanInput, err)
	}
	col, err := strataColumns(header)
	if err != nil {
		return nil, err
	}
	var out []Stratum
	seen := map[[2]string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: strata file: %v", ErrPlanInput, err)
		}
		line, _ := cr.FieldPos(0)
		s, err := parseStratum(rec, col)
		if err != nil {
			return nil, fmt.Errorf("%w: strata file line %d: %v", ErrPlanInput, line, err)
		}
		key := [2]string{s.KeyGroup, s.RegionType}
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("%w: strata file line %d: stratum %s × %s given twice (first on line %d)",
				ErrPlanInput, line, s.KeyGroup, s.RegionType, first)
		}
		seen[key] = line
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: strata file has a header but no strata", ErrPlanInput)
	}
	return out, nil
}

// strataColumns maps the column names of a strata file to their indices;
// moe is -1 when absent.
func strataColumns(header []string) (map[string]int, error) {
	col := map[string]int{"moe": -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch h {
		case "key_group", "region_type", "population", "moe":
		default:
			return nil, fmt.Errorf("%w: strata file line 1: unknown column %q; want key_group,region_type,population[,moe]", ErrPlanInput, h)
		}
		if j, ok := col[h]; ok && j >= 0 {
			return nil, fmt.Errorf("%w: strata file line 1: column %s given twice", ErrPlanInput, h)
		}
		col[h] = i
	}
	for _, h := range [...]string{"key_group", "region_type", "population"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("%w: strata file line 1: no %s column; want key_group,region_type,population[,moe]", ErrPlanInput, h)
		}
	}
	return col, nil
}

// parseStratum parses one row of a strata file.
func parseStratum(rec []string, col map[string]int) (Stratum, error) {
	field := func(name string) string {
		if col[name] < 0 {
			return ""
		}
		return strings.TrimSpace(rec[col[name]])
	}
	s := Stratum{KeyGroup: field("key_group"), RegionType: field("region_type")}
	if s.KeyGroup == "" || s.RegionType == "" {
		return s, errors.New("empty key_group or region_type")
	}
	if p := field("population"); p != "" && p != "NA" {
		n, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(n) || n < 1 {
			return s, fmt.Errorf("population %q of %s × %s is not a number ≥ 1 (leave it empty if unknown)", p, s.KeyGroup, s.RegionType)
		}
		s.Population = n
	}
	if m := field("moe"); m != "" {
		e, err := strconv.ParseFloat(m, 64)
		if err != nil || !(e > 0) || math.IsInf(e, 0) {
			return s, fmt.Errorf("moe %q of %s × %s is not a number > 0 (leave it empty to use the plan's)", m, s.KeyGroup, s.RegionType)
		}
		s.MOE = e
	}
	return s, nil
}

// PlanResult is a sample-size plan over strata.
type PlanResult struct {
	Spec   PlanSpec // as given, with the defaults filled in
	Z      float64  // Φ⁻¹(1 − α/2)
	Strata []StratumPlan
	// N and Invited are the totals of complete responses and invitations.
	N, Invited int
	// Population is Σ N_h, 0 when a stratum's population is unknown.
	Population float64
	// MOE is the margin of error of the stratified estimate of the whole
	// population's proportion or mean with the planned n_h (W_h = N_h/N):
	//
	//	MOE = z·√(deff·Σ_h W_h²·V/n_h·(1 − n_h/N_h)),  V = p(1−p) or σ²,
	//
	// (Cochran 1977, ch. 5, V(ȳ_st) = Σ W_h²·S_h²/n_h·(1 − f_h), with V for
	// S_h²); NaN when a population is unknown.
	MOE float64
}

// StratumPlan is the plan of one stratum.
type StratumPlan struct {
	Stratum
	TargetMOE float64 // the margin of error it is sized for
	SampleStages
	// AchievedMOE is z·√(deff·V/n·(1 − n/N)) for the rounded n (no
	// correction when N is unknown): at most TargetMOE.
	AchievedMOE float64
}

// PlanSample sizes each stratum with spec.Stages for its own population
// and margin of error (Stratum.MOE, or spec.MOE when that is 0), and adds
// up the totals. Errors wrap ErrPlanInput: a bad spec, no strata, or a
// stratum's population or margin of error out of range.
func PlanSample(strata []Stratum, spec PlanSpec) (*PlanResult, error) {
	if len(strata) == 0 {
		return nil, fmt.Errorf("%w: no strata", ErrPlanInput)
	}
	spec = spec.withDefaults()
	if err := spec.validate(); err != nil {
		return nil, err
	}
	res := &PlanResult{Spec: spec, Z: spec.z(), Strata: make([]StratumPlan, len(strata))}
	v := spec.Deff * spec.unitVariance()
	var sumN, sumVar float64
	allKnown := true
	for h, s := range strata {
		st, err := spec.Stages(s.MOE, s.Population)
		if err != nil {
			return nil, fmt.Errorf("stratum %s × %s: %w", s.KeyGroup, s.RegionType, err)
		}
		e := s.MOE
		if e == 0 {
			e = spec.MOE
		}
		n, fpc := float64(st.N), 1.0
		if known(s.Population) {
			fpc = 1 - n/s.Population
		}
		res.Strata[h] = StratumPlan{Stratum: s, TargetMOE: e, SampleStages: st,
			AchievedMOE: res.Z * math.Sqrt(v/n*fpc)}
		res.N += st.N
		res.Invited += st.Invited
		allKnown = allKnown && known(s.Population)
		sumN += s.Population
		sumVar += s.Population * s.Population * v / n * fpc
	}
	res.MOE = math.NaN()
	if allKnown {
		res.Population, res.MOE = sumN, res.Z*math.Sqrt(sumVar)/sumN
	}
	return res, nil
}

// known reports whether a population size is given (not 0 or +Inf).
func known(n float64) bool { return n > 0 && !math.IsInf(n, 1) }

// Table is plan.csv: one row per stratum and a last row "total","all".
// n0, n_deff and n_fpc are the unrounded stages of SampleStages, n the
// complete responses needed and n_invited the invitations; moe is the
// target and moe_achieved the margin of error the rounded n gives (on the
// total row, the stratified whole-population MOE). Unknown populations,
// and the total row's moe, are NA.
func (r *PlanResult) Table() *Table {
	t := &Table{Name: "plan", Columns: []string{"key_group", "region_type", "population", "moe",
		"n0", "n_deff", "n_fpc", "n", "n_invited", "moe_achieved"}}
	var n0, n1, n2 float64
	for _, s := range r.Strata {
		t.Append(s.KeyGroup, s.RegionType, naIfUnknown(s.Population), s.TargetMOE,
			s.N0, s.NDeff, s.NFPC, s.SampleStages.N, s.Invited, s.AchievedMOE)
		n0, n1, n2 = n0+s.N0, n1+s.NDeff, n2+s.NFPC
	}
	var moe any
	if !math.IsNaN(r.MOE) {
		moe = r.MOE
	}
	t.Append("total", "all", naIfUnknown(r.Population), nil, n0, n1, n2, r.N, r.Invited, moe)
	return t
}

// naIfUnknown is n, or nil (NA) when the population is unknown.
func naIfUnknown(n float64) any {
	if known(n) {
		return n
	}
	return nil
}
