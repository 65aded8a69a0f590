package server

import (
	"cmp"
	"math"
	"slices"
	"sync"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// board is the dashboard's in-memory copy of one survey's responses: the
// compact rows of an analysis.Sample (about 150 bytes a response) plus what
// the filters need, so no dashboard view ever queries the database (every
// FerretDB query scans the whole collection). Views are computed from it
// on demand and cached (view.go).
type board struct {
	def *surveys.Definition

	mu      sync.RWMutex
	sample  *analysis.Sample // with the extra columns src and venue
	at      []int64          // ReceivedAt, Unix milliseconds
	flagged []bool           // a quality flag (too fast, straight-lined)
	// complaints are the latest free texts by province, at most
	// maxComplaints each (a quiet province keeps its own), in arrival
	// order; they are not in the Sample (it keeps no text).
	complaints map[string][]complaint
	version    int64 // bumped by every add

	cache viewCache // dashview.go
}

// maxComplaints bounds the complaint texts kept per province.
const maxComplaints = 200

// complaint is one free text with what the filters need.
type complaint struct {
	Text       string
	At         int64
	Province   string
	RegionType string
	Venue, Src string
	Categories []string
	Flagged    bool
}

// extraColumns are the non-answer columns the board's sample keeps.
var boardExtra = []string{"src", "venue"}

func newBoard(d *surveys.Definition) *board {
	return &board{def: d, sample: analysis.NewSample(d, boardExtra...)}
}

// add appends one response.
func (b *board) add(r *surveys.Response) {
	w := r.Weight
	if !(w > 0) || math.IsInf(w, 0) { // none, or not a usable weight
		w = 1
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sample.Add(r.Answers, w, r.Code, map[string]string{"src": r.Src, "venue": r.Venue})
	b.at = append(b.at, r.ReceivedAt.UnixMilli())
	flagged := len(r.Flags()) > 0
	b.flagged = append(b.flagged, flagged)
	if t := r.Answers.Code(complaintField); t != "" {
		prov := r.Answers.Code(surveys.ProvinceID)
		list := append(b.complaints[prov], complaint{Text: t, At: r.ReceivedAt.UnixMilli(),
			Province: prov, RegionType: r.Answers.Code(surveys.RegionTypeID),
			Venue: r.Venue, Src: r.Src, Categories: r.Answers.Codes(surveys.RatedCategoriesID), Flagged: flagged})
		if len(list) > maxComplaints {
			list = slices.Delete(list, 0, len(list)-maxComplaints)
		}
		if b.complaints == nil {
			b.complaints = map[string][]complaint{}
		}
		b.complaints[prov] = list
	}
	b.version++
}

// complaintField is the free-text question the complaints page lists.
const complaintField = "complaint_text"

// domain returns the rows f keeps (and, for a key group, the group's rows
// within them) as a new Sample, their receive times, and the board's
// version. The Sample is a copy: the board may grow meanwhile.
func (b *board) domain(f dashFilter) (*analysis.Sample, []int64, int64) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	keep := f.rowFilter(b.sample, b.at, b.flagged)
	rows := make([]int, 0, b.sample.Len())
	for i := range b.sample.Len() {
		if keep(i) {
			rows = append(rows, i)
		}
	}
	at := make([]int64, len(rows))
	for j, i := range rows {
		at[j] = b.at[i]
	}
	return b.sample.Rows(rows), at, b.version
}

// latestComplaints returns up to n complaint texts that f keeps, the most
// recently received first (imported history may arrive out of order).
func (b *board) latestComplaints(f dashFilter, n int) []complaint {
	b.mu.RLock()
	var out []complaint
	for prov, list := range b.complaints {
		if len(f.Provinces) > 0 && !slices.Contains(f.Provinces, prov) {
			continue
		}
		for _, c := range list {
			if f.keepComplaint(c) {
				out = append(out, c)
			}
		}
	}
	b.mu.RUnlock()
	slices.SortStableFunc(out, func(a, c complaint) int { return cmp.Compare(c.At, a.At) })
	return out[:min(n, len(out))]
}
