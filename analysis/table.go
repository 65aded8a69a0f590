package analysis

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Table is one output table in the layout of the oracle (oracle.R): a file
// name, column names, and rows of values.
type Table struct {
	Name    string // file name without ".csv", e.g. "means"
	Columns []string
	Rows    [][]any // each value a string, int, int64, float64 or bool

	// A per-response table (a million rows) is generated while it is
	// written instead of held as Rows: Generated rows follow Rows, row(i,
	// dst) filling dst with row i's values.
	Generated int
	row       func(i int, dst []any)
}

// Generate sets a table's rows to be produced by row at write time.
func (t *Table) Generate(n int, row func(i int, dst []any)) { t.Generated, t.row = n, row }

// Len is the number of rows, held and generated.
func (t *Table) Len() int { return len(t.Rows) + t.Generated }

// Append adds a row; it panics if the row does not have one value per
// column, which is a programming error.
func (t *Table) Append(row ...any) {
	if len(row) != len(t.Columns) {
		panic(fmt.Sprintf("analysis: table %s: row of %d values for %d columns", t.Name, len(row), len(t.Columns)))
	}
	t.Rows = append(t.Rows, row)
}

// WriteCSV writes the table with a header row. Floats are written in the
// shortest form that reads back to the same float64; NaN and ±Inf (no
// estimate) are written as NA, as R writes them.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	write := func(row []any) error {
		for i, v := range row {
			rec[i] = formatValue(v)
		}
		return cw.Write(rec)
	}
	for _, row := range t.Rows {
		if err := write(row); err != nil {
			return err
		}
	}
	dst := make([]any, len(t.Columns))
	for i := range t.Generated {
		t.row(i, dst)
		if err := write(dst); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NA"
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "NA"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	}
	panic(fmt.Sprintf("analysis: table value of type %T", v))
}
