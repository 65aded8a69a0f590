package exchange_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/exchange"
)

// TestCodebookGolden pins the demo survey's codebooks (CSV, Markdown in
// both languages, the SPSS variables) and its R loader.
func TestCodebookGolden(t *testing.T) {
	d := demoDefinition(t)
	l := exchange.NewLayout(d)
	info := exchange.CodebookInfo{Title: d.Title, Slug: d.Slug, Version: d.Version, DataFile: "export.csv", Responses: 600}
	var csvBook, savBook, mdZh, mdEn, rZh bytes.Buffer
	for _, err := range []error{
		exchange.WriteCodebookCSV(&csvBook, l.Codebook()),
		exchange.WriteCodebookCSV(&savBook, exchange.SAVCodebook(l)),
		exchange.WriteCodebookMarkdown(&mdZh, info, l.Codebook(), "zh-CN"),
		exchange.WriteCodebookMarkdown(&mdEn, info, l.Codebook(), "en"),
		exchange.WriteRScript(&rZh, l, "export.csv", "zh-CN"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	golden(t, "codebook.csv", csvBook.Bytes())
	golden(t, "codebook.sav.csv", savBook.Bytes())
	golden(t, "codebook.zh-CN.md", mdZh.Bytes())
	golden(t, "codebook.en.md", mdEn.Bytes())
	golden(t, "load.zh-CN.R", rZh.Bytes())
}

// TestCodebookEscapesMarkdown: survey texts cannot break the Markdown
// table or inject HTML.
func TestCodebookEscapesMarkdown(t *testing.T) {
	vars := []exchange.Variable{{Name: "x", Label: surveys.Text{"en": "a | b\n<script>alert(1)</script>"}, Type: "code"}}
	var b bytes.Buffer
	if err := exchange.WriteCodebookMarkdown(&b, exchange.CodebookInfo{Slug: "s"}, vars, "en"); err != nil {
		t.Fatal(err)
	}
	row := strings.Split(strings.TrimSpace(b.String()), "\n")
	last := row[len(row)-1]
	if strings.Contains(last, "<script>") || strings.Count(last, " | ") != 4 || !strings.Contains(last, `a \| b &lt;script&gt;`) {
		t.Errorf("table row not escaped: %s", last)
	}
}

// TestRScriptRuns runs the R loader on an export when R is installed (it
// is not needed in CI): every column loads, factors carry labels.
func TestRScriptRuns(t *testing.T) {
	rscript, err := exec.LookPath("Rscript")
	if err != nil {
		t.Skip("Rscript not installed")
	}
	d := demoDefinition(t)
	l := exchange.NewLayout(d)
	st := newStore(t)
	mustImport(t, st, l, csvSource(oracleCSV(t, 200)), exchange.ImportOptions{BindOptions: exchange.BindOptions{AssumeConsent: true}})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "export.csv"), exportCSV(t, st, l), 0o644)
	var script bytes.Buffer
	if err := exchange.WriteRScript(&script, l, "export.csv", "en"); err != nil {
		t.Fatal(err)
	}
	script.WriteString(`cat(nrow(d), ncol(d), class(d$venue), levels(d$gender)[1], class(d$food_sat_safety), sum(d$household_none, na.rm = TRUE) > 0, attr(d$food_sat_safety, "label"), "\n", sep = "|")` + "\n")
	os.WriteFile(filepath.Join(dir, "load.R"), script.Bytes(), 0o644)
	cmd := exec.Command(rscript, "load.R")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("Rscript: %v\n%s", err, out)
	}
	ncol := len(l.Header())
	for _, f := range d.Fields() {
		if f.Kind == surveys.KindMulti {
			ncol += len(f.Options)
		}
	}
	want := "200|" + strconv.Itoa(ncol) + "|factor|Female|integer|TRUE|Food (incl. fresh produce and packaged food) · Safe and hygienic (no illegal additives, pesticide residues) · satisfaction|"
	if got := strings.TrimSpace(string(out)); !strings.HasSuffix(got, want) {
		t.Errorf("R printed\n%s\nwant it to end with\n%s", got, want)
	}
}
