package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/qvoice/qvoice/surveys"
)

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
