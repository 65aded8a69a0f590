package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// One submission id per served form: a retry of the same answers is
// "already received" with the same response code, other answers under the
// same id are refused, and nothing is ever stored twice (issue 4,
// "Integrity, ODK-grade").

// receipt is the JSON intake's answer.
type receipt struct {
	ID, Code, Status, Error string
}

// submit posts body to the JSON intake and decodes the answer.
func (e *env) submit(b string) (int, receipt) {
	e.t.Helper()
	resp, raw := e.postJSON(apiPath, b)
	var r receipt
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		e.t.Fatalf("answer is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return resp.StatusCode, r
}

// stored reads the response stored under id.
func (e *env) stored(id string) *surveys.Response {
	e.t.Helper()
	r, err := e.store.Response(context.Background(), demo.Slug, id)
	if err != nil {
		e.t.Fatalf("response %s: %v", id, err)
	}
	return r
}

func TestIdempotencyIdenticalRetry(t *testing.T) {
	e := newEnv(t)
	const id = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b01"
	b := body(id, validAnswers())
	status, first := e.submit(b)
	if status != http.StatusCreated || first.Status != "stored" || first.Code == "" {
		t.Fatalf("first: %d %+v, want 201 stored with a code", status, first)
	}
	before := e.stored(id)
	for _, retry := range []string{"retry", "second retry"} {
		status, got := e.submit(b)
		want := receipt{ID: id, Code: first.Code, Status: "already_received"}
		if status != http.StatusOK || got != want {
			t.Errorf("%s: %d %+v, want 200 %+v", retry, status, got, want)
		}
	}
	if n := e.count(); n != 1 {
		t.Errorf("store holds %d responses, want 1", n)
	}
	if diff := cmp.Diff(before, e.stored(id)); diff != "" {
		t.Errorf("a retry changed the stored response (-before +after):\n%s", diff)
	}
}

func TestIdempotencyChangedBody(t *testing.T) {
	e := newEnv(t)
	const id = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b02"
	status, first := e.submit(body(id, validAnswers()))
	if status != http.StatusCreated {
		t.Fatalf("first: %d %+v", status, first)
	}
	before := e.stored(id)
	changed := validAnswers()
	changed["food_sat_safety"] = 1
	tests := []struct {
		name string
		body string
	}{
		{"other answer", body(id, changed)},
		{"optional answer added", body(id, func() map[string]any { a := validAnswers(); a["gender"] = "female"; return a }())},
		{"other src", strings.Replace(body(id, validAnswers()), "2026zlm-sq-001", "2026zlm-sq-002", 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, got := e.submit(tc.body)
			if status != http.StatusConflict {
				t.Errorf("status %d %+v, want 409", status, got)
			}
			if got.Error == "" || got.Code != "" {
				t.Errorf("answer %+v, want an error message and no code", got)
			}
		})
	}
	if n := e.count(); n != 1 {
		t.Errorf("store holds %d responses, want 1", n)
	}
	if diff := cmp.Diff(before, e.stored(id)); diff != "" {
		t.Errorf("a refused body changed the stored response (-first +now):\n%s", diff)
	}
	if got := e.stored(id).Answers["food_sat_safety"]; got != 2 {
		t.Errorf("stored food_sat_safety = %#v, want 2 (the first body)", got)
	}
}

// TestIdempotencyConcurrentDoubleSubmit: ten copies of one submission
// arrive at once (a double tap, a flaky connection, a retrying client).
func TestIdempotencyConcurrentDoubleSubmit(t *testing.T) {
	e := newEnv(t)
	const n, id = 10, "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b03"
	b := body(id, validAnswers())
	type result struct {
		status int
		r      receipt
		err    error
	}
	results := make(chan result, n)
	start := make(chan struct{})
	var ready sync.WaitGroup
	for range n {
		ready.Add(1)
		go func() { // no t.Fatal here: report through the channel
			req, err := http.NewRequest(http.MethodPost, e.srv.URL+apiPath, strings.NewReader(b))
			if err != nil {
				results <- result{err: err}
				ready.Done()
				return
			}
			req.Header.Set("Content-Type", "application/json")
			ready.Done()
			<-start
			resp, err := e.http.Do(req)
			if err != nil {
				results <- result{err: err}
				return
			}
			defer resp.Body.Close()
			raw, err := io.ReadAll(resp.Body)
			res := result{status: resp.StatusCode, err: err}
			if err == nil {
				res.err = json.Unmarshal(raw, &res.r)
			}
			results <- res
		}()
	}
	ready.Wait()
	close(start)
	count := map[int]int{}
	codes := map[string]bool{}
	for range n {
		res := <-results
		if res.err != nil {
			t.Errorf("request: %v", res.err)
			continue
		}
		count[res.status]++
		codes[res.r.Code] = true
		switch {
		case res.status == http.StatusCreated && res.r.Status == "stored":
		case res.status == http.StatusOK && res.r.Status == "already_received":
		default:
			t.Errorf("answer %d %+v, want 201 stored or 200 already_received", res.status, res.r)
		}
	}
	if count[http.StatusCreated] != 1 || count[http.StatusOK] != n-1 {
		t.Errorf("statuses %v, want exactly one 201 and %d 200", count, n-1)
	}
	if len(codes) != 1 {
		t.Errorf("%d different response codes %v, want one", len(codes), codes)
	}
	if got := e.count(); got != 1 {
		t.Errorf("store holds %d responses, want exactly 1", got)
	}
	if r := e.stored(id); !codes[r.Code] {
		t.Errorf("stored code %s was not given to any client %v", r.Code, codes)
	}
}

// lastPage walks the form to its last page and returns what that page's
// submit button sends: its hidden fields, its answers and _nav=submit.
func lastPage(e *env, answers url.Values) url.Values {
	e.t.Helper()
	w := e.startForm("")
	for range 20 {
		if strings.Contains(w.page, `value="submit"`) {
			v := hiddenValues(e.t, w.page)
			for _, q := range questionsOn(w.page) {
				if a, ok := answers[q]; ok {
					v[q] = a
				}
			}
			v.Set("_nav", "submit")
			return v
		}
		w.post(answers, "next")
		if w.resp.StatusCode != http.StatusOK {
			e.t.Fatalf("page answered %d", w.resp.StatusCode)
		}
	}
	e.t.Fatal("no last page")
	return nil
}

// thanksCode is the response code a form POST redirected to, or "".
func thanksCode(resp *http.Response) string {
	if resp.StatusCode != http.StatusSeeOther {
		return ""
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || u.Path != "/s/"+demo.Slug+"/thanks" {
		return ""
	}
	return u.Query().Get("code")
}

// TestIdempotencyFormDoubleTap: the last page's submit button is tapped
// twice, or the browser resends the POST after a lost answer. Both must
// land on the thank-you page with the same code, and one response is
// stored.
func TestIdempotencyFormDoubleTap(t *testing.T) {
	t.Run("one after the other", func(t *testing.T) {
		e := newEnv(t)
		v := lastPage(e, formAnswers())
		resp1, _ := e.postForm("/s/"+demo.Slug, v)
		resp2, page2 := e.postForm("/s/"+demo.Slug, v)
		code1, code2 := thanksCode(resp1), thanksCode(resp2)
		if code1 == "" {
			t.Fatalf("first tap: %d %q, want 303 to the thank-you page", resp1.StatusCode, resp1.Header.Get("Location"))
		}
		if code2 != code1 {
			t.Errorf("second tap: %d %q, want 303 to the thank-you page with code %s; page:\n%s",
				resp2.StatusCode, resp2.Header.Get("Location"), code1, excerpt(page2))
		}
		if n := e.count(); n != 1 {
			t.Errorf("store holds %d responses, want 1", n)
		}
	})
	t.Run("at once", func(t *testing.T) {
		e := newEnv(t)
		v := lastPage(e, formAnswers())
		type result struct {
			code, loc string
			status    int
			err       error
		}
		results := make(chan result, 2)
		start := make(chan struct{})
		for range 2 {
			go func() {
				<-start
				resp, err := e.http.PostForm(e.srv.URL+"/s/"+demo.Slug, v)
				if err != nil {
					results <- result{err: err}
					return
				}
				resp.Body.Close()
				results <- result{code: thanksCode(resp), loc: resp.Header.Get("Location"), status: resp.StatusCode}
			}()
		}
		close(start)
		var codes []string
		for range 2 {
			r := <-results
			if r.err != nil || r.code == "" {
				t.Errorf("tap: %d %q %v, want 303 to the thank-you page", r.status, r.loc, r.err)
			}
			codes = append(codes, r.code)
		}
		if codes[0] != codes[1] {
			t.Errorf("codes %v, want the same code twice", codes)
		}
		if n := e.count(); n != 1 {
			t.Errorf("store holds %d responses, want 1", n)
		}
	})
}

// excerpt is the headings and messages of a page, for a failure report.
func excerpt(page string) string {
	var out []string
	for _, line := range strings.Split(page, "\n") {
		if strings.Contains(line, "<h1") || strings.Contains(line, "<h2") || strings.Contains(line, "error") {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return strings.Join(out, "\n")
}

// TestIdempotencyUppercaseID: a UUID is the same id in either letter case.
func TestIdempotencyUppercaseID(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, first, retry string
	}{
		{"lower then upper", "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0a", "3F2A1B0C-9D8E-4F7A-8B6C-5D4E3F2A1B0A"},
		{"upper then lower", "3F2A1B0C-9D8E-4F7A-8B6C-5D4E3F2A1B0B", "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0b"},
		{"mixed case", "3f2a1b0c-9D8E-4f7a-8B6C-5d4e3f2a1b0c", "3F2A1B0C-9d8e-4F7A-8b6c-5D4E3F2A1B0C"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, first := e.submit(body(tc.first, validAnswers()))
			if status != http.StatusCreated {
				t.Fatalf("first: %d %+v", status, first)
			}
			status, got := e.submit(body(tc.retry, validAnswers()))
			if status != http.StatusOK || got.Status != "already_received" || got.Code != first.Code {
				t.Errorf("retry in other case: %d %+v, want 200 already_received with code %s", status, got, first.Code)
			}
			if n := e.count(); n != i+1 {
				t.Errorf("store holds %d responses, want %d", n, i+1)
			}
			e.stored(strings.ToLower(tc.first)) // stored under the canonical lower-case id
		})
	}
}
