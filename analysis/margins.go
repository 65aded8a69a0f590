package analysis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Margin is the population total of each level of one raking variable, a
// single-choice column of the Sample such as age_band or province.
type Margin struct {
	Variable string
	Levels   []string
	Totals   []float64 // one per level, ≥ 0
}

// total is Σ Totals.
func (m Margin) total() float64 { return floatsSum(m.Totals) }

// ReadMargins reads population margins from CSV with the header
// variable,level,pop_total (further columns are ignored), one row per
// level. Variables keep the order in which they first appear, and levels
// their order within the file. A bad number, a negative or non-finite
// total, a level given twice or a missing column is an error that names
// the line.
func ReadMargins(r io.Reader) ([]Margin, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("margins: empty input, want the header variable,level,pop_total")
	}
	if err != nil {
		return nil, fmt.Errorf("margins: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, want := range []string{"variable", "level", "pop_total"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("margins: line 1: no %q column in the header %q (want variable,level,pop_total)", want, strings.Join(header, ","))
		}
	}
	var out []Margin
	byVar := map[string]int{}
	seen := map[[2]string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("margins: %w", err)
		}
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		v, lv, tot := get("variable"), get("level"), get("pop_total")
		if v == "" || lv == "" {
			return nil, fmt.Errorf("margins: line %d: empty variable or level", line)
		}
		x, err := strconv.ParseFloat(tot, 64)
		if err != nil {
			return nil, fmt.Errorf("margins: line %d: pop_total %q of %s=%s is not a number", line, tot, v, lv)
		}
		if x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, fmt.Errorf("margins: line %d: pop_total %s of %s=%s is not a finite non-negative number", line, tot, v, lv)
		}
		key := [2]string{v, lv}
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("margins: line %d: level %s=%s given twice (first on line %d)", line, v, lv, first)
		}
		seen[key] = line
		k, ok := byVar[v]
		if !ok {
			k = len(out)
			byVar[v] = k
			out = append(out, Margin{Variable: v})
		}
		out[k].Levels = append(out[k].Levels, lv)
		out[k].Totals = append(out[k].Totals, x)
	}
	if len(out) == 0 {
		return nil, errors.New("margins: no rows after the header")
	}
	return out, nil
}

// MarginsUsed turns population margins into the raking targets for sample
// s, as the oracle does (oracle.R, margins_used). T is the population total
// of the first margin. For each variable, a level that occurs in the sample
// but not in the margins (an "unknown" level such as gender=prefer_not,
// region_type=unsure, province=other) keeps its design-weighted sample
// share, and the known levels share the rest in population proportion:
//
//	T_u = T · Σ_{i∈u} d_i / Σ_i d_i                       for unknown u
//	T_l = (P_l / Σ_k P_k) · T·(1 − Σ_u Σ_{i∈u} d_i/Σ_i d_i)  for known l
//
// with d the design weights and P the given totals. The margin's levels
// come first in their given order, then the unknown levels sorted (R's
// sort; byte order here, which is the same for the codes of the demo).
// A level with a zero total and no respondents is left out.
//
// The variable's sample column is s.Choice(Variable). A variable that is
// not a single-choice column, a row with no value for it, a margin level
// with no respondents but a positive total (a cell IPF cannot reach), one
// with respondents but a zero total, or margins whose totals are zero, are
// errors.
func MarginsUsed(s *Sample, pop []Margin) ([]Margin, error) {
	if len(pop) == 0 {
		return nil, errors.New("margins: no raking variables")
	}
	popTotal := pop[0].total()
	if !(popTotal > 0) || math.IsInf(popTotal, 0) {
		return nil, fmt.Errorf("margins: %s: population total %v, want a positive number", pop[0].Variable, popTotal)
	}
	sumD := floatsSum(s.DesignWeight)
	out := make([]Margin, len(pop))
	for k, m := range pop {
		if len(m.Levels) != len(m.Totals) {
			panic(fmt.Sprintf("analysis: margin %s has %d levels and %d totals", m.Variable, len(m.Levels), len(m.Totals)))
		}
		c, err := rakingColumn(s, m.Variable)
		if err != nil {
			return nil, err
		}
		count, dsum := levelSums(c, s.DesignWeight)
		known := map[string]bool{}
		for l, lv := range m.Levels {
			known[lv] = true
			switch n := count[c.LevelIndex(lv)]; {
			case n == 0 && m.Totals[l] > 0:
				return nil, fmt.Errorf("margins: %s=%s has no respondents in the sample: a weighting cell without respondents cannot be raked (merge the level with a neighbour, or drop it from the margins)", m.Variable, lv)
			case n > 0 && m.Totals[l] == 0:
				return nil, fmt.Errorf("margins: %s=%s has %d respondents but a population total of 0", m.Variable, lv, n)
			}
		}
		var unknown []string
		for code := 1; code < len(count); code++ {
			if lv := c.Levels[code-1]; count[code] > 0 && !known[lv] {
				unknown = append(unknown, lv)
			}
		}
		slices.Sort(unknown)
		shares := make([]float64, len(unknown))
		for u, lv := range unknown {
			shares[u] = dsum[c.LevelIndex(lv)] / sumD
		}
		knownTot := popTotal * (1 - floatsSum(shares))
		mt := m.total()
		if !(mt > 0) {
			return nil, fmt.Errorf("margins: %s: the population totals sum to %v, want a positive number", m.Variable, mt)
		}
		used := Margin{Variable: m.Variable}
		for l, lv := range m.Levels {
			if m.Totals[l] == 0 {
				continue // absent from sample and population: R's postStratify drops it
			}
			used.Levels = append(used.Levels, lv)
			used.Totals = append(used.Totals, m.Totals[l]/mt*knownTot)
		}
		for u, lv := range unknown {
			used.Levels = append(used.Levels, lv)
			used.Totals = append(used.Totals, popTotal*shares[u])
		}
		out[k] = used
	}
	return out, nil
}

// rakingColumn returns the sample column of raking variable v, or an error
// if there is none or a row lacks a value.
func rakingColumn(s *Sample, v string) (*ChoiceColumn, error) {
	c := s.Choice(v)
	if c == nil {
		return nil, fmt.Errorf("margins: raking variable %q is not a single-choice column of the sample", v)
	}
	if i := slices.Index(c.Codes, 0); i >= 0 {
		return nil, fmt.Errorf("margins: raking variable %s is missing in row %d (response %s): every row needs a level to be raked", v, i+1, codeAt(s, i))
	}
	return c, nil
}

func codeAt(s *Sample, i int) string {
	if i < len(s.Codes) && s.Codes[i] != "" {
		return s.Codes[i]
	}
	return "?"
}

// levelSums returns, per level code of c (index 0 is "missing"), the
// number of rows and the sum of w.
func levelSums(c *ChoiceColumn, w []float64) (count []int, sum []float64) {
	count = make([]int, len(c.Levels)+1)
	sum = make([]float64, len(c.Levels)+1)
	for i, k := range c.Codes {
		count[k]++
		sum[k] += w[i]
	}
	return count, sum
}
