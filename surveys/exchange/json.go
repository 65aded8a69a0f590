package exchange

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/qvoice/qvoice/surveys"
)

// jsonKind says how a column's cells are typed in JSON.
type jsonKind int

const (
	jsonString jsonKind = iota
	jsonNumber          // a number, or a string for codes such as "na"
	jsonList            // an array of codes
)

func (c Column) jsonKind() jsonKind {
	switch {
	case c.Field != nil && c.Field.Kind == surveys.KindScale:
		return jsonNumber
	case c.Field != nil && c.Field.Kind == surveys.KindMulti, c.Name == ColFlags:
		return jsonList
	case c.Name == ColWeight, c.Name == ColDuration:
		return jsonNumber
	}
	return jsonString
}

// JSONWriter writes records as a JSON array of objects, one per line, keys
// in column order, empty cells left out: scale points and weights are
// numbers ("na" stays a string), multi-choices arrays of codes.
type JSONWriter struct {
	w     *bufio.Writer
	cols  []Column
	n     int
	buf   []byte
	check bool
}

// NewJSONWriter returns a JSONWriter on w for l's columns.
func NewJSONWriter(w io.Writer, l *Layout) *JSONWriter {
	return &JSONWriter{w: bufio.NewWriterSize(w, 64<<10), cols: l.cols}
}

// Write writes one record; the first (the header) is checked, not written.
func (j *JSONWriter) Write(rec []string) error {
	if !j.check {
		j.check = true
		if len(rec) != len(j.cols) {
			return fmt.Errorf("exchange: JSON header has %d columns, layout %d", len(rec), len(j.cols))
		}
		_, err := j.w.WriteString("[")
		return err
	}
	b := j.buf[:0]
	if j.n > 0 {
		b = append(b, ',')
	}
	b = append(b, "\n{"...)
	first := true
	for i, v := range rec {
		if v == "" {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, j.cols[i].Name)
		b = append(b, ':')
		b = appendJSONValue(b, j.cols[i].jsonKind(), v)
	}
	b = append(b, '}')
	j.buf = b
	j.n++
	_, err := j.w.Write(b)
	return err
}

func appendJSONValue(b []byte, k jsonKind, v string) []byte {
	switch k {
	case jsonNumber:
		if _, err := strconv.ParseFloat(v, 64); err == nil && json.Valid([]byte(v)) {
			return append(b, v...)
		}
	case jsonList:
		b = append(b, '[')
		for i, s := range strings.Split(v, ";") {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		return append(b, ']')
	}
	return appendJSONString(b, v)
}

func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// Close ends the array and flushes.
func (j *JSONWriter) Close() error {
	if !j.check {
		return errors.New("exchange: JSON writer closed before its header")
	}
	if _, err := j.w.WriteString("\n]\n"); err != nil {
		return err
	}
	return j.w.Flush()
}

// JSONReader reads what JSONWriter writes (an array of objects keyed by
// column name) as records under l's header, one object at a time.
type JSONReader struct {
	dec    *json.Decoder
	l      *Layout
	row    int
	header bool
}

// NewJSONReader returns a JSONReader of r for l's columns.
func NewJSONReader(r io.Reader, l *Layout) *JSONReader {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	dec.UseNumber()
	return &JSONReader{dec: dec, l: l}
}

// Read returns the header first, then one record per object. An unknown
// key or a value of the wrong shape is an error naming the object.
func (j *JSONReader) Read() ([]string, error) {
	if !j.header {
		j.header = true
		if t, err := j.dec.Token(); err != nil || t != json.Delim('[') {
			return nil, fmt.Errorf("not a JSON array of responses: %v", orToken(err, t))
		}
		return j.l.Header(), nil
	}
	if !j.dec.More() {
		if t, err := j.dec.Token(); err != nil || t != json.Delim(']') {
			return nil, fmt.Errorf("after object %d: %v", j.row, orToken(err, t))
		}
		return nil, io.EOF
	}
	j.row++
	var obj map[string]any
	if err := j.dec.Decode(&obj); err != nil {
		return nil, fmt.Errorf("object %d: %v", j.row, err)
	}
	rec := make([]string, len(j.l.cols))
	for k, v := range obj {
		i, ok := j.l.index[k]
		if !ok {
			return nil, fmt.Errorf("object %d: unknown key %q", j.row, k)
		}
		s, err := jsonCell(v)
		if err != nil {
			return nil, fmt.Errorf("object %d, key %q: %v", j.row, k, err)
		}
		rec[i] = s
	}
	return rec, nil
}

func jsonCell(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		return strconv.FormatBool(x), nil
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return "", errors.New("a list may hold only codes (strings)")
			}
			parts[i] = s
		}
		return strings.Join(parts, ";"), nil
	}
	return "", errors.New("an object is not a cell value")
}

func orToken(err error, t json.Token) any {
	if err != nil {
		return err
	}
	return fmt.Sprintf("unexpected %v", t)
}
