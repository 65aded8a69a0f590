package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// startServe runs the qvoice binary's serve as a child process on data
// and waits until it answers.
func startServe(t *testing.T, bin, data, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr, "--rate-limit", "0", "--demo", "--demo-responses", "0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan int, 1)
	go func() { _ = cmd.Wait(); done <- cmd.ProcessState.ExitCode() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	waitHealthy(t, "http://"+addr, done, &stderr)
	return cmd
}

// TestKillUnderLoad runs serve as a child process, submits responses from
// 8 clients, kills the server with SIGKILL in the middle, restarts it on
// the same data directory and checks that every acknowledged submission
// (201, or 200 for a retry) is stored exactly once, and that nothing was
// stored that was not at least attempted.
func TestKillUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills a server")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "qvoice")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data, addr := filepath.Join(dir, "data"), freeAddr(t)
	srv := startServe(t, bin, data, addr)
	d, err := surveys.Parse(demo.Source())
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu        sync.Mutex
		acked     = map[string]int{} // response code → acknowledgements
		attempted = map[string]bool{}
		refused   int
	)
	var pending []*surveys.Response
	_ = demo.Generate(d, 4000, 9, func(r *surveys.Response) error { pending = append(pending, r); return nil })
	work := make(chan *surveys.Response)
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				b, _ := json.Marshal(map[string]any{"id": r.ID, "answers": r.Answers})
				mu.Lock()
				attempted[r.ID] = true
				mu.Unlock()
				resp, err := client.Post("http://"+addr+"/api/v1/surveys/"+demo.Slug+"/responses", "application/json", bytes.NewReader(b))
				if err != nil {
					mu.Lock()
					refused++
					mu.Unlock()
					continue
				}
				var rec struct {
					Code string `json:"code"`
				}
				_ = json.NewDecoder(resp.Body).Decode(&rec)
				resp.Body.Close()
				mu.Lock()
				if resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK {
					acked[rec.Code]++
				} else {
					refused++
				}
				mu.Unlock()
			}
		}()
	}
	stop := time.After(3 * time.Second)
	sent := 0
feed:
	for _, r := range pending {
		select {
		case <-stop:
			break feed
		case work <- r:
			sent++
		}
	}
	// SIGKILL while the clients are still posting.
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	close(work)
	wg.Wait()
	mu.Lock()
	nAcked := len(acked)
	mu.Unlock()
	if nAcked < 50 {
		t.Fatalf("only %d submissions acknowledged before the kill; the test proves little", nAcked)
	}
	// Restart on the same directory: the lock of the killed process is
	// gone with it.
	startServe(t, bin, data, freeAddr(t))
	export := filepath.Join(dir, "after.csv")
	mustRun(t, 0, "export", "--data", data, "--survey", demo.Slug, "--out", export, "--no-codebook")
	recs, err := csv.NewReader(bytes.NewReader(readFile(t, export))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for _, r := range recs[1:] {
		stored[r[0]]++
	}
	var missing, twice []string
	for code := range acked {
		switch stored[code] {
		case 0:
			missing = append(missing, code)
		case 1:
		default:
			twice = append(twice, code)
		}
	}
	if len(missing) > 0 || len(twice) > 0 {
		t.Errorf("acknowledged but missing: %v; stored twice: %v", missing, twice)
	}
	if extra := len(recs) - 1 - nAcked; extra < 0 || extra > len(attempted)-nAcked {
		t.Errorf("%d stored, %d acknowledged, %d attempted", len(recs)-1, nAcked, len(attempted))
	}
	t.Logf("sent %d, acknowledged %d, stored %d after SIGKILL and restart (%d refused or cut off)", sent, nAcked, len(recs)-1, refused)
}
