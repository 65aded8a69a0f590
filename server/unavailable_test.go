package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys/demo"
)

// TestDatabaseUnavailable stops the database under a running server: a
// submission then gets 503 with "your answers are not lost" — on the API
// and on the form — never a thank-you without a stored response.
func TestDatabaseUnavailable(t *testing.T) {
	ctx := context.Background()
	e := newDownEnv(t)
	hs := e.srv
	// The form's first page is served (and the definition cached) while
	// the database runs.
	resp, err := http.Get(hs.URL + "/s/" + demo.Slug)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("form while the database runs: %v %v", err, resp)
	}
	first, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	e.stop()

	form := hiddenValues(t, string(first))
	form.Set("consent", "adult_agree")
	resp, err = http.PostForm(hs.URL+"/s/"+demo.Slug, form)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(page), "没有丢失") {
		t.Errorf("form with the database down: %d; want 503 saying the answers are not lost", resp.StatusCode)
	}

	ctx2, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx2, http.MethodPost, hs.URL+"/api/v1/surveys/"+demo.Slug+"/responses",
		strings.NewReader(body("5d1c0b9a-8e7f-4d6c-9b5a-4f3e2d1c0b9a", validAnswers())))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "en")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4096)
	n, _ := resp.Body.Read(b)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(b[:n]), "not lost") {
		t.Errorf("API with the database down: %d %s; want 503 saying the answers are not lost", resp.StatusCode, b[:n])
	}
}
