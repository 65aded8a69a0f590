package exchange_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/exchange"
	"github.com/qvoice/qvoice/surveys/internal/pspptest"
)

func readAllCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestSAVReadByPSPP exports 600 responses as .sav and reads the file with
// PSPP, an independent reader: every value must come back as the codebook
// says (codes as numbers, na as 99, multi-choices as 0/1 variables) and the
// labels must be intact.
func TestSAVReadByPSPP(t *testing.T) {
	convert := pspptest.Need(t, "pspp-convert")
	pspp := pspptest.Need(t, "pspp")
	d := demoDefinition(t)
	l := exchange.NewLayout(d)
	st := newStore(t)
	mustImport(t, st, l, csvSource(oracleCSV(t, 600)), exchange.ImportOptions{BindOptions: exchange.BindOptions{AssumeConsent: true}})
	text := exportCSV(t, st, l)

	dir := t.TempDir()
	sav := filepath.Join(dir, "export.sav")
	f, err := os.Create(sav)
	if err != nil {
		t.Fatal(err)
	}
	w, err := exchange.NewSAVWriter(f, l, "zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.Export(context.Background(), st, l, surveys.Filter{}, w, nil); err != nil {
		t.Fatal(err)
	}
	f.Close()
	pspptest.Run(t, convert, sav, filepath.Join(dir, "values.csv"))
	pspptest.Run(t, convert, "--labels", sav, filepath.Join(dir, "labels.csv"))

	want, err := csv.NewReader(bytes.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	values := readAllCSV(t, filepath.Join(dir, "values.csv"))
	labels := readAllCSV(t, filepath.Join(dir, "labels.csv"))
	if len(values) != len(want) || len(labels) != len(want) {
		t.Fatalf("PSPP read %d and %d rows, want %d", len(values), len(labels), len(want))
	}
	col := func(name string) int {
		i := slices.Index(values[0], name)
		if i < 0 {
			t.Fatalf("PSPP has no variable %s; it has %v", name, values[0])
		}
		return i
	}
	venueCode := map[string]string{"community": "1", "school": "2", "township": "3", "online": "4", "other": "5"}
	for r := 1; r < len(want); r++ {
		for c, name := range want[0] {
			cell := want[r][c]
			f := d.Field(name)
			switch {
			case f != nil && f.Kind == surveys.KindMulti:
				chosen := strings.Split(cell, ";")
				for _, o := range f.Options {
					exp := ""
					if cell != "" {
						exp = "0"
						if slices.Contains(chosen, o.Value) {
							exp = "1"
						}
					}
					sameNumber(t, r, name+"_"+o.Value, exp, values[r][col(name+"_"+o.Value)])
				}
			case f != nil && f.Kind == surveys.KindScale:
				if cell == "na" {
					cell = "99"
				}
				sameNumber(t, r, name, cell, values[r][col(name)])
			case name == exchange.ColVenue:
				sameNumber(t, r, name, venueCode[cell], values[r][col(name)])
			case name == exchange.ColWeight || name == exchange.ColDuration:
				sameNumber(t, r, name, cell, values[r][col(name)])
			case f != nil && f.Kind == surveys.KindChoice:
				sameNumber(t, r, name, savChoice(f, cell), values[r][col(name)])
			default:
				if got := strings.TrimRight(values[r][col(name)], " "); got != cell {
					t.Errorf("row %d %s = %q, want %q", r, name, got, cell)
				}
			}
		}
		if got, wantLabel := labels[r][col(exchange.ColVenue)], map[string]string{
			"community": "进社区 [community]", "school": "进校园 [school]", "township": "进乡镇 [township]", "online": "线上 [online]",
		}[want[r][2]]; got != wantLabel {
			t.Errorf("row %d venue label = %q, want %q", r, got, wantLabel)
		}
	}
	// The dictionary: a variable label, value labels and the user-missing code.
	sps := filepath.Join(dir, "dict.sps")
	out := filepath.Join(dir, "dict.csv")
	os.WriteFile(sps, []byte("GET FILE='"+sav+"'.\nDISPLAY DICTIONARY /VARIABLES=food_sat_safety household_none.\n"), 0o644)
	pspptest.Run(t, pspp, "-O", "format=csv", "-o", out, sps)
	dict, _ := os.ReadFile(out)
	for _, s := range []string{"食品（含农产品、包装食品） · 安全卫生", "满意程度", "99", "不了解/未使用", "很满意", "已选"} {
		if !bytes.Contains(dict, []byte(s)) {
			t.Errorf("DISPLAY DICTIONARY lacks %q:\n%s", s, dict)
		}
	}
}

// sameNumber compares a PSPP number (F8.2 prints 1.35 as 1.35, F8.0 as 5)
// with the exported cell; empty means system-missing, which PSPP writes as
// a blank.
func sameNumber(t *testing.T, row int, name, want, got string) {
	t.Helper()
	got = strings.TrimSpace(got)
	if want == "" || got == "" {
		if want != got {
			t.Errorf("row %d %s = %q, want %q", row, name, got, want)
		}
		return
	}
	w, err1 := strconv.ParseFloat(want, 64)
	g, err2 := strconv.ParseFloat(got, 64)
	if err1 != nil || err2 != nil || w != g {
		t.Errorf("row %d %s = %q, want %q", row, name, got, want)
	}
}

// savChoice is the number a choice's code is written as: a plain whole
// number as itself; the other codes after the largest such number, or from
// 1, in option order.
func savChoice(f *surveys.Field, code string) string {
	if code == "" {
		return ""
	}
	next := 1
	for _, o := range f.Options {
		if n, err := strconv.Atoi(o.Value); err == nil && strconv.Itoa(n) == o.Value {
			next = max(next, n+1)
		}
	}
	for _, o := range f.Options {
		n, err := strconv.Atoi(o.Value)
		whole := err == nil && strconv.Itoa(n) == o.Value
		if o.Value == code {
			if whole {
				return o.Value
			}
			return strconv.Itoa(next)
		}
		if !whole {
			next++
		}
	}
	return "not an option"
}
