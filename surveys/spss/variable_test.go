package spss

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"q1", true},
		{"Q1_a.b@c#d$e", true},
		{strings.Repeat("x", 64), true},
		{"with_me", true}, // only the whole word is reserved
		{"", false},
		{strings.Repeat("x", 65), false},
		{"1q", false},
		{"_q", false},
		{"$sys", false},
		{"q-1", false},
		{"q 1", false},
		{"满意度", false},
		{"q1.", false},
		{"with", false},
		{"To", false},
		{"ALL", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkName(tc.name)
			if got := err == nil; got != tc.ok {
				t.Fatalf("checkName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrName) {
				t.Errorf("error %v does not wrap ErrName", err)
			}
		})
	}
}

func TestNewColumnsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		vars []Variable
		want error
	}{
		{"no variables", nil, ErrVariable},
		{"bad name", []Variable{{Name: "1x"}}, ErrName},
		{"names differ only in case", []Variable{{Name: "Q1"}, {Name: "q1"}}, ErrName},
		{"negative width", []Variable{{Name: "s", Width: -1}}, ErrVariable},
		{"width over 32767", []Variable{{Name: "s", Width: 32768}}, ErrVariable},
		{"decimals over 16", []Variable{{Name: "x", Decimals: 17}}, ErrVariable},
		{"negative decimals", []Variable{{Name: "x", Decimals: -1}}, ErrVariable},
		{"unknown measure", []Variable{{Name: "x", Measure: 9}}, ErrVariable},
		{"four missing values", []Variable{{Name: "x", Missing: []float64{1, 2, 3, 4}}}, ErrVariable},
		{"NaN missing value", []Variable{{Name: "x", Missing: []float64{math.NaN()}}}, ErrVariable},
		{"string with missing values", []Variable{{Name: "s", Width: 2, Missing: []float64{1}}}, ErrVariable},
		{"string with value labels", []Variable{{Name: "s", Width: 2, ValueLabels: []ValueLabel{{1, "a"}}}}, ErrVariable},
		{"two labels for one value", []Variable{{Name: "x", ValueLabels: []ValueLabel{{1, "a"}, {1, "b"}}}}, ErrVariable},
		{"infinite labelled value", []Variable{{Name: "x", ValueLabels: []ValueLabel{{math.Inf(1), "a"}}}}, ErrVariable},
		{"label not UTF-8", []Variable{{Name: "x", Label: "\xff"}}, ErrVariable},
		{"value label not UTF-8", []Variable{{Name: "x", ValueLabels: []ValueLabel{{1, "\xc3"}}}}, ErrVariable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newColumns(tc.vars)
			if !errors.Is(err, tc.want) {
				t.Errorf("newColumns = %v, want an error wrapping %v", err, tc.want)
			}
		})
	}
}

func TestShortNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		vars []Variable
		want [][]string // per variable, per segment
	}{
		{"upper-cased and cut to 8 bytes",
			[]Variable{{Name: "q1"}, {Name: "satisfaction_overall"}},
			[][]string{{"Q1"}, {"SATISFAC"}}},
		{"clashes get a number",
			[]Variable{{Name: "satisfaction_a"}, {Name: "satisfaction_b"}, {Name: "satisfaction_c"}},
			[][]string{{"SATISFAC"}, {"SATISFA1"}, {"SATISFA2"}}},
		{"a variable keeps its own name before another's cut name takes it",
			[]Variable{{Name: "abcdefgh_x"}, {Name: "ABCDEFGH"}},
			[][]string{{"ABCDEFGH"}, {"ABCDEFG1"}}},
		{"no trailing period, no reserved word",
			[]Variable{{Name: "q1234567.x"}, {Name: "TO.......x"}},
			[][]string{{"Q1234567"}, {"TO.....1"}}},
		{"segments come after every first name",
			[]Variable{{Name: "text", Width: 600}, {Name: "TEXT1"}},
			[][]string{{"TEXT", "TEXT11", "TEXT2"}, {"TEXT1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cols, err := newColumns(tc.vars)
			if err != nil {
				t.Fatal(err)
			}
			var got [][]string
			for _, c := range cols {
				var names []string
				for _, s := range c.segs {
					names = append(names, s.short)
				}
				got = append(got, names)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSegments(t *testing.T) {
	for _, tc := range []struct {
		width         int
		widths, units []int
	}{
		{0, []int{0}, []int{1}},
		{1, []int{1}, []int{1}},
		{8, []int{8}, []int{1}},
		{9, []int{9}, []int{2}},
		{255, []int{255}, []int{32}},
		{256, []int{255, 4}, []int{32, 1}},
		{504, []int{255, 252}, []int{32, 32}},
		{600, []int{255, 255, 96}, []int{32, 32, 12}},
		// The format's own example: 80 segments, the last 92 bytes wide.
		{20000, append(repeatInt(255, 79), 92), append(repeatInt(32, 79), 12)},
	} {
		var widths, units []int
		for _, s := range segments(tc.width) {
			widths, units = append(widths, s.width), append(units, s.units)
		}
		if diff := cmp.Diff(tc.widths, widths); diff != "" {
			t.Errorf("segments(%d) widths (-want +got):\n%s", tc.width, diff)
		}
		if diff := cmp.Diff(tc.units, units); diff != "" {
			t.Errorf("segments(%d) units (-want +got):\n%s", tc.width, diff)
		}
	}
}

func repeatInt(v, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func TestTruncateUTF8(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"满意度", 9, "满意度"},
		{"满意度", 8, "满意"},
		{"满意度", 7, "满意"},
		{"满意度", 6, "满意"},
		{"满意度", 2, ""},
		{"a满", 3, "a"},
	} {
		if got := truncateUTF8(tc.s, tc.n); got != tc.want {
			t.Errorf("truncateUTF8(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestMeasureCode(t *testing.T) {
	labels := []ValueLabel{{1, "a"}}
	for _, tc := range []struct {
		name string
		v    Variable
		want int32
	}{
		{"numeric defaults to scale", Variable{}, 3},
		{"labelled numeric defaults to nominal", Variable{ValueLabels: labels}, 1},
		{"string defaults to nominal", Variable{Width: 4}, 1},
		{"explicit ordinal", Variable{Measure: Ordinal, ValueLabels: labels}, 2},
		{"explicit scale", Variable{Measure: Scale, ValueLabels: labels}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.v.measureCode(); got != tc.want {
				t.Errorf("measureCode = %d, want %d", got, tc.want)
			}
		})
	}
}
