package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/surveys/demo"
)

// mustRun runs a command and fails the test unless it exits with want.
func mustRun(t *testing.T, want int, args ...string) string {
	t.Helper()
	code, out, errOut := qvoice(t.Context(), args...)
	if code != want {
		t.Fatalf("qvoice %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out + errOut
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestResearcherRoundTrip is the round trip through the CLI: demo
// generate → export CSV → import into an empty store → export again gives
// the same bytes; the same through XLSX and JSON; and the SPSS export with
// its codebook is written.
func TestResearcherRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	mustRun(t, 0, "demo", "generate", "--data", src, "--n", "400", "--seed", "3", "--store")
	first := filepath.Join(dir, "first.csv")
	out := mustRun(t, 0, "export", "--data", src, "--survey", demo.Slug, "--out", first)
	for _, name := range []string{"first.codebook.csv", "first.codebook.md", "first.load.R"} {
		if !strings.Contains(out, name) {
			t.Errorf("export did not list %s:\n%s", name, out)
		}
		readFile(t, filepath.Join(dir, name))
	}
	for _, kind := range []string{"csv", "xlsx", "json"} {
		t.Run(kind, func(t *testing.T) {
			file := filepath.Join(dir, "via."+kind)
			mustRun(t, 0, "export", "--data", src, "--survey", demo.Slug, "--out", file, "--no-codebook")
			dst := filepath.Join(dir, "dst-"+kind)
			mustRun(t, 0, "survey", "import", "--data", dst, "../../surveys/demo/quality-month-demo.yaml")
			mustRun(t, 0, "import", "--data", dst, "--survey", demo.Slug, file)
			again := filepath.Join(dir, "again-"+kind+".csv")
			mustRun(t, 0, "export", "--data", dst, "--survey", demo.Slug, "--out", again)
			if !bytes.Equal(readFile(t, first), readFile(t, again)) {
				t.Errorf("CSV after a round trip through %s differs from the first export", kind)
			}
			// Importing the same file again stores nothing.
			out := mustRun(t, 0, "import", "--data", dst, "--survey", demo.Slug, "--format", "json", file)
			if !strings.Contains(out, `"already_stored": 400`) || !strings.Contains(out, `"stored": 0`) {
				t.Errorf("second import:\n%s", out)
			}
		})
	}
	sav := filepath.Join(dir, "spss.sav")
	mustRun(t, 0, "export", "--data", src, "--survey", demo.Slug, "--out", sav, "--lang", "zh-CN")
	if b := readFile(t, sav); !bytes.HasPrefix(b, []byte("$FL2")) {
		t.Errorf("%s is not an SPSS system file", sav)
	}
	if md := readFile(t, filepath.Join(dir, "spss.codebook.md")); !bytes.Contains(md, []byte("# 编码簿")) || !bytes.Contains(md, []byte("household_none")) {
		t.Errorf("SPSS codebook is not in Chinese or lacks the dichotomies")
	}
}

// TestImportExitCodes: refused rows give exit 3 with a rejects file;
// --strict and --dry-run store nothing; a bad header or flag is not a
// runtime failure.
func TestImportExitCodes(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mustRun(t, 0, "survey", "import", "--data", data, "../../surveys/demo/quality-month-demo.yaml")
	broken := filepath.Join(dir, "broken.csv")
	os.WriteFile(broken, readFile(t, "../../surveys/exchange/testdata/broken.csv"), 0o644)
	count := func() string {
		return mustRun(t, 0, "survey", "list", "--data", data, "--format", "csv")
	}
	out := mustRun(t, 3, "import", "--data", data, "--survey", demo.Slug, "--strict", broken)
	if !strings.Contains(out, "22 of 25 rows refused, nothing stored") {
		t.Errorf("strict import output:\n%s", out)
	}
	mustRun(t, 3, "import", "--data", data, "--survey", demo.Slug, "--dry-run", broken)
	if c := count(); !strings.HasSuffix(strings.TrimSpace(c), ",0") {
		t.Errorf("after --strict and --dry-run the store holds responses:\n%s", c)
	}
	out = mustRun(t, 3, "import", "--data", data, "--survey", demo.Slug, broken)
	if !strings.Contains(out, "22 of 25 rows refused") || !strings.Contains(out, "broken.csv.rejects.csv") {
		t.Errorf("import output:\n%s", out)
	}
	cr := csv.NewReader(bytes.NewReader(readFile(t, broken+".rejects.csv")))
	cr.FieldsPerRecord = -1 // a refused short row is kept as it was
	recs, err := cr.ReadAll()
	if err != nil || len(recs) != 23 || recs[0][0] != "_row" {
		t.Errorf("rejects file: %d records, err %v", len(recs), err)
	}
	if c := count(); !strings.HasSuffix(strings.TrimSpace(c), ",2") {
		t.Errorf("the good rows were not stored:\n%s", c)
	}
	noConsent := filepath.Join(dir, "oracle.csv")
	os.WriteFile(noConsent, []byte(strings.Join(demo.OracleHeader(), ",")+"\n"), 0o644)
	out = mustRun(t, 3, "import", "--data", data, "--survey", demo.Slug, noConsent)
	if !strings.Contains(out, "--assume-consent") {
		t.Errorf("missing consent column: %s", out)
	}
	mustRun(t, 2, "import", "--data", data, "--survey", demo.Slug, filepath.Join(dir, "x.txt"))
	mustRun(t, 2, "import", "--data", data, broken)
	mustRun(t, 1, "import", "--data", data, "--survey", demo.Slug, filepath.Join(dir, "missing.csv"))
}

// TestExportFilters: the dashboard's filters pick the rows.
func TestExportFilters(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mustRun(t, 0, "demo", "generate", "--data", data, "--n", "300", "--seed", "9", "--store")
	rows := func(args ...string) [][]string {
		t.Helper()
		file := filepath.Join(dir, "f.csv")
		mustRun(t, 0, append([]string{"export", "--data", data, "--survey", demo.Slug, "--out", file, "--no-codebook"}, args...)...)
		recs, err := csv.NewReader(bytes.NewReader(readFile(t, file))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	all := rows()
	col := func(name string) int {
		for i, h := range all[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	province, flags := col("province"), col("flags")
	wantProvince, wantUnflagged := 0, 0
	for _, r := range all[1:] {
		if r[province] == "32" || r[province] == "44" {
			wantProvince++
		}
		if r[flags] == "" {
			wantUnflagged++
		}
	}
	if got := len(rows("--province", "32,44")) - 1; got != wantProvince || got == 0 {
		t.Errorf("--province 32,44 exported %d rows, want %d (>0)", got, wantProvince)
	}
	if got := len(rows("--exclude-flagged")) - 1; got != wantUnflagged || got == len(all)-1 {
		t.Errorf("--exclude-flagged exported %d rows, want %d (< %d)", got, wantUnflagged, len(all)-1)
	}
	// Every export is in the audit log, with its filter.
	if out := mustRun(t, 0, "user", "audit", "--data", data, "--format", "csv"); !strings.Contains(out, "export") || !strings.Contains(out, "province 32, 44") {
		t.Errorf("the audit log does not record the exports:\n%s", out)
	}
	mustRun(t, 2, "export", "--data", data, "--survey", demo.Slug, "--out", filepath.Join(dir, "x.csv"), "--from", "2026-10-01", "--to", "2026-09-01")
	mustRun(t, 2, "export", "--data", data, "--survey", demo.Slug, "--out", filepath.Join(dir, "x.pdf"))
}

// TestDemoOracleCSV: --oracle writes gen_survey.py's bytes (the golden
// file surveys/demo/testdata/oracle_n50_seed7.csv was written by it).
func TestDemoOracleCSV(t *testing.T) {
	file := filepath.Join(t.TempDir(), "o.csv")
	mustRun(t, 0, "demo", "generate", "--oracle", "--n", "50", "--seed", "7", "--csv", file)
	if !bytes.Equal(readFile(t, file), readFile(t, "../../surveys/demo/testdata/oracle_n50_seed7.csv")) {
		t.Error("demo generate --oracle differs from gen_survey.py --n 50 --seed 7")
	}
	mustRun(t, 2, "demo", "generate", "--n", "5", "--store", "--csv", file)
}

// TestPlanTables pins plan's table and explanation in both languages.
func TestPlanTables(t *testing.T) {
	for _, lang := range []string{"en", "zh-CN"} {
		out := mustRun(t, 0, "plan", "--moe", "0.05", "--deff", "1.5", "--lang", lang)
		golden(t, "plan_"+lang+".golden", out)
	}
	mustRun(t, 2, "plan", "--moe", "3")
	mustRun(t, 2, "plan")
}

// TestSurveyOpenClose: close and open record states the servers follow.
func TestSurveyOpenClose(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	mustRun(t, 0, "survey", "import", "--data", data, "../../surveys/demo/quality-month-demo.yaml")
	if out := mustRun(t, 0, "survey", "close", "--data", data, demo.Slug, "--note", "quota reached"); !strings.Contains(out, "closed at") {
		t.Errorf("close: %s", out)
	}
	mustRun(t, 0, "survey", "open", "--data", data, demo.Slug)
	mustRun(t, 1, "survey", "close", "--data", data, "no-such-survey")
	mustRun(t, 2, "survey", "close", "--data", data)
}

// TestAnalyzeImportedMatchesFile: the oracle's 10k input imported into the
// store and analysed from there gives the same 14 tables, byte for byte,
// as analysing the file (which matches R: analysis.TestAnalyzeMatchesOracle10k):
// design weights, order and codes survive the import.
func TestAnalyzeImportedMatchesFile(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 10,000 rows")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	csvPath := filepath.Join("..", "..", "analysis", "testdata", "survey_10k.csv.gz")
	margins := filepath.Join("..", "..", "analysis", "testdata", "margins.csv")
	mustRun(t, 0, "survey", "import", "--data", data, "../../surveys/demo/quality-month-demo.yaml")
	mustRun(t, 0, "import", "--data", data, "--survey", demo.Slug, "--assume-consent", "--strict", csvPath)
	fromFile, fromStore := filepath.Join(dir, "file"), filepath.Join(dir, "store")
	mustRun(t, 0, "analyze", "--csv", csvPath, "--definition", "../../surveys/demo/quality-month-demo.yaml", "--margins", margins, "--out", fromFile)
	mustRun(t, 0, "analyze", "--data", data, "--survey", demo.Slug, "--margins", margins, "--out", fromStore)
	files, _ := filepath.Glob(filepath.Join(fromFile, "*.csv"))
	if len(files) != 14 {
		t.Fatalf("%d tables from the file, want 14", len(files))
	}
	for _, f := range files {
		name := filepath.Base(f)
		if !bytes.Equal(readFile(t, f), readFile(t, filepath.Join(fromStore, name))) {
			t.Errorf("%s differs between the file and the store", name)
		}
	}
}

// TestServeDemoHasData: serve --demo gives a newly stored demo survey
// generated responses, once: a restart adds none.
func TestServeDemoHasData(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	for range 2 {
		addr := freeAddr(t)
		ctx, stop := context.WithCancel(t.Context())
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--demo", "--demo-responses", "250", "--addr", addr, "--data", data}, &bytes.Buffer{}, &bytes.Buffer{})
		}()
		waitHealthy(t, "http://"+addr, done, nil)
		stop()
		<-done
	}
	out := mustRun(t, 0, "survey", "list", "--data", data, "--format", "csv")
	if !strings.HasSuffix(strings.TrimSpace(out), ",250") {
		t.Errorf("after two serve --demo runs:\n%s", out)
	}
}
