package analysis

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Sections of a full analysis, named and ordered as in oracle.R.
const (
	SectionMeans       = "means"       // means.csv, indices.csv, priority.csv
	SectionValidate    = "validate"    // validate.csv
	SectionWeights     = "weights"     // weights.csv, rake_check.csv, weights_summary.csv
	SectionReliability = "reliability" // reliability.csv
	SectionDrivers     = "drivers"     // drivers.csv
	SectionTests       = "tests"       // tests.csv
	SectionIPA         = "ipa"         // ipa.csv
	SectionKano        = "kano"        // kano.csv
	SectionGroups      = "groups"      // groups.csv
)

// AllSections lists every section in the oracle's order.
var AllSections = []string{SectionMeans, SectionValidate, SectionWeights, SectionReliability,
	SectionDrivers, SectionTests, SectionIPA, SectionKano, SectionGroups}

// needsMargins are the sections that use the raked or calibrated design.
var needsMargins = []string{SectionMeans, SectionValidate, SectionWeights, SectionIPA, SectionGroups}

// ErrNeedsMargins means a section needs population margins for raking.
var ErrNeedsMargins = errors.New("needs population margins for raking")

// Options choose what Analyze computes.
type Options struct {
	// Margins are the population margins to rake to (ReadMargins). Without
	// them only the sections that need no raking can run.
	Margins []Margin
	// Sections to compute; nil means all that the margins allow.
	Sections []string
	Rake     RakeOptions
}

// Report is the result of Analyze.
type Report struct {
	Tables []*Table // in the oracle's order; margins_used first when raking
	// Headline is the priority ranking to show first: the raked design's
	// when margins were given, else the design-weighted one.
	Headline *DesignIndices
	// Undefined lists estimates that could not be made (a category nobody
	// rated, a constant item, collinear drivers, …); their cells are NA.
	Undefined []error
}

// Analyze computes the selected sections on s, running independent
// sections in parallel. Data problems that leave single estimates undefined
// are collected in Report.Undefined; errors that stop a whole section (no
// convergence, margins that do not fit the sample) are returned.
func Analyze(s *Sample, opts Options) (*Report, error) {
	sections, err := chooseSections(opts)
	if err != nil {
		return nil, err
	}
	if s.Len() == 0 {
		return nil, errors.New("analysis: no responses")
	}
	a := &analysisRun{s: s, rep: &Report{}, tables: map[string][]*Table{}}
	a.unw, a.dw = UnweightedDesign(s), BaseWeightDesign(s)
	if opts.Margins != nil {
		ro := opts.Rake
		if ro.MaxIter == 0 {
			ro = RakeOptions{MaxIter: 200, Epsilon: 1e-12}
		}
		r, err := Rake(s, opts.Margins, ro)
		if err != nil {
			return nil, fmt.Errorf("raking: %w", err)
		}
		a.raking, a.rake, a.cal = r, r.Design(), r.CalibrationDesign()
	}
	a.runAll(sections)
	if a.raking != nil {
		a.rep.Tables = append(a.rep.Tables, MarginsUsedTable(a.raking))
	}
	for _, sec := range AllSections {
		a.rep.Tables = append(a.rep.Tables, a.tables[sec]...)
	}
	if a.rep.Headline == nil {
		headline := a.dw
		if a.rake != nil {
			headline = a.rake
		}
		a.rep.Headline = Indices(s, headline)
	}
	return a.rep, nil
}

func chooseSections(opts Options) ([]string, error) {
	if opts.Sections == nil {
		if opts.Margins != nil {
			return slices.Clone(AllSections), nil
		}
		var out []string
		for _, sec := range AllSections {
			if !slices.Contains(needsMargins, sec) {
				out = append(out, sec)
			}
		}
		return out, nil
	}
	var bad []string
	for _, sec := range opts.Sections {
		if !slices.Contains(AllSections, sec) {
			return nil, fmt.Errorf("analysis: unknown section %q (sections: %s)", sec, strings.Join(AllSections, ","))
		}
		if opts.Margins == nil && slices.Contains(needsMargins, sec) {
			bad = append(bad, sec)
		}
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("analysis: sections %s: %w", strings.Join(bad, ","), ErrNeedsMargins)
	}
	return slices.Clone(opts.Sections), nil // runAll may add to it; never to the caller's array
}

// analysisRun is the state of one Analyze call.
type analysisRun struct {
	s                   *Sample
	unw, dw, rake, cal  Design
	raking              *Raking
	rep                 *Report
	mu                  sync.Mutex
	tables              map[string][]*Table
	drivers             []DriverResult
	driversDone, rkDone chan struct{}
	rakeIdx             *DesignIndices
}

func (a *analysisRun) put(section string, err error, ts ...*Table) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tables[section] = append(a.tables[section], ts...)
	if err != nil {
		a.rep.Undefined = append(a.rep.Undefined, err)
	}
}

func (a *analysisRun) rakeWeights() []float64 {
	if a.raking == nil {
		return nil
	}
	return a.raking.Weights()
}

// runAll runs the sections on a bounded number of goroutines. IPA waits
// for the raked priorities and the drivers, which it combines.
func (a *analysisRun) runAll(sections []string) {
	a.driversDone, a.rkDone = make(chan struct{}), make(chan struct{})
	want := func(sec string) bool { return slices.Contains(sections, sec) }
	jobs := map[string]func(){
		SectionMeans:       a.means,
		SectionValidate:    func() { a.put(SectionValidate, nil, ValidateTable(a.s, a.dw, a.rake, a.cal)) },
		SectionWeights:     a.weights,
		SectionReliability: func() { t, err := ReliabilityTable(a.s, a.rakeWeights()); a.put(SectionReliability, err, t) },
		SectionDrivers:     a.driversSection,
		SectionTests:       func() { t, err := TestsTable(a.s, a.rake); a.put(SectionTests, err, t) },
		SectionKano:        func() { t, err := KanoTable(a.s, a.rakeWeights()); a.put(SectionKano, err, t) },
		SectionGroups:      func() { a.put(SectionGroups, nil, GroupsTable(a.s, a.rakeWeights())) },
		SectionIPA:         a.ipa,
	}
	// IPA needs the raked priorities and the drivers even when their own
	// sections were not asked for.
	if want(SectionIPA) && !want(SectionMeans) {
		jobs[SectionMeans] = func() { a.rakeIdx = Indices(a.s, a.rake); close(a.rkDone) }
		sections = append(sections, SectionMeans)
	}
	if want(SectionIPA) && !want(SectionDrivers) {
		jobs[SectionDrivers] = func() { a.drivers, _ = Drivers(a.s); close(a.driversDone) }
		sections = append(sections, SectionDrivers)
	}
	sem := make(chan struct{}, max(runtime.GOMAXPROCS(0), 2))
	var wg sync.WaitGroup
	for _, sec := range AllSections {
		if !slices.Contains(sections, sec) {
			continue
		}
		job := jobs[sec]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if sec != SectionIPA { // IPA only waits; it must not hold a slot
				sem <- struct{}{}
				defer func() { <-sem }()
			}
			job()
		}()
	}
	wg.Wait()
}

func (a *analysisRun) means() {
	ix := []*DesignIndices{Indices(a.s, a.unw), Indices(a.s, a.dw)}
	rk := Indices(a.s, a.rake)
	a.rakeIdx = rk
	close(a.rkDone)
	ix = append(ix, rk)
	a.mu.Lock()
	a.rep.Headline = rk
	a.mu.Unlock()
	a.put(SectionMeans, warningsError(rk.Warnings()), MeansTable(a.s, a.unw, a.dw, a.rake, a.cal), IndicesTable(ix...), PriorityTable(ix...))
}

func (a *analysisRun) weights() {
	a.put(SectionWeights, nil, WeightsTable(a.s, a.raking), RakeCheckTable(a.s, a.raking), WeightsSummaryTable(a.s, a.raking))
}

func (a *analysisRun) driversSection() {
	rs, err := Drivers(a.s)
	a.drivers = rs
	close(a.driversDone)
	a.put(SectionDrivers, err, DriversTable(rs))
}

func (a *analysisRun) ipa() {
	<-a.rkDone
	<-a.driversDone
	a.put(SectionIPA, nil, IPATable(a.rakeIdx, DerivedImportance(a.drivers)))
}

// warningsError joins warnings into one error, nil for none.
func warningsError(ws []string) error {
	var errs []error
	for _, w := range ws {
		errs = append(errs, errors.New(w))
	}
	return errors.Join(errs...)
}
