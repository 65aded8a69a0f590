package exchange

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/spss"
)

// savColumn is how one exchange column becomes SPSS variables: vars (one,
// or one 0/1 variable per option of a multi-choice), their codebook
// entries, and the conversion of a cell into their values.
type savColumn struct {
	vars []spss.Variable
	book []Variable
	conv func(cell string, out []spss.Value) error
}

// SAVWriter writes an export as an SPSS system file: choices as numeric
// codes with value labels (a code that is a whole number keeps its number,
// like province 32; others are numbered 1, 2, … in option order), scale
// answers as numbers with "na" as a labelled user-missing code,
// multi-choices as one 0/1 variable per option, texts as strings. Labels
// are in one language. It implements RecordWriter.
type SAVWriter struct {
	cols   []savColumn
	w      *spss.Writer
	vals   []spss.Value
	header bool
}

// SAVOptions are passed to the SPSS writer (spss.WithCreated in tests).
type SAVOptions = spss.Option

// NewSAVWriter writes the dictionary of l's columns, labelled in lang, to w.
func NewSAVWriter(w io.Writer, l *Layout, lang string, opts ...SAVOptions) (*SAVWriter, error) {
	s := &SAVWriter{cols: savColumns(l)}
	var vars []spss.Variable
	for _, c := range s.cols {
		for i := range c.vars {
			v := c.vars[i]
			v.Label = c.book[i].Label.In(lang, "en")
			for j := range v.ValueLabels {
				v.ValueLabels[j].Label = c.book[i].Values[j].Label.In(lang, "en")
			}
			vars = append(vars, v)
		}
	}
	d := l.def
	opts = append([]spss.Option{
		// Bytecode compression: the wide text variables are mostly spaces.
		spss.WithCompression(),
		spss.WithFileLabel(d.Slug),
		spss.WithDocument(fmt.Sprintf("qvoice export of survey %s, version %d.", d.Slug, d.Version),
			"Codes and labels: see the codebook that came with this file."),
	}, opts...)
	sw, err := spss.NewWriter(w, vars, opts...)
	if err != nil {
		return nil, fmt.Errorf("exchange: SPSS dictionary of survey %q: %w", d.Slug, err)
	}
	s.w, s.vals = sw, make([]spss.Value, len(vars))
	return s, nil
}

// SAVCodebook describes the variables of l's SPSS file.
func SAVCodebook(l *Layout) []Variable {
	var out []Variable
	for _, c := range savColumns(l) {
		out = append(out, c.book...)
	}
	return out
}

// Write converts one record into a case; the first record, the header, is
// skipped.
func (s *SAVWriter) Write(rec []string) error {
	if !s.header {
		s.header = true
		return nil
	}
	if len(rec) != len(s.cols) {
		return fmt.Errorf("exchange: SPSS row has %d cells, layout %d", len(rec), len(s.cols))
	}
	k := 0
	for i, c := range s.cols {
		out := s.vals[k : k+len(c.vars)]
		if err := c.conv(rec[i], out); err != nil {
			return fmt.Errorf("exchange: SPSS variable %s: %w", c.vars[0].Name, err)
		}
		k += len(c.vars)
	}
	return s.w.WriteCase(s.vals)
}

// Close finishes the file.
func (s *SAVWriter) Close() error { return s.w.Close() }

func savColumns(l *Layout) []savColumn {
	out := make([]savColumn, 0, len(l.cols))
	for i, v := range l.Codebook() {
		c := l.cols[i]
		switch {
		case c.Field == nil:
			out = append(out, savMeta(v))
		case c.Field.Kind == surveys.KindScale:
			out = append(out, savScale(c.Field, v))
		case c.Field.Kind == surveys.KindMulti:
			out = append(out, savMulti(c.Field, v))
		case c.Field.Kind == surveys.KindText:
			width := 4000
			if c.Field.Max > 0 {
				width = 4 * c.Field.Max // a UTF-8 character takes at most 4 bytes
			}
			out = append(out, savString(v, width))
		default:
			out = append(out, savCodes(v, spss.Nominal))
		}
	}
	return out
}

func savString(v Variable, width int) savColumn {
	v.Type = "string"
	return savColumn{
		vars: []spss.Variable{{Name: v.Name, Width: width}},
		book: []Variable{v},
		conv: func(cell string, out []spss.Value) error { out[0] = spss.Str(cell); return nil },
	}
}

func savNumber(v Variable, decimals int) savColumn {
	v.Type = "numeric"
	return savColumn{
		vars: []spss.Variable{{Name: v.Name, Decimals: decimals, Measure: spss.Scale}},
		book: []Variable{v},
		conv: func(cell string, out []spss.Value) error {
			if cell == "" {
				out[0] = spss.SysMis()
				return nil
			}
			x, err := strconv.ParseFloat(cell, 64)
			out[0] = spss.Num(x)
			return err
		},
	}
}

func savMeta(v Variable) savColumn {
	switch v.Name {
	case ColVenue:
		return savCodes(v, spss.Nominal)
	case ColWeight:
		return savNumber(v, 4)
	case ColDuration:
		return savNumber(v, 1)
	case ColFlags:
		return savString(v, 1024)
	case ColCode, ColSrc:
		return savString(v, 64)
	}
	return savString(v, 32)
}

// savCodes numbers a variable's codes: a code that is a whole number
// keeps it (province 32 stays 32); the others are numbered on from the
// largest such number, or from 1, in option order, and keep their code in
// their label ("进乡镇 [township]").
func savCodes(v Variable, m spss.Measure) savColumn {
	num := map[string]float64{}
	next := 1.0
	for _, vl := range v.Values {
		if n, ok := wholeCode(vl.Code); ok {
			next = max(next, n+1)
		}
	}
	book := v
	book.Type = "numeric"
	book.Values = make([]ValueLabel, len(v.Values))
	labels := make([]spss.ValueLabel, len(v.Values))
	for i, vl := range v.Values {
		n, whole := wholeCode(vl.Code)
		if !whole {
			n, next = next, next+1
		}
		num[vl.Code] = n
		book.Values[i] = ValueLabel{Code: strconv.FormatFloat(n, 'f', -1, 64), Label: codeLabel(vl, whole)}
		labels[i] = spss.ValueLabel{Value: n}
	}
	return savColumn{
		vars: []spss.Variable{{Name: v.Name, Measure: m, ValueLabels: labels}},
		book: []Variable{book},
		conv: func(cell string, out []spss.Value) error {
			if cell == "" {
				out[0] = spss.SysMis()
				return nil
			}
			n, ok := num[cell]
			if !ok {
				return fmt.Errorf("code %q has no number", cell)
			}
			out[0] = spss.Num(n)
			return nil
		},
	}
}

// wholeCode reports whether a code is a whole number written plainly
// ("32", not "032" or "3.0"), and which.
func wholeCode(code string) (float64, bool) {
	n, err := strconv.Atoi(code)
	return float64(n), err == nil && strconv.Itoa(n) == code
}

// codeLabel keeps a renumbered code visible in its label: "进乡镇 [township]".
func codeLabel(vl ValueLabel, whole bool) surveys.Text {
	if whole {
		return vl.Label
	}
	out := surveys.Text{}
	for lang, s := range vl.Label {
		out[lang] = s + " [" + vl.Code + "]"
	}
	return out
}

// savScale writes scale points as their numbers and "na" as a user-missing
// code above the scale (99, or 999 … for wider scales).
func savScale(f *surveys.Field, v Variable) savColumn {
	_, hi := f.Scale.Range()
	na := 99.0
	for na <= float64(hi) {
		na = na*10 + 9
	}
	book := v
	book.Type = "numeric"
	book.Values = nil
	var labels []spss.ValueLabel
	for _, vl := range v.Values {
		n, err := strconv.ParseFloat(vl.Code, 64)
		if vl.Code == surveys.NAValue {
			n, err = na, nil
		}
		if err != nil {
			continue
		}
		labels = append(labels, spss.ValueLabel{Value: n})
		book.Values = append(book.Values, ValueLabel{Code: strconv.FormatFloat(n, 'f', -1, 64), Label: vl.Label})
	}
	var missing []float64
	if f.AllowNA {
		missing = []float64{na}
		book.Missing = surveys.Text{
			"zh-CN": "系统缺失 = 未回答或未问到；" + strconv.FormatFloat(na, 'f', -1, 64) + " = 不了解/未使用（用户缺失值）",
			"en":    "system-missing = not answered, or not asked; " + strconv.FormatFloat(na, 'f', -1, 64) + " = don't know / not used (user-missing)",
		}
	} else {
		book.Missing = surveys.Text{"zh-CN": "系统缺失 = 未回答或未问到", "en": "system-missing = not answered, or not asked"}
	}
	m := spss.Ordinal
	if f.Scale != nil && f.Scale.Type == "numeric" {
		m = spss.Scale
	}
	return savColumn{
		vars: []spss.Variable{{Name: v.Name, Measure: m, ValueLabels: labels, Missing: missing}},
		book: []Variable{book},
		conv: func(cell string, out []spss.Value) error {
			switch cell {
			case "":
				out[0] = spss.SysMis()
			case surveys.NAValue:
				out[0] = spss.Num(na)
			default:
				n, err := strconv.Atoi(cell)
				if err != nil {
					return err
				}
				out[0] = spss.Num(float64(n))
			}
			return nil
		},
	}
}

// savMulti gives each option of a multi-choice a 0/1 variable NAME_CODE
// (SPSS's multiple dichotomy): 1 chosen, 0 not chosen, system-missing when
// the question was not answered.
func savMulti(f *surveys.Field, v Variable) savColumn {
	var c savColumn
	yesNo := []ValueLabel{
		{"0", surveys.Text{"zh-CN": "未选", "en": "not chosen"}},
		{"1", surveys.Text{"zh-CN": "已选", "en": "chosen"}},
	}
	index := map[string]int{}
	for i, o := range f.Options {
		index[o.Value] = i
		label := surveys.Text{}
		for lang, s := range v.Label {
			label[lang] = s + ": " + o.Label.In(lang, "en")
		}
		c.vars = append(c.vars, spss.Variable{Name: v.Name + "_" + o.Value, Measure: spss.Nominal,
			ValueLabels: []spss.ValueLabel{{Value: 0}, {Value: 1}}})
		c.book = append(c.book, Variable{Name: v.Name + "_" + o.Value, Label: label, Type: "numeric 0/1", Values: yesNo,
			Missing: surveys.Text{"zh-CN": "系统缺失 = 该题未回答或未问到", "en": "system-missing = question not answered, or not asked"}})
	}
	c.conv = func(cell string, out []spss.Value) error {
		if cell == "" {
			for i := range out {
				out[i] = spss.SysMis()
			}
			return nil
		}
		for i := range out {
			out[i] = spss.Num(0)
		}
		for _, code := range strings.Split(cell, ";") {
			i, ok := index[code]
			if !ok {
				return fmt.Errorf("code %q is not an option", code)
			}
			out[i] = spss.Num(1)
		}
		return nil
	}
	return c
}
