package spss

import (
	"encoding/binary"
	"math"
	"time"
)

// buf appends little-endian fields. Every record is built in memory first:
// the dictionary is small, and whole records are easy to test byte by byte.
type buf []byte

func (b buf) i32(v int32) buf { return binary.LittleEndian.AppendUint32(b, uint32(v)) }

func (b buf) f64(v float64) buf { return binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) }

// str appends s cut or space-padded to exactly n bytes; callers cut UTF-8
// text at a character boundary first.
func (b buf) str(s string, n int) buf {
	s = s[:min(len(s), n)]
	b = append(b, s...)
	for range n - len(s) {
		b = append(b, ' ')
	}
	return b
}

// Header field sizes and the offset of the case count, which Close patches.
const (
	headerLen       = 176
	caseCountOffset = 80
	productName     = "@(#) SPSS DATA FILE qvoice"
	compressionBias = 100
)

// header is the file header record ("$FL2").
type header struct {
	units      int       // nominal case size: 8-byte units per case
	compressed bool      // bytecode compression
	cases      int32     // -1 when not known up front
	created    time.Time // shown by SPSS as the creation date
	label      string    // file label, cut to 64 bytes
}

// bytes encodes the 176-byte header record.
func (h header) bytes() []byte {
	b := make(buf, 0, headerLen)
	b = append(b, "$FL2"...)
	b = b.str(productName, 60)
	b = b.i32(2) // layout code
	b = b.i32(int32(h.units))
	comp := int32(0)
	if h.compressed {
		comp = 1
	}
	b = b.i32(comp)
	b = b.i32(0) // no weight variable
	b = b.i32(h.cases)
	b = b.f64(compressionBias)
	// Go's layout always gives English month names, as SPSS expects.
	b = b.str(h.created.Format("02 Jan 06"), 9)
	b = b.str(h.created.Format("15:04:05"), 8)
	b = b.str(truncateUTF8(h.label, 64), 64)
	return append(b, 0, 0, 0)
}
