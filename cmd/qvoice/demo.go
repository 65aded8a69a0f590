package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/exchange"
)

func newDemoCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate demo data",
		Long:  `demo makes synthetic data for trying qvoice out, for tests and for benchmarks.`,
		Example: `  qvoice demo generate --survey quality-month-demo --n 5000 --seed 1 --store
  qvoice demo generate --survey quality-month-demo --n 10000 --seed 20240917 --oracle --csv survey_10k.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return usagef("demo needs a subcommand: generate") },
	}
	cmd.AddCommand(newDemoGenerateCmd(a))
	return cmd
}

// demoFlags are the options of qvoice demo generate.
type demoFlags struct {
	slug, defPath, csvPath string
	n                      int
	seed                   int64
	store, oracle          bool
}

func newDemoGenerateCmd(a *app) *cobra.Command {
	var f demoFlags
	cmd := &cobra.Command{
		Use:   "generate --survey SLUG --n N --seed S (--store | --csv FILE)",
		Short: "Generate deterministic, realistic responses",
		Long: `generate makes N synthetic responses to a survey, the same for the same seed,
and stores them (--store) or writes them as an exchange CSV (--csv FILE,
which qvoice import reads).

The responses are realistic: every one passes the survey's validation;
respondents choose categories as the form lets them; some answers are na or
left empty; a few satisfaction scores per seed are planted weak spots, and
respondents aged 60+ rate labelling and instructions lower; times spread
over the survey's window with a slight upward trend; some responses are
flagged too fast. Codes are D<seed>-00000001 …, so runs with different
seeds add up and a repeated run stores nothing twice.

--oracle instead writes exactly what ../shared/oracle/gen_survey.py writes
for the demo survey (the data the R reference numbers come from), byte for
byte; with --store those rows are imported with --assume-consent.

The survey is the stored one, or --definition FILE; the demo survey
(quality-month-demo) is stored first if --store needs it.`,
		Example: `  qvoice demo generate --survey quality-month-demo --n 5000 --seed 1 --store
  qvoice demo generate --survey quality-month-demo --n 1000000 --seed 20240917 --oracle --csv survey_1m.csv
  qvoice demo generate --definition my-survey.yaml --survey my-survey --n 200 --seed 7 --csv sample.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.demoGenerate(cmd.Context(), f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.slug, "survey", demo.Slug, "`slug` of the survey")
	fs.StringVar(&f.defPath, "definition", "", "the survey definition `file` (default: the stored survey)")
	fs.IntVar(&f.n, "n", 1000, "how many `responses`")
	fs.Int64Var(&f.seed, "seed", 1, "random `seed`")
	fs.BoolVar(&f.store, "store", false, "store the responses")
	fs.StringVar(&f.csvPath, "csv", "", "write the responses to this CSV `file`")
	fs.BoolVar(&f.oracle, "oracle", false, "the demo survey only: gen_survey.py's rows, byte for byte")
	return cmd
}

func (a *app) demoGenerate(ctx context.Context, f demoFlags) error {
	switch {
	case f.store == (f.csvPath != ""):
		return usagef("give exactly one of --store and --csv FILE")
	case f.n < 1:
		return usagef("--n must be at least 1")
	}
	var st surveys.Store
	// Only --store, or a stored survey's definition, needs the database;
	// --oracle --csv writes the demo survey's fixed rows.
	if f.store || (f.defPath == "" && !f.oracle) {
		s, closeStore, err := a.openStore(ctx)
		if err != nil {
			return err
		}
		defer closeStore()
		st = s
	}
	d, err := a.demoDefinition(ctx, st, f)
	if err != nil {
		return err
	}
	if f.oracle && d.Slug != demo.Slug {
		return usagef("--oracle writes the demo survey's data; --survey must be %s", demo.Slug)
	}
	p := a.progress("generating", int64(f.n))
	defer p.Finish()
	l := exchange.NewLayout(d)
	if f.csvPath != "" {
		err := writeAtomically(f.csvPath, func(w io.Writer) error { return a.demoCSV(w, d, l, f, p) })
		if err == nil {
			fmt.Fprintln(a.stdout, a.msgf("wrote %d responses to %s", f.n, f.csvPath))
		}
		return err
	}
	stored, already, err := a.demoStore(ctx, st, d, l, f, p)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, a.msgf("stored %d responses to %s (%d already stored)", stored, d.Slug, already))
	return nil
}

// demoDefinition finds the survey: --definition, the stored one, or the
// embedded demo survey, which --store then stores.
func (a *app) demoDefinition(ctx context.Context, st surveys.Store, f demoFlags) (*surveys.Definition, error) {
	if f.defPath != "" {
		d, err := surveys.Load(f.defPath)
		if err != nil {
			return nil, invalidf("%s: %w", f.defPath, err)
		}
		if f.store {
			if _, err := definitionOf(ctx, st, d.Slug); err != nil {
				return nil, fmt.Errorf("%w: store it first with qvoice survey import %s", err, f.defPath)
			}
		}
		return d, nil
	}
	if st == nil {
		if f.slug != demo.Slug {
			return nil, usagef("--oracle writes the demo survey's data; --survey must be %s", demo.Slug)
		}
		return surveys.Parse(demo.Source())
	}
	d, err := definitionOf(ctx, st, f.slug)
	if errors.Is(err, surveys.ErrNotFound) && f.slug == demo.Slug {
		if f.store {
			err = st.PutSurvey(ctx, &surveys.StoredSurvey{Slug: demo.Slug, Source: demo.Source(), AddedAt: time.Now()})
			if err != nil && !errors.Is(err, surveys.ErrDuplicate) {
				return nil, err
			}
		}
		return surveys.Parse(demo.Source())
	}
	return d, err
}

// demoCSV writes the generated rows as an exchange CSV.
func (a *app) demoCSV(w io.Writer, d *surveys.Definition, l *exchange.Layout, f demoFlags, p *progress) error {
	if f.oracle {
		return demo.WriteOracleCSV(&lineCounter{w: w, p: p}, f.n, f.seed)
	}
	cw := exchange.NewCSVWriter(w)
	if err := cw.Write(l.Header()); err != nil {
		return err
	}
	var rec []string
	err := demo.Generate(d, f.n, f.seed, func(r *surveys.Response) error {
		rec = l.Encode(r, rec)
		p.Add(1)
		p.AddRows(1)
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	return cw.Close()
}

// lineCounter passes bytes through and counts lines as rows done.
type lineCounter struct {
	w io.Writer
	p *progress
}

func (c *lineCounter) Write(b []byte) (int, error) {
	n := int64(bytes.Count(b, []byte{'\n'}))
	c.p.Add(n)
	c.p.AddRows(n)
	return c.w.Write(b)
}

// demoStore stores generated responses in batches; codes stored before
// count as already stored.
func (a *app) demoStore(ctx context.Context, st surveys.Store, d *surveys.Definition, l *exchange.Layout, f demoFlags, p *progress) (stored, already int, err error) {
	if f.oracle {
		return a.demoStoreOracle(ctx, st, l, f, p)
	}
	return storeGenerated(ctx, st, d, f.n, f.seed, func(n int) { p.Add(int64(n)); p.AddRows(int64(n)) })
}

// storeGenerated stores n generated responses to d in batches of 1,000
// and counts them: codes stored before count as already stored. done, if
// not nil, is called with the size of each stored batch.
func storeGenerated(ctx context.Context, st surveys.Store, d *surveys.Definition, n int, seed int64, done func(int)) (stored, already int, err error) {
	batch := make([]*surveys.Response, 0, 1000)
	flush := func() error {
		errs, err := st.InsertResponses(ctx, batch)
		if err != nil {
			return err
		}
		for _, e := range errs {
			switch {
			case e == nil:
				stored++
			case errors.Is(e, surveys.ErrDuplicate):
				already++
			default:
				return e
			}
		}
		if done != nil {
			done(len(batch))
		}
		batch = batch[:0]
		return nil
	}
	err = demo.Generate(d, n, seed, func(r *surveys.Response) error {
		batch = append(batch, r)
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return stored, already, err
}

// demoStoreOracle imports gen_survey.py's rows, as qvoice import
// --assume-consent would, streaming them through a pipe.
func (a *app) demoStoreOracle(ctx context.Context, st surveys.Store, l *exchange.Layout, f demoFlags, p *progress) (int, int, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(demo.WriteOracleCSV(pw, f.n, f.seed)) }()
	defer pr.Close()
	opened := false
	open := func() (exchange.RecordReader, error) {
		if opened {
			return nil, errors.New("the generated rows can be read once")
		}
		opened = true
		return exchange.NewCSVReader(pr), nil
	}
	opts := exchange.ImportOptions{
		BindOptions: exchange.BindOptions{AssumeConsent: true, Now: time.Now()},
		Progress:    func(n int) { p.SetRows(int64(n)); p.Add(1) },
	}
	sum, err := exchange.Import(ctx, st, l, open, nil, opts)
	if err == nil && sum.Rejected > 0 {
		err = fmt.Errorf("%d generated rows were refused (first: %v)", sum.Rejected, sum.Errors[0])
	}
	return sum.Stored, sum.AlreadyStored, err
}
