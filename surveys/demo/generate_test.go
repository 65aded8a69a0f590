package demo_test

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

func demoSurvey(t testing.TB) *surveys.Definition { return parseDef(t, demo.Source()) }

// tinySurvey is testdata/tiny-survey.yaml: a small questionnaire with
// what the demo lacks (see the file's comment).
func tinySurvey(t testing.TB) *surveys.Definition {
	t.Helper()
	src, err := os.ReadFile("testdata/tiny-survey.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return parseDef(t, src)
}

func parseDef(t testing.TB, src []byte) *surveys.Definition {
	t.Helper()
	d, err := surveys.Parse(src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return d
}

func generate(t testing.TB, d *surveys.Definition, n int, seed int64) []*surveys.Response {
	t.Helper()
	var out []*surveys.Response
	if err := demo.Generate(d, n, seed, func(r *surveys.Response) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGenerateValid checks that every response passes validation with
// its answers unchanged, as JSON values and as form strings, and that the
// stored fields are consistent.
func TestGenerateValid(t *testing.T) {
	tests := []struct {
		name string
		def  func(testing.TB) *surveys.Definition
		n    int
	}{
		{"demo", demoSurvey, 2000},
		{"tiny", tinySurvey, 2000},
	}
	codeRE := regexp.MustCompile(`^D42-\d{8}$`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.def(t)
			plan := demo.NewGenerator(d, 42).Plan()
			ids, prev := map[string]bool{}, time.Time{}
			for i, r := range generate(t, d, tc.n, 42) {
				for _, raw := range []map[string]any{r.Answers, formValues(r.Answers)} {
					got, err := surveys.ParseAnswers(d, raw)
					if err != nil {
						t.Fatalf("%s: ParseAnswers: %v\nanswers: %v", r.Code, err, r.Answers)
					}
					if diff := cmp.Diff(r.Answers, got); diff != "" {
						t.Fatalf("%s: ParseAnswers changed the answers (-generated +parsed):\n%s", r.Code, diff)
					}
				}
				if want := fmt.Sprintf("D42-%08d", i+1); r.Code != want || !codeRE.MatchString(r.Code) {
					t.Errorf("code %q, want %q", r.Code, want)
				}
				if !surveys.ValidSubmissionID(r.ID) || ids[r.ID] {
					t.Errorf("%s: id %q is not a new UUID", r.Code, r.ID)
				}
				ids[r.ID] = true
				if r.ReceivedAt.Before(plan.From) || !r.ReceivedAt.Before(plan.To) || r.ReceivedAt.Before(prev) {
					t.Errorf("%s: received %v, want rising within [%v, %v)", r.Code, r.ReceivedAt, plan.From, plan.To)
				}
				prev = r.ReceivedAt
				if r.Digest != surveys.Digest(d.Slug, r.Answers, r.Src, r.Venue) || r.Survey != d.Slug || r.SurveyVersion != d.Version {
					t.Errorf("%s: digest, survey or version do not match", r.Code)
				}
			}
		})
	}
}

// formValues is how the phone form posts answers: strings only.
func formValues(a surveys.Answers) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		switch x := v.(type) {
		case int:
			out[k] = strconv.Itoa(x)
		default:
			out[k] = x
		}
	}
	return out
}

func TestGenerateDeterministic(t *testing.T) {
	d := demoSurvey(t)
	a, b := generate(t, d, 300, 7), generate(t, d, 300, 7)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two runs with seed 7 differ (-first +second):\n%s", diff)
	}
	// A shorter run is a prefix of a longer one, apart from ReceivedAt,
	// which spreads the n responses over the window.
	short := generate(t, d, 10, 7)
	if diff := cmp.Diff(a[0].Answers, short[0].Answers); diff != "" {
		t.Errorf("first answers depend on n (-n=300 +n=10):\n%s", diff)
	}
	if c := generate(t, d, 1, 8)[0]; cmp.Equal(a[0].Answers, c.Answers) || a[0].ID == c.ID {
		t.Error("seeds 7 and 8 give the same first response")
	}
}

func TestGenerateStopsOnError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := demo.Generate(tinySurvey(t), 50, 1, func(*surveys.Response) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Errorf("err, calls = %v, %d; want %v, 2", err, calls, stop)
	}
}

// TestGeneratePlanted checks that the effects of Plan are in the data, as
// an analysis of it would find them: weak spots, the 60+ effect, the
// trend, "na" answers and item nonresponse.
func TestGeneratePlanted(t *testing.T) {
	d := demoSurvey(t)
	g := demo.NewGenerator(d, 20240917)
	plan := g.Plan()
	if diff := cmp.Diff([]string{"60_69", "70_plus"}, plan.OlderCodes); diff != "" {
		t.Errorf("OlderCodes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"labeling", "instructions"}, plan.OlderIndicators); diff != "" {
		t.Errorf("OlderIndicators (-want +got):\n%s", diff)
	}
	if len(plan.WeakSpots) != 4 {
		t.Fatalf("%d weak spots, want 4 (49 items / 12)", len(plan.WeakSpots))
	}
	var rs []*surveys.Response
	if err := g.Generate(2000, func(r *surveys.Response) error { rs = append(rs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	sat := func(keep func(r *surveys.Response, f *surveys.Field) bool) float64 {
		var sum, n float64
		for _, r := range rs {
			for _, f := range d.Fields() {
				if v, ok := r.Answers.Int(f.ID); ok && f.Role == surveys.RoleSatisfaction && keep(r, f) {
					sum, n = sum+float64(v), n+1
				}
			}
		}
		if n == 0 {
			t.Fatal("no satisfaction answer selected")
		}
		return sum / n
	}
	order := make(map[*surveys.Response]int, len(rs)) // generation order
	for i, r := range rs {
		order[r] = i
	}
	for _, w := range plan.WeakSpots {
		weak := sat(func(_ *surveys.Response, f *surveys.Field) bool {
			return f.ID == surveys.SatisfactionID(w.Category, w.Indicator)
		})
		rest := sat(func(_ *surveys.Response, f *surveys.Field) bool {
			return f.Category == w.Category && f.Indicator != w.Indicator
		})
		if weak > rest-0.5 {
			t.Errorf("weak spot %v: mean %.2f, rest of the category %.2f; want at least 0.5 lower", w, weak, rest)
		}
	}
	isOlder := func(r *surveys.Response) bool { a := r.Answers.Code("age_band"); return a == "60_69" || a == "70_plus" }
	keyInd := func(f *surveys.Field) bool { return f.Indicator == "labeling" || f.Indicator == "instructions" }
	older := sat(func(r *surveys.Response, f *surveys.Field) bool { return keyInd(f) && isOlder(r) })
	others := sat(func(r *surveys.Response, f *surveys.Field) bool { return keyInd(f) && !isOlder(r) })
	if older > others-0.25 {
		t.Errorf("labeling/instructions: 60+ mean %.2f, others %.2f; want at least 0.25 lower", older, others)
	}
	first := sat(func(r *surveys.Response, _ *surveys.Field) bool { return order[r] < 500 })
	last := sat(func(r *surveys.Response, _ *surveys.Field) bool { return order[r] >= 1500 })
	t.Logf("satisfaction: first 500 %.2f, last 500 %.2f; labeling/instructions: 60+ %.2f, others %.2f", first, last, older, others)
	if last < first+0.1 {
		t.Errorf("satisfaction of the first 500 %.2f, of the last 500 %.2f; want a rising trend", first, last)
	}
	counts := map[string]int{}
	for _, r := range rs {
		for id, v := range r.Answers {
			if v == surveys.NAValue {
				counts["na"]++
			}
			counts[id]++
		}
	}
	if counts["na"] == 0 || counts["gender"] == len(rs) || counts["consent"] != len(rs) {
		t.Errorf("na answers %d, gender answered %d and consent %d times of %d; want some na, some unanswered, all consented",
			counts["na"], counts["gender"], counts["consent"], len(rs))
	}
}

func TestGeneratePlan(t *testing.T) {
	d := tinySurvey(t)
	p := demo.NewGenerator(d, 1).Plan()
	opens, closes := d.Window()
	want := demo.Plan{
		WeakSpots:       p.WeakSpots, // drawn; checked in TestGeneratePlanted
		OlderCodes:      []string{"65_74", "75_plus"},
		OlderIndicators: []string{"speed"}, // no instructions or labelling: the first indicator
		From:            opens, To: closes, Trend: 0.25,
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("Plan (-want +got):\n%s", diff)
	}
	// Without a window: the 30 days before a date derived from the seed.
	d.OpensAt, d.ClosesAt = "", ""
	p = demo.NewGenerator(d, 1).Plan()
	wantTo := time.Date(2025, 9, 30, 0, 0, 0, 0, surveys.ChinaTime) // 2025-10-01 minus 1 % 365 days
	if !p.To.Equal(wantTo) || p.To.Sub(p.From) != 30*24*time.Hour {
		t.Errorf("From, To = %v, %v; want the 30 days before %v", p.From, p.To, wantTo)
	}
}

// TestGenerateGuardian checks the guardian rule's both sides: under-16s
// answer with the parent's consent, everyone else with their own.
func TestGenerateGuardian(t *testing.T) {
	got := map[[2]string]int{}
	for _, r := range generate(t, tinySurvey(t), 2000, 3) {
		child := r.Answers.Code("age_band") == "under_16"
		got[[2]string{strconv.FormatBool(child), r.Answers.Code("consent")}]++
	}
	if len(got) != 2 || got[[2]string{"true", "parent_agree"}] == 0 || got[[2]string{"false", "agree"}] == 0 {
		t.Errorf("(under 16, consent) counts %v; want only (true, parent_agree) and (false, agree)", got)
	}
}

// BenchmarkGenerate generates 10,000 demo responses per iteration.
func BenchmarkGenerate(b *testing.B) {
	const n = 10_000
	d := demoSurvey(b)
	start := time.Now()
	for b.Loop() {
		if err := demo.Generate(d, n, 1, func(*surveys.Response) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "responses/s")
}
