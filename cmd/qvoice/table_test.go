package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"食品", 4},
		{"婴幼儿用品（0–3岁）", 19}, // fullwidth parentheses count 2, the en dash 1
		{"ＡＢ", 4},
		{"e\u0301", 1}, // combining acute accent
		{"–", 1},
	}
	for _, tc := range tests {
		t.Run(tc.s, func(t *testing.T) {
			if got := displayWidth(tc.s); got != tc.want {
				t.Errorf("displayWidth(%q) = %d, want %d", tc.s, got, tc.want)
			}
		})
	}
}

func TestTruncateWidth(t *testing.T) {
	tests := []struct {
		s    string
		most int
		want string
	}{
		{"Household appliances", 0, "Household appliances"},
		{"Household appliances", 20, "Household appliances"},
		{"Household appliances", 12, "Household a…"},
		{"Household appliances", 11, "Household…"}, // no space before "…"
		{"药品（非处方药、处方药）", 10, "药品（非…"},
		{"药品（非处方药、处方药）", 9, "药品（非…"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			got := truncateWidth(tc.s, tc.most)
			if got != tc.want || (tc.most > 0 && displayWidth(got) > tc.most) {
				t.Errorf("truncateWidth(%q, %d) = %q, want %q", tc.s, tc.most, got, tc.want)
			}
		})
	}
}

func TestIsNumber(t *testing.T) {
	for s, want := range map[string]bool{"12": true, "-3.5": true, "45%": true, "[1.20, 3.40]": true, "[–, 3]": false,
		"NaN": false, "Inf": false, "abc": false, "1 2": false, "[1, 2": false, "": false} {
		if got := isNumber(s); got != want {
			t.Errorf("isNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestTableRender aligns Chinese and Latin text by display width and
// right-aligns numeric columns, "–" included.
func TestTableRender(t *testing.T) {
	tab := newTable("类别", "n", "mean", "95% CI")
	tab.add("食品", "3469", "4.597", "[4.578, 4.615]")
	tab.add("Household appliances", "12", noData, noData)
	tab.add("婴幼儿用品（0–3岁）", "1233", "4.2", "[4.1, 4.3]")
	var b bytes.Buffer
	if err := tab.truncate(0, 19).render(&b); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"类别                    n   mean          95% CI",
		"食品                 3469  4.597  [4.578, 4.615]",
		"Household applianc…    12      –               –",
		"婴幼儿用品（0–3岁）  1233    4.2      [4.1, 4.3]",
		""}, "\n")
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("render mismatch (-want +got):\n%s", diff)
	}
}

// TestAnalyzeTableGolden renders analyze's human table of the 10k oracle
// sample in English and Chinese.
func TestAnalyzeTableGolden(t *testing.T) {
	csvPath := filepath.Join("..", "..", "analysis", "testdata", "survey_10k.csv.gz")
	for _, lang := range []string{"en", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			code, out, errOut := runEnv(nil, "analyze", "--lang", lang, "--csv", csvPath, "--definition", demoFile)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden(t, "analyze_"+lang+".golden", out)
		})
	}
}

// TestSurveyShowGolden renders survey show of a definition file.
func TestSurveyShowGolden(t *testing.T) {
	for _, lang := range []string{"en", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			code, out, errOut := runEnv(nil, "survey", "show", demoFile, "--lang", lang)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden(t, "survey_show_"+lang+".golden", out)
		})
	}
}
