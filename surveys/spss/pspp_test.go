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

// These tests read the writer's files back with GNU PSPP, a reader written
// independently of this package (Debian package pspp; 1.6.2 when written).

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
	return rows
}

// wantCSV is the fixture as pspp-convert writes it: numbers in their
// print format, system-missing as one space, strings without padding,
// and with labels (--labels) codes replaced by their value labels.
func wantCSV(labels bool) [][]string {
	code := func(n, label string) string {
		if labels {
			return label
		}
		return n
	}
	brand := strings.Repeat("品牌", 20) // 120 bytes of the 180
	return [][]string{
		{"id", "q1", "q2_food_safety_importance", "Score.Mean", "city", "comment", "comment_long", "empty", "LONGLAB"},
		{"1", code("5", "非常满意"), code("4", "满意"), "4.25", "北京", text300(), text600(), "", code("1", brand)},
		{"2", code("99", "不了解/未使用 (na)"), " ", "-1.5", `Shanghai, "SH"`, "", "短, 'ok'", "", "2"},
		{"3", " ", code("1", "非常不满意"), " ", "", "line", "", "12345678", " "},
	}
}

func TestPSPPConvert(t *testing.T) {
	convert := pspptest.Need(t, "pspp-convert")
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"uncompressed", nil},
		{"compressed", []Option{WithCompression()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			sav := writeFixture(t, filepath.Join(dir, "fixture.sav"), tc.opts...)
			for _, labels := range []bool{false, true} {
				out := filepath.Join(dir, "out.csv")
				args := []string{sav, out}
				if labels {
					args = append([]string{"--labels"}, args...)
				}
				pspptest.Run(t, convert, args...)
				if diff := cmp.Diff(wantCSV(labels), readCSV(t, out)); diff != "" {
					t.Errorf("pspp-convert labels=%v (-want +got):\n%s", labels, diff)
				}
			}
		})
	}
}
