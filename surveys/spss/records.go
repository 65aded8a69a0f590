package spss

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
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

// Format type codes of print and write formats.
const (
	fmtA = 1 // string
	fmtF = 5 // fixed-point number
)

// numWidth is the width of a numeric column's F format: 8, or more when
// the decimals would leave no room for the integer part.
func numWidth(decimals int) int { return max(8, decimals+3) }

// format packs a print or write format as type<<16 | width<<8 | decimals.
func format(typ, width, decimals int) int32 {
	return int32(typ<<16 | width<<8 | decimals)
}

// variableRecords encodes a column's variable records (type 2): one per
// segment, each followed by a continuation record for every 8 bytes of
// width beyond the first.
func variableRecords(c *column) []byte {
	var b buf
	for i, s := range c.segs {
		f := format(fmtA, s.width, 0)
		if s.width == 0 {
			f = format(fmtF, numWidth(c.Decimals), c.Decimals)
		}
		hasLabel := i == 0 && c.label != ""
		b = b.i32(2).i32(int32(s.width)).i32(boolInt(hasLabel))
		nMissing := 0
		if i == 0 {
			nMissing = len(c.Missing)
		}
		b = b.i32(int32(nMissing)).i32(f).i32(f).str(s.short, 8)
		if hasLabel {
			b = b.i32(int32(len(c.label))).str(c.label, (len(c.label)+3)/4*4)
		}
		for _, m := range c.Missing[:nMissing] {
			b = b.f64(m)
		}
		for pos := 8; pos < s.width; pos += 8 {
			b = b.i32(2).i32(-1).i32(0).i32(0).i32(0).i32(0).str("", 8)
		}
	}
	return b
}

func boolInt(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// valueLabelRecords encodes the value labels as pairs of records type 3
// (the labels) and type 4 (the variables they apply to). Columns with the
// same set share one pair, which keeps a questionnaire of twenty Likert
// items to one set.
func valueLabelRecords(cols []column) []byte {
	var keys []string
	users := make(map[string][]int32)
	first := make(map[string][]ValueLabel)
	for i := range cols {
		c := &cols[i]
		if len(c.ValueLabels) == 0 {
			continue
		}
		var k strings.Builder
		for _, vl := range c.ValueLabels {
			k.WriteString(strconv.FormatUint(math.Float64bits(vl.Value), 16) + "=" + vl.Label + "\x00")
		}
		key := k.String()
		if _, ok := users[key]; !ok {
			keys = append(keys, key)
			first[key] = c.ValueLabels
		}
		users[key] = append(users[key], int32(c.unit+1)) // 1-based unit index
	}
	var b buf
	for _, key := range keys {
		labels := first[key]
		b = b.i32(3).i32(int32(len(labels)))
		for _, vl := range labels {
			l := truncateUTF8(vl.Label, MaxValueLabelLen)
			b = append(b.f64(vl.Value), byte(len(l)))
			b = b.str(l, (len(l)+1+7)/8*8-1) // length byte + label fill 8-byte units
		}
		b = b.i32(4).i32(int32(len(users[key])))
		for _, idx := range users[key] {
			b = b.i32(idx)
		}
	}
	return b
}

// documentRecord encodes the document record (type 6): 80-byte lines.
func documentRecord(lines []string) []byte {
	if len(lines) == 0 {
		return nil
	}
	b := buf{}.i32(6).i32(int32(len(lines)))
	for _, l := range lines {
		b = b.str(l, docLineLen)
	}
	return b
}

// docLineLen is the fixed length of a document line.
const docLineLen = 80

// extension starts an extension record (type 7) of count items of size bytes.
func extension(subtype, size, count int) buf {
	return buf{}.i32(7).i32(int32(subtype)).i32(int32(size)).i32(int32(count))
}

// integerInfo is subtype 3: format version, IEEE floats, little-endian,
// and character code 65001 (UTF-8).
func integerInfo() []byte {
	return extension(3, 4, 8).i32(1).i32(0).i32(0).i32(-1).i32(1).i32(1).i32(2).i32(65001)
}

// floatInfo is subtype 4: the system-missing value, HIGHEST and LOWEST.
func floatInfo() []byte {
	return extension(4, 8, 3).f64(sysmis).f64(math.MaxFloat64).f64(math.Nextafter(sysmis, 0))
}

// displayParams is subtype 11: measure, display width and alignment for
// every segment (not every variable: SPSS counts a very long string's
// segments as variables here).
func displayParams(cols []column) []byte {
	var n int
	for _, c := range cols {
		n += len(c.segs)
	}
	b := extension(11, 4, 3*n)
	for _, c := range cols {
		for i, s := range c.segs {
			width, align := int32(numWidth(c.Decimals)), int32(1) // right
			if s.width > 0 {
				width, align = int32(min(c.Width-i*segmentStep, 32)), 0 // left
			}
			b = b.i32(c.measureCode()).i32(width).i32(align)
		}
	}
	return b
}

// longNames is subtype 13, mapping short names to the real names; nil
// when every name is its own short name.
func longNames(cols []column) []byte {
	needed := false
	pairs := make([]string, len(cols))
	for i, c := range cols {
		pairs[i] = c.segs[0].short + "=" + c.Name
		needed = needed || c.segs[0].short != c.Name
	}
	if !needed {
		return nil
	}
	s := strings.Join(pairs, "\t")
	return append(extension(13, 1, len(s)), s...)
}

// veryLongStrings is subtype 14, giving the true width of every string
// wider than 255 bytes; nil when there is none.
func veryLongStrings(cols []column) []byte {
	var s strings.Builder
	for _, c := range cols {
		if len(c.segs) > 1 {
			s.WriteString(c.segs[0].short + "=" + leftPad5(c.Width) + "\x00\t")
		}
	}
	if s.Len() == 0 {
		return nil
	}
	return append(extension(14, 1, s.Len()), s.String()...)
}

func leftPad5(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", max(0, 5-len(s))) + s
}

// encodingRecord is subtype 20, naming the character encoding.
func encodingRecord() []byte {
	const enc = "UTF-8"
	return append(extension(20, 1, len(enc)), enc...)
}

// endRecord is record type 999, which ends the dictionary.
func endRecord() []byte { return buf{}.i32(999).i32(0) }
