package exchange

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/qvoice/qvoice/surveys"
)

// WriteCodebookCSV writes vars as CSV, one variable per row, both
// languages side by side: variable, label_zh, label_en, type, values_zh,
// values_en ("code=label; …"), missing_zh, missing_en.
func WriteCodebookCSV(w io.Writer, vars []Variable) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"variable", "label_zh", "label_en", "type", "values_zh", "values_en", "missing_zh", "missing_en"})
	for _, v := range vars {
		_ = cw.Write([]string{
			v.Name, v.Label.In("zh-CN", "en"), v.Label.In("en", "zh-CN"), v.Type,
			valuesText(v.Values, "zh-CN", "; "), valuesText(v.Values, "en", "; "),
			v.Missing.In("zh-CN", "en"), v.Missing.In("en", "zh-CN"),
		})
	}
	cw.Flush()
	return cw.Error()
}

func valuesText(vals []ValueLabel, lang, sep string) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = v.Code + "=" + v.Label.In(lang, "en")
	}
	return strings.Join(parts, sep)
}

// CodebookInfo heads a Markdown codebook.
type CodebookInfo struct {
	Title     surveys.Text
	Slug      string
	Version   int
	DataFile  string // the file the codebook describes
	Responses int
	Filter    string // the export's filter in words, "" for none
}

// WriteCodebookMarkdown writes vars as a Markdown document in lang
// ("zh-CN" or "en"): a heading, the file it describes, and a table of
// variable, label, type, values and missing codes. Pipes and line breaks
// in texts are escaped so the table holds.
func WriteCodebookMarkdown(w io.Writer, info CodebookInfo, vars []Variable, lang string) error {
	zh := lang == "zh-CN"
	pick := func(zhs, ens string) string {
		if zh {
			return zhs
		}
		return ens
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", pick("编码簿", "Codebook"), mdEscape(info.Title.In(lang, "en")))
	fmt.Fprintf(&b, "- %s: `%s` (%s %d)\n", pick("问卷", "Survey"), info.Slug, pick("版本", "version"), info.Version)
	if info.DataFile != "" {
		fmt.Fprintf(&b, "- %s: `%s`, %d %s\n", pick("数据文件", "Data file"), info.DataFile, info.Responses, pick("份答卷", "responses"))
	}
	if info.Filter != "" {
		fmt.Fprintf(&b, "- %s: %s\n", pick("筛选", "Filter"), mdEscape(info.Filter))
	}
	fmt.Fprintf(&b, "- %s: %d\n\n", pick("变量数", "Variables"), len(vars))
	fmt.Fprintf(&b, "| %s |\n|---|---|---|---|---|\n", pick("变量 | 标签 | 类型 | 取值 | 缺失", "variable | label | type | values | missing"))
	for _, v := range vars {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", v.Name, mdEscape(v.Label.In(lang, "en")), mdEscape(v.Type),
			mdEscape(valuesText(v.Values, lang, "; ")), mdEscape(v.Missing.In(lang, "en")))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape keeps a text inside one Markdown table cell and inert: pipes,
// line breaks and HTML-significant characters are escaped.
func mdEscape(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "<", "&lt;", ">", "&gt;", "&", "&amp;", "`", "\\`")
