package spss

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys/internal/pspptest"
)

// psppTables runs a PSPP syntax file with CSV output and returns its
// tables by title ("Table: Variables" becomes "Variables").
func psppTables(t *testing.T, syntax string) map[string][][]string {
	t.Helper()
	pspp := pspptest.Need(t, "pspp")
	dir := t.TempDir()
	sps, out := filepath.Join(dir, "t.sps"), filepath.Join(dir, "out.csv")
	if err := os.WriteFile(sps, []byte(syntax), 0o644); err != nil {
		t.Fatal(err)
	}
	pspptest.Run(t, pspp, "-O", "format=csv", "-o", out, sps)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	tables := make(map[string][][]string)
	for _, block := range strings.Split(strings.TrimSpace(string(b)), "\n\n") {
		title, body, _ := strings.Cut(block, "\n")
		r := csv.NewReader(strings.NewReader(body))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		tables[strings.TrimPrefix(title, "Table: ")] = rows
	}
	return tables
}

func TestPSPPDictionary(t *testing.T) {
	pspptest.Need(t, "pspp")
	sav := writeFixture(t, filepath.Join(t.TempDir(), "fixture.sav"), WithDocument("qvoice export", "第二行"))
	got := psppTables(t, "GET FILE='"+sav+"'.\nDISPLAY DICTIONARY.\nDISPLAY DOCUMENTS.\nDISPLAY FILE LABEL.\n")

	long := strings.Repeat("长", 85) // 255 of the label's 300 bytes
	likert := [][]string{
		{"", "1", "非常不满意"}, {"", "2", "不满意"}, {"", "3", "一般"},
		{"", "4", "满意"}, {"", "5", "非常满意"}, {"", "99[a]", "不了解/未使用 (na)"},
	}
	labelled := func(varLabel string) [][]string {
		out := [][]string{{varLabel, likert[0][1], likert[0][2]}}
		return append(out, likert[1:]...)
	}
	valueLabels := [][]string{{"Variable Value", "", "Label"}}
	valueLabels = append(valueLabels, labelled("总体满意度 (overall)")...)
	valueLabels = append(valueLabels, labelled(`食品安全, "重要性"`)...)
	valueLabels = append(valueLabels, []string{long, "1", strings.Repeat("品牌", 20)}, []string{"Footnote: a. User-missing value"})

	want := map[string][][]string{
		"Variables": {
			{"Name", "Position", "Label", "Measurement Level", "Role", "Width", "Alignment", "Print Format", "Write Format", "Missing Values"},
			{"id", "1", "受访者编号", "Scale", "Input", "8", "Right", "F8.0", "F8.0", ""},
			{"q1", "2", "总体满意度 (overall)", "Ordinal", "Input", "8", "Right", "F8.0", "F8.0", "99"},
			{"q2_food_safety_importance", "3", `食品安全, "重要性"`, "Ordinal", "Input", "8", "Right", "F8.0", "F8.0", "99"},
			{"Score.Mean", "4", "平均分", "Scale", "Input", "8", "Right", "F8.2", "F8.2", ""},
			{"city", "5", "城市", "Nominal", "Input", "20", "Left", "A20", "A20", ""},
			{"comment", "6", "意见 (300)", "Nominal", "Input", "32", "Left", "A300", "A300", ""},
			{"comment_long", "7", "详细意见 (600)", "Nominal", "Input", "32", "Left", "A600", "A600", ""},
			{"empty", "8", "", "Nominal", "Input", "8", "Left", "A8", "A8", ""},
			{"LONGLAB", "9", long, "Nominal", "Input", "8", "Right", "F8.0", "F8.0", ""},
		},
		"Value Labels": valueLabels,
		"Documents":    {{"qvoice export\n第二行"}},
		"File Label":   {{"Label", "质量调查 2025"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DISPLAY DICTIONARY (-want +got):\n%s", diff)
	}
}

// onlyWriter hides every method but Write, like a pipe or an HTTP response.
type onlyWriter struct{ w *bytes.Buffer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }

// TestPSPPCaseCount checks the header's case count as PSPP reports it: patched
// in by Close on a seekable file, promised with WithCaseCount, or "unknown"
// (-1) when neither, which PSPP reads without complaint.
func TestPSPPCaseCount(t *testing.T) {
	for _, tc := range []struct {
		name     string
		seekable bool
		opts     []Option
		want     string
	}{
		{"seekable file", true, nil, "3"},
		{"stream with promised count", false, []Option{WithCaseCount(3)}, "3"},
		{"stream", false, nil, "Unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pspptest.Need(t, "pspp")
			sav := filepath.Join(t.TempDir(), "x.sav")
			if tc.seekable {
				writeFixture(t, sav, tc.opts...)
			} else {
				var b bytes.Buffer
				writeCases(t, onlyWriter{&b}, fixtureVars(), fixtureCases(), tc.opts...)
				if err := os.WriteFile(sav, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			info := psppTables(t, "SYSFILE INFO FILE='"+sav+"'.\n")["File Information"]
			var got string
			for _, row := range info {
				if len(row) == 2 && row[0] == "Cases" {
					got = row[1]
				}
			}
			if got != tc.want {
				t.Errorf("SYSFILE INFO Cases = %q, want %q\n%v", got, tc.want, info)
			}
		})
	}
}
