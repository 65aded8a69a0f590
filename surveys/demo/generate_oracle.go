package demo

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// The oracle's data generator, ../shared/oracle/gen_survey.py, ported
// draw for draw: the same (n, seed) gives the same CSV bytes, so Go tests
// and demos can make the R oracle's input without Python. The port keeps
// the script's structure and order; see oracleRNG for the random stream.

// Respondent-level columns at the start of the oracle's header.
const (
	colCode = iota
	colSrc
	colVenue
	colFilledBy
	colAge
	colGender
	colRegion
	colProvince
	colHousehold
	colStatus
	colRateCategories
)

// oracleModel is the script's design, resolved to column indexes.
type oracleModel struct {
	header     []string
	cats       []oracleCat
	provs      []oracleProvince
	provW      []float64 // PROVINCES share × PROV_TILT
	ageW       []float64 // AGE_POP × AGE_TILT
	venueWt    [4]float64
	complaints map[string][]string
	kanoCells  [6][][2]int // cells of KANO_TABLE per class A, O, M, I, R, Q
	ints       [11]string  // str(0) … str(10)

	hadCol, textCol, wtCol int
}

func newOracleModel() *oracleModel {
	m := &oracleModel{cats: oracleCategories(), provs: oracleProvinces(),
		complaints: oracleComplaints(), venueWt: [4]float64{1.0, 0.9, 1.35, 0.8}}
	agePop := []float64{0.045, 0.160, 0.190, 0.160, 0.180, 0.140, 0.125}
	ageTilt := []float64{0.8, 1.6, 1.4, 1.1, 0.9, 0.7, 0.45}
	for i := range agePop {
		m.ageW = append(m.ageW, agePop[i]*ageTilt[i])
	}
	for _, p := range m.provs {
		m.provW = append(m.provW, p.pct*p.tilt)
	}
	m.kanoCells = kanoCells()
	for i := range m.ints {
		m.ints[i] = strconv.Itoa(i)
	}
	m.buildHeader()
	return m
}

// kanoCells lists the cells (functional, dysfunctional answer index) of
// each class of the standard Kano evaluation table, KANO_TABLE, with the
// classes in the order A, O, M, I, R, Q and the answers in the order like,
// must_be, neutral, live_with, dislike.
func kanoCells() [6][][2]int {
	var cells [6][][2]int
	table := [5]string{"QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"}
	for a, row := range table {
		for b := range row {
			cls := strings.IndexByte("AOMIRQ", row[b])
			cells[cls] = append(cells[cls], [2]int{a, b})
		}
	}
	return cells
}

// buildHeader is header(), recording each column's index on the way.
func (m *oracleModel) buildHeader() {
	h := []string{"response_code", "src", "venue", "filled_by", "age_band", "gender", "region_type",
		"province", "household", "status", "rate_categories"}
	kanoCat := [][2]string{ // KANO, in its order
		{"food_qr_traceability", "food"},
		{"elderly_large_print_voice_instructions", "elderly_products"},
	}
	for ci := range m.cats {
		c := &m.cats[ci]
		for i := range c.inds {
			c.inds[i].impCol = len(h)
			h = append(h, c.code+"_imp_"+c.inds[i].code)
		}
		for i := range c.inds {
			c.inds[i].satCol = len(h)
			c.inds[i].naShare = oracleNAShare(c.inds[i].code)
			h = append(h, c.code+"_sat_"+c.inds[i].code)
		}
		for _, k := range kanoCat {
			if k[1] == c.code {
				c.kano = append(c.kano, oracleKano{id: k[0], funcCol: len(h), dysfCol: len(h) + 1})
				h = append(h, k[0]+"_func", k[0]+"_dysf")
			}
		}
		c.overallCol, c.recCol = len(h), len(h)+1
		h = append(h, c.code+"_overall_sat", c.code+"_recommend")
	}
	m.hadCol, m.textCol, m.wtCol = len(h), len(h)+1, len(h)+2
	m.header = append(h, "had_problem", "complaint_text", "design_wt")
}

// OracleHeader returns the 130 column names of the oracle's wide CSV, in
// order: the header row of gen_survey.py.
func OracleHeader() []string { return newOracleModel().header }

// GenerateOracle calls fn with each of the n rows that
// `gen_survey.py --n n --seed seed` writes, in order, as CSV fields in
// OracleHeader order. fn's first error stops it and is returned.
//
// fn must not keep record: the slice is reused for the next row, so memory
// stays constant for any n. Keep a copy (slices.Clone) if needed.
func GenerateOracle(n int, seed int64, fn func(record []string) error) error {
	m := newOracleModel()
	g := oracleRNG{newPyRandom(seed)}
	rec := make([]string, len(m.header))
	cats := make([]int, 0, 2)
	for i := 1; i <= n; i++ {
		m.row(g, i, rec, cats)
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

// WriteOracleCSV writes the header and n rows exactly as
// `gen_survey.py --n n --seed seed` does: the same bytes, "\n" line ends,
// and Python's csv.QUOTE_MINIMAL quoting.
func WriteOracleCSV(w io.Writer, n int, seed int64) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	line = appendCSVRecord(line, OracleHeader())
	if _, err := bw.Write(line); err != nil {
		return err
	}
	err := GenerateOracle(n, seed, func(rec []string) error {
		line = appendCSVRecord(line[:0], rec)
		_, err := bw.Write(line)
		return err
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// appendCSVRecord appends one CSV line as Python's csv.writer writes it
// with QUOTE_MINIMAL and lineterminator "\n": a field is quoted only if it
// holds the delimiter, the quote character or a line break, and quotes
// are doubled. (encoding/csv also quotes a field with a leading space, so
// it cannot be used for byte identity.)
func appendCSVRecord(b []byte, rec []string) []byte {
	for i, f := range rec {
		if i > 0 {
			b = append(b, ',')
		}
		if !strings.ContainsAny(f, ",\"\r\n") {
			b = append(b, f...)
			continue
		}
		b = append(b, '"')
		b = append(b, strings.ReplaceAll(f, `"`, `""`)...)
		b = append(b, '"')
	}
	return append(b, '\n')
}

// formatFixed is Python's "%.*f" % x. Both round the exact binary value
// to nearest, ties to even, so strconv gives the same digits.
func formatFixed(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }

func itoa(n int) string { return strconv.Itoa(n) }
