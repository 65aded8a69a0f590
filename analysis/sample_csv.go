package analysis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/qvoice/qvoice/surveys"
)

// ReadSample reads a wide response CSV (the format of ReadCSV) straight
// into a Sample, without building an Answers map per row: at a million rows
// that is the difference between reading being most of an analysis and a
// small part of it. The column design_wt, if present, gives the design
// weights (positive numbers; 1 without the column), response_code the
// response codes, and the columns named in extra (such as "venue") become
// extra choice columns. Cells convert as in ReadCSV, with the same errors
// (*CSVError with line and column). progress, if not nil, is called with
// the number of rows read so far, every few thousand rows.
//
// Parsing runs in its own goroutine while the rows are converted, so the
// two overlap on two cores.
func ReadSample(d *surveys.Definition, r io.Reader, progress func(rows int), extra ...string) (*Sample, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &CSVError{Line: 1, Err: errors.New("no header row")}
	}
	if err != nil {
		return nil, fmt.Errorf("analysis: read CSV: %w", err)
	}
	cols, err := csvColumns(d, header)
	if err != nil {
		return nil, err
	}
	s := NewSample(d, extra...)
	plan := newCSVPlan(s, cols)
	batches := make(chan csvBatch, 4)
	stop := make(chan struct{})
	defer close(stop)
	go readBatches(cr, batches, stop)
	for b := range batches {
		if b.err != nil {
			return nil, fmt.Errorf("analysis: read CSV: %w", b.err)
		}
		for k, rec := range b.recs {
			if err := plan.add(s, rec); err != nil {
				var ce *CSVError
				if errors.As(err, &ce) {
					ce.Line = b.lines[k]
				}
				return nil, err
			}
		}
		if progress != nil {
			progress(s.Len())
		}
	}
	return s, nil
}

// csvBatch is a run of records with their starting lines.
type csvBatch struct {
	recs  [][]string
	lines []int
	err   error
}

const csvBatchSize = 2048

func readBatches(cr *csv.Reader, out chan<- csvBatch, stop <-chan struct{}) {
	defer close(out)
	for {
		b := csvBatch{recs: make([][]string, 0, csvBatchSize), lines: make([]int, 0, csvBatchSize)}
		for len(b.recs) < csvBatchSize {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.err = err
				break
			}
			line, _ := cr.FieldPos(0)
			b.recs, b.lines = append(b.recs, rec), append(b.lines, line)
		}
		if len(b.recs) == 0 && b.err == nil {
			return
		}
		select {
		case out <- b:
		case <-stop:
			return
		}
		if b.err != nil || len(b.recs) < csvBatchSize {
			return
		}
	}
}

// csvPlan says where each CSV column goes in a Sample.
type csvPlan struct {
	cols          []csvColumn
	scale         []*ScaleColumn // by CSV column; nil if not a scale field
	choice        []*ChoiceColumn
	multi         []*MultiColumn
	weight, code  int // CSV column of design_wt and response_code, or −1
	absentScales  []*ScaleColumn
	absentChoices []*ChoiceColumn
	absentMultis  []*MultiColumn
}

func newCSVPlan(s *Sample, cols []csvColumn) *csvPlan {
	p := &csvPlan{cols: cols, scale: make([]*ScaleColumn, len(cols)), choice: make([]*ChoiceColumn, len(cols)),
		multi: make([]*MultiColumn, len(cols)), weight: -1, code: -1}
	have := map[string]bool{}
	for i, c := range cols {
		have[c.name] = true
		switch c.name {
		case "design_wt":
			p.weight = i
		case "response_code":
			p.code = i
		}
		p.scale[i], p.choice[i], p.multi[i] = s.Scale(c.name), s.Choice(c.name), s.Multi(c.name)
	}
	for _, c := range s.scales {
		if !have[c.Field.ID] {
			p.absentScales = append(p.absentScales, c)
		}
	}
	for _, c := range s.choices {
		if !have[c.ID] {
			p.absentChoices = append(p.absentChoices, c)
		}
	}
	for _, c := range s.multis {
		if !have[c.ID] {
			p.absentMultis = append(p.absentMultis, c)
		}
	}
	return p
}

// add appends one record to s; an error's Line is set by the caller.
func (p *csvPlan) add(s *Sample, rec []string) error {
	w, code := 1.0, ""
	if p.weight >= 0 {
		cell := strings.TrimSpace(rec[p.weight])
		if cell != "" {
			x, err := strconv.ParseFloat(cell, 64)
			if err != nil || !(x > 0) {
				return &CSVError{Column: "design_wt", Err: fmt.Errorf("%q is not a positive number", cell)}
			}
			w = x
		}
	}
	if p.code >= 0 {
		code = rec[p.code]
	}
	for i, cell := range rec {
		switch {
		case p.scale[i] != nil:
			c := p.scale[i]
			v, err := scaleCell(cell, c.Lo, c.Hi)
			if err != nil {
				return &CSVError{Column: p.cols[i].name, Err: err}
			}
			c.Values = append(c.Values, v)
		case p.choice[i] != nil:
			c := p.choice[i]
			c.Codes = append(c.Codes, c.code(strings.TrimSpace(cell)))
		case p.multi[i] != nil:
			c := p.multi[i]
			c.Bits = append(c.Bits, c.bits(cell))
		}
	}
	for _, c := range p.absentScales {
		c.Values = append(c.Values, Missing)
	}
	for _, c := range p.absentChoices {
		c.Codes = append(c.Codes, 0)
	}
	for _, c := range p.absentMultis {
		c.Bits = append(c.Bits, 0)
	}
	s.DesignWeight = append(s.DesignWeight, w)
	s.Codes = append(s.Codes, code)
	return nil
}

// scaleCell parses a scale cell: "" and "na" are Missing; otherwise an
// integer within lo..hi.
func scaleCell(cell string, lo, hi int) (int8, error) {
	if len(cell) == 1 && cell[0] >= '0' && cell[0] <= '9' { // the common case, without allocation
		n := int(cell[0] - '0')
		if n < lo || n > hi {
			return Missing, fmt.Errorf("%d is outside the scale %d–%d", n, lo, hi)
		}
		return int8(n), nil
	}
	s := strings.TrimSpace(cell)
	if s == "" || s == surveys.NAValue {
		return Missing, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return Missing, fmt.Errorf("%q is not an integer or %q", s, surveys.NAValue)
	}
	if n < lo || n > hi || n > 127 || n < 0 {
		return Missing, fmt.Errorf("%d is outside the scale %d–%d", n, lo, hi)
	}
	return int8(n), nil
}

// bits converts a ';'-joined multi-choice cell.
func (c *MultiColumn) bits(cell string) uint64 {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return 0
	}
	b := answeredBit
	for part := range strings.SplitSeq(cell, ";") {
		part = strings.TrimSpace(part)
		for k, o := range c.Options {
			if o == part {
				b |= 1 << k
			}
		}
	}
	return b
}
