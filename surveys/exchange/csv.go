package exchange

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
)

// CSVWriter writes records as RFC 4180 CSV with "\n" line ends, as the
// oracle's files are, and without a byte-order mark.
type CSVWriter struct {
	w *csv.Writer
}

// NewCSVWriter returns a CSVWriter on w.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// Write writes one record.
func (c *CSVWriter) Write(rec []string) error { return c.w.Write(rec) }

// Close flushes the buffered records.
func (c *CSVWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// NewCSVReader returns a reader of CSV records that tolerates a UTF-8
// byte-order mark (Excel writes one) and rows of any length (Decode
// reports a wrong count as the row's problem, not the file's).
func NewCSVReader(r io.Reader) RecordReader {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr
}

// RejectsCSV writes refused rows as CSV: _row, _column, _value and
// _reason (several problems joined by " | "), then the row as it was read,
// under the file's own header. Import skips columns starting with "_", so
// the corrected file imports as it is.
type RejectsCSV struct {
	w      *csv.Writer
	header []string
	wrote  bool
}

// NewRejectsCSV returns a RejectsCSV on w. Import gives it the input's
// header (SetHeader) before the first row.
func NewRejectsCSV(w io.Writer) *RejectsCSV {
	return &RejectsCSV{w: csv.NewWriter(w)}
}

// SetHeader sets the header the rejected rows are written under.
func (r *RejectsCSV) SetHeader(h []string) { r.header = append([]string(nil), h...) }

// Reject writes one refused row.
func (r *RejectsCSV) Reject(row int, rec []string, errs []RowError) error {
	if !r.wrote {
		r.wrote = true
		if err := r.w.Write(append([]string{"_row", "_column", "_value", "_reason"}, r.header...)); err != nil {
			return err
		}
	}
	var col, val, why string
	for i, e := range errs {
		if i > 0 {
			col, val, why = col+" | ", val+" | ", why+" | "
		}
		col, val, why = col+e.Column, val+e.Value, why+e.Reason
	}
	return r.w.Write(append([]string{strconv.Itoa(row), col, val, why}, rec...))
}

// Close flushes the file.
func (r *RejectsCSV) Close() error {
	r.w.Flush()
	return r.w.Error()
}
