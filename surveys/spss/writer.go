package spss

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"time"
	"unicode/utf8"
)

// Writer streams cases into an SPSS system file. It holds one case in
// memory, so a million cases take no more memory than one. A Writer is
// not safe for concurrent use.
type Writer struct {
	bw       *bufio.Writer
	seeker   io.WriteSeeker // set when the destination can seek
	start    int64          // offset of the header in seeker
	cols     []column
	img      []byte // the current case, uncompressed
	numeric  []bool // per 8-byte unit of img: a number, not string bytes
	comp     *compressor
	cases    int64
	promised int64 // -1 unless WithCaseCount
	err      error // first write error; every later call returns it
	closed   bool
}

// NewWriter checks the variables and writes the file header and dictionary
// to w. If w is an io.WriteSeeker that can seek (a file, not a pipe),
// Close writes the case count into the header; otherwise the header says
// "unknown" unless WithCaseCount promised a count. Errors about the
// variables wrap ErrName or ErrVariable.
func NewWriter(w io.Writer, vars []Variable, opts ...Option) (*Writer, error) {
	o := options{created: time.Now(), cases: -1}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	cols, err := newColumns(vars)
	if err != nil {
		return nil, err
	}
	units := caseUnits(cols)
	sw := &Writer{
		bw:       bufio.NewWriterSize(w, 64<<10),
		cols:     cols,
		img:      make([]byte, 8*units),
		numeric:  make([]bool, units),
		promised: o.cases,
	}
	if ws, ok := w.(io.WriteSeeker); ok {
		// A pipe is an *os.File too, but cannot seek; then the count stays
		// as promised or unknown.
		if pos, err := ws.Seek(0, io.SeekCurrent); err == nil {
			sw.seeker, sw.start = ws, pos
		}
	}
	for _, c := range cols {
		sw.numeric[c.unit] = c.Width == 0
	}
	if o.compress {
		sw.comp = &compressor{}
	}
	h := header{units: units, compressed: o.compress, cases: int32(o.cases), created: o.created, label: o.label}
	sw.write(h.bytes())
	for i := range cols {
		sw.write(variableRecords(&cols[i]))
	}
	for _, rec := range [][]byte{
		valueLabelRecords(cols), documentRecord(o.docs), integerInfo(), floatInfo(),
		displayParams(cols), longNames(cols), veryLongStrings(cols), encodingRecord(), endRecord(),
	} {
		sw.write(rec)
	}
	// Flushing the dictionary now reports an unwritable destination here
	// rather than at some later case.
	if sw.err == nil {
		sw.err = sw.bw.Flush()
	}
	if sw.err != nil {
		return nil, sw.err
	}
	return sw, nil
}

// write writes b unless an earlier write failed, and remembers a failure.
func (w *Writer) write(b []byte) {
	if w.err == nil {
		_, w.err = w.bw.Write(b)
	}
}

// WriteCase writes one case: one Value per variable, in dictionary order.
// Numeric variables take Num or SysMis; string variables take Str (space
// padded to the width) or SysMis (all blanks). A case that does not fit
// the dictionary is rejected with an error wrapping ErrValue and nothing
// of it is written, so the caller may go on with the next case.
func (w *Writer) WriteCase(values []Value) error {
	switch {
	case w.closed:
		return ErrClosed
	case w.err != nil:
		return w.err
	case len(values) != len(w.cols):
		return fmt.Errorf("%w: case %d has %d values for %d variables", ErrValue, w.cases+1, len(values), len(w.cols))
	}
	for i := range w.cols {
		if err := w.put(&w.cols[i], values[i]); err != nil {
			return fmt.Errorf("%w: case %d, variable %s: %w", ErrValue, w.cases+1, w.cols[i].Name, err)
		}
	}
	if w.comp != nil {
		if err := w.comp.writeCase(w.bw, w.img, w.numeric); err != nil {
			w.err = err
		}
	} else {
		w.write(w.img)
	}
	if w.err != nil {
		return w.err
	}
	w.cases++
	return nil
}

// put encodes v into the column's units of the case image.
func (w *Writer) put(c *column, v Value) error {
	dst := w.img[c.unit*8:]
	if c.Width == 0 {
		f := v.num
		switch v.kind {
		case kindStr:
			return fmt.Errorf("string %q for a numeric variable", v.str)
		case kindSysMis:
			f = sysmis
		}
		binary.LittleEndian.PutUint64(dst, math.Float64bits(f))
		return nil
	}
	switch {
	case v.kind == kindNum:
		return fmt.Errorf("number %v for a string variable", v.num)
	case len(v.str) > c.Width:
		return fmt.Errorf("string of %d bytes is wider than %d", len(v.str), c.Width)
	case !utf8.ValidString(v.str):
		return fmt.Errorf("string is not UTF-8")
	}
	s := v.str
	for _, seg := range c.segs {
		n := copy(dst[:seg.width], s)
		s = s[n:]
		fillSpaces(dst[n : seg.units*8])
		dst = dst[seg.units*8:]
	}
	return nil
}

func fillSpaces(b []byte) {
	for i := range b {
		b[i] = ' '
	}
}

// Close writes out the buffered data and, when the destination can seek,
// the case count in the header. It does not close the destination.
func (w *Writer) Close() error {
	if w.closed {
		return ErrClosed
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if w.comp != nil {
		if err := w.comp.flush(w.bw); err != nil {
			return err
		}
	}
	if err := w.bw.Flush(); err != nil {
		return err
	}
	// Patch first: a seekable file then has the true count even when the
	// promise was broken.
	if w.seeker != nil && w.cases <= math.MaxInt32 {
		if err := w.patchCount(); err != nil {
			return err
		}
	}
	if w.promised >= 0 && w.cases != w.promised {
		return fmt.Errorf("%w: wrote %d cases, promised %d", ErrCaseCount, w.cases, w.promised)
	}
	return nil
}

// patchCount overwrites the header's case count and returns to the end.
func (w *Writer) patchCount() error {
	end, err := w.seeker.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = w.seeker.Seek(w.start+caseCountOffset, io.SeekStart)
	}
	if err == nil {
		_, err = w.seeker.Write(binary.LittleEndian.AppendUint32(nil, uint32(w.cases)))
	}
	if err == nil {
		_, err = w.seeker.Seek(end, io.SeekStart)
	}
	if err != nil {
		return fmt.Errorf("spss: writing the case count: %w", err)
	}
	return nil
}

// Cases returns the number of cases written so far.
func (w *Writer) Cases() int64 { return w.cases }

// Value is one cell of a case: a number, a string, or system-missing.
// The zero Value is system-missing, so a freshly made []Value is a case
// in which nothing was answered.
type Value struct {
	kind valueKind
	num  float64
	str  string
}

type valueKind uint8

const (
	kindSysMis valueKind = iota
	kindNum
	kindStr
)

// sysmis is the bit pattern SPSS uses for the system-missing value: the
// most negative finite double (-DBL_MAX).
const sysmis = -math.MaxFloat64

// Num returns a numeric Value. NaN becomes system-missing, because SPSS
// has no NaN and a NaN in a file would show as a valid, odd number.
func Num(f float64) Value {
	if math.IsNaN(f) {
		return Value{}
	}
	return Value{kind: kindNum, num: f}
}

// Str returns a string Value. It must be valid UTF-8 and at most as many
// bytes as its variable's Width; WriteCase checks both.
func Str(s string) Value { return Value{kind: kindStr, str: s} }

// SysMis returns the system-missing Value (the zero Value). Written to a
// string variable it becomes an all-blank string, since SPSS strings have
// no system-missing state.
func SysMis() Value { return Value{} }

// IsSysMis reports whether v is system-missing.
func (v Value) IsSysMis() bool { return v.kind == kindSysMis }
