package analysis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/qvoice/qvoice/surveys"
)

// CSVError is a problem in a response CSV at one line (and column).
type CSVError struct {
	Line   int    // 1-based line of the row's field
	Column string // the header name; "" when the problem is the whole row
	Err    error
}

func (e *CSVError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d, column %q: %v", e.Line, e.Column, e.Err)
}

// Unwrap returns the underlying error.
func (e *CSVError) Unwrap() error { return e.Err }

// csvColumn is one column of the CSV and the field it holds, if any.
type csvColumn struct {
	name   string
	field  *surveys.Field // nil for columns that are not fields
	lo, hi int            // the field's scale, KindScale only
}

// ReadCSV reads a wide response CSV, one row per response, and calls fn for
// each row in file order. This is the input format of the oracle
// (../shared/oracle/README.md §3):
//
//   - UTF-8 (an initial byte-order mark is skipped), a header row of column
//     ids, RFC 4180 quoting, every row as long as the header;
//   - an empty cell is a missing answer: the field is absent from ans;
//   - a KindScale field becomes an int, or the string "na" (不了解/未使用);
//     a cell that is not an integer, or an integer outside the field's
//     scale, is an error;
//   - a KindMulti field becomes a []string of its ';'-separated codes;
//   - other fields (choices, text) become their string as read.
//
// Columns that are not fields of d (response_code, src, venue, design_wt,
// …) are passed in other, by header name, with their cells as read, empty
// ones included. Fields of d without a column are simply absent. The
// answers are converted, not validated: no required, show_if or option
// checks are made, so data the form would not produce can still be read.
// fn gets fresh maps on every call and may keep them.
//
// Errors are *CSVError values with the line (and column) of the problem;
// an error returned by fn stops the reading and is returned wrapped in a
// *CSVError with the row's line. Malformed CSV returns encoding/csv's
// *csv.ParseError, wrapped.
func ReadCSV(d *surveys.Definition, r io.Reader, fn func(ans surveys.Answers, other map[string]string) error) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return &CSVError{Line: 1, Err: errors.New("no header row")}
	}
	if err != nil {
		return fmt.Errorf("analysis: read CSV: %w", err)
	}
	cols, err := csvColumns(d, header)
	if err != nil {
		return err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("analysis: read CSV: %w", err)
		}
		ans := make(surveys.Answers, len(rec))
		other := map[string]string{}
		for i, cell := range rec {
			c := cols[i]
			if c.field == nil {
				other[c.name] = cell
				continue
			}
			v, ok, err := c.convert(cell)
			if err != nil {
				line, _ := cr.FieldPos(i)
				return &CSVError{Line: line, Column: c.name, Err: err}
			}
			if ok {
				ans[c.name] = v
			}
		}
		if err := fn(ans, other); err != nil {
			line, _ := cr.FieldPos(0)
			return &CSVError{Line: line, Err: err}
		}
	}
}

// csvColumns maps the header to the fields of d.
func csvColumns(d *surveys.Definition, header []string) ([]csvColumn, error) {
	cols := make([]csvColumn, len(header))
	seen := make(map[string]bool, len(header))
	for i, name := range header {
		if i == 0 {
			name = strings.TrimPrefix(name, "\uFEFF")
		}
		if seen[name] {
			return nil, &CSVError{Line: 1, Column: name, Err: errors.New("duplicate column")}
		}
		seen[name] = true
		cols[i] = csvColumn{name: name, field: d.Field(name)}
		if f := cols[i].field; f != nil && f.Kind == surveys.KindScale {
			cols[i].lo, cols[i].hi = scaleRange(f.Scale)
		}
	}
	return cols, nil
}

// convert turns a field's cell into an answer value; ok is false for a
// missing answer.
func (c csvColumn) convert(cell string) (v any, ok bool, err error) {
	switch c.field.Kind {
	case surveys.KindScale:
		s := strings.TrimSpace(cell)
		if s == "" {
			return nil, false, nil
		}
		if s == surveys.NAValue {
			return surveys.NAValue, true, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, false, fmt.Errorf("%q is not an integer or %q", s, surveys.NAValue)
		}
		if n < c.lo || n > c.hi {
			return nil, false, fmt.Errorf("%d is outside the scale %d–%d", n, c.lo, c.hi)
		}
		return n, true, nil
	case surveys.KindMulti:
		var codes []string
		for _, p := range strings.Split(cell, ";") {
			if p = strings.TrimSpace(p); p != "" {
				codes = append(codes, p)
			}
		}
		return codes, len(codes) > 0, nil
	default:
		if cell == "" {
			return nil, false, nil
		}
		return cell, true, nil
	}
}
