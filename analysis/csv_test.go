package analysis_test

import (
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

type csvRow struct {
	Answers surveys.Answers
	Other   map[string]string
}

func readAll(d *surveys.Definition, src string) ([]csvRow, error) {
	var rows []csvRow
	err := analysis.ReadCSV(d, strings.NewReader(src), func(ans surveys.Answers, other map[string]string) error {
		rows = append(rows, csvRow{ans, other})
		return nil
	})
	return rows, err
}

// TestReadCSV reads the oracle's input format (../shared/oracle/README.md
// §3): header row, RFC 4180 quoting, empty = missing, "na" = not used,
// ';'-joined multi-choice, non-field columns passed through.
func TestReadCSV(t *testing.T) {
	src := "\uFEFFresponse_code,rate_categories,tea_imp_safety,tea_sat_safety,tea_sat_price_value,comment,design_wt\n" +
		"K7Q2-9XHD,tea,5,na,,\"a, \"\"quoted\"\"\nline，全角\",1.35\n" +
		"ABCD-2345,,,,3,,0.8\n" +
		"WXYZ-6789,tea;coffee, 4 ,2,1,ok,1.6875\n"
	got, err := readAll(tinyDefinition(t), src)
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	want := []csvRow{
		{surveys.Answers{"rate_categories": []string{"tea"}, "tea_imp_safety": 5, "tea_sat_safety": "na",
			"comment": "a, \"quoted\"\nline，全角"},
			map[string]string{"response_code": "K7Q2-9XHD", "design_wt": "1.35"}},
		{surveys.Answers{"tea_sat_price_value": 3},
			map[string]string{"response_code": "ABCD-2345", "design_wt": "0.8"}},
		{surveys.Answers{"rate_categories": []string{"tea", "coffee"}, "tea_imp_safety": 4, "tea_sat_safety": 2,
			"tea_sat_price_value": 1, "comment": "ok"},
			map[string]string{"response_code": "WXYZ-6789", "design_wt": "1.6875"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadCSV mismatch (-want +got):\n%s", diff)
	}
}

func TestReadCSVErrors(t *testing.T) {
	const header = "response_code,tea_imp_safety,comment\n"
	for _, tc := range []struct {
		name, src    string
		line         int
		column, text string
	}{
		{"not an integer", header + "a,4,x\nb,4.5,y\n", 3, "tea_imp_safety", `"4.5" is not an integer or "na"`},
		{"after a multi-line cell", header + "a,4,\"two\nlines\"\nb,five,y\n", 4, "tea_imp_safety", `"five" is not an integer`},
		{"outside the scale", header + "a,0,x\n", 2, "tea_imp_safety", "0 is outside the scale 1–5"},
		{"duplicate column", "comment,tea_imp_safety,comment\n", 1, "comment", "duplicate column"},
		{"no header", "", 1, "", "no header row"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(tinyDefinition(t), tc.src)
			var ce *analysis.CSVError
			if !errors.As(err, &ce) {
				t.Fatalf("ReadCSV error = %v, want a *CSVError", err)
			}
			if ce.Line != tc.line || ce.Column != tc.column || !strings.Contains(ce.Error(), tc.text) {
				t.Errorf("error = %q (line %d, column %q), want line %d, column %q, containing %q",
					ce, ce.Line, ce.Column, tc.line, tc.column, tc.text)
			}
		})
	}
}

func TestReadCSVRagged(t *testing.T) {
	_, err := readAll(tinyDefinition(t), "a,b\n1,2\n3\n")
	var pe *csv.ParseError
	if !errors.As(err, &pe) || pe.Line != 3 {
		t.Errorf("ReadCSV(ragged) = %v, want a *csv.ParseError on line 3", err)
	}
}

// TestReadCSVCallbackError stops at the callback's error and reports its line.
func TestReadCSVCallbackError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := analysis.ReadCSV(tinyDefinition(t), strings.NewReader("comment\nx\ny\nz\n"),
		func(ans surveys.Answers, _ map[string]string) error {
			calls++
			if ans.Code("comment") == "y" {
				return stop
			}
			return nil
		})
	var ce *analysis.CSVError
	if !errors.Is(err, stop) || !errors.As(err, &ce) || ce.Line != 3 || calls != 2 {
		t.Errorf("ReadCSV = %v after %d calls, want stop on line 3 after 2 calls", err, calls)
	}
}
