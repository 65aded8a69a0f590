package charts_test

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/charts"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// hidden is what a suppressed input carries: an estimate and its interval.
type hidden struct{ v, lo, hi float64 }

// Two sets of sentinels, far outside every visible value (0–100 here), so
// any of their renderings in an option can only have come from a
// suppressed input.
var (
	sentinelA = hidden{987.654321, 876.5, 765.4}
	sentinelB = hidden{123.456789, 234.5, 345.6}
)

// leakCase builds one chart from random inputs drawn from r, with s in
// every suppressed entry, and its table.
type leakCase struct {
	name  string
	build func(r *rand.Rand, s hidden) (charts.Chart, []string, [][]string, error)
}

// TestSuppressedNeverDrawn is the builders' side of small-cell
// suppression: an estimate from fewer than 30 respondents must reach
// neither the option JSON (value, whisker, tooltip, label, axis range,
// crosshair) nor the table, so no caller has to strip it first. For random
// inputs it checks that no rendering of a sentinel appears, and, since a
// derived quantity (a mean, an axis end, a share) would not show the
// sentinel itself, that the output is the same byte for byte whichever
// sentinels the suppressed entries carry. ComplaintCounts and QuotaFill
// draw exact counts and suppress nothing, so they are not here.
func TestSuppressedNeverDrawn(t *testing.T) {
	for _, tc := range leakCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			drawn := 0 // rounds with a chart, so the test proves something
			for round := range 300 {
				a, ha, ra, errA := tc.build(rand.New(rand.NewPCG(uint64(round), 7)), sentinelA)
				b, hb, rb, errB := tc.build(rand.New(rand.NewPCG(uint64(round), 7)), sentinelB)
				if errA != nil || errB != nil {
					t.Fatalf("round %d: %v, %v", round, errA, errB)
				}
				checkPure(t, a)
				if !a.Empty {
					drawn++
				}
				table := []byte(fmt.Sprint(ha, ra))
				for _, s := range []hidden{sentinelA, sentinelB} {
					for _, f := range renderings(s) {
						if bytes.Contains(a.Option, []byte(f)) || bytes.Contains(b.Option, []byte(f)) {
							t.Fatalf("round %d: option shows suppressed %s:\n%s\n%s", round, f, a.Option, b.Option)
						}
						if bytes.Contains(table, []byte(f)) {
							t.Fatalf("round %d: table shows suppressed %s: %s", round, f, table)
						}
					}
				}
				if !bytes.Equal(a.Option, b.Option) || a.Empty != b.Empty {
					t.Fatalf("round %d: the option depends on suppressed values:\n%s\n%s", round, a.Option, b.Option)
				}
				if fmt.Sprint(ha, ra) != fmt.Sprint(hb, rb) {
					t.Fatalf("round %d: the table depends on suppressed values:\n%v\n%v", round, ra, rb)
				}
			}
			if drawn < 100 {
				t.Errorf("only %d of 300 rounds drew a chart", drawn)
			}
		})
	}
}

// renderings are the texts a sentinel could be written as: in full,
// rounded to 2 or 1 decimals (a rounding to an integer could be a visible
// n; the comparison of the two sets catches it).
func renderings(s hidden) []string {
	var out []string
	for _, x := range []float64{s.v, s.lo, s.hi} {
		for _, prec := range []int{-1, 2, 1} {
			out = append(out, strconv.FormatFloat(x, 'f', prec, 64))
		}
	}
	return out
}

// gen draws the shared parts of an input: whether an entry is suppressed
// (40 %), a visible estimate (10 % NaN) and its interval (30 % none).
type gen struct{ *rand.Rand }

func (g gen) suppressed() bool { return g.Float64() < 0.4 }

func (g gen) value(lo, hi float64) float64 {
	if g.Float64() < 0.1 {
		return nan
	}
	return lo + (hi-lo)*g.Float64()
}

func (g gen) ci(v float64) (float64, float64) {
	if g.Float64() < 0.3 {
		return nan, nan
	}
	d := 10 * g.Float64()
	return v - d, v + d
}

func (g gen) n(suppressed bool) int {
	if suppressed {
		return g.IntN(30)
	}
	return 30 + g.IntN(1000)
}

func labels(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i)
	}
	return out
}

func leakCases(t *testing.T) []leakCase {
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		t.Fatal(err)
	}
	ql := charts.QuadrantLabels{Concentrate: "C", KeepUp: "K", LowPriority: "L", Overkill: "O", X: "x", Y: "y"}
	priorities := func(r *rand.Rand, s hidden) []charts.PriorityItem {
		g := gen{r}
		var items []charts.PriorityItem
		for i := range g.IntN(7) {
			it := charts.PriorityItem{Label: "p" + strconv.Itoa(i), Suppressed: g.suppressed()}
			it.N = g.n(it.Suppressed)
			if it.Suppressed {
				it.Value, it.Lo, it.Hi = s.v, s.lo, s.hi
			} else {
				it.Value = g.value(0, 100)
				it.Lo, it.Hi = g.ci(it.Value)
			}
			items = append(items, it)
		}
		return items
	}
	return []leakCase{
		{"PriorityWhiskers", func(r *rand.Rand, s hidden) (charts.Chart, []string, [][]string, error) {
			items := priorities(r, s)
			c, err := charts.PriorityWhiskers(items, "t")
			h, rows := charts.PriorityRows(items)
			return c, h, rows, err
		}},
		{"CategoryIndex", func(r *rand.Rand, s hidden) (charts.Chart, []string, [][]string, error) {
			var items []charts.IndexItem
			for _, it := range priorities(r, s) {
				items = append(items, charts.IndexItem(it))
			}
			c, err := charts.CategoryIndex(items, "t")
			h, rows := charts.IndexRows(items)
			return c, h, rows, err
		}},
		{"IPAQuadrant", func(r *rand.Rand, s hidden) (charts.Chart, []string, [][]string, error) {
			g := gen{r}
			var pts []charts.IPAPoint
			for i := range g.IntN(7) {
				p := charts.IPAPoint{Label: "i" + strconv.Itoa(i), Suppressed: g.suppressed(), X: s.v, Y: s.lo}
				p.N = g.n(p.Suppressed)
				if !p.Suppressed {
					p.X, p.Y = g.value(1, 5), g.value(1, 5)
				}
				pts = append(pts, p)
			}
			xc, yc := nan, nan // the means of the visible points
			if g.Float64() < 0.3 {
				xc, yc = 3, 3
			}
			c, err := charts.IPAQuadrant(pts, xc, yc, ql, "t")
			h, rows := charts.IPARows(pts, xc, yc, ql)
			return c, h, rows, err
		}},
		{"GapHeatmap", func(r *rand.Rand, s hidden) (charts.Chart, []string, [][]string, error) {
			g := gen{r}
			rs, cs := labels("r", g.IntN(4)), labels("c", g.IntN(4))
			cells := make([][]charts.HeatCell, len(rs))
			for i := range cells {
				for range cs {
					c := charts.HeatCell{Suppressed: g.suppressed(), Value: s.v}
					c.N = g.n(c.Suppressed)
					if !c.Suppressed {
						c.Value = g.value(-50, 50)
					}
					cells[i] = append(cells[i], c)
				}
			}
			c, err := charts.GapHeatmap(rs, cs, cells, "t")
			h, rows := charts.GapRows(rs, cs, cells)
			return c, h, rows, err
		}},
		{"WeeklyTrend", func(r *rand.Rand, s hidden) (charts.Chart, []string, [][]string, error) {
			g := gen{r}
			weeks := labels("w", g.IntN(5))
			var series []charts.TrendSeries
			for i := range g.IntN(4) {
				ts := charts.TrendSeries{Label: "s" + strconv.Itoa(i)}
				for range weeks {
					p := charts.TrendPoint{Suppressed: g.suppressed(), Value: s.v}
					p.N = g.n(p.Suppressed)
					if !p.Suppressed {
						p.Value = g.value(0, 100)
					}
					ts.Points = append(ts.Points, p)
				}
				series = append(series, ts)
			}
			c, err := charts.WeeklyTrend(weeks, series, "t")
			h, rows := charts.TrendRows(weeks, series)
			return c, h, rows, err
		}},
		{"GroupComparison", func(r *rand.Rand, s hidden) (charts.Chart, []string, [][]string, error) {
			g := gen{r}
			var items []charts.GroupItem
			for i := range g.IntN(7) {
				it := charts.GroupItem{Label: "g" + strconv.Itoa(i), Suppressed: g.suppressed(), Significant: g.Float64() < 0.5,
					Group: s.v, Rest: s.lo}
				it.N = g.n(it.Suppressed)
				if !it.Suppressed {
					it.Group, it.Rest = g.value(0, 100), g.value(0, 100)
				}
				items = append(items, it)
			}
			c, err := charts.GroupComparison(items, "t")
			h, rows := charts.GroupRows(items)
			return c, h, rows, err
		}},
		{"NPSBars", func(r *rand.Rand, s hidden) (charts.Chart, []string, [][]string, error) {
			g := gen{r}
			var items []charts.NPSItem
			for i := range g.IntN(7) {
				it := charts.NPSItem{Label: "n" + strconv.Itoa(i), Suppressed: g.suppressed(),
					Promoters: s.v, Passives: s.lo, Detractors: s.hi}
				it.N = g.n(it.Suppressed)
				if !it.Suppressed {
					it.Promoters, it.Passives, it.Detractors = g.value(0, 100), g.value(0, 100), g.value(0, 100)
				}
				items = append(items, it)
			}
			c, err := charts.NPSBars(items, "t")
			h, rows := charts.NPSRows(items)
			return c, h, rows, err
		}},
		{"PriorityRanking", func(r *rand.Rand, s hidden) (charts.Chart, []string, [][]string, error) {
			sum := &analysis.Summary{}
			for _, it := range priorities(r, s) {
				n := analysis.Estimate{N: it.N}
				sum.Priorities = append(sum.Priorities, analysis.IndicatorResult{Category: "c", Indicator: it.Label,
					Importance: n, Satisfaction: n, Priority: analysis.Estimate{N: it.N, Mean: it.Value / 25}})
			}
			// Summary lists the highest first, like analysis does.
			slices.SortStableFunc(sum.Priorities, func(a, b analysis.IndicatorResult) int {
				return cmp.Compare(b.Priority.Mean, a.Priority.Mean) // NaN last
			})
			c, err := charts.PriorityRanking(sum, charts.Labels{Def: d, Lang: "en"}, "t", 5)
			return c, nil, nil, err
		}},
	}
}
