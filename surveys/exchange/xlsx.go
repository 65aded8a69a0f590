package exchange

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// xlsxSheet is the name of the data sheet of an exported workbook.
const xlsxSheet = "responses"

// XLSXWriter streams records into a one-sheet workbook: scale points and
// weights as numbers, everything else as text (codes stay codes: "01"
// keeps its zero). The workbook is written to w on Close.
type XLSXWriter struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	out  io.Writer
	cols []Column
	row  int
	cell []any
}

// NewXLSXWriter returns an XLSXWriter on w for l's columns.
func NewXLSXWriter(w io.Writer, l *Layout) (*XLSXWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", xlsxSheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(xlsxSheet)
	if err != nil {
		return nil, err
	}
	return &XLSXWriter{f: f, sw: sw, out: w, cols: l.cols, cell: make([]any, len(l.cols))}, nil
}

// Write appends one record as the next row.
func (x *XLSXWriter) Write(rec []string) error {
	if len(rec) != len(x.cols) {
		return fmt.Errorf("exchange: XLSX row has %d cells, layout %d", len(rec), len(x.cols))
	}
	x.row++
	for i, v := range rec {
		x.cell[i] = v
		if x.row > 1 && v != "" && x.cols[i].jsonKind() == jsonNumber {
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				x.cell[i] = n
			}
		}
	}
	if x.row > excelize.TotalRows {
		return fmt.Errorf("exchange: more than %d rows do not fit in one XLSX sheet; export CSV", excelize.TotalRows-1)
	}
	cellName, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cellName, x.cell)
}

// Close finishes the sheet and writes the workbook.
func (x *XLSXWriter) Close() error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	if _, err := x.f.WriteTo(x.out); err != nil {
		return err
	}
	return x.f.Close()
}

// XLSXReader reads the first sheet of a workbook as records, row by row.
type XLSXReader struct {
	f    *excelize.File
	rows *excelize.Rows
	n    int
}

// NewXLSXReader opens the workbook in r.
func NewXLSXReader(r io.Reader) (*XLSXReader, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: not an XLSX workbook: %v", ErrBadFile, err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fmt.Errorf("the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, err
	}
	return &XLSXReader{f: f, rows: rows}, nil
}

// Read returns the next row; short rows are padded to the header's length
// (a spreadsheet leaves trailing empty cells out).
func (x *XLSXReader) Read() ([]string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	rec, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	if x.n == 0 {
		x.n = len(rec)
	}
	for len(rec) < x.n {
		rec = append(rec, "")
	}
	return rec, nil
}

// Close releases the workbook's temporary files.
func (x *XLSXReader) Close() error {
	x.rows.Close()
	return x.f.Close()
}
