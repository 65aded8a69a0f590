package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
)

// TestLifecycle: a survey before its opening, after its closing date and
// at its cap answers 410 — JSON with a message on the API, a page of the
// survey in the respondent's language on the form — and an identical retry
// of a stored response still gets its receipt.
func TestLifecycle(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{Now: fixedClock}, nil,
		variant("not-yet", "opens_at: 2026-10-01\n"),
		variant("ended", "closes_at: 2026-09-14\n"),
		variant("capped", "max_responses: 1\n"),
		variant("in-window", "opens_at: 2026-09-01\ncloses_at: 2026-09-30\n"))
	first := "3b0a4c1e-7d2f-4e6a-9b8c-0d1e2f3a4b01"
	en := []string{"Accept-Language", "en"}
	runAPICases(t, e, []apiCase{
		{name: "not yet open", path: apiPathOf("not-yet"), body: body(first, validAnswers()), header: en,
			wantStatus: http.StatusGone, wantText: "opens on 2026-10-01 (Beijing time)"},
		{name: "closed", path: apiPathOf("ended"), body: body(first, validAnswers()), header: en,
			wantStatus: http.StatusGone, wantText: "This survey is closed."},
		{name: "closed, message in Chinese", path: apiPathOf("ended"), body: body(first, validAnswers()),
			wantStatus: http.StatusGone, wantText: "该问卷已结束"},
		{name: "inside the window", path: apiPathOf("in-window"), body: body(first, validAnswers()), wantStatus: http.StatusCreated},
		{name: "under the cap", path: apiPathOf("capped"), body: body("3b0a4c1e-7d2f-4e6a-9b8c-0d1e2f3a4b02", validAnswers()),
			wantStatus: http.StatusCreated},
		{name: "full", path: apiPathOf("capped"), body: body("3b0a4c1e-7d2f-4e6a-9b8c-0d1e2f3a4b03", validAnswers()), header: en,
			wantStatus: http.StatusGone, wantText: "all the responses it needs"},
		{name: "retry of a stored response when full", path: apiPathOf("capped"), body: body("3b0a4c1e-7d2f-4e6a-9b8c-0d1e2f3a4b02", validAnswers()),
			wantStatus: http.StatusOK, wantText: "already_received"},
	})
	e.t = t
	if n := e.countOf("capped"); n != 1 {
		t.Errorf("capped survey holds %d responses, want 1", n)
	}
	for _, slug := range []string{"not-yet", "ended"} {
		if n := e.countOf(slug); n != 0 {
			t.Errorf("%s holds %d responses, want 0", slug, n)
		}
	}
	title := "消费品质量 消费者需求调查（示例）"
	runPageCases(t, e, []pageCase{
		{"form, not yet open", "/s/not-yet/admit", nil, http.StatusGone,
			[]string{`lang="zh-CN"`, title, "问卷暂不接受答卷", "2026-10-01（北京时间）", "12315"}},
		{"form, not yet open, in English", "/s/not-yet/admit?lang=en", nil, http.StatusGone,
			[]string{`lang="en"`, "Consumer product quality", "Survey not taking answers", "opens on 2026-10-01"}},
		{"form, closed", "/s/ended/admit", nil, http.StatusGone, []string{title, "该问卷已结束"}},
		{"form, closed, Accept-Language en", "/s/ended/admit", en, http.StatusGone, []string{"This survey is closed."}},
		{"form, full", "/s/capped/admit", nil, http.StatusGone, []string{"已收满所需答卷"}},
		{"form, inside the window", "/s/in-window/admit", nil, http.StatusOK, []string{"admitted"}},
	})
}

// TestCapUnderConcurrency: ten respondents submitting at once to a survey
// with three places left: exactly three are stored, the others get 410.
func TestCapUnderConcurrency(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil, variant("capped", "max_responses: 3\n"))
	statuses := make(chan int, 10)
	for i := range 10 {
		go func() {
			id := fmt.Sprintf("7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f90%02d", i)
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+apiPathOf("capped"), strings.NewReader(body(id, validAnswers())))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	got := map[int]int{}
	for range 10 {
		got[<-statuses]++
	}
	if got[http.StatusCreated] != 3 || got[http.StatusGone] != 7 {
		t.Errorf("statuses %v, want 3 × 201 and 7 × 410", got)
	}
	if n := e.countOf("capped"); n != 3 {
		t.Errorf("survey holds %d responses, want 3", n)
	}
}

// TestManualOpenClose: `qvoice survey close` stops the form and the API
// whatever the dates say, and `survey open` reopens a survey past its
// closes_at; every server sees the change within StateTTL.
func TestManualOpenClose(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{Now: fixedClock, StateTTL: time.Nanosecond}, nil,
		variant("by-hand", "closes_at: 2026-09-14\n"))
	put := func(closed bool, at time.Time) {
		t.Helper()
		if err := e.store.PutSurveyState(context.Background(), &surveys.SurveyState{Slug: "by-hand", Closed: closed, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	en := []string{"Accept-Language", "en"}
	put(false, fixedClock().Add(-time.Hour))
	runAPICases(t, e, []apiCase{{name: "reopened past closes_at", path: apiPathOf("by-hand"),
		body: body("3b0a4c1e-7d2f-4e6a-9b8c-0d1e2f3a4c01", validAnswers()), wantStatus: http.StatusCreated}})
	runPageCases(t, e, []pageCase{{"form, reopened", "/s/by-hand/admit", nil, http.StatusOK, []string{"admitted"}}})
	put(true, fixedClock().Add(-time.Minute))
	runAPICases(t, e, []apiCase{{name: "closed by hand", path: apiPathOf("by-hand"),
		body: body("3b0a4c1e-7d2f-4e6a-9b8c-0d1e2f3a4c02", validAnswers()), header: en,
		wantStatus: http.StatusGone, wantText: "This survey is closed."}})
	runPageCases(t, e, []pageCase{{"form, closed by hand", "/s/by-hand/admit", nil, http.StatusGone, []string{"该问卷已结束"}}})
	e.t = t
	if n := e.countOf("by-hand"); n != 1 {
		t.Errorf("survey holds %d responses, want 1", n)
	}
}
