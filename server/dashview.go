package server

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/qvoice/qvoice/analysis"
	"github.com/qvoice/qvoice/surveys"
)

// minCell is the fewest respondents an estimate is shown for; smaller
// cells are greyed out, never shown as precise numbers.
const minCell = 30

// slowView is the computing time above which a view may be served stale.
const slowView = 50 * time.Millisecond

// maxViews bounds the views cached per survey.
const maxViews = 64

// dashView is one filter applied to a board: the domain's rows, their
// weights under the chosen weighting, and the analyses the pages need,
// each computed on first use and then shared by every request.
type dashView struct {
	f       dashFilter
	version int64
	cost    time.Duration // how long the first page of it took
	used    atomic.Int64  // last use, Unix nanoseconds: the cache evicts the least recently used
	s       *analysis.Sample
	at      []int64
	design  analysis.Design
	note    string // why the weighting differs from the one asked for

	indicesOnce sync.Once
	indices     *analysis.DesignIndices
	groupsOnce  sync.Once
	groups      []groupRow
	trendOnce   sync.Once
	trend       trendData
	driversOnce sync.Once
	drivers     map[string]analysis.DriverResult
}

// viewCache holds a board's recent views by filter, and the filters whose
// view is being recomputed in the background.
type viewCache struct {
	mu         sync.Mutex
	views      map[string]*dashView
	refreshing map[string]bool
	building   map[string]*building // first computations in progress
}

// building is a view being computed for the first time: requests for the
// same filter wait for it instead of computing it again.
type building struct {
	done chan struct{}
	v    *dashView
}

// maxCachedRows bounds the rows the cached views hold together (about
// 150 bytes each): views of a large survey are few, views of small
// surveys many.
const maxCachedRows = 1_000_000

// view returns the view of f. A current view is served from the cache. A
// view of older data is served too if it was slow to compute (more than
// slowView): then a newer one is computed in the background, so a busy
// campaign day never makes a regulator wait for a recomputation, and the
// page is at most one recomputation behind. A fast view is recomputed at
// once: a small survey always shows its latest response.
func (b *board) view(f dashFilter) *dashView {
	key := f.key()
	b.cache.mu.Lock()
	v := b.cache.views[key]
	b.cache.mu.Unlock()
	b.mu.RLock()
	version := b.version
	b.mu.RUnlock()
	switch {
	case v != nil && v.version == version:
		v.used.Store(time.Now().UnixNano())
		return v
	case v != nil && v.cost > slowView:
		v.used.Store(time.Now().UnixNano())
		b.refresh(key, f)
		return v
	}
	return b.build(key, f)
}

// build computes the view of f once, however many requests ask at once.
func (b *board) build(key string, f dashFilter) *dashView {
	b.cache.mu.Lock()
	if w := b.cache.building[key]; w != nil {
		b.cache.mu.Unlock()
		<-w.done
		return w.v
	}
	if b.cache.building == nil {
		b.cache.building = map[string]*building{}
	}
	w := &building{done: make(chan struct{})}
	b.cache.building[key] = w
	b.cache.mu.Unlock()
	defer func() { // also if newView panics: no request waits forever
		b.cache.mu.Lock()
		delete(b.cache.building, key)
		b.cache.mu.Unlock()
		close(w.done)
	}()
	w.v = b.newView(f)
	b.store(key, w.v)
	return w.v
}

// refresh recomputes the view of f in the background, once at a time per
// filter.
func (b *board) refresh(key string, f dashFilter) {
	b.cache.mu.Lock()
	if b.cache.refreshing == nil {
		b.cache.refreshing = map[string]bool{}
	}
	if b.cache.refreshing[key] {
		b.cache.mu.Unlock()
		return
	}
	b.cache.refreshing[key] = true
	b.cache.mu.Unlock()
	go func() {
		v := b.newView(f)
		b.store(key, v)
		b.cache.mu.Lock()
		delete(b.cache.refreshing, key)
		b.cache.mu.Unlock()
	}()
}

// store caches v, evicting the least recently used views beyond maxViews
// or maxCachedRows.
func (b *board) store(key string, v *dashView) {
	b.cache.mu.Lock()
	defer b.cache.mu.Unlock()
	if b.cache.views == nil {
		b.cache.views = map[string]*dashView{}
	}
	b.cache.views[key] = v
	for {
		rows := 0
		var oldest string
		for k, x := range b.cache.views {
			rows += x.s.Len()
			if k != key && (oldest == "" || x.used.Load() < b.cache.views[oldest].used.Load()) {
				oldest = k
			}
		}
		if oldest == "" || (len(b.cache.views) <= maxViews && rows <= maxCachedRows) {
			return
		}
		delete(b.cache.views, oldest)
	}
}

func (b *board) newView(f dashFilter) *dashView {
	start := time.Now()
	s, at, version := b.domain(f)
	v := &dashView{f: f, version: version, s: s, at: at}
	v.design, v.note = b.design(s, f)
	v.Indices()
	v.cost = time.Since(start)
	v.used.Store(time.Now().UnixNano())
	return v
}

// design is the weighting f asks for. Raking uses the definition's
// population margins, restricted to the levels the domain has respondents
// in (a province filter rakes within those provinces); if it cannot be
// done, the design weights are used and note says why.
func (b *board) design(s *analysis.Sample, f dashFilter) (analysis.Design, string) {
	switch f.Weighting {
	case weightNone:
		return analysis.UnweightedDesign(s), ""
	case weightDesign:
		return analysis.BaseWeightDesign(s), ""
	}
	var margins []analysis.Margin
	skipped := false
	for _, pm := range b.def.PopulationMargins() {
		c := s.Choice(pm.Variable)
		if c == nil {
			continue
		}
		present := map[uint16]bool{}
		for _, k := range c.Codes {
			present[k] = true
		}
		if present[0] {
			// Some rows lack the answer (imported data may): raking needs
			// every row's level, so this variable is left out.
			skipped = true
			continue
		}
		m := analysis.Margin{Variable: pm.Variable}
		for i, l := range pm.Levels {
			if k := c.LevelIndex(l); k > 0 && present[k] {
				m.Levels, m.Totals = append(m.Levels, l), append(m.Totals, pm.Totals[i])
			}
		}
		if len(m.Levels) > 1 {
			margins = append(margins, m)
		}
	}
	if len(margins) == 0 {
		return analysis.BaseWeightDesign(s), "no_margins"
	}
	r, err := analysis.Rake(s, margins, analysis.RakeOptions{})
	if err != nil {
		return analysis.BaseWeightDesign(s), "rake_failed"
	}
	if skipped {
		return r.Design(), "rake_partial"
	}
	return r.Design(), ""
}

// Indices are the category indices and priorities of the view.
func (v *dashView) Indices() *analysis.DesignIndices {
	v.indicesOnce.Do(func() { v.indices = analysis.Indices(v.s, v.design) })
	return v.indices
}

// weightedRows returns the rows as a Sample whose design weights are the
// view's final weights, so a subset keeps the weighting.
func (v *dashView) weightedRows(rows []int) *analysis.Sample {
	sub := v.s.Rows(rows)
	w := v.design.Weights()
	for j, i := range rows {
		sub.DesignWeight[j] = w[i]
	}
	return sub
}

// Drivers is the key-driver analysis of each category (unweighted, as
// the oracle's), by category code; categories it cannot be done for are
// absent.
func (v *dashView) Drivers() map[string]analysis.DriverResult {
	v.driversOnce.Do(func() {
		v.drivers = map[string]analysis.DriverResult{}
		rs, _ := analysis.Drivers(v.s) // undefined categories come back with NaN; they are shown as such
		for _, r := range rs {
			v.drivers[r.Category] = r
		}
	})
	return v.drivers
}

// weekOf is the Monday (China time) of the week of a Unix millisecond.
func weekOf(ms int64) string {
	t := time.UnixMilli(ms).In(surveys.ChinaTime)
	wd := (int(t.Weekday()) + 6) % 7
	return t.AddDate(0, 0, -wd).Format(time.DateOnly)
}

// noteKey explains a view's note, "" when there is none.
func (v *dashView) noteKey() string {
	if v.note == "" {
		return ""
	}
	return "note_" + v.note
}
