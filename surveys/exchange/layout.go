package exchange

import (
	"strconv"
	"strings"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// Names of the columns that are not answer fields.
const (
	ColCode       = "response_code"
	ColSrc        = "src"
	ColVenue      = "venue"
	ColWeight     = "design_wt"
	ColReceivedAt = "received_at"
	ColLang       = "lang"
	ColChannel    = "channel"
	ColDuration   = "duration_s"
	ColFlags      = "flags"
)

// ChannelImport is the Response.Channel of rows imported without a
// channel column.
const ChannelImport = "import"

// Column is one column of the exchange table.
type Column struct {
	Name  string
	Field *surveys.Field // nil for the columns above
}

// Layout is the exchange table of one questionnaire.
type Layout struct {
	def   *surveys.Definition
	cols  []Column
	index map[string]int
}

// NewLayout returns the layout of d: response_code, src, venue, the answer
// fields (d.ExchangeFields: exchange_order first, then questionnaire
// order), design_wt, then received_at, lang, channel, duration_s and flags.
func NewLayout(d *surveys.Definition) *Layout {
	l := &Layout{def: d, index: map[string]int{}}
	add := func(name string, f *surveys.Field) {
		l.index[name] = len(l.cols)
		l.cols = append(l.cols, Column{Name: name, Field: f})
	}
	for _, n := range []string{ColCode, ColSrc, ColVenue} {
		add(n, nil)
	}
	for _, f := range d.ExchangeFields() {
		add(f.ID, f)
	}
	for _, n := range []string{ColWeight, ColReceivedAt, ColLang, ColChannel, ColDuration, ColFlags} {
		add(n, nil)
	}
	return l
}

// Definition returns the questionnaire of the layout.
func (l *Layout) Definition() *surveys.Definition { return l.def }

// Columns lists the columns in order.
func (l *Layout) Columns() []Column { return l.cols }

// Header returns the column names in order.
func (l *Layout) Header() []string {
	h := make([]string, len(l.cols))
	for i, c := range l.cols {
		h[i] = c.Name
	}
	return h
}

// Encode appends r's row to rec[:0] and returns it: codes, never labels; a
// scale point as its number, "na" as na, a multi-choice ';'-joined, absent
// answers empty.
func (l *Layout) Encode(r *surveys.Response, rec []string) []string {
	rec = rec[:0]
	for _, c := range l.cols {
		if c.Field != nil {
			rec = append(rec, EncodeAnswer(r.Answers[c.Name]))
			continue
		}
		rec = append(rec, encodeMeta(c.Name, r))
	}
	return rec
}

// EncodeAnswer is one answer as a cell.
func EncodeAnswer(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	case []string:
		return strings.Join(x, ";")
	}
	return ""
}

func encodeMeta(name string, r *surveys.Response) string {
	switch name {
	case ColCode:
		return r.Code
	case ColSrc:
		return r.Src
	case ColVenue:
		return r.Venue
	case ColWeight:
		if r.Weight == 0 {
			return ""
		}
		return strconv.FormatFloat(r.Weight, 'f', -1, 64)
	case ColReceivedAt:
		return r.ReceivedAt.UTC().Format(time.RFC3339Nano)
	case ColLang:
		return r.Lang
	case ColChannel:
		return r.Channel
	case ColDuration:
		if r.Paradata == nil {
			return ""
		}
		return strconv.FormatFloat(r.Paradata.TotalSeconds, 'f', -1, 64)
	case ColFlags:
		return strings.Join(r.Flags(), ";")
	}
	return ""
}
