package spss

import (
	"fmt"
	"math"
	"time"
	"unicode/utf8"
)

// Option changes how NewWriter writes the file.
type Option func(*options) error

type options struct {
	label    string
	created  time.Time
	compress bool
	cases    int64 // -1 when not promised
	docs     []string
}

// WithFileLabel sets the file label shown by SPSS, cut to 64 bytes at a
// UTF-8 character boundary.
func WithFileLabel(label string) Option {
	return func(o *options) error {
		if !utf8.ValidString(label) {
			return fmt.Errorf("%w: file label is not UTF-8", ErrValue)
		}
		o.label = label
		return nil
	}
}

// WithCreated sets the creation date and time written in the header
// (default: time.Now()). Tests pass a fixed time to get identical files.
func WithCreated(t time.Time) Option {
	return func(o *options) error { o.created = t; return nil }
}

// WithCompression writes the case data with SPSS bytecode compression,
// which shrinks survey data (small integer codes, blank strings) several
// times over. Every SPSS version and PSPP read it.
func WithCompression() Option {
	return func(o *options) error { o.compress = true; return nil }
}

// WithCaseCount promises the number of cases, which is then written in
// the header up front; Close fails with ErrCaseCount if a different number
// was written. It is needed only when the destination cannot seek, since
// otherwise Close patches the count in; without either the header says
// -1 ("unknown"), which SPSS and PSPP accept.
func WithCaseCount(n int) Option {
	return func(o *options) error {
		if n < 0 || n > math.MaxInt32 {
			return fmt.Errorf("%w: case count %d is outside 0–%d", ErrCaseCount, n, math.MaxInt32)
		}
		o.cases = int64(n)
		return nil
	}
}

// WithDocument adds a document record: free text lines (at most 80 bytes
// each) that SPSS shows with DISPLAY DOCUMENTS, such as where the data
// came from.
func WithDocument(lines ...string) Option {
	return func(o *options) error {
		for i, l := range lines {
			if len(l) > docLineLen || !utf8.ValidString(l) {
				return fmt.Errorf("%w: document line %d must be UTF-8 of at most %d bytes", ErrValue, i+1, docLineLen)
			}
		}
		o.docs = append(o.docs, lines...)
		return nil
	}
}
