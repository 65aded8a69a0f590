package demo

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// Generator makes synthetic responses to any questionnaire, for demos,
// dashboards and load tests of surveys other than the oracle's. Unlike
// GenerateOracle it follows the definition, not a fixed design: every
// response passes surveys.ParseAnswers unchanged. A Generator holds no
// state between calls; Generate with the same n gives the same responses.
type Generator struct {
	d          *surveys.Definition
	seed       int64
	plan       *plan
	kanoCells  [6][][2]int
	complaints map[string][]string
}

// NewGenerator returns a generator for d, whose effects and parameters
// are drawn from seed.
func NewGenerator(d *surveys.Definition, seed int64) *Generator {
	return &Generator{d: d, seed: seed, plan: newPlan(d, seed), kanoCells: kanoCells(), complaints: oracleComplaints()}
}

// Plan returns the effects the generator plants.
func (g *Generator) Plan() Plan {
	p := g.plan.Plan
	p.WeakSpots = append([]WeakSpot(nil), p.WeakSpots...)
	p.OlderCodes = append([]string(nil), p.OlderCodes...)
	p.OlderIndicators = append([]string(nil), p.OlderIndicators...)
	return p
}

// Generate calls fn with n synthetic responses to d, in the order they
// were received; fn's first error stops it and is returned. It is
// NewGenerator(d, seed).Generate(n, fn).
func Generate(d *surveys.Definition, n int, seed int64, fn func(*surveys.Response) error) error {
	return NewGenerator(d, seed).Generate(n, fn)
}

// Generate calls fn with n responses. Each has a new *Response that fn may
// keep. The responses are deterministic: codes D<seed>-00000001, …
// (unique per seed, so runs with different seeds add up in one store),
// version 4 UUIDs drawn from the seed as ids, ReceivedAt rising through
// Plan's [From, To), the definition's first language for about 90% of
// respondents, and Channel "form" with paradata.
func (g *Generator) Generate(n int, fn func(*surveys.Response) error) error {
	rng := rand.New(rand.NewPCG(uint64(g.seed), 0x72657370)) // "resp"
	span := g.plan.To.Sub(g.plan.From)
	for i := range n {
		// Slot i of n, so ReceivedAt never decreases.
		at := g.plan.From.Add(time.Duration((float64(i) + rng.Float64()) / float64(n) * float64(span)))
		at = at.UTC().Truncate(time.Millisecond)
		progress := float64(i) / float64(max(n-1, 1))
		r := g.response(rng, i, at, progress)
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func (g *Generator) response(rng *rand.Rand, i int, at time.Time, progress float64) *surveys.Response {
	id := newUUID(rng)
	s := g.newRespondent(rng, progress)
	a := s.answers()
	venue := demoVenues[weighted(rng, []float64{3, 1, 1.5, 2})]
	src := fmt.Sprintf("demo-%s-%02d", venue, 1+rng.IntN(20))
	lang := g.d.DefaultLanguage()
	if others := len(g.d.Languages) - 1; others > 0 && rng.Float64() < 0.1 {
		lang = g.d.Languages[1+rng.IntN(others)]
	}
	// Most people take 3–12 minutes; a few rush (paradata flags them).
	secs := 180 + rng.ExpFloat64()*240
	if rng.Float64() < 0.03 {
		secs = 40 + 40*rng.Float64()
	}
	started := at.Add(-time.Duration(secs * float64(time.Second)))
	return &surveys.Response{
		ID: id, Survey: g.d.Slug, SurveyVersion: g.d.Version, Code: fmt.Sprintf("D%d-%08d", g.seed, i+1),
		Answers: a, Lang: lang, Src: src, Venue: venue, Channel: "form", ReceivedAt: at,
		Digest:   surveys.Digest(g.d.Slug, a, src, venue),
		Paradata: surveys.NewParadata(g.d, a, started, at, nil, s.older && rng.Float64() < 0.4),
	}
}

// demoVenues are the venue types of the oracle's data.
var demoVenues = [...]string{"community", "school", "township", "online"}

// newUUID is a version 4 UUID from rng, so ids are deterministic.
func newUUID(rng *rand.Rand) string {
	var b [16]byte
	for i := range 2 {
		x := rng.Uint64()
		for j := range 8 {
			b[8*i+j] = byte(x >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// weighted returns index i with probability w[i] / Σw.
func weighted(rng *rand.Rand, w []float64) int {
	tot := 0.0
	for _, x := range w {
		tot += x
	}
	x := rng.Float64() * tot
	for i, wi := range w {
		if x < wi {
			return i
		}
		x -= wi
	}
	return len(w) - 1
}
