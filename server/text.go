package server

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// paragraphs reflows a text written in a YAML block with hard line breaks.
// A line ending a sentence (。！？：.!?:) ends a paragraph, as does a blank
// line; other breaks are joined, with a space between Latin words and
// nothing between CJK characters. So English wraps to the phone's width
// and each Chinese sentence of a notice keeps its own line.
func paragraphs(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		if cur.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(cur.String())
			first, _ := utf8.DecodeRuneInString(line)
			if !isCJK(last) && !isCJK(first) {
				cur.WriteByte(' ')
			}
		}
		cur.WriteString(line)
		if last, _ := utf8.DecodeLastRuneInString(line); strings.ContainsRune("。！？：.!?:", last) {
			flush()
		}
	}
	flush()
	return out
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}
