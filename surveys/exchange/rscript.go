package exchange

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/qvoice/qvoice/surveys"
)

// WriteRScript writes an R script that loads the CSV export csvName of l
// with base R only: codes become factors labelled in lang, scale answers
// integers ("na" becomes NA), multi-choices get one 0/1 column per option,
// weights and times their types, and every column its label as the
// "label" attribute (shown by RStudio and the labelled/haven packages).
// Labels are written with \u escapes, so the script runs in any locale.
func WriteRScript(w io.Writer, l *Layout, csvName, lang string) error {
	var b strings.Builder
	d := l.def
	fmt.Fprintf(&b, "# Loads %s, an export of survey %q (version %d), written by qvoice export.\n", csvName, d.Slug, d.Version)
	b.WriteString("# Run: Rscript this.R [FILE.csv], or source() it; the data frame is `d`.\n")
	b.WriteString("# Empty cells are NA (not answered, or not asked); see the codebook.\n\n")
	b.WriteString("args <- commandArgs(trailingOnly = TRUE)\n")
	fmt.Fprintf(&b, "qv_file <- if (length(args) > 0) args[1] else %s\n", rString(csvName))
	b.WriteString("d <- read.csv(qv_file, colClasses = \"character\", na.strings = \"\", encoding = \"UTF-8\", check.names = FALSE)\n")
	b.WriteString("qv_scale <- function(x) { x[x == \"na\"] <- NA; as.integer(x) }\n")
	b.WriteString("qv_has <- function(x, code) ifelse(is.na(x), NA_integer_, as.integer(vapply(strsplit(x, \";\", fixed = TRUE), function(v) code %in% v, logical(1))))\n")
	b.WriteString("qv_label <- function(x, label) { attr(x, \"label\") <- label; x }\n\n")
	for _, v := range l.Codebook() {
		c := l.cols[l.index[v.Name]]
		col := "d[[" + rString(v.Name) + "]]"
		label := rString(v.Label.In(lang, "en"))
		switch {
		case c.Field != nil && c.Field.Kind == surveys.KindScale:
			fmt.Fprintf(&b, "%s <- qv_label(qv_scale(%s), %s)\n", col, col, label)
		case c.Field != nil && c.Field.Kind == surveys.KindMulti:
			fmt.Fprintf(&b, "%s <- qv_label(%s, %s)\n", col, col, label)
			for _, o := range c.Field.Options {
				fmt.Fprintf(&b, "d[[%s]] <- qv_label(qv_has(%s, %s), %s)\n", rString(v.Name+"_"+o.Value), col, rString(o.Value),
					rString(v.Label.In(lang, "en")+": "+o.Label.In(lang, "en")))
			}
		case len(v.Values) > 0 && c.Name != ColFlags:
			codes, labels := make([]string, len(v.Values)), make([]string, len(v.Values))
			for i, vl := range v.Values {
				codes[i], labels[i] = rString(vl.Code), rString(vl.Label.In(lang, "en"))
			}
			fmt.Fprintf(&b, "%s <- qv_label(factor(%s, levels = c(%s),\n  labels = c(%s)), %s)\n", col, col,
				strings.Join(codes, ", "), strings.Join(labels, ", "), label)
		case c.Name == ColWeight || c.Name == ColDuration:
			fmt.Fprintf(&b, "%s <- qv_label(as.numeric(%s), %s)\n", col, col, label)
		case c.Name == ColReceivedAt:
			fmt.Fprintf(&b, "%s <- qv_label(as.POSIXct(%s, format = \"%%Y-%%m-%%dT%%H:%%M:%%OSZ\", tz = \"UTC\"), %s)\n", col, col, label)
		default:
			fmt.Fprintf(&b, "%s <- qv_label(%s, %s)\n", col, col, label)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// rString quotes s as an R string literal, ASCII only.
func rString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
