package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// loadConfig is one load run: clients simulated phones against base
// (scheme and host) for survey def, until duration has passed or requests
// submissions were started (0: no cap), whichever comes first.
type loadConfig struct {
	base     string
	def      *surveys.Definition
	clients  int
	duration time.Duration
	requests int
	seed     int64
	mix      phoneMix
	// viaForm makes the phones answer through the phone form, page by
	// page, instead of posting to the JSON intake.
	viaForm bool
}

// phoneMix is the share of phones (0–1 each) that, after loading the
// form, abandon it (post nothing), retry (post again after the answer),
// or double tap (post twice at once); the others post once. With noForm
// the phones skip the form and only post, as a client of the JSON intake
// does (the benchmark uses it to tell the form's cost from the intake's).
type phoneMix struct {
	abandon, retry, doubleTap float64
	noForm                    bool
}

// defaultMix is the behaviour of the command's phones.
var defaultMix = phoneMix{abandon: 0.10, retry: 0.05, doubleTap: 0.05}

// phone behaviours.
const (
	phoneSubmit = iota
	phoneAbandon
	phoneRetry
	phoneDoubleTap
)

// loadResult is what a load run observed, before the stored responses are
// counted. Latencies are of successful (2xx) requests.
type loadResult struct {
	elapsed                   time.Duration
	phones, formLoads         int
	abandoned, retries, taps  int
	posts, created, duplicate int
	postLatency, formLatency  []time.Duration
	errors                    map[string]int // kind → count: "HTTP 429", "network: timeout", …
	acked                     map[string]int // submission id → 201 answers received
}

// acknowledged counts the distinct submissions answered 201 or 200.
func (r *loadResult) acknowledged() int { return len(r.acked) }

// rate is acknowledged submissions per second.
func (r *loadResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.acknowledged()) / r.elapsed.Seconds()
}

// runLoad runs cfg: each client is a loop of phones, each of which loads
// the form (GET /s/SLUG) and then behaves as cfg.mix draws. New phones stop
// at the duration, the request cap or ctx's end; phones under way finish
// unless ctx ends, which cancels their requests.
func runLoad(ctx context.Context, cfg loadConfig) (*loadResult, error) {
	if cfg.clients < 1 {
		return nil, errors.New("loadtest: at least one client")
	}
	bodies, stopGen := submissionBodies(ctx, cfg.def, cfg.seed, cfg.clients, cfg.viaForm)
	defer stopGen()
	tr := &http.Transport{
		Proxy:               nil, // loopback only: never through a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        2 * cfg.clients,
		MaxIdleConnsPerHost: 2 * cfg.clients,
		IdleConnTimeout:     30 * time.Second,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	// The form's phones read each 303 themselves.
	form := &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	stopAt := time.Now().Add(cfg.duration)
	var started atomic.Int64
	var mu sync.Mutex
	res := newLoadResult()
	begin := time.Now()
	var wg sync.WaitGroup
	for i := range cfg.clients {
		p := &phone{cfg: cfg, client: client, form: form, rng: rand.New(rand.NewPCG(uint64(cfg.seed), uint64(i)+1)),
			res: newLoadResult()}
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(stopAt) {
				if cfg.requests > 0 && started.Add(1) > int64(cfg.requests) {
					break
				}
				body, ok := <-bodies
				if !ok {
					break
				}
				p.run(ctx, body)
			}
			mu.Lock()
			res.merge(p.res)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(begin)
	slices.Sort(res.postLatency)
	slices.Sort(res.formLatency)
	return res, nil
}

func newLoadResult() *loadResult {
	return &loadResult{errors: map[string]int{}, acked: map[string]int{}}
}

// merge adds o's counts to r.
func (r *loadResult) merge(o *loadResult) {
	r.phones += o.phones
	r.formLoads += o.formLoads
	r.abandoned += o.abandoned
	r.retries += o.retries
	r.taps += o.taps
	r.posts += o.posts
	r.created += o.created
	r.duplicate += o.duplicate
	r.postLatency = append(r.postLatency, o.postLatency...)
	r.formLatency = append(r.formLatency, o.formLatency...)
	for k, n := range o.errors {
		r.errors[k] += n
	}
	for id, n := range o.acked {
		r.acked[id] += n
	}
}

// submission is one generated response as the JSON intake takes it, or
// as the phone form posts it.
type submission struct {
	id   string
	body []byte     // for the JSON intake
	form url.Values // with viaForm: the answers as the phone form posts them
}

// submissionBodies generates valid submissions to d from seed (demo's
// Generator: version 4 ids drawn from the seed, so the same seed against
// the same store gives retries, not new responses) until stop is called.
// Each carries only what its phones post: the form's values with viaForm,
// else the JSON body; the generator shares the CPU with the server.
func submissionBodies(ctx context.Context, d *surveys.Definition, seed int64, buffer int, viaForm bool) (<-chan submission, func()) {
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan submission, buffer)
	go func() {
		defer close(out)
		errStop := errors.New("stop")
		_ = demo.Generate(d, 1<<30, seed, func(r *surveys.Response) error {
			s := submission{id: r.ID}
			if viaForm {
				s.form = formValues(r.Answers)
			} else {
				b, err := json.Marshal(map[string]any{"id": r.ID, "answers": r.Answers, "lang": r.Lang, "src": r.Src, "venue": r.Venue})
				if err != nil {
					return err
				}
				s.body = b
			}
			select {
			case out <- s:
				return nil
			case <-ctx.Done():
				return errStop
			}
		})
	}()
	return out, func() {
		cancel()
		for range out { // let the generator see the cancellation and finish
		}
	}
}

// phone is one simulated client; its counts go to res, merged at the end.
type phone struct {
	cfg    loadConfig
	client *http.Client
	form   *http.Client // follows no redirect
	rng    *rand.Rand
	res    *loadResult
}

// run plays one phone: load the form, then abandon, post once, retry, or
// double tap.
func (p *phone) run(ctx context.Context, s submission) {
	p.res.phones++
	if p.cfg.viaForm {
		p.walkForm(ctx, s)
		return
	}
	form := p.cfg.base + "/s/" + p.cfg.def.Slug
	if !p.cfg.mix.noForm && !p.get(ctx, form) {
		return
	}
	switch p.behaviour() {
	case phoneAbandon:
		p.res.abandoned++
	case phoneSubmit:
		p.post(ctx, s)
	case phoneRetry:
		p.res.retries++
		if p.post(ctx, s)/100 == 2 {
			p.post(ctx, s) // expect 200 already_received
		}
	case phoneDoubleTap:
		p.res.taps++
		var wg sync.WaitGroup
		var other *loadResult
		wg.Go(func() {
			q := &phone{cfg: p.cfg, client: p.client, form: p.form, res: newLoadResult()}
			q.post(ctx, s)
			other = q.res
		})
		p.post(ctx, s)
		wg.Wait()
		p.res.merge(other)
	}
}

// behaviour draws what the phone does after loading the form.
func (p *phone) behaviour() int {
	x, m := p.rng.Float64(), p.cfg.mix
	switch {
	case x < m.abandon:
		return phoneAbandon
	case x < m.abandon+m.retry:
		return phoneRetry
	case x < m.abandon+m.retry+m.doubleTap:
		return phoneDoubleTap
	}
	return phoneSubmit
}

// get loads the form page and reports whether it came.
func (p *phone) get(ctx context.Context, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		p.res.errors["request: "+err.Error()]++
		return false
	}
	code, took := p.do(req)
	if code/100 == 2 {
		p.res.formLoads++
		p.res.formLatency = append(p.res.formLatency, took)
	}
	return code/100 == 2
}

// post submits s and returns the status (0 on a network error). 201 and
// 200 acknowledge the submission.
func (p *phone) post(ctx context.Context, s submission) int {
	url := p.cfg.base + "/api/v1/surveys/" + p.cfg.def.Slug + "/responses"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(s.body))
	if err != nil {
		p.res.errors["request: "+err.Error()]++
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	p.res.posts++
	code, took := p.do(req)
	switch code {
	case http.StatusCreated:
		p.res.created++
		p.res.acked[s.id]++
	case http.StatusOK:
		p.res.duplicate++
		if _, ok := p.res.acked[s.id]; !ok {
			p.res.acked[s.id] = 0 // acknowledged, not created here
		}
	}
	if code/100 == 2 {
		p.res.postLatency = append(p.res.postLatency, took)
	}
	return code
}

// do sends req, drains the body, and counts a failure by kind.
func (p *phone) do(req *http.Request) (int, time.Duration) {
	t0 := time.Now()
	resp, err := p.client.Do(req)
	if err != nil {
		p.res.errors[netErrorKind(err)]++
		return 0, time.Since(t0)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(t0)
	if resp.StatusCode/100 != 2 {
		p.res.errors[fmt.Sprintf("HTTP %d", resp.StatusCode)]++
	}
	return resp.StatusCode, took
}

// netErrorKind classifies a failed request.
func netErrorKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "network: cancelled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "network: connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "network: connection reset"
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "network: timeout"
	}
	return "network: other"
}

// percentile returns the p-th percentile (0–100) of sorted durations, by
// the nearest-rank method; 0 for none.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// storedCheck is how many acknowledged submissions the store holds: each
// must be there exactly once.
type storedCheck struct {
	stored, missing, duplicated int
}

// checkStored scans the survey's responses and counts the acknowledged
// ids among them.
func checkStored(ctx context.Context, st surveys.Store, slug string, acked map[string]int) (storedCheck, error) {
	seen := make(map[string]int, len(acked))
	err := st.ScanResponses(ctx, slug, surveys.Filter{}, func(r *surveys.Response) error {
		if _, ok := acked[r.ID]; ok {
			seen[r.ID]++
		}
		return nil
	})
	if err != nil {
		return storedCheck{}, fmt.Errorf("count stored responses: %w", err)
	}
	var c storedCheck
	for id := range acked {
		switch n := seen[id]; {
		case n == 0:
			c.missing++
		case n > 1:
			c.duplicated++
			c.stored++
		default:
			c.stored++
		}
	}
	return c, nil
}
