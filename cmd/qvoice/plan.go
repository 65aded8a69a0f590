package main

import (
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/analysis"
)

// planFlags are the options of qvoice plan.
type planFlags struct {
	spec   analysis.PlanSpec
	strata string
	format *outputFormat
}

func newPlanCmd(a *app) *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use:   "plan --moe E [--confidence 0.95] [--deff 1.5] [--strata FILE]",
		Short: "Sample sizes per stratum for a target margin of error",
		Long: `plan computes how many complete responses each stratum (key group × region
type) needs so that a proportion estimated within it has the margin of error
--moe at the --confidence level, and how many people to invite given the
expected --response-rate. It prints the formula with the numbers used.

For a proportion n0 = z²·p(1−p)/e² (p = 0.5 is the safe default), for a
mean on a rating scale (--sd σ) n0 = z²σ²/e²; then × the design effect
(clustering by venue and unequal weights: 1.5 to 2 is typical for
intercept surveys), a finite population correction where the stratum's
population is known, rounded up, then divided by the response rate.

Without --strata the strata are the key groups (age 60+, households with
an infant, students, everyone else) × the four region types, each of
unknown size. A strata file is a CSV with the header
key_group,region_type,population[,moe]: an empty population is unknown, a
moe column overrides --moe for that stratum. With every population known,
plan also prints the margin of error of the whole-population estimate.`,
		Example: `  qvoice plan --moe 0.05
  qvoice plan --moe 0.03 --confidence 0.95 --deff 1.5 --strata strata.csv
  qvoice plan --moe 0.2 --sd 1.1 --response-rate 0.7 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.plan(f) },
	}
	fs := cmd.Flags()
	fs.Float64Var(&f.spec.MOE, "moe", 0, "target margin of `error` (0.03 = ±3 points for a proportion; scale points with --sd) (required)")
	fs.Float64Var(&f.spec.Confidence, "confidence", 0.95, "confidence `level`")
	fs.Float64Var(&f.spec.Deff, "deff", 1.5, "design `effect`")
	fs.Float64Var(&f.spec.P, "p", 0.5, "expected `proportion`")
	fs.Float64Var(&f.spec.SD, "sd", 0, "plan for a mean with this standard `deviation` instead of a proportion")
	fs.Float64Var(&f.spec.ResponseRate, "response-rate", 1, "expected share of invited people who complete (0–1]")
	fs.StringVar(&f.strata, "strata", "", "strata CSV `file`: key_group,region_type,population[,moe]")
	f.format = addFormatFlag(fs, "output format")
	_ = cmd.MarkFlagRequired("moe")
	return cmd
}

func (a *app) plan(f planFlags) error {
	strata := analysis.DefaultStrata()
	if f.strata != "" {
		file, err := os.Open(f.strata)
		if err != nil {
			return fmt.Errorf("strata: %w", err)
		}
		defer file.Close()
		if strata, err = analysis.ReadStrata(file); err != nil {
			return invalidf("%s: %w", f.strata, err)
		}
	}
	res, err := analysis.PlanSample(strata, f.spec)
	if err != nil {
		return usagef("%w", err)
	}
	switch *f.format {
	case formatCSV:
		return res.Table().WriteCSV(a.stdout)
	case formatJSON:
		return writeJSON(a.stdout, res)
	}
	t := a.table("key group", "region type", "population", "moe", "complete", "invite", "achieved moe")
	for _, s := range res.Strata {
		t.add(a.keyGroup(s.KeyGroup), a.msg(s.RegionType), population(s.Population), num(s.TargetMOE, 3),
			strconv.Itoa(s.N), strconv.Itoa(s.Invited), num(s.AchievedMOE, 4))
	}
	t.add(a.msg("total"), "", population(res.Population), "", strconv.Itoa(res.N), strconv.Itoa(res.Invited), num(res.MOE, 4))
	if err := t.render(a.stdout); err != nil {
		return err
	}
	text, err := res.Explain(string(a.lang))
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout)
	fmt.Fprint(a.stdout, text)
	if len(text) > 0 && text[len(text)-1] != '\n' {
		fmt.Fprintln(a.stdout)
	}
	return nil
}

// keyGroup names a key group of the plan in the chosen language.
func (a *app) keyGroup(code string) string { return a.msg(code) }

// population is a stratum size in a table: "–" when unknown.
func population(n float64) string {
	if n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return noData
	}
	return strconv.FormatFloat(n, 'f', 0, 64)
}
