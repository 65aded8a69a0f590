package analysis_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// repSource names the reference tables of testdata/oracle_10k: oracle.R
// run on the 10k file (README §2 of ../shared/oracle) with --boot 200 and
// svyttest on.
const repSource = "R 4.2.2 survey 4.1.1, ../shared/oracle/out_10k"

// repTables are the oracle's tables in the order Analyze returns them
// (priority_bootstrap_unw, which is stochastic, is never compared).
var repTables = []string{"margins_used", "means", "indices", "priority", "validate", "weights",
	"rake_check", "weights_summary", "reliability", "drivers", "tests", "ipa", "kano", "groups"}

// repKeys are compare.py's KEYS: the columns that identify a row.
var repKeys = map[string][]string{
	"margins_used":    {"variable", "level"},
	"means":           {"variable"},
	"indices":         {"category", "design"},
	"priority":        {"category", "design", "indicator"},
	"validate":        {"design", "variable"},
	"weights":         {"response_code"},
	"rake_check":      {"variable", "level"},
	"weights_summary": {"weight"},
	"reliability":     {"category", "scale"},
	"drivers":         {"category", "indicator"},
	"tests":           {"variable"},
	"ipa":             {"category", "indicator"},
	"kano":            {"kano_id"},
	"groups":          {"group", "category", "indicator"},
}

// repSkipCols are compare.py's SKIP_COLS: values that depend on the tool
// (psych::alpha, the svycralpha cross-check).
var repSkipCols = map[string]bool{"alpha_psych": true, "alpha_rake_svycralpha": true}

// The tolerance of compare.py, |a − b| ≤ abs + rel·|b| with b the oracle
// value, and README §5's looser relative tolerance for p-values.
const (
	repAbsTol  = 1e-12
	repRelTol  = 1e-9
	repPRelTol = 1e-6
)

// repIsP reports whether col holds p-values (or their Holm/BH adjustments).
func repIsP(col string) bool {
	return strings.HasSuffix(col, "_p") || strings.Contains(col, "_p_") ||
		strings.HasSuffix(col, "_holm") || strings.HasSuffix(col, "_bh")
}

// Kinds of cell, as compare.py's num() tells them apart.
const (
	repMissing = iota // "", NA or null
	repNumber
	repString
)

func repCell(s string) (float64, int) {
	switch s {
	case "", "NA", "null":
		return 0, repMissing
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, repString
	}
	return x, repNumber
}

var rep10k struct {
	once sync.Once
	s    *analysis.Sample
	pop  []analysis.Margin
	rep  *analysis.Report
	err  error
}

// repLoad10k reads the oracle's input with ReadSample (as the analyze
// command does), the margins with ReadMargins, and runs Analyze with every
// section, once.
func repLoad10k(tb testing.TB) (*analysis.Sample, []analysis.Margin, *analysis.Report) {
	tb.Helper()
	rep10k.once.Do(func() {
		d, err := surveys.Parse(demo.Source())
		if err != nil {
			rep10k.err = err
			return
		}
		zr, closeFile, err := open10k()
		if err != nil {
			rep10k.err = err
			return
		}
		defer closeFile()
		if rep10k.s, err = analysis.ReadSample(d, zr, nil, "venue", "src"); err != nil {
			rep10k.err = fmt.Errorf("ReadSample: %w", err)
			return
		}
		mf, err := os.Open(filepath.Join("testdata", "margins.csv"))
		if err != nil {
			rep10k.err = err
			return
		}
		defer mf.Close()
		if rep10k.pop, err = analysis.ReadMargins(mf); err != nil {
			rep10k.err = fmt.Errorf("ReadMargins: %w", err)
			return
		}
		rep10k.rep, rep10k.err = analysis.Analyze(rep10k.s, analysis.Options{
			Margins: rep10k.pop, Sections: slices.Clone(analysis.AllSections)})
	})
	if rep10k.err != nil {
		tb.Fatalf("analysing the 10k sample: %v", rep10k.err)
	}
	return rep10k.s, rep10k.pop, rep10k.rep
}

// repCSV writes tab with WriteCSV and reads it back: the header and the
// records.
func repCSV(t *testing.T, tab *analysis.Table) (header []string, rows [][]string) {
	t.Helper()
	var buf bytes.Buffer
	if err := tab.WriteCSV(&buf); err != nil {
		t.Fatalf("%s: WriteCSV: %v", tab.Name, err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("%s: reading the written CSV back: %v", tab.Name, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: WriteCSV wrote no header", tab.Name)
	}
	if !slices.Equal(recs[0], tab.Columns) {
		t.Errorf("%s: written header %v, want the columns %v", tab.Name, recs[0], tab.Columns)
	}
	if len(recs)-1 != tab.Len() {
		t.Errorf("%s: %d rows written, want Len() = %d", tab.Name, len(recs)-1, tab.Len())
	}
	return recs[0], recs[1:]
}

// repRecords keys the rows of a CSV by the columns keys, failing on a
// missing key column or a key given twice.
func repRecords(t *testing.T, what string, header []string, rows [][]string, keys []string) (map[string]int, map[string][]string) {
	t.Helper()
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var ki []int
	for _, k := range keys {
		i, ok := col[k]
		if !ok {
			t.Fatalf("%s: no key column %q in %v", what, k, header)
		}
		ki = append(ki, i)
	}
	out := map[string][]string{}
	for _, r := range rows {
		parts := make([]string, len(ki))
		for j, i := range ki {
			parts[j] = r[i]
		}
		key := strings.Join(parts, "/")
		if _, dup := out[key]; dup {
			t.Errorf("%s: key %s occurs twice", what, key)
		}
		out[key] = r
	}
	return col, out
}

// repWorst is the worst difference found in one table.
type repWorst struct {
	rel         float64 // worst |a−b|/|b| over oracle values |b| ≥ 1e-10
	relAt       string
	abs         float64 // worst |a−b| over values |b| < 1e-10 (rounding-level values, tiny p-values)
	absAt       string
	tinyP       float64 // worst |a−b|/|b| over p-values 0 < |b| < 1e-10 (README §5: log scale)
	tinyPAt     string
	cells, rows int
}

// repCompareTable compares our table (header, rows: as written by
// WriteCSV) with the oracle's CSV as compare.py does, but failing on a
// missing column too.
func repCompareTable(t *testing.T, name string, header []string, rows [][]string) repWorst {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "oracle_10k", name+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("oracle %s.csv: %v", name, err)
	}
	keys := repKeys[name]
	oc, oracle := repRecords(t, "oracle "+name, recs[0], recs[1:], keys)
	gc, got := repRecords(t, name, header, rows, keys)
	var cols []string
	for _, c := range recs[0] {
		switch {
		case slices.Contains(keys, c) || repSkipCols[c]:
		case !slices.Contains(header, c):
			t.Errorf("%s: column %s of the oracle is missing (%s)", name, c, repSource)
		default:
			cols = append(cols, c)
		}
	}
	for _, c := range header {
		if _, ok := oc[c]; !ok {
			t.Logf("%s: column %s is not in the oracle's table (not compared)", name, c)
		}
	}
	w := repWorst{rows: len(oracle)}
	nbad := 0
	bad := func(format string, a ...any) {
		if nbad++; nbad <= 10 {
			t.Errorf(name+": "+format+" ("+repSource+")", a...)
		}
	}
	for _, rec := range recs[1:] { // in the oracle's order, for stable messages
		key := strings.Join(func() []string {
			var p []string
			for _, k := range keys {
				p = append(p, rec[oc[k]])
			}
			return p
		}(), "/")
		g, ok := got[key]
		if !ok {
			bad("row %s is missing", key)
			continue
		}
		for _, c := range cols {
			ws, gs := rec[oc[c]], g[gc[c]]
			x, kx := repCell(ws)
			y, ky := repCell(gs)
			w.cells++
			switch {
			case kx == repMissing && ky == repMissing:
			case kx != repNumber || ky != repNumber:
				if ws != gs {
					bad("%s %s = %q, want %q", key, c, gs, ws)
				}
			default:
				rel := repRelTol
				if repIsP(c) {
					rel = repPRelTol
				}
				d := math.Abs(x - y)
				if !(d <= repAbsTol+rel*math.Abs(x)) {
					bad("%s %s = %.17g, want %.17g (|diff| %.3g > %g + %g·|want|)", key, c, y, x, d, repAbsTol, rel)
				}
				if math.Abs(x) >= 1e-10 {
					if r := d / math.Abs(x); r > w.rel || math.IsNaN(r) {
						w.rel, w.relAt = r, c+" at "+key
					}
				} else if d > w.abs || math.IsNaN(d) {
					w.abs, w.absAt = d, c+" at "+key
				}
				if repIsP(c) && x != 0 && math.Abs(x) < 1e-10 {
					if r := d / math.Abs(x); r > w.tinyP || math.IsNaN(r) {
						w.tinyP, w.tinyPAt = r, c+" at "+key
					}
				}
			}
		}
	}
	if nbad > 10 {
		t.Errorf("%s: %d differences in all", name, nbad)
	}
	if extra := len(got) - len(oracle); extra > 0 {
		t.Errorf("%s: %d rows more than the oracle's %d", name, extra, len(oracle))
	}
	return w
}

// TestAnalyzeMatchesOracle10k runs the whole analysis, as the analyze
// command does, on the oracle's 10k input and checks every table it writes
// against the oracle's: the same keyed rows, every oracle column, numbers
// to compare.py's tolerance (p-values to README §5's 1e-6 relative).
func TestAnalyzeMatchesOracle10k(t *testing.T) {
	_, _, rep := repLoad10k(t)
	var names []string
	for _, tab := range rep.Tables {
		names = append(names, tab.Name)
	}
	if !slices.Equal(names, repTables) {
		t.Errorf("tables %v, want %v (the oracle's, in its order)", names, repTables)
	}
	for _, name := range repTables {
		i := slices.Index(names, name)
		if i < 0 {
			t.Errorf("table %s is missing", name)
			continue
		}
		header, rows := repCSV(t, rep.Tables[i])
		w := repCompareTable(t, name, header, rows)
		msg := fmt.Sprintf("%-15s %5d rows %6d cells: worst rel diff %.3g", name, w.rows, w.cells, w.rel)
		if w.relAt != "" {
			msg += " (" + w.relAt + ")"
		}
		if w.absAt != "" {
			msg += fmt.Sprintf("; worst abs diff of values below 1e-10 %.3g (%s)", w.abs, w.absAt)
		}
		if w.tinyPAt != "" {
			msg += fmt.Sprintf("; worst rel diff of p-values below 1e-10 %.3g (%s)", w.tinyP, w.tinyPAt)
		}
		t.Log(msg)
	}
	t.Logf("reference: %s; tolerance |a−b| ≤ %g + %g·|b| (p-values %g)", repSource, repAbsTol, repRelTol, repPRelTol)

	for _, e := range rep.Undefined {
		t.Errorf("Undefined: %v; want no undefined estimate in the 10k data", e)
	}

	// The generator's planted weak spots (README §3) lead the raked ranking.
	h := rep.Headline
	if h == nil || h.Design != "rake" {
		t.Fatalf("Headline = %v, want the raked design's indices", h)
	}
	rank := map[string]int{}
	for _, c := range h.Categories {
		for _, r := range c.Indicators {
			rank[c.Category+"/"+r.Indicator] = r.RankOverall
		}
	}
	for i, ind := range []string{"elderly_products/instructions", "elderly_products/advertising_truth", "drugs/instructions"} {
		if rank[ind] != i+1 {
			t.Errorf("Headline rank of %s = %d, want %d", ind, rank[ind], i+1)
		}
	}
	for _, ind := range []string{"infant_products/safety", "home_appliances/after_sales", "online_shopping/returns", "online_shopping/privacy"} {
		if r := rank[ind]; r < 1 || r > 8 {
			t.Errorf("Headline rank of %s = %d, want it in the top 8", ind, r)
		}
	}
}

// repTableNames lists the names of rep's tables.
func repTableNames(rep *analysis.Report) []string {
	var out []string
	for _, t := range rep.Tables {
		out = append(out, t.Name)
	}
	return out
}

func TestAnalyzeSections(t *testing.T) {
	s, pop, _ := repLoad10k(t)
	t.Run("drivers and kano", func(t *testing.T) {
		for _, tc := range []struct {
			margins []analysis.Margin
			want    []string
		}{
			{pop, []string{"margins_used", "drivers", "kano"}},
			{nil, []string{"drivers", "kano"}},
		} {
			rep, err := analysis.Analyze(s, analysis.Options{Margins: tc.margins, Sections: []string{"drivers", "kano"}})
			if err != nil {
				t.Fatal(err)
			}
			if got := repTableNames(rep); !slices.Equal(got, tc.want) {
				t.Errorf("with %d margins: tables %v, want %v", len(tc.margins), got, tc.want)
			}
			if len(rep.Undefined) != 0 {
				t.Errorf("Undefined = %v, want none", rep.Undefined)
			}
		}
	})
	t.Run("ipa alone", func(t *testing.T) {
		// IPA needs the raked priorities and the drivers, but only its
		// own table is written.
		rep, err := analysis.Analyze(s, analysis.Options{Margins: pop, Sections: []string{"ipa"}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := repTableNames(rep), []string{"margins_used", "ipa"}; !slices.Equal(got, want) {
			t.Errorf("tables %v, want %v", got, want)
		}
	})
	t.Run("Sections not modified", func(t *testing.T) {
		// IPA alone makes Analyze run the means and drivers jobs too; that
		// must not write into the caller's slice (here a sub-slice with
		// room to append).
		secs := []string{"ipa", "kano", "groups"}
		if _, err := analysis.Analyze(s, analysis.Options{Margins: pop, Sections: secs[:1]}); err != nil {
			t.Fatal(err)
		}
		if want := []string{"ipa", "kano", "groups"}; !slices.Equal(secs, want) {
			t.Errorf("Analyze(Sections: secs[:1]) changed the caller's array to %v, want %v", secs, want)
		}
	})
	t.Run("unknown section", func(t *testing.T) {
		_, err := analysis.Analyze(s, analysis.Options{Margins: pop, Sections: []string{"drivers", "driverz"}})
		if err == nil || !strings.Contains(err.Error(), "driverz") {
			t.Errorf("err = %v, want an error naming the unknown section driverz", err)
		}
	})
	for _, sec := range []string{"means", "validate", "weights", "ipa", "groups"} {
		t.Run(sec+" without margins", func(t *testing.T) {
			rep, err := analysis.Analyze(s, analysis.Options{Sections: []string{"drivers", sec}})
			if !errors.Is(err, analysis.ErrNeedsMargins) || !strings.Contains(err.Error(), sec) {
				t.Errorf("err = %v, want an error wrapping ErrNeedsMargins that names %s", err, sec)
			}
			if rep != nil {
				t.Errorf("a report with the error: %v", repTableNames(rep))
			}
		})
	}
	t.Run("no margins, all sections", func(t *testing.T) {
		rep, err := analysis.Analyze(s, analysis.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := repTableNames(rep), []string{"reliability", "drivers", "tests", "kano"}; !slices.Equal(got, want) {
			t.Errorf("tables %v, want %v (the sections that need no margins)", got, want)
		}
		if rep.Headline == nil || rep.Headline.Design != "dw" {
			t.Errorf("Headline = %v, want the design-weighted indices without margins", rep.Headline)
		}
	})
}

// The edge cases below use small samples of the demo survey built by hand.

var repDef struct {
	once sync.Once
	d    *surveys.Definition
	err  error
}

func repDemo(tb testing.TB) *surveys.Definition {
	tb.Helper()
	repDef.once.Do(func() { repDef.d, repDef.err = surveys.Parse(demo.Source()) })
	if repDef.err != nil {
		tb.Fatal(repDef.err)
	}
	return repDef.d
}

// repRand is a small deterministic generator (an LCG).
type repRand uint32

func (r *repRand) intn(k int) int {
	*r = *r*1103515245 + 12345
	return int(uint32(*r)>>16) % k
}

// The levels of the raking variables the samples use, and margins for
// them (each margin sums to 1000).
var (
	repAges      = []string{"18_29", "30_39", "60_69"}
	repGenders   = []string{"female", "male"}
	repRegions   = []string{"urban_core", "urban_rural_fringe", "county_town", "rural_village"}
	repProvinces = []string{"11", "31", "44"}
)

func repMargins() []analysis.Margin {
	return []analysis.Margin{
		{Variable: "age_band", Levels: repAges, Totals: []float64{400, 350, 250}},
		{Variable: "gender", Levels: repGenders, Totals: []float64{510, 490}},
		{Variable: "region_type", Levels: repRegions, Totals: []float64{350, 200, 250, 200}},
		{Variable: "province", Levels: repProvinces, Totals: []float64{300, 300, 400}},
	}
}

// repRespondent is respondent i of a small sample: demographics from the
// levels above (row i < len(levels) takes level i, so every level occurs
// once there are 4 rows), answers to every question of the categories
// cats (food has a Kano pair), a design weight and a venue.
func repRespondent(d *surveys.Definition, rng *repRand, i int, cats []string) (surveys.Answers, float64, map[string]string) {
	pick := func(levels []string) string {
		if i < len(levels) {
			return levels[i]
		}
		return levels[rng.intn(len(levels))]
	}
	a := surveys.Answers{
		"age_band":    pick(repAges),
		"gender":      pick(repGenders),
		"region_type": pick(repRegions),
		"province":    pick(repProvinces),
		"filled_by":   "self",
		"status":      []string{"employed", "college_student", "retired"}[rng.intn(3)],
		"household":   [][]string{{"none"}, {"infant_0_3"}, {"child_3_14", "elder_60_plus"}}[rng.intn(3)],
	}
	a[surveys.RatedCategoriesID] = slices.Clone(cats)
	for _, code := range cats {
		c := d.Category(code)
		sum := 0
		for _, ind := range c.Indicators {
			sat := 1 + rng.intn(5)
			sum += sat
			a[surveys.ImportanceID(code, ind.Code)] = 2 + rng.intn(4)
			a[surveys.SatisfactionID(code, ind.Code)] = sat
		}
		overall := min(10, max(0, 2*sum/len(c.Indicators)+rng.intn(3)-1))
		a[surveys.OverallID(code)] = overall
		a[surveys.RecommendID(code)] = min(10, max(0, overall+rng.intn(3)-1))
	}
	if slices.Contains(cats, "food") {
		a["food_qr_traceability_func"] = analysis.KanoAnswers[rng.intn(5)]
		a["food_qr_traceability_dysf"] = analysis.KanoAnswers[rng.intn(5)]
	}
	w := []float64{0.8, 1, 1.35, 1.6875}[rng.intn(4)]
	venue := map[string]string{"venue": []string{"community", "school", "online"}[rng.intn(3)]}
	return a, w, venue
}

// repSample is n respondents rating the categories cats, edit (if not nil)
// changing respondent i's answers before they are added.
func repSample(t *testing.T, n int, cats []string, edit func(i int, a surveys.Answers)) *analysis.Sample {
	t.Helper()
	d := repDemo(t)
	s := analysis.NewSample(d, "venue")
	rng := repRand(20240917)
	for i := range n {
		a, w, extra := repRespondent(d, &rng, i, cats)
		if edit != nil {
			edit(i, a)
		}
		s.Add(a, w, fmt.Sprintf("R%04d", i), extra)
	}
	return s
}

// repAnalyze runs Analyze, failing the test (not the binary) on a panic
// in the calling goroutine.
func repAnalyze(t *testing.T, s *analysis.Sample, opts analysis.Options) (rep *analysis.Report, err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Analyze panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return analysis.Analyze(s, opts)
}

// repUndefined is the text of every note in rep.Undefined.
func repUndefined(rep *analysis.Report) string {
	var b strings.Builder
	for _, e := range rep.Undefined {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// repRows is table name of rep as written (WriteCSV), as maps column →
// cell, or nil if rep has no such table.
func repRows(t *testing.T, rep *analysis.Report, name string) []map[string]string {
	t.Helper()
	for _, tab := range rep.Tables {
		if tab.Name != name {
			continue
		}
		header, rows := repCSV(t, tab)
		var out []map[string]string
		for _, r := range rows {
			m := map[string]string{}
			for i, h := range header {
				m[h] = r[i]
			}
			out = append(out, m)
		}
		return out
	}
	t.Errorf("no table %s in %v", name, repTableNames(rep))
	return nil
}

// repAllNA checks that every row of the category cat in the tables with a
// category column holds no estimate: each non-key cell is NA, except
// counts, which are 0, and k, the number of items.
func repAllNA(t *testing.T, rep *analysis.Report, cat string) {
	t.Helper()
	seen := 0
	for _, tab := range rep.Tables {
		if !slices.Contains(tab.Columns, "category") {
			continue
		}
		keys := repKeys[tab.Name]
		for _, r := range repRows(t, rep, tab.Name) {
			if r["category"] != cat {
				continue
			}
			seen++
			for _, c := range tab.Columns {
				switch v := r[c]; {
				case slices.Contains(keys, c) || c == "category" || c == "measure" || c == "indicator" || c == "scale":
				case c == "k":
				case c == "n" || c == "n_complete" || c == "n_raters" || c == "n_nps" || c == "n_I" || c == "n_P":
					if v != "0" {
						t.Errorf("%s %s/%s: %s = %s, want 0 for a category nobody rated", tab.Name, cat, r["indicator"]+r["scale"], c, v)
					}
				case v != "NA":
					t.Errorf("%s %s/%s: %s = %q, want NA for a category nobody rated", tab.Name, cat, r["indicator"]+r["scale"], c, v)
				}
			}
		}
	}
	if seen == 0 {
		t.Errorf("no rows of category %s in any table", cat)
	}
}

// repItems are the columns of the satisfaction items of a category.
func repItems(d *surveys.Definition, cat string) []string {
	var out []string
	for _, ind := range d.Category(cat).Indicators {
		out = append(out, surveys.SatisfactionID(cat, ind.Code))
	}
	return out
}

// repAlpha is Cronbach's α of the columns ids over the rows complete on
// all of them, from the textbook formula with n−1 variances.
func repAlpha(s *analysis.Sample, ids []string) (alpha float64, n int) {
	k := len(ids)
	var rows [][]float64
	for i := range s.Len() {
		row := make([]float64, k)
		ok := true
		for j, id := range ids {
			v, has := s.Scale(id).Value(i)
			ok = ok && has
			row[j] = float64(v)
		}
		if ok {
			rows = append(rows, row)
		}
	}
	variance := func(x func(r []float64) float64) float64 {
		var m, ss float64
		for _, r := range rows {
			m += x(r)
		}
		m /= float64(len(rows))
		for _, r := range rows {
			ss += (x(r) - m) * (x(r) - m)
		}
		return ss / float64(len(rows)-1)
	}
	var sumItems float64
	for j := range k {
		sumItems += variance(func(r []float64) float64 { return r[j] })
	}
	total := variance(func(r []float64) float64 {
		var t float64
		for _, v := range r {
			t += v
		}
		return t
	})
	return float64(k) / float64(k-1) * (1 - sumItems/total), len(rows)
}

func TestAnalyzeEdgeCases(t *testing.T) {
	d := repDemo(t)
	foodItems := repItems(d, "food")
	both := []string{"food", "drugs"}
	tests := []struct {
		name    string
		n       int
		cats    []string
		edit    func(i int, a surveys.Answers)
		margins []analysis.Margin
		check   func(t *testing.T, s *analysis.Sample, rep *analysis.Report, err error)
	}{{
		name: "category nobody rated", n: 60, cats: both, margins: repMargins(),
		check: func(t *testing.T, s *analysis.Sample, rep *analysis.Report, err error) {
			if err != nil {
				t.Fatal(err)
			}
			u := repUndefined(rep)
			for _, want := range []string{"nobody rated category infant_products", "reliability infant_products/sat", "drivers infant_products"} {
				if !strings.Contains(u, want) {
					t.Errorf("Undefined does not mention %q:\n%s", want, u)
				}
			}
			for _, rated := range both {
				if strings.Contains(u, " "+rated+"/") || strings.Contains(u, "category "+rated+";") || strings.Contains(u, "drivers "+rated+":") {
					t.Errorf("Undefined mentions the rated category %s:\n%s", rated, u)
				}
			}
			repAllNA(t, rep, "infant_products")
			for _, r := range repRows(t, rep, "drivers") {
				if r["category"] == "infant_products" {
					t.Errorf("drivers has a row for infant_products: %v", r)
				}
			}
		},
	}, {
		name: "margin level without respondents", n: 40, cats: both,
		margins: func() []analysis.Margin {
			m := repMargins()
			m[0].Levels = append(slices.Clone(m[0].Levels), "70_plus")
			m[0].Totals = append(slices.Clone(m[0].Totals), 120)
			return m
		}(),
		check: func(t *testing.T, s *analysis.Sample, rep *analysis.Report, err error) {
			if err == nil {
				t.Fatal("no error for the margin age_band=70_plus that no respondent has")
			}
			if !strings.Contains(err.Error(), "age_band=70_plus") || !strings.Contains(err.Error(), "no respondents") {
				t.Errorf("err = %v, want it to name age_band=70_plus and say it has no respondents", err)
			}
		},
	}, {
		name: "sample level not in the margins", n: 40, cats: both, margins: repMargins(),
		edit: func(i int, a surveys.Answers) {
			if i == 7 {
				a["gender"] = "prefer_not"
			}
		},
		check: func(t *testing.T, s *analysis.Sample, rep *analysis.Report, err error) {
			if err != nil {
				t.Fatal(err)
			}
			// prefer_not keeps its design-weighted share of the total of
			// the first margin (1000), README §4.
			var sum float64
			for _, w := range s.DesignWeight {
				sum += w
			}
			want := 1000 * s.DesignWeight[7] / sum
			found := false
			for _, r := range repRows(t, rep, "margins_used") {
				if r["variable"] == "gender" && r["level"] == "prefer_not" {
					found = true
					if got, _ := strconv.ParseFloat(r["pop_total"], 64); math.Abs(got-want) > 1e-12*want {
						t.Errorf("margins_used gender=prefer_not pop_total = %s, want 1000·%g/%g = %.17g", r["pop_total"], s.DesignWeight[7], sum, want)
					}
				}
			}
			if !found {
				t.Errorf("margins_used has no row gender=prefer_not")
			}
			for _, r := range repRows(t, rep, "rake_check") {
				if r["variable"] == "gender" && r["level"] == "prefer_not" && r["sample_n"] != "1" {
					t.Errorf("rake_check gender=prefer_not sample_n = %s, want 1", r["sample_n"])
				}
			}
		},
	}, {
		name: "indicator answered na by all", n: 40, cats: both, margins: repMargins(),
		edit: func(i int, a surveys.Answers) { a["food_sat_freshness"] = surveys.NAValue },
		check: func(t *testing.T, s *analysis.Sample, rep *analysis.Report, err error) {
			if err != nil {
				t.Fatal(err)
			}
			u := repUndefined(rep)
			if !strings.Contains(u, "category food, indicator freshness has 40 importance and 0 satisfaction answers") {
				t.Errorf("Undefined does not report food/freshness without satisfaction answers:\n%s", u)
			}
			// As in R: the indicator's P and priority are NA, and so is Q
			// (a sum over all indicators); the other priorities are defined
			// (svycontrast's gradient is 0 in the missing mean).
			for _, r := range repRows(t, rep, "priority") {
				if r["category"] != "food" {
					continue
				}
				where := r["design"] + "/" + r["indicator"]
				if r["indicator"] == "freshness" {
					if r["P"] != "NA" || r["priority"] != "NA" || r["se_priority"] != "NA" || r["rank_overall"] != "NA" {
						t.Errorf("priority %s: P %s, priority %s ± %s, rank %s, want NA", where, r["P"], r["priority"], r["se_priority"], r["rank_overall"])
					}
				} else if r["priority"] == "NA" || r["se_priority"] == "NA" || r["rank_in_category"] == "NA" {
					t.Errorf("priority %s: priority %s ± %s, rank %s, want numbers", where, r["priority"], r["se_priority"], r["rank_in_category"])
				}
			}
			for _, r := range repRows(t, rep, "indices") {
				if r["category"] == "food" && (r["Q"] != "NA" || r["se_Q"] != "NA") {
					t.Errorf("indices food/%s: Q %s ± %s, want NA", r["design"], r["Q"], r["se_Q"])
				}
			}
		},
	}, {
		name: "single respondent", n: 1, cats: both,
		margins: []analysis.Margin{
			{Variable: "age_band", Levels: repAges[:1], Totals: []float64{1000}},
			{Variable: "gender", Levels: repGenders[:1], Totals: []float64{1000}},
			{Variable: "region_type", Levels: repRegions[:1], Totals: []float64{1000}},
			{Variable: "province", Levels: repProvinces[:1], Totals: []float64{1000}},
		},
		check: func(t *testing.T, s *analysis.Sample, rep *analysis.Report, err error) {
			if err != nil {
				if err.Error() == "" {
					t.Errorf("an error without a message")
				}
				t.Logf("Analyze: %v", err)
				return
			}
			if len(rep.Undefined) == 0 {
				t.Errorf("one respondent and no notes in Undefined")
			}
			t.Logf("Undefined:\n%s", repUndefined(rep))
			// Without margins too.
			rep, err = repAnalyze(t, s, analysis.Options{})
			switch {
			case err != nil && err.Error() == "":
				t.Errorf("an error without a message")
			case err == nil && len(rep.Undefined) == 0:
				t.Errorf("without margins: one respondent and no notes in Undefined")
			}
		},
	}, {
		name: "constant item", n: 40, cats: both, margins: repMargins(),
		edit: func(i int, a surveys.Answers) { a["food_sat_freshness"] = 3 },
		check: func(t *testing.T, s *analysis.Sample, rep *analysis.Report, err error) {
			if err != nil {
				t.Fatal(err)
			}
			u := repUndefined(rep)
			if !strings.Contains(u, "reliability food/sat: constant variable: item food_sat_freshness is constant") {
				t.Errorf("Undefined does not name the constant item food_sat_freshness of food/sat:\n%s", u)
			}
			// R: alpha (and psych's raw_alpha) stay defined, cor() gives NA
			// for the constant item, so the standardized α is NA.
			want, n := repAlpha(s, foodItems)
			for _, r := range repRows(t, rep, "reliability") {
				if r["category"] != "food" || r["scale"] != "sat" {
					continue
				}
				got, err := strconv.ParseFloat(r["alpha"], 64)
				if err != nil || math.Abs(got-want) > 1e-12 || r["n_complete"] != strconv.Itoa(n) {
					t.Errorf("food/sat alpha %s over %s cases, want %.17g over %d (textbook formula)", r["alpha"], r["n_complete"], want, n)
				}
				if r["alpha_std"] != "NA" {
					t.Errorf("food/sat alpha_std = %s, want NA", r["alpha_std"])
				}
				if r["alpha_rake"] == "NA" {
					t.Errorf("food/sat alpha_rake = NA, want a number")
				}
			}
		},
	}, {
		name: "collinear drivers", n: 40, cats: both, margins: repMargins(),
		edit: func(i int, a surveys.Answers) { a[foodItems[1]] = a[foodItems[0]] },
		check: func(t *testing.T, s *analysis.Sample, rep *analysis.Report, err error) {
			if err != nil {
				t.Fatal(err)
			}
			u := repUndefined(rep)
			found := false
			for _, line := range strings.Split(u, "\n") {
				if strings.Contains(line, "drivers food") && strings.Contains(line, "collinear") {
					found = true
				}
			}
			if !found {
				t.Errorf("Undefined does not report collinear drivers of food:\n%s", u)
			}
			for _, r := range repRows(t, rep, "drivers") {
				if r["category"] == "food" {
					t.Errorf("drivers has a row for food: %v", r)
				}
			}
			var drugs int
			for _, r := range repRows(t, rep, "drivers") {
				if r["category"] == "drugs" {
					drugs++
				}
			}
			if drugs != len(d.Category("drugs").Indicators) {
				t.Errorf("drivers has %d rows for drugs, want %d", drugs, len(d.Category("drugs").Indicators))
			}
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := repSample(t, tc.n, tc.cats, tc.edit)
			rep, err := repAnalyze(t, s, analysis.Options{Margins: tc.margins})
			if err == nil && rep == nil {
				t.Fatal("Analyze returned neither a report nor an error")
			}
			tc.check(t, s, rep, err)
		})
	}
}
