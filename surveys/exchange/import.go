package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/qvoice/qvoice/surveys"
)

// RecordReader yields a file's records, the header first; csv.Reader is
// one. Read returns io.EOF after the last record.
type RecordReader interface {
	Read() ([]string, error)
}

// Rejects receives the rows an import refuses, with their problems. If it
// has a method SetHeader([]string), Import calls it with the file's header
// before the first row.
type Rejects interface {
	Reject(row int, rec []string, errs []RowError) error
}

// ImportOptions control Import.
type ImportOptions struct {
	BindOptions
	// Strict refuses the whole file if any row is bad: nothing is stored.
	// The file is read twice (check, then store). It is not a transaction:
	// a conflicting response stored by someone else between the two reads
	// stops the import there, with the rows before it stored.
	Strict bool
	// DryRun checks every row and stores nothing.
	DryRun bool
	// BatchSize is how many rows go to the database at once (default 1000).
	BatchSize int
	// Progress, if set, is called with the number of rows read so far.
	Progress func(rows int)
}

// maxKeptErrors bounds ImportSummary.Errors; the rejects file has them all.
const maxKeptErrors = 1000

// ImportSummary counts what an import did.
type ImportSummary struct {
	Rows          int        // data rows read
	Stored        int        // new responses stored (or that would be, in a dry run)
	AlreadyStored int        // rows whose code was stored before with the same answers
	Rejected      int        // rows refused
	Errors        []RowError // the first problems, at most 1000
	Aborted       bool       // Strict and a row was bad: nothing was stored
}

// ErrRejected is returned by a strict import that refused the file because
// of bad rows; errors.Is(ErrRejected, surveys.ErrInvalid) holds.
var ErrRejected error = invalidError("rows refused")

// Import reads the file open returns into st, validating every row against
// l's questionnaire. A row whose response code is already stored with the
// same answers counts as AlreadyStored and is not stored again; with other
// answers it is rejected. Bad rows go to rejects (which may be nil) and the
// rest are stored, unless Strict or DryRun. open is called once, twice when
// Strict. A bad header gives an error wrapping ErrBadFile before any row is
// read; a strict import with bad rows gives ErrRejected.
func Import(ctx context.Context, st surveys.Store, l *Layout, open func() (RecordReader, error), rejects Rejects, opts ImportOptions) (ImportSummary, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	im := &importer{ctx: ctx, st: st, l: l, rejects: rejects, opts: opts}
	if opts.Strict || opts.DryRun {
		if err := im.check(open); err != nil {
			return im.sum, err
		}
		if opts.DryRun {
			return im.sum, nil
		}
		if im.sum.Rejected > 0 {
			im.sum.Aborted = true
			return im.sum, fmt.Errorf("%w: %d of %d rows are bad; nothing was stored", ErrRejected, im.sum.Rejected, im.sum.Rows)
		}
		im.sum = ImportSummary{}
		im.rejects = nil
	}
	err := im.store(open)
	return im.sum, err
}

type importer struct {
	ctx     context.Context
	st      surveys.Store
	l       *Layout
	rejects Rejects
	opts    ImportOptions
	sum     ImportSummary
	// known maps the survey's stored response codes to their digests. It
	// is loaded the first time a code turns out to be stored already, then
	// kept up to date with what this import stores.
	known map[string]string
}

// rows calls fn for each data row of the file, decoded.
func (im *importer) rows(open func() (RecordReader, error), fn func(row int, rec []string, r *surveys.Response) error) error {
	rr, err := open()
	if err != nil {
		return err
	}
	header, err := rr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: the file is empty (no header row)", ErrBadFile)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadFile, err)
	}
	header = append([]string(nil), header...)
	b, err := im.l.Bind(header, im.opts.BindOptions)
	if err != nil {
		return err
	}
	if h, ok := im.rejects.(interface{ SetHeader([]string) }); ok {
		h.SetHeader(header)
	}
	for row := 2; ; row++ {
		rec, err := rr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: row %d: %v", ErrBadFile, row, err)
		}
		im.sum.Rows++
		if im.opts.Progress != nil {
			im.opts.Progress(im.sum.Rows)
		}
		r, errs := b.Decode(row, rec)
		if len(errs) > 0 {
			if err := im.reject(row, rec, errs); err != nil {
				return err
			}
			continue
		}
		if err := fn(row, rec, r); err != nil {
			return err
		}
	}
}

func (im *importer) reject(row int, rec []string, errs []RowError) error {
	im.sum.Rejected++
	for _, e := range errs {
		if len(im.sum.Errors) < maxKeptErrors {
			im.sum.Errors = append(im.sum.Errors, e)
		}
	}
	if im.rejects == nil {
		return nil
	}
	return im.rejects.Reject(row, rec, errs)
}

// conflict is the problem of a row whose code is stored with other answers.
func conflict(row int, code string) []RowError {
	return []RowError{{Row: row, Column: ColCode, Value: code, Reason: "this response code is already stored with different answers or design weight"}}
}
