package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/embedded"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// TestScaleOut runs the production topology in one process: one database
// served over TCP (the embedded FerretDB, as qvoice db serve runs it) and
// two servers on it, each with its own connection, as two machines behind
// a load balancer. Each server accepts half the responses; both dashboards
// must show all of them, the same numbers, within seconds, and keep
// showing exactly that many (a server's catch-up finds its own responses
// too and must not count them twice).
func TestScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("starts its own database and waits for catch-up")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := embedded.OpenTCP(ctx, t.TempDir(), "127.0.0.1:0", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := embedded.OpenTCP(ctx, db.Dir(), "127.0.0.1:0", false, nil); err == nil {
		t.Fatal("a second OpenTCP on a locked directory succeeded")
	}

	const (
		perServer = 15
		before    = 4 // stored before the servers start: the first pass
	)
	var envs [2]*env
	for i := range envs {
		st, err := mongostore.Open(ctx, db.URI(), "scaleout")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close(context.Background()) })
		if i == 0 {
			if err := st.PutSurvey(ctx, &surveys.StoredSurvey{Slug: demo.Slug, Source: demo.Source(), AddedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			storeOld(t, st, before)
		}
		// CatchUpInterval 0: the default, as in production.
		s, err := server.New(server.Config{Secret: testSecret}, st)
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		sctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- s.Serve(sctx, ln) }()
		t.Cleanup(func() {
			stop()
			if err := <-done; err != nil {
				t.Errorf("server %d: Serve: %v", i, err)
			}
		})
		envs[i] = &env{t: t, store: st, srv: &httptest.Server{URL: "http://" + ln.Addr().String()}, http: newClient()}
	}
	envs[0].addUser(t, "scale-admin", testPassword, surveys.RoleAdmin)
	for _, e := range envs {
		e.http = e.login(t, "scale-admin", testPassword) // one account, one database: it works on both
	}
	// Both boards are built (the list reads them) before the submissions:
	// from here on only catch-up brings the other server's responses.
	for i, e := range envs {
		if n := dashTotal(t, e); n != before {
			t.Fatalf("server %d shows %d responses before any submission, want %d", i, n, before)
		}
	}

	start := time.Now()
	var wg sync.WaitGroup
	for i, e := range envs {
		wg.Go(func() {
			for n := range perServer {
				k := i*perServer + n
				a := validAnswers()
				a["food_overall_sat"] = k%10 + 1
				a["province"] = []string{"11", "32", "41", "44"}[k%4]
				resp, b := e.postJSON(apiPath, body(fmt.Sprintf("5ca1e0a7-0000-4000-8000-%012d", k), a))
				if resp.StatusCode != http.StatusCreated {
					t.Errorf("server %d, response %d: %d %s", i, n, resp.StatusCode, b)
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	submitted := time.Since(start)

	want := before + 2*perServer
	deadline := time.Now().Add(15 * time.Second)
	var got [2]int
	for {
		for i, e := range envs {
			got[i] = dashTotal(t, e)
		}
		if got[0] == want && got[1] == want {
			break
		}
		if got[0] > want || got[1] > want {
			t.Fatalf("dashboards show %v responses, more than the %d stored: counted twice", got, want)
		}
		if time.Now().After(deadline) {
			t.Fatalf("dashboards show %v responses after 15 s, want %d on both", got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("%d responses submitted to 2 servers in %v; both dashboards showed all %d %v after the last submission",
		2*perServer, submitted.Round(time.Millisecond), want, (time.Since(start) - submitted).Round(time.Millisecond))

	// The same numbers, not only the same count.
	_, csv0 := envs[0].getWith(envs[0].http, "/dash/"+demo.Slug+"/data/index.csv")
	_, csv1 := envs[1].getWith(envs[1].http, "/dash/"+demo.Slug+"/data/index.csv")
	if csv0 != csv1 || csv0 == "" {
		t.Errorf("the two servers' index tables differ:\n%s\n---\n%s", csv0, csv1)
	}
	// Two more catch-ups (default interval 2 s) re-read the last
	// responses: nothing may be counted again.
	time.Sleep(5 * time.Second)
	for i, e := range envs {
		if n := dashTotal(t, e); n != want {
			t.Errorf("server %d shows %d responses after more catch-ups, want %d", i, n, want)
		}
	}
}

// storeOld stores n responses received an hour ago, straight into st.
func storeOld(t *testing.T, st surveys.Store, n int) {
	t.Helper()
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Hour)
	k := 0
	err = demo.Generate(d, n, 7, func(r *surveys.Response) error {
		r.ReceivedAt = at.Add(time.Duration(k) * time.Second)
		k++
		return st.InsertResponse(context.Background(), r)
	})
	if err != nil {
		t.Fatal(err)
	}
}

var dashTotalRE = regexp.MustCompile(`<td>` + regexp.QuoteMeta(demo.Slug) + `</td><td>(\d+)</td>`)

// dashTotal reads the demo survey's response count from the survey list.
func dashTotal(t *testing.T, e *env) int {
	t.Helper()
	resp, page := e.getWith(e.http, "/dash")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /dash: %d", resp.StatusCode)
	}
	m := dashTotalRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no count for %s on /dash:\n%s", demo.Slug, page)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
