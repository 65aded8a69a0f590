package spss

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// le spells out expected bytes: an int is an int32, a float64 is a flt64
// and a string is its bytes, all little-endian, as the format defines.
func le(parts ...any) []byte {
	var b []byte
	for _, p := range parts {
		switch v := p.(type) {
		case int:
			b = binary.LittleEndian.AppendUint32(b, uint32(int32(v)))
		case float64:
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		case string:
			b = append(b, v...)
		case []byte:
			b = append(b, v...)
		default:
			panic(p)
		}
	}
	return b
}

// rep repeats the parts n times.
func rep(n int, parts ...any) []byte { return []byte(strings.Repeat(string(le(parts...)), n)) }

func pad(s string, n int) string { return s + strings.Repeat(" ", n-len(s)) }

// contin is one continuation record of a long string.
func contin(n int) []byte { return rep(n, 2, -1, 0, 0, 0, 0, "        ") }

func TestHeader(t *testing.T) {
	created := time.Date(2025, 3, 5, 9, 3, 7, 0, time.UTC)
	for _, tc := range []struct {
		name string
		h    header
		want []byte
	}{
		{"uncompressed, count unknown", header{units: 3, cases: -1, created: created, label: "Survey"},
			le("$FL2", pad("@(#) SPSS DATA FILE qvoice", 60), 2, 3, 0, 0, -1, 100.0,
				"05 Mar 25", "09:03:07", pad("Survey", 64), "\x00\x00\x00")},
		// 22 three-byte characters are 66 bytes: the label keeps 21 (63 bytes).
		{"compressed, label cut at a character", header{units: 130, compressed: true, cases: 1000, created: created, label: strings.Repeat("调", 22)},
			le("$FL2", pad("@(#) SPSS DATA FILE qvoice", 60), 2, 130, 1, 0, 1000, 100.0,
				"05 Mar 25", "09:03:07", pad(strings.Repeat("调", 21), 64), "\x00\x00\x00")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.h.bytes()
			if len(got) != headerLen {
				t.Errorf("header is %d bytes, want %d", len(got), headerLen)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestVariableRecords(t *testing.T) {
	const (
		f80 = 0x050800 // F8.0
		f82 = 0x050802 // F8.2
	)
	for _, tc := range []struct {
		name string
		v    Variable
		want []byte
	}{
		{"numeric", Variable{Name: "AGE"}, le(2, 0, 0, 0, f80, f80, "AGE     ")},
		{"label padded to 4, missing values", Variable{Name: "q1", Label: "满意", Decimals: 2, Missing: []float64{98, 99}},
			le(2, 0, 1, 2, f82, f82, "Q1      ", 6, "满意  ", 98.0, 99.0)},
		{"eight-byte string needs no continuation", Variable{Name: "s8", Width: 8}, le(2, 8, 0, 0, 0x010800, 0x010800, "S8      ")},
		{"long string", Variable{Name: "city", Width: 20},
			le(2, 20, 0, 0, 0x011400, 0x011400, "CITY    ", contin(2))},
		{"very long string: segments 255, 255, 96", Variable{Name: "comment", Width: 600},
			le(2, 255, 0, 0, 0x01ff00, 0x01ff00, "COMMENT ", contin(31),
				2, 255, 0, 0, 0x01ff00, 0x01ff00, "COMME1  ", contin(31),
				2, 96, 0, 0, 0x016000, 0x016000, "COMME2  ", contin(11))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cols, err := newColumns([]Variable{tc.v})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, variableRecords(&cols[0])); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValueLabelRecords(t *testing.T) {
	yes := []ValueLabel{{1, "是"}, {2, "no"}}
	long := strings.Repeat("很", 41) // 123 bytes; 40 characters (120 bytes) kept
	cols, err := newColumns([]Variable{
		{Name: "a", ValueLabels: yes},
		{Name: "s", Width: 9}, // two units: b below is at unit 4
		{Name: "b", ValueLabels: yes},
		{Name: "c", ValueLabels: []ValueLabel{{-1, long}}},
		{Name: "d"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := le(
		// The set of a and b, written once: length byte + label fill
		// whole 8-byte units, padded with spaces.
		3, 2, 1.0, "\x03是    ", 2.0, "\x02no     ",
		4, 2, 1, 4,
		3, 1, -1.0, "\x78"+strings.Repeat("很", 40)+"       ",
		4, 1, 5,
	)
	if diff := cmp.Diff(want, valueLabelRecords(cols)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestExtensionRecords(t *testing.T) {
	cols, err := newColumns([]Variable{
		{Name: "id"},
		{Name: "q1", Measure: Ordinal, Decimals: 7},
		{Name: "Text", Width: 300},
		{Name: "CODE", ValueLabels: []ValueLabel{{1, "x"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	upper, err := newColumns([]Variable{{Name: "ID"}, {Name: "S", Width: 4}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		got, want []byte
	}{
		{"integer info", integerInfo(), le(7, 3, 4, 8, 1, 0, 0, -1, 1, 1, 2, 65001)},
		{"float info", floatInfo(), le(7, 4, 8, 3,
			"\xff\xff\xff\xff\xff\xff\xef\xff", "\xff\xff\xff\xff\xff\xff\xef\x7f", "\xfe\xff\xff\xff\xff\xff\xef\xff")},
		{"display parameters, one set per segment", displayParams(cols), le(7, 11, 4, 15,
			3, 8, 1, // id: scale, F8, right
			2, 10, 1, // q1: ordinal, F10.7
			1, 32, 0, 1, 32, 0, // Text: nominal, left, two segments
			1, 8, 1)}, // CODE: labelled, so nominal
		{"long names", longNames(cols), le(7, 13, 1, 31, "ID=id\tQ1=q1\tTEXT=Text\tCODE=CODE")},
		{"no long names when all are short upper-case", longNames(upper), nil},
		{"very long strings", veryLongStrings(cols), le(7, 14, 1, 12, "TEXT=00300\x00\t")},
		{"no very long strings", veryLongStrings(upper), nil},
		{"encoding", encodingRecord(), le(7, 20, 1, 5, "UTF-8")},
		{"documents", documentRecord([]string{"line one", "第二行"}), le(6, 2, pad("line one", 80), pad("第二行", 80))},
		{"no documents", documentRecord(nil), nil},
		{"end of dictionary", endRecord(), le(999, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
