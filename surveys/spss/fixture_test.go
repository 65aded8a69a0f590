package spss

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// satisfaction is the five-point label set of the quality questionnaire,
// with 99 for "don't know / not used".
func satisfaction() []ValueLabel {
	return []ValueLabel{
		{1, "非常不满意"}, {2, "不满意"}, {3, "一般"}, {4, "满意"}, {5, "非常满意"},
		{99, "不了解/未使用 (na)"},
	}
}

// fixtureVars covers what an export has: numbers with labels, codes and a
// missing value, a long name, short and very long strings.
func fixtureVars() []Variable {
	return []Variable{
		{Name: "id", Label: "受访者编号", Measure: Scale},
		{Name: "q1", Label: "总体满意度 (overall)", Measure: Ordinal, ValueLabels: satisfaction(), Missing: []float64{99}},
		{Name: "q2_food_safety_importance", Label: "食品安全, \"重要性\"", Measure: Ordinal, ValueLabels: satisfaction(), Missing: []float64{99}},
		{Name: "Score.Mean", Label: "平均分", Decimals: 2},
		{Name: "city", Label: "城市", Width: 20},
		{Name: "comment", Label: "意见 (300)", Width: 300},
		{Name: "comment_long", Label: "详细意见 (600)", Width: 600},
		{Name: "empty", Width: 8, Measure: Nominal},
		// Labels longer than SPSS keeps: cut at a character boundary.
		{Name: "LONGLAB", Label: strings.Repeat("长", 100), ValueLabels: []ValueLabel{{1, strings.Repeat("品牌", 30)}}},
	}
}

// fixtureCreated is the fixed creation time of fixture files.
func fixtureCreated() time.Time { return time.Date(2025, 3, 15, 9, 30, 5, 0, time.UTC) }

// text300 and text600 are long answers with Chinese, commas and quotes.
// Each has a three-byte character straddling byte 255, where the first
// segment of a very long string ends, and text600 another straddling
// byte 510, where the second ends.
func text300() string {
	s := strings.Repeat("a", 253) + "质量, \"好\"" // 质 is bytes 253–255
	return s + strings.Repeat("x", 300-len(s))
}

func text600() string {
	// 品 number 1 is bytes 254–256, number 86 is bytes 509–511.
	s := strings.Repeat("食", 84) + "ab" + strings.Repeat("品", 90) + `,"c"`
	return s + strings.Repeat("z", 600-len(s))
}

// fixtureCases are the cases of the fixture file.
func fixtureCases() [][]Value {
	return [][]Value{
		{Num(1), Num(5), Num(4), Num(4.25), Str("北京"), Str(text300()), Str(text600()), Str(""), Num(1)},
		{Num(2), Num(99), SysMis(), Num(-1.5), Str(`Shanghai, "SH"`), Str(""), Str("短, 'ok'"), SysMis(), Num(2)},
		{Num(3), SysMis(), Num(1), SysMis(), Str(""), Str("line"), Str(""), Str("12345678"), SysMis()},
	}
}

// writeFixture writes the fixture file to path and returns the path.
func writeFixture(t *testing.T, path string, opts ...Option) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	writeCases(t, f, fixtureVars(), fixtureCases(), opts...)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeCases writes a whole file to w with the fixture's creation time
// and file label, failing the test on any error.
func writeCases(t testing.TB, w io.Writer, vars []Variable, cases [][]Value, opts ...Option) {
	t.Helper()
	opts = append([]Option{WithCreated(fixtureCreated()), WithFileLabel("质量调查 2025")}, opts...)
	sw, err := NewWriter(w, vars, opts...)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		if err := sw.WriteCase(c); err != nil {
			t.Fatalf("case %d: %v", i+1, err)
		}
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
}
