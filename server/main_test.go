package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
	"github.com/qvoice/qvoice/surveys/embedded"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// The tests run the real router over the real embedded database: one
// FerretDB per test binary, a fresh database per test.
var dbURI string

func TestMain(m *testing.M) { os.Exit(embedded.RunTests(m, &dbURI)) }

var dbSeq atomic.Int64

// env is one test's server and store.
type env struct {
	t     *testing.T
	store surveys.Store
	srv   *httptest.Server
	http  *http.Client
}

// newEnv starts the real server on a fresh database holding the demo survey.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := mongostore.Open(ctx, dbURI, fmt.Sprintf("t%d_%d", time.Now().UnixNano()%1e6, dbSeq.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	if err := st.PutSurvey(ctx, &surveys.StoredSurvey{Slug: demo.Slug, Source: demo.Source(), AddedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{}, st)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &env{t: t, store: st, srv: hs, http: client}
}

// do sends a request with e's client and returns the status and body.
func (e *env) do(method, path, ctype, body string, header ...string) (*http.Response, string) {
	e.t.Helper()
	if ctype != "" {
		header = append([]string{"Content-Type", ctype}, header...)
	}
	return e.sendReq(e.http, method, path, strings.NewReader(body), header...)
}

func (e *env) get(path string, header ...string) (*http.Response, string) {
	return e.do(http.MethodGet, path, "", "", header...)
}

func (e *env) postForm(path string, v url.Values) (*http.Response, string) {
	return e.do(http.MethodPost, path, "application/x-www-form-urlencoded", v.Encode())
}

func (e *env) postJSON(path, body string) (*http.Response, string) {
	return e.do(http.MethodPost, path, "application/json", body)
}

// count returns how many responses the store holds for the demo survey.
func (e *env) count() int {
	e.t.Helper()
	n := 0
	err := e.store.EachResponse(context.Background(), demo.Slug, func(*surveys.Response) error { n++; return nil })
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}
