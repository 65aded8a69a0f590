package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/exchange"
)

// exportFlags are the options of qvoice export.
type exportFlags struct {
	slug, kind, out string
	filter          filterFlags
	noCodebook      bool
}

func newExportCmd(a *app) *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export --survey SLUG --format csv|xlsx|json|sav --out FILE",
		Short: "Export responses as CSV, XLSX, JSON or SPSS .sav, with a codebook",
		Long: `export writes the responses of a survey to FILE, streaming in constant memory
however many there are, in storage order.

  csv   the exchange format: one row per response, codes not labels, the
        oracle's column order (profile questions, chosen categories, the
        category blocks, …, design_wt), then received_at, lang, channel,
        duration_s and flags, which make a round trip through import lossless
  xlsx  the same table in one sheet (scale answers and weights as numbers)
  json  an array of objects keyed by column, scale answers as numbers
  sav   SPSS: codes as numbers with value labels, na as user-missing 99,
        multi-choices as 0/1 variables, variable labels in --lang

Beside FILE it writes a codebook (FILE-stem.codebook.csv with both
languages, and FILE-stem.codebook.md in --lang) and, for csv, an R script
(FILE-stem.load.R) that loads the file with factor labels.

The filters are the dashboard's: --from/--to (dates are China time; --to
includes its day), --province, --region-type, --venue, --src (comma-
separated lists) and --exclude-flagged (too fast, straight-lined). The file
is written under a temporary name and renamed at the end, so an
interrupted export leaves no partial file.`,
		Example: `  qvoice export --survey quality-month-demo --format csv --out responses.csv
  qvoice export --survey quality-month-demo --format sav --out responses.sav --lang zh-CN
  qvoice export --survey quality-month-demo --format xlsx --out jiangsu.xlsx --province 32 --from 2026-09-01 --exclude-flagged`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.export(cmd.Context(), f)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.slug, "survey", "", "`slug` of the stored survey (required)")
	fs.StringVar(&f.kind, "format", "", "file `format`: csv, xlsx, json or sav (default: from --out's extension)")
	fs.StringVar(&f.out, "out", "", "output `file` (required)")
	fs.BoolVar(&f.noCodebook, "no-codebook", false, "write only the data file")
	f.filter.add(fs)
	_ = cmd.MarkFlagRequired("survey")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// export writes the data file, then the codebook and R script.
func (a *app) export(ctx context.Context, f exportFlags) error {
	kind := f.kind
	if kind == "" {
		kind = strings.TrimPrefix(strings.ToLower(filepath.Ext(f.out)), ".")
	}
	switch kind {
	case "csv", "xlsx", "json", "sav":
	default:
		return usagef("--format must be csv, xlsx, json or sav (got %q)", kind)
	}
	filter, err := f.filter.filter()
	if err != nil {
		return err
	}
	st, closeStore, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	d, err := definitionOf(ctx, st, f.slug)
	if err != nil {
		return err
	}
	l := exchange.NewLayout(d)
	p := a.progress("exporting", 0)
	var n int
	err = writeAtomically(f.out, func(w io.Writer) error {
		rw, err := a.recordWriter(kind, w, l)
		if err != nil {
			return err
		}
		n, err = exchange.Export(ctx, st, l, filter, rw, func(n int) { p.SetRows(int64(n)) })
		return err
	})
	p.Finish()
	if err != nil {
		return err
	}
	// Exports are audited like the dashboard's downloads; the actor is the
	// operating-system user who ran the command.
	if acc, ok := st.(surveys.AuditStore); ok {
		detail := fmt.Sprintf("qvoice export %s, %d responses", kind, n)
		if fd := f.filter.describe(); fd != "" {
			detail += "; " + fd
		}
		if err := acc.Audit(ctx, surveys.AuditEvent{At: time.Now().UTC(), User: cliUser(), Action: surveys.AuditExport,
			Survey: d.Slug, Detail: detail}); err != nil {
			return fmt.Errorf("audit the export: %w", err)
		}
	}
	files := []string{f.out}
	if !f.noCodebook {
		more, err := a.writeCodebook(f.out, kind, l, n, f.filter.describe())
		if err != nil {
			return err
		}
		files = append(files, more...)
	}
	fmt.Fprintln(a.stdout, a.msgf("exported %d responses of %s:", n, d.Slug))
	for _, name := range files {
		fmt.Fprintln(a.stdout, "  "+name)
	}
	return nil
}

// recordWriter is the writer of a file format.
func (a *app) recordWriter(kind string, w io.Writer, l *exchange.Layout) (exchange.RecordWriter, error) {
	switch kind {
	case "xlsx":
		return exchange.NewXLSXWriter(w, l)
	case "json":
		return exchange.NewJSONWriter(w, l), nil
	case "sav":
		return exchange.NewSAVWriter(w, l, string(a.lang))
	}
	return exchange.NewCSVWriter(w), nil
}

// writeCodebook writes the codebook files (and the R script for csv)
// beside out, and returns their names.
func (a *app) writeCodebook(out, kind string, l *exchange.Layout, n int, filter string) ([]string, error) {
	stem := strings.TrimSuffix(out, filepath.Ext(out))
	d := l.Definition()
	vars := l.Codebook()
	if kind == "sav" {
		vars = exchange.SAVCodebook(l)
	}
	info := exchange.CodebookInfo{Title: d.Title, Slug: d.Slug, Version: d.Version, DataFile: filepath.Base(out), Responses: n, Filter: filter}
	type file struct {
		name  string
		write func(io.Writer) error
	}
	files := []file{
		{stem + ".codebook.csv", func(w io.Writer) error { return exchange.WriteCodebookCSV(w, vars) }},
		{stem + ".codebook.md", func(w io.Writer) error { return exchange.WriteCodebookMarkdown(w, info, vars, string(a.lang)) }},
	}
	if kind == "csv" {
		files = append(files, file{stem + ".load.R", func(w io.Writer) error { return exchange.WriteRScript(w, l, filepath.Base(out), string(a.lang)) }})
	}
	var names []string
	for _, f := range files {
		if err := writeAtomically(f.name, f.write); err != nil {
			return nil, err
		}
		names = append(names, f.name)
	}
	return names, nil
}

// writeAtomically writes path through a temporary file in its directory,
// renamed over path only when write succeeds. write gets the *os.File, so
// a writer that can seek (the SPSS case count) may.
func writeAtomically(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	// CreateTemp makes the file private; the output is an ordinary file.
	// Sync first: a crash after the rename must not leave an empty file.
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("output: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("output: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// writeCounted is writeAtomically through a buffer, and returns the
// number of bytes written.
func writeCounted(path string, write func(io.Writer) error) (int64, error) {
	cw := &countWriter{}
	err := writeAtomically(path, func(w io.Writer) error {
		cw.w = w
		bw := bufio.NewWriter(cw)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
	return cw.n, err
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// cliUser names who ran a command, for the audit log: "cli:" and the
// operating-system user.
func cliUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}
