package main

import (
	"os"

	"github.com/qvoice/qvoice/surveys/exchange"
)

// rejectsFile is the rejects CSV of an import, created at the first
// refused row: an import without problems leaves no file behind.
type rejectsFile struct {
	path   string
	header []string
	f      *os.File
	w      *exchange.RejectsCSV
	done   bool
}

// SetHeader keeps the input's header for the file.
func (r *rejectsFile) SetHeader(h []string) { r.header = h }

// Reject writes a refused row, creating the file first.
func (r *rejectsFile) Reject(row int, rec []string, errs []exchange.RowError) error {
	if r.w == nil {
		f, err := os.Create(r.path)
		if err != nil {
			return err
		}
		r.f, r.w = f, exchange.NewRejectsCSV(f)
		r.w.SetHeader(r.header)
	}
	return r.w.Reject(row, rec, errs)
}

// close finishes the file, if one was started.
func (r *rejectsFile) close() error {
	if r == nil || r.w == nil || r.done {
		return nil
	}
	r.done = true
	if err := r.w.Close(); err != nil {
		r.f.Close()
		return err
	}
	return r.f.Close()
}

// discard closes the file if an error left it open.
func (r *rejectsFile) discard() { _ = r.close() }

// kept reports whether a rejects file was written.
func (r *rejectsFile) kept() bool { return r != nil && r.w != nil }

// note is " (see PATH)" when a rejects file was written.
func (r *rejectsFile) note() string {
	if !r.kept() {
		return ""
	}
	return " (see " + r.path + ")"
}
