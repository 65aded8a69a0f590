package spss

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// unit is one 8-byte unit of a case image with its kind.
type unit struct {
	num  bool
	data []byte
}

func n(f float64) unit  { return unit{true, le(f)} }
func s(s string) unit   { return unit{false, []byte(s)} }
func ops(b ...byte) any { return string(b) }

func TestCompressor(t *testing.T) {
	for _, tc := range []struct {
		name  string
		units []unit
		want  []byte
	}{
		{"small integers are opcode value+100", []unit{n(0), n(1), n(-99), n(151)},
			le(ops(100, 101, 1, 251, 0, 0, 0, 0))},
		{"other numbers follow as raw units", []unit{n(-100), n(152), n(2.5), n(1e9)},
			le(ops(253, 253, 253, 253, 0, 0, 0, 0), -100.0, 152.0, 2.5, 1e9)},
		{"system-missing", []unit{n(sysmis)}, le(ops(255, 0, 0, 0, 0, 0, 0, 0))},
		{"blank string units, other string units raw", []unit{s("        "), s("ab      "), s("12345678")},
			le(ops(254, 253, 253, 0, 0, 0, 0, 0), "ab      12345678")},
		{"a ninth unit starts a new block", []unit{n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(0.5), n(9)},
			le(ops(101, 102, 103, 104, 105, 106, 107, 253), 0.5, ops(109, 0, 0, 0, 0, 0, 0, 0))},
		{"eight units fill a block exactly", []unit{n(1), n(1), n(1), n(1), n(1), n(1), n(1), s("x       ")},
			le(ops(101, 101, 101, 101, 101, 101, 101, 253), "x       ")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var img []byte
			var numeric []bool
			for _, u := range tc.units {
				img = append(img, u.data...)
				numeric = append(numeric, u.num)
			}
			var out bytes.Buffer
			var c compressor
			if err := c.writeCase(&out, img, numeric); err != nil {
				t.Fatal(err)
			}
			if err := c.flush(&out); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, out.Bytes()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestCompressorAcrossCases checks that blocks run on across cases, as the
// format requires: a case does not start a new block.
func TestCompressorAcrossCases(t *testing.T) {
	var out bytes.Buffer
	var c compressor
	for _, f := range []float64{1, 2, 3} {
		if err := c.writeCase(&out, le(f, "  "+"      "), []bool{true, false}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.flush(&out); err != nil {
		t.Fatal(err)
	}
	want := le(ops(101, 254, 102, 254, 103, 254, 0, 0))
	if diff := cmp.Diff(want, out.Bytes()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
