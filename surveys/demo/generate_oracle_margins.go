package demo

import (
	"bufio"
	"io"
)

// oraclePopTotal is POP_TOTAL: every margin sums to it.
const oraclePopTotal = 1_200_000_000

// OracleMargins writes the population margins CSV exactly as
// `gen_survey.py --margins` does: variable,level,pop_total for age_band,
// gender, region_type and province. It does not depend on the seed.
//
// The sums are plain left-to-right float64 additions, as Python 3.11's
// sum() does them; Python 3.12 changed sum() of floats to compensated
// summation, which may change the last digits of the script's own output.
func OracleMargins(w io.Writer) error {
	var provCodes []string
	var provPct []float64
	for _, p := range oracleProvinces() {
		provCodes = append(provCodes, p.code)
		provPct = append(provPct, p.pct)
	}
	bw := bufio.NewWriter(w)
	line := appendCSVRecord(nil, []string{"variable", "level", "pop_total"})
	for _, mg := range []struct {
		variable string
		levels   []string
		shares   []float64
	}{
		{"age_band", oracleAges[:], []float64{0.045, 0.160, 0.190, 0.160, 0.180, 0.140, 0.125}},
		{"gender", oracleGenders[:2], []float64{0.49, 0.51}},
		{"region_type", oracleRegions[:4], []float64{0.42, 0.10, 0.16, 0.32}},
		{"province", provCodes, provPct},
	} {
		for i, v := range marginTotals(mg.shares) {
			line = appendCSVRecord(line, []string{mg.variable, mg.levels[i], formatFixed(v, 6)})
		}
	}
	if _, err := bw.Write(line); err != nil {
		return err
	}
	return bw.Flush()
}

// marginTotals is add() of write_margins: shares scaled to POP_TOTAL, the
// last level taking the remainder so the margin adds up exactly.
func marginTotals(shares []float64) []float64 {
	s := sumLeft(shares)
	vals := make([]float64, len(shares))
	for i, x := range shares {
		vals[i] = oraclePopTotal * x / s
	}
	vals[len(vals)-1] = oraclePopTotal - sumLeft(vals[:len(vals)-1])
	return vals
}

func sumLeft(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}
