package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
)

// TestCapAcrossServers runs two servers over one database, as two qvoice
// serve processes sharing a MongoDB: each has its own in-memory tally, and
// together they must still stop at the cap. Sixty respondents post at
// once to a survey capped at twenty, spread over both servers: exactly
// twenty are stored, the other forty get 410, and a retry of a stored
// response still gets its receipt from either server.
func TestCapAcrossServers(t *testing.T) {
	const (
		capacity = 20
		posts    = 60
	)
	e, _ := newEnvWith(t, server.Config{}, nil, variant("capped", fmt.Sprintf("max_responses: %d\n", capacity)))
	other, err := server.New(server.Config{Secret: testSecret}, e.store)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(other.Handler())
	t.Cleanup(hs.Close)
	urls := []string{e.srv.URL, hs.URL}

	post := func(base, id string) int {
		req, _ := http.NewRequest(http.MethodPost, base+apiPathOf("capped"), strings.NewReader(body(id, validAnswers())))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("post %s: %v", id, err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	id := func(i int) string { return fmt.Sprintf("5107e0a7-0000-4000-8000-%012d", i) }

	statuses := make([]int, posts)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range posts {
		wg.Go(func() {
			<-start
			statuses[i] = post(urls[i%2], id(i))
		})
	}
	close(start)
	wg.Wait()
	got := map[int]int{}
	for _, s := range statuses {
		got[s]++
	}
	if got[http.StatusCreated] != capacity || got[http.StatusGone] != posts-capacity {
		t.Errorf("statuses %v, want %d × 201 and %d × 410", got, capacity, posts-capacity)
	}
	if n := e.countOf("capped"); n != capacity {
		t.Errorf("the two servers stored %d responses, want %d", n, capacity)
	}

	// A retry of a stored response, on the other server than the one that
	// took it, gets its receipt although the survey is full; a new one
	// gets 410 from both.
	for i, s := range statuses {
		if s != http.StatusCreated {
			continue
		}
		if retry := post(urls[(i+1)%2], id(i)); retry != http.StatusOK {
			t.Errorf("retry of stored %s: %d, want 200 with the receipt", id(i), retry)
		}
		break
	}
	for i, base := range urls {
		if s := post(base, id(posts+i)); s != http.StatusGone {
			t.Errorf("new response to server %d of a full survey: %d, want 410", i, s)
		}
	}
	if n := e.countOf("capped"); n != capacity {
		t.Errorf("after the retries the survey holds %d responses, want %d", n, capacity)
	}
}

// TestCapFullOnFirstPage: a server whose count is behind (another server
// took the last places since it counted) tells a respondent on the first
// page that the survey is full, within tallyRefresh (2 s), rather than
// after the last page.
func TestCapFullOnFirstPage(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{}, nil, variant("capped3", "max_responses: 3\n"))
	other, err := server.New(server.Config{Secret: testSecret}, e.store)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(other.Handler())
	t.Cleanup(hs.Close)
	firstPage := func() int {
		resp, err := http.Get(hs.URL + "/s/capped3")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := firstPage(); s != http.StatusOK {
		t.Fatalf("first page of the other server before any response: %d, want 200", s)
	}
	for i := range 3 {
		id := fmt.Sprintf("5107e0a7-0000-4000-8000-%012d", i)
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+apiPathOf("capped3"), strings.NewReader(body(id, validAnswers())))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("post %d to the first server: %v %v", i, err, resp)
		}
		resp.Body.Close()
	}
	time.Sleep(2100 * time.Millisecond) // past the other server's refresh interval
	if s := firstPage(); s != http.StatusGone {
		t.Errorf("first page of the other server once the survey is full: %d, want 410", s)
	}
}
