package exchange

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/qvoice/qvoice/surveys"
)

// maxCodeLen and maxSrcLen bound the free-form identifiers of a row.
const (
	maxCodeLen = 64
	maxSrcLen  = 64
)

// Decode turns one row (the n-th of the file, header = 1) into a response,
// validated as a web submission is. It returns every problem of the row, or
// the response when there is none. Empty answers are item nonresponse
// (surveys.ParseRecorded), whether the question is required or not.
func (b *Binding) Decode(row int, rec []string) (*surveys.Response, []RowError) {
	var errs []RowError
	bad := func(col, val, reason string) { errs = append(errs, RowError{row, col, val, reason}) }
	if len(rec) != len(b.header) {
		bad("", "", fmt.Sprintf("has %d fields, the header has %d", len(rec), len(b.header)))
		return nil, errs
	}
	d := b.l.def
	r := &surveys.Response{Survey: d.Slug, SurveyVersion: d.Version, Channel: ChannelImport, ReceivedAt: b.opts.Now.UTC()}
	raw := map[string]any{}
	cells := map[string]string{}
	if b.assent != "" {
		raw[surveys.ConsentID] = b.assent
	}
	var duration, flags string
	for i, v := range rec {
		j := b.col[i]
		if j < 0 {
			continue
		}
		c := b.l.cols[j]
		if c.Field != nil {
			if strings.TrimSpace(v) != "" {
				raw[c.Name], cells[c.Name] = v, v
			}
			continue
		}
		if err := decodeMeta(r, c.Name, v, d); err != nil {
			bad(c.Name, v, err.Error())
		}
		switch c.Name {
		case ColDuration:
			duration = v
		case ColFlags:
			flags = v
		}
	}
	if p, err := decodeParadata(duration, flags, d); err != nil {
		bad(ColFlags, flags, err.Error())
	} else {
		r.Paradata = p
	}
	answers, err := surveys.ParseRecorded(d, raw)
	var fes surveys.FieldErrors
	switch {
	case errors.Is(err, surveys.ErrDeclined):
		bad(surveys.ConsentID, cells[surveys.ConsentID], errDeclined.Error())
	case errors.As(err, &fes):
		for _, fe := range fes {
			bad(fe.Field, cells[fe.Field], reason(d, fe))
		}
	case err != nil:
		bad("", "", err.Error())
	default:
		for _, id := range notApplicable(cells, answers) {
			bad(id, cells[id], "answers a question this respondent was not asked (its category was not chosen, or its condition is false)")
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	r.Answers = answers
	r.ID = ImportID(d.Slug, r.Code)
	r.Digest = surveys.Digest(d.Slug, answers, r.Src, r.Venue)
	return r, nil
}

// notApplicable lists, sorted, the cells ParseAnswers dropped because
// their question does not apply.
func notApplicable(cells map[string]string, a surveys.Answers) []string {
	var out []string
	for id := range cells {
		if _, ok := a[id]; !ok {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// ImportID is the submission id of an imported row: a UUID (version 8,
// RFC 9562) hashed from the survey and the response code, so one code
// always gets one id and a second import is a duplicate key.
func ImportID(slug, code string) string {
	sum := sha256.Sum256([]byte("qvoice import\x00" + slug + "\x00" + code))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x80
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func decodeMeta(r *surveys.Response, name, v string, d *surveys.Definition) error {
	v = strings.TrimSpace(v)
	switch name {
	case ColCode:
		switch {
		case v == "":
			return errors.New("response code is empty: every row needs one")
		case len(v) > maxCodeLen || strings.IndexFunc(v, notCodeRune) >= 0:
			return fmt.Errorf("not a response code: at most %d letters, digits and . _ -", maxCodeLen)
		}
		r.Code = v
	case ColSrc:
		if len(v) > maxSrcLen || strings.IndexFunc(v, notCodeRune) >= 0 {
			return fmt.Errorf("not a source code: at most %d letters, digits and . _ -", maxSrcLen)
		}
		r.Src = v
	case ColVenue:
		if v != "" && !inList(surveys.Venues, v) {
			return fmt.Errorf("not a venue: want one of %s", strings.Join(surveys.Venues, ", "))
		}
		r.Venue = v
	case ColWeight:
		if v == "" {
			return nil
		}
		w, err := strconv.ParseFloat(v, 64)
		if err != nil || !(w > 0) || math.IsInf(w, 0) { // !(w > 0) refuses NaN too
			return errors.New("design weight must be a positive number")
		}
		r.Weight = w
	case ColReceivedAt:
		if v == "" {
			return nil
		}
		t, err := surveys.ParseMoment(v, false)
		if err != nil {
			return err
		}
		r.ReceivedAt = t.UTC()
	case ColLang:
		if v != "" && !inList(d.Languages, v) {
			return fmt.Errorf("not a language of the survey: want one of %s", strings.Join(d.Languages, ", "))
		}
		r.Lang = v
	case ColChannel:
		if v != "" && !inList([]string{"form", "api", ChannelImport}, v) {
			return errors.New("not a channel: want form, api or import")
		}
		if v != "" {
			r.Channel = v
		}
	}
	return nil
}

// notCodeRune reports a rune outside A–Z a–z 0–9 . _ -.
func notCodeRune(c rune) bool {
	return c > unicode.MaxASCII || !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '.' || c == '_' || c == '-')
}

// decodeParadata reads duration_s and flags back into paradata; both empty
// means the response had none.
func decodeParadata(duration, flags string, d *surveys.Definition) (*surveys.Paradata, error) {
	duration, flags = strings.TrimSpace(duration), strings.TrimSpace(flags)
	if duration == "" && flags == "" {
		return nil, nil
	}
	p := &surveys.Paradata{}
	if duration != "" {
		s, err := strconv.ParseFloat(duration, 64)
		if err != nil || !(s >= 0) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("duration_s %q is not a number of seconds", duration)
		}
		p.TotalSeconds = s
	}
	if flags == "" {
		return p, nil
	}
	for _, f := range strings.Split(flags, ";") {
		cat, straight := strings.CutPrefix(f, surveys.FlagStraightLined+":")
		switch {
		case f == surveys.FlagTooFast:
			p.TooFast = true
		case straight && d.Category(cat) != nil:
			p.StraightLined = append(p.StraightLined, cat)
		default:
			return nil, fmt.Errorf("unknown flag %q: want %s or %s:CATEGORY", f, surveys.FlagTooFast, surveys.FlagStraightLined)
		}
	}
	return p, nil
}
