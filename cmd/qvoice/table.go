package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/pflag"
	"golang.org/x/text/width"

	"github.com/qvoice/qvoice/surveys"
)

// table is human output: an optional header row and data rows, printed
// with columns aligned by display width (a Chinese character takes two
// terminal cells) and two spaces between columns. A column whose cells
// are all numbers, intervals "[lo, hi]" or "–" (no data) is right-aligned.
type table struct {
	header []string
	rows   [][]string
	limit  map[int]int // column → most cells shown; longer cells end in "…"
}

// newTable starts a table; with no header it prints only its rows.
func newTable(header ...string) *table {
	return &table{header: header, limit: map[int]int{}}
}

// add appends a row; missing cells are empty.
func (t *table) add(cells ...string) {
	t.rows = append(t.rows, cells)
}

// truncate caps the display width of column col's cells at most cells.
func (t *table) truncate(col, most int) *table {
	t.limit[col] = most
	return t
}

// render writes the table.
func (t *table) render(w io.Writer) error {
	rows := t.rows
	if len(t.header) > 0 {
		rows = append([][]string{t.header}, rows...)
	}
	ncol := 0
	for _, r := range rows {
		ncol = max(ncol, len(r))
	}
	cells := make([][]string, len(rows))
	widths := make([]int, ncol)
	for i, r := range rows {
		cells[i] = make([]string, ncol)
		for j := range ncol {
			if j < len(r) {
				cells[i][j] = truncateWidth(r[j], t.limit[j])
			}
			widths[j] = max(widths[j], displayWidth(cells[i][j]))
		}
	}
	right := make([]bool, ncol)
	for j := range ncol {
		right[j] = t.numeric(j)
	}
	bw := bufio.NewWriter(w)
	var line strings.Builder
	for _, r := range cells {
		line.Reset()
		for j, c := range r {
			if j > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[j]-displayWidth(c))
			if right[j] {
				line.WriteString(pad + c)
			} else {
				line.WriteString(c + pad)
			}
		}
		bw.WriteString(strings.TrimRight(line.String(), " "))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// numeric says whether column j holds numbers: at least one, and nothing
// but numbers, intervals, "–" and empty cells.
func (t *table) numeric(j int) bool {
	seen := false
	for _, r := range t.rows {
		switch {
		case j >= len(r) || r[j] == "" || r[j] == noData:
		case isNumber(r[j]):
			seen = true
		default:
			return false
		}
	}
	return seen
}

// noData is the cell of a missing number.
const noData = "–"

// isNumber accepts "12", "-3.5", "45%" and intervals "[1.2, 3.4]".
func isNumber(s string) bool {
	if inner, ok := strings.CutPrefix(s, "["); ok {
		lo, hi, ok := strings.Cut(strings.TrimSuffix(inner, "]"), ", ")
		return ok && strings.HasSuffix(inner, "]") && isNumber(lo) && isNumber(hi)
	}
	s = strings.TrimSuffix(s, "%")
	if s == "" || !strings.ContainsRune("0123456789+-.", rune(s[0])) {
		return false // not "NaN", "Inf"
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// displayWidth is the number of terminal cells s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// runeWidth is 2 for East Asian wide and fullwidth characters, 0 for
// combining marks and control characters, else 1 (East Asian ambiguous
// characters such as "–" count 1, as most terminals show them).
func runeWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Cc):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// truncateWidth cuts s to at most most cells, ending it with "…"; most 0
// means no limit.
func truncateWidth(s string, most int) string {
	if most <= 0 || displayWidth(s) <= most {
		return s
	}
	n := 0
	for i, r := range s {
		if n+runeWidth(r) > most-1 {
			return strings.TrimRight(s[:i], " ") + "…"
		}
		n += runeWidth(r)
	}
	return s
}

// outputFormat is the value of a --format flag.
type outputFormat string

// Output formats: a human table in the chosen language, or CSV and JSON
// with English column names and codes for machines.
const (
	formatTable outputFormat = "table"
	formatCSV   outputFormat = "csv"
	formatJSON  outputFormat = "json"
)

func (f *outputFormat) String() string { return string(*f) }
func (f *outputFormat) Type() string   { return "table|csv|json" }

func (f *outputFormat) Set(s string) error {
	switch v := outputFormat(s); v {
	case formatTable, formatCSV, formatJSON:
		*f = v
		return nil
	}
	return errors.New("must be table, csv or json")
}

// addFormatFlag adds --format table|csv|json (default table) to fs.
func addFormatFlag(fs *pflag.FlagSet, usage string) *outputFormat {
	f := formatTable
	fs.Var(&f, "format", usage)
	return &f
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeRecords writes a header and rows as CSV.
func writeRecords(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(header)
	_ = cw.WriteAll(rows) // flushes
	return cw.Error()
}

// humanTime is a time in tables: China time to the minute, with its
// offset; "–" for the zero time.
func humanTime(t time.Time) string {
	if t.IsZero() {
		return noData
	}
	return t.In(surveys.ChinaTime).Format("2006-01-02 15:04 -07:00")
}
