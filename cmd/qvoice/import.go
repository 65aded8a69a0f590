package main

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys/exchange"
)

// importFlags are the options of qvoice import.
type importFlags struct {
	slug, kind, rejects string
	dryRun, strict      bool
	assumeConsent       bool
	format              *outputFormat
	maxShown            int
}

func newImportCmd(a *app) *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import --survey SLUG FILE",
		Short: "Import responses from a CSV, XLSX or JSON file",
		Long: `import reads responses in the exchange format (one row per response, one
column per answer field, codes not labels: what qvoice export writes, and
the oracle's wide CSV) from FILE into the store, streaming.

Every row is validated as a web submission is: codes, ranges, which
questions apply to the respondent, consent and the guardian rule. An empty
cell is item nonresponse, never an error. Each refused row is reported by
row, column, value and reason, and written with its reasons to the
rejects file (FILE.rejects.csv by default; its _-prefixed columns are
ignored on import, so a corrected rejects file imports as it is). The good
rows are stored; with --strict any bad row aborts the import and nothing is
stored; --dry-run checks every row and stores nothing.

A row is keyed by its response code: importing a file again stores nothing
twice, and a code already stored with other answers is refused.

The file type comes from the name (.csv, .csv.gz, .xlsx, .json) or --type.
A file without a consent column (such as the oracle's) needs
--assume-consent, which records that every respondent consented when the
data were collected.

Exit codes: 0 every row stored or already stored; 3 some rows refused (the
others are stored unless --strict or --dry-run) or the file's header is
wrong; 1 the store failed.`,
		Example: `  qvoice import --survey quality-month-demo responses.csv
  qvoice import --survey quality-month-demo --dry-run fieldwork.xlsx
  qvoice import --survey quality-month-demo --assume-consent --strict survey_10k.csv.gz`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.importFile(cmd.Context(), f, args[0])
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.slug, "survey", "", "`slug` of the stored survey the responses answer (required)")
	fs.StringVar(&f.kind, "type", "", "file `type`: csv, xlsx or json (default: from the file name)")
	fs.StringVar(&f.rejects, "rejects", "", "write refused rows to this `file` (default FILE.rejects.csv; - for none)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "check every row, store nothing")
	fs.BoolVar(&f.strict, "strict", false, "store nothing if any row is refused")
	fs.BoolVar(&f.assumeConsent, "assume-consent", false, "the file has no consent column: every respondent consented at collection")
	fs.IntVar(&f.maxShown, "show", 20, "print at most this many problems (all are in the rejects file)")
	f.format = addFormatFlag(fs, "output format of the summary")
	_ = cmd.MarkFlagRequired("survey")
	return cmd
}

// importFile runs one import and prints its summary.
func (a *app) importFile(ctx context.Context, f importFlags, path string) error {
	kind, err := fileKind(path, f.kind)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("input: %w", err)
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
	rejectsPath := f.rejects
	if rejectsPath == "" {
		rejectsPath = strings.TrimSuffix(path, ".gz") + ".rejects.csv"
	}
	if same, _ := filepath.Abs(rejectsPath); rejectsPath != "-" && same == mustAbs(path) {
		return usagef("--rejects %s is the input file", rejectsPath)
	}
	var rejects *rejectsFile
	if rejectsPath != "-" {
		// A rejects file of an earlier run would look like this run's.
		if err := os.Remove(rejectsPath); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("rejects file: %w", err)
		}
		rejects = &rejectsFile{path: rejectsPath}
		defer rejects.discard()
	}
	p := a.progress("importing", 0)
	opts := exchange.ImportOptions{
		BindOptions: exchange.BindOptions{AssumeConsent: f.assumeConsent, Now: time.Now()},
		Strict:      f.strict, DryRun: f.dryRun,
		Progress: func(n int) { p.SetRows(int64(n)) },
	}
	var rj exchange.Rejects
	if rejects != nil {
		rj = rejects
	}
	sum, err := exchange.Import(ctx, st, l, opener(path, kind, l), rj, opts)
	p.Finish()
	if cerr := rejects.close(); cerr != nil && err == nil {
		err = cerr
	}
	if errors.Is(err, exchange.ErrBadFile) {
		return invalidf("%s: %w", path, err)
	}
	if perr := a.printImport(f, sum, rejects); perr != nil && err == nil {
		err = perr
	}
	switch {
	case errors.Is(err, exchange.ErrRejected):
		return invalidf("%s: %d of %d rows refused, nothing stored (--strict)", path, sum.Rejected, sum.Rows)
	case err != nil:
		return err
	case sum.Rejected > 0:
		return invalidf("%s: %d of %d rows refused%s", path, sum.Rejected, sum.Rows, rejects.note())
	}
	return nil
}

// fileKind is the file type from --type or the name.
func fileKind(path, kind string) (string, error) {
	if kind == "" {
		name := strings.ToLower(strings.TrimSuffix(path, ".gz"))
		kind = strings.TrimPrefix(filepath.Ext(name), ".")
	}
	switch kind {
	case "csv", "xlsx", "json":
		return kind, nil
	}
	return "", usagef("cannot tell the type of %q: name it .csv, .csv.gz, .xlsx or .json, or pass --type", path)
}

// opener opens path for exchange.Import, as often as it asks.
func opener(path, kind string, l *exchange.Layout) func() (exchange.RecordReader, error) {
	var last io.Closer
	return func() (exchange.RecordReader, error) {
		if last != nil {
			last.Close()
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		last = f
		var r io.Reader = f
		if strings.HasSuffix(strings.ToLower(path), ".gz") {
			gz, err := gzip.NewReader(f)
			if err != nil {
				return nil, fmt.Errorf("%w: not gzip-compressed: %v", exchange.ErrBadFile, err)
			}
			r = gz
		}
		switch kind {
		case "xlsx":
			return exchange.NewXLSXReader(r)
		case "json":
			return exchange.NewJSONReader(r, l), nil
		}
		return exchange.NewCSVReader(r), nil
	}
}

// printImport prints the counts and the first problems.
func (a *app) printImport(f importFlags, sum exchange.ImportSummary, rejects *rejectsFile) error {
	switch *f.format {
	case formatJSON:
		return writeJSON(a.stdout, importJSON(sum, rejects))
	case formatCSV:
		rows := make([][]string, len(sum.Errors))
		for i, e := range sum.Errors {
			rows[i] = []string{strconv.Itoa(e.Row), e.Column, e.Value, e.Reason}
		}
		return writeRecords(a.stdout, []string{"row", "column", "value", "reason"}, rows)
	}
	verb := a.msg("stored")
	if f.dryRun {
		verb = a.msg("would be stored")
	}
	t := a.table("rows read", verb, "already stored", "refused")
	t.add(strconv.Itoa(sum.Rows), strconv.Itoa(sum.Stored), strconv.Itoa(sum.AlreadyStored), strconv.Itoa(sum.Rejected))
	if err := t.render(a.stdout); err != nil {
		return err
	}
	if len(sum.Errors) == 0 {
		return nil
	}
	fmt.Fprintln(a.stdout)
	pt := a.table("row", "column", "value", "reason").truncate(2, 24)
	for i, e := range sum.Errors {
		if i == f.maxShown {
			break
		}
		pt.add(strconv.Itoa(e.Row), e.Column, e.Value, e.Reason)
	}
	if err := pt.render(a.stdout); err != nil {
		return err
	}
	if n := len(sum.Errors); n > f.maxShown || sum.Rejected > n {
		fmt.Fprintln(a.stdout, a.msgf("… more problems%s", rejects.note()))
	}
	return nil
}

func importJSON(sum exchange.ImportSummary, rejects *rejectsFile) map[string]any {
	problems := make([]map[string]any, len(sum.Errors))
	for i, e := range sum.Errors {
		problems[i] = map[string]any{"row": e.Row, "column": e.Column, "value": e.Value, "reason": e.Reason}
	}
	out := map[string]any{"rows": sum.Rows, "stored": sum.Stored, "already_stored": sum.AlreadyStored,
		"refused": sum.Rejected, "aborted": sum.Aborted, "problems": problems}
	if rejects != nil && rejects.kept() {
		out["rejects_file"] = rejects.path
	}
	return out
}

// mustAbs is path made absolute, or path itself if that fails.
func mustAbs(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}
