package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/embedded"
)

// loadtestFlags are the options of qvoice loadtest.
type loadtestFlags struct {
	url, survey, definition string
	via                     string
	clients, requests       int
	duration                time.Duration
	seed                    int64
	format                  *outputFormat
}

// Bounds of a load run.
const (
	maxLoadClients  = 2000
	maxLoadDuration = 10 * time.Minute
)

func newLoadtestCmd(a *app) *cobra.Command {
	var f loadtestFlags
	cmd := &cobra.Command{
		Use:   "loadtest --url http://127.0.0.1:PORT [--survey SLUG] [--clients N] [--duration D]",
		Short: "Load-test a running serve on this machine with simulated phones",
		Long: `loadtest plays --clients simulated phones against a qvoice serve on this
machine (the URL's host must be a loopback address: 127.0.0.0/8, ::1 or
localhost). Each phone loads the form (GET /s/SLUG), then, like people do,
mostly posts valid answers once to the JSON intake, sometimes abandons the
form (10%), retries the same submission after its answer (5%, expecting
200 already_received) or double taps (5%: two posts of one id at once,
one 201 and one 200). With --via form the phones answer as people on
their phones do: page by page through the form, each post saved in the
server-side draft and answered with a 303 to the next page, until the
redirect to the thanks page acknowledges the submission; abandoning
phones leave after a few pages, retrying and double-tapping ones post the
last page again or twice at once. The answers are generated for the survey's
definition (as demo generate does) from --seed; the same seed sent again
gives retries, not new responses.

The run stops at --duration or after --requests phones, whichever comes
first, or on SIGINT, and then prints acknowledged submissions per second,
p50/p95/p99 latency of the posts and of the form, errors by kind (HTTP
status, network errors) and whether every acknowledged submission (201 or
200) is stored exactly once, counted through the store of the global
flags: give loadtest the same --data (or --mongo-uri) as the serve.

The server limits answer posts per client address, and every phone here
has the same address: start the server with --rate-limit 0 for a load
test. Refused posts are counted as HTTP 429.`,
		Example: `  qvoice serve --demo --rate-limit 0 --addr 127.0.0.1:8080 &
  qvoice loadtest --url http://127.0.0.1:8080 --survey quality-month-demo --clients 200 --duration 30s
  qvoice loadtest --url http://[::1]:8080 --survey my-survey --definition my-survey.yaml --requests 5000 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.loadtest(cmd.Context(), f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.url, "url", "", "base `URL` of the running serve; its host must be a loopback address (required)")
	fs.StringVar(&f.survey, "survey", demo.Slug, "`slug` of the survey to answer")
	fs.StringVar(&f.via, "via", "api", "how phones answer: api (one JSON post) or form (page by page through the phone form)")
	fs.StringVar(&f.definition, "definition", "", "survey definition `file` to generate answers from (default: the stored one)")
	fs.IntVar(&f.clients, "clients", 50, fmt.Sprintf("simulated phones at once (at most %d)", maxLoadClients))
	fs.DurationVar(&f.duration, "duration", 10*time.Second, fmt.Sprintf("how long to run (at most %s)", maxLoadDuration))
	fs.IntVar(&f.requests, "requests", 0, "stop after this many phones (each submits once unless it abandons); 0: no cap")
	fs.Int64Var(&f.seed, "seed", 0, "seed of the answers and behaviours; 0: a new random seed")
	f.format = addFormatFlag(fs, "output format: table or json")
	_ = cmd.MarkFlagRequired("url")
	return cmd
}

func (a *app) loadtest(ctx context.Context, f loadtestFlags) error {
	base, err := loopbackBase(f.url)
	if err != nil {
		return err
	}
	switch {
	case f.clients < 1 || f.clients > maxLoadClients:
		return usagef("--clients must be between 1 and %d", maxLoadClients)
	case f.duration <= 0 || f.duration > maxLoadDuration:
		return usagef("--duration must be more than 0 and at most %s", maxLoadDuration)
	case f.requests < 0:
		return usagef("--requests must be 0 or more")
	case f.via != "api" && f.via != "form":
		return usagef("--via must be api or form")
	case *f.format == formatCSV:
		return usagef("--format must be table or json")
	}
	if f.seed == 0 {
		f.seed = rand.Int64N(1<<62) + 1
	}
	if a.db.mongoURI == "" {
		if _, err := embedded.RunningURI(a.db.dataDir); err != nil {
			return fmt.Errorf("no qvoice serve holds --data %s (give loadtest the serve's --data): %w", a.db.dataDir, err)
		}
	}
	st, closeStore, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	d, err := loadDefinition(ctx, st, f.survey, f.definition)
	if err != nil {
		return err
	}
	res, err := runLoad(ctx, loadConfig{base: base, def: d, clients: f.clients, duration: f.duration,
		requests: f.requests, seed: f.seed, mix: defaultMix, viaForm: f.via == "form"})
	if err != nil {
		return err
	}
	check, err := checkStored(context.WithoutCancel(ctx), st, d.Slug, res.acked)
	if err != nil {
		return err
	}
	rep := newLoadReport(base, d.Slug, f, res, check)
	if *f.format == formatJSON {
		err = writeJSON(a.stdout, rep)
	} else {
		err = a.loadTable(rep)
	}
	if err != nil {
		return err
	}
	if rep.Missing > 0 || rep.Duplicated > 0 || rep.CreatedTwice > 0 {
		return fmt.Errorf("%d acknowledged submissions missing, %d stored twice, %d answered 201 twice",
			rep.Missing, rep.Duplicated, rep.CreatedTwice)
	}
	return nil
}

// loopbackBase checks that raw is an http(s) URL on a loopback host and
// returns its scheme and host.
func loopbackBase(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", usagef("--url %q: want http://HOST:PORT", raw)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	if !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return "", usagef("--url %q: loadtest only targets this machine (127.0.0.0/8, ::1 or localhost)", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// loadDefinition reads the definition from file, or else the stored one.
func loadDefinition(ctx context.Context, st surveys.Store, slug, file string) (*surveys.Definition, error) {
	if file == "" {
		return definitionOf(ctx, st, slug)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	d, err := surveys.Parse(src)
	if err != nil {
		return nil, invalidf("%s: %w", file, err)
	}
	if d.Slug != slug {
		return nil, usagef("%s is survey %q, not --survey %q", file, d.Slug, slug)
	}
	return d, nil
}

// loadReport is the outcome of qvoice loadtest; its JSON names are stable.
type loadReport struct {
	URL               string         `json:"url"`
	Survey            string         `json:"survey"`
	Clients           int            `json:"clients"`
	Via               string         `json:"via"`
	Seed              int64          `json:"seed"`
	Seconds           float64        `json:"seconds"`
	Phones            int            `json:"phones"`
	FormLoads         int            `json:"form_loads"`
	Abandoned         int            `json:"abandoned"`
	Retries           int            `json:"retries"`
	DoubleTaps        int            `json:"double_taps"`
	Posts             int            `json:"posts"`
	Created           int            `json:"created_201"`
	AlreadyReceived   int            `json:"already_received_200"`
	Acknowledged      int            `json:"acknowledged"`
	SubmissionsPerSec float64        `json:"submissions_per_second"`
	Post              latencySummary `json:"post_latency_ms"`
	Form              latencySummary `json:"form_latency_ms"`
	Errors            map[string]int `json:"errors"`
	Stored            int            `json:"stored"`
	Missing           int            `json:"missing"`
	Duplicated        int            `json:"duplicated"`
	CreatedTwice      int            `json:"created_twice"`
}

// latencySummary holds percentiles in milliseconds.
type latencySummary struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func summarise(sorted []time.Duration) latencySummary {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return latencySummary{N: len(sorted), P50: ms(percentile(sorted, 50)), P95: ms(percentile(sorted, 95)),
		P99: ms(percentile(sorted, 99)), Max: ms(percentile(sorted, 100))}
}

func newLoadReport(base, slug string, f loadtestFlags, res *loadResult, c storedCheck) loadReport {
	twice := 0
	for _, n := range res.acked {
		if n > 1 {
			twice++
		}
	}
	return loadReport{URL: base, Survey: slug, Clients: f.clients, Via: f.via, Seed: f.seed, Seconds: res.elapsed.Seconds(),
		Phones: res.phones, FormLoads: res.formLoads, Abandoned: res.abandoned, Retries: res.retries,
		DoubleTaps: res.taps, Posts: res.posts, Created: res.created, AlreadyReceived: res.duplicate,
		Acknowledged: res.acknowledged(), SubmissionsPerSec: res.rate(),
		Post: summarise(res.postLatency), Form: summarise(res.formLatency), Errors: res.errors,
		Stored: c.stored, Missing: c.missing, Duplicated: c.duplicated, CreatedTwice: twice}
}

// loadTable prints the report as a two-column table.
func (a *app) loadTable(r loadReport) error {
	itoa := strconv.Itoa
	f1 := func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
	t := a.table("measure", "value")
	t.add(a.msg("clients"), itoa(r.Clients))
	t.add(a.msg("via"), r.Via)
	t.add(a.msg("seconds"), f1(r.Seconds))
	t.add(a.msg("phones"), itoa(r.Phones))
	t.add(a.msg("abandoned"), itoa(r.Abandoned))
	t.add(a.msg("retries"), itoa(r.Retries))
	t.add(a.msg("double taps"), itoa(r.DoubleTaps))
	t.add(a.msg("posts"), itoa(r.Posts))
	t.add(a.msg("submissions/s"), f1(r.SubmissionsPerSec))
	for _, l := range []struct {
		name string
		s    latencySummary
	}{{"post", r.Post}, {"form", r.Form}} {
		t.add(a.msg(l.name)+" p50 ms", f1(l.s.P50))
		t.add(a.msg(l.name)+" p95 ms", f1(l.s.P95))
		t.add(a.msg(l.name)+" p99 ms", f1(l.s.P99))
	}
	kinds := make([]string, 0, len(r.Errors))
	for k := range r.Errors {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t.add(a.msg("error")+": "+k, itoa(r.Errors[k]))
	}
	if len(kinds) == 0 {
		t.add(a.msg("errors"), "0")
	}
	t.add(a.msg("answered 201 stored"), itoa(r.Created))
	t.add(a.msg("answered 200 already received"), itoa(r.AlreadyReceived))
	t.add(a.msg("acknowledged submissions"), itoa(r.Acknowledged))
	t.add(a.msg("stored"), itoa(r.Stored))
	t.add(a.msg("missing"), itoa(r.Missing))
	t.add(a.msg("stored twice"), itoa(r.Duplicated))
	t.add(a.msg("answered 201 twice"), itoa(r.CreatedTwice))
	if err := t.render(a.stdout); err != nil {
		return err
	}
	if r.Errors["HTTP 429"] > 0 {
		fmt.Fprintln(a.stdout, a.msg("the server refused posts for their rate: start it with serve --rate-limit 0 for a load test"))
	}
	return nil
}
